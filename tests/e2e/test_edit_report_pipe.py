"""An edit's stdout is only its report: a reader that leaves early (`| head -1`) stops
the report, not the edit. Every file is edited, the batch is whole in the journal, the
summary is on stderr and the exit code is 141. Real processes and a real pipe."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import NEWSCLI


@pytest.mark.slow  # thousands of files: the long tier
def test_a_reader_gone_from_an_edits_report_stops_no_edit(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    count = 1500  # a report of ~100 KB: more than a pipe holds
    for i in range(count):
        (feeds / f"article-with-a-long-name-{i:04}.md").write_text(
            f'---\ntitle: "Article {i}"\nquality: 10\n---\n', encoding="utf-8"
        )
    env = {**os.environ, "NEWSCLI_STATE_DIR": str(tmp_path / "state"),
           "NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}  # fmt: skip
    run = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {NEWSCLI} set quality=9 feeds --all | head -1"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 141, run.stderr
    assert run.stdout.endswith(": quality 10 -> 9\n") and run.stdout.count("\n") == 1
    assert run.stderr == f"newscli: changed {count}, unchanged 0, refused 0\n"
    edited = [p for p in feeds.iterdir() if b"quality: 9\n" in p.read_bytes()]
    assert len(edited) == count
    history = subprocess.run([NEWSCLI, "history", "--format", "json"], env=env,
                             capture_output=True, text=True)  # fmt: skip
    assert history.returncode == 0, history.stderr
    newest = json.loads(history.stdout)[0]  # the whole batch, complete (not interrupted)
    assert (newest["files"], newest["complete"]) == (count, True)
    # undo's report too: every file restored, exit 141
    line = f"set -o pipefail; {NEWSCLI} undo | head -1"
    undo = subprocess.run(["bash", "-c", line], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120)  # fmt: skip
    assert undo.returncode == 141, undo.stderr
    assert f"restored {count}, already 0, refused 0" in undo.stderr
    assert not [p for p in feeds.iterdir() if b"quality: 9\n" in p.read_bytes()]
