"""SIGTERM (or Ctrl-C) in the middle of an edit: the run says how far it got, history
marks the batch interrupted (as after a crash), and undo gives back every byte. A real
process, stopped once its journal shows edits under way."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import NEWSCLI


@pytest.mark.slow  # thousands of files: the long tier
def test_an_edit_stopped_midway_is_marked_interrupted_and_undone(tmp_path: Path) -> None:
    feeds, state = tmp_path / "feeds", tmp_path / "state"
    feeds.mkdir()
    for i in range(3000):
        (feeds / f"a{i:04}.md").write_text(f'---\ntitle: "A {i}"\nquality: 10\n---\n')
    originals = {p: p.read_bytes() for p in feeds.iterdir()}
    env = {**os.environ, "NEWSCLI_STATE_DIR": str(state),
           "NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}  # fmt: skip
    proc = subprocess.Popen([NEWSCLI, "set", "quality=9", "feeds", "--all"], cwd=tmp_path,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        logs = list(state.glob("journal/*/old.log"))
        if logs and logs[0].stat().st_size > 2000:  # some files edited
            break
        time.sleep(0.005)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    assert b"newscli: interrupted after changed " in err
    changed = [p for p in originals if p.read_bytes() != originals[p]]
    assert 0 < len(changed) < 3000
    history = subprocess.run([NEWSCLI, "history"], env=env, capture_output=True, text=True)
    assert "(interrupted)" in history.stdout.splitlines()[0]
    undo = subprocess.run([NEWSCLI, "undo"], cwd=tmp_path, env=env, capture_output=True)
    assert undo.returncode == 0, undo.stderr
    assert {p: p.read_bytes() for p in originals} == originals
