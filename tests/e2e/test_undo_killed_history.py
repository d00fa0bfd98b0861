"""An undo killed part way (SIGKILL: nothing of it can run) is told in `history` (h98
LOW: the batch showed all its files, no mark, though some were already restored), and
the next `undo` finishes it. A real process kills itself after its 5th rename onto an
article file (rename_driver)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import NEWSCLI
from process_helpers import wait_stopped
from rename_driver import RENAME_DRIVER

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="signals")


def _history(cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([NEWSCLI, "history", *()], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=60)  # fmt: skip


def test_a_killed_undo_is_said_and_finished(tmp_path: Path) -> None:
    env = {**os.environ, "NEWSCLI_STATE_DIR": str(tmp_path / "state")}
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    for i in range(12):
        (feeds / f"a{i:02}.md").write_text(f"---\ntitle: A{i}\n---\n", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in feeds.glob("*.md")}
    run = [NEWSCLI, "set", "note=x", "feeds", "--all"]
    assert subprocess.run(run, cwd=tmp_path, env=env, capture_output=True).returncode == 0
    driven = [sys.executable, "-c", RENAME_DRIVER, ".md", "5", "SIGKILL", "undo"]
    killed = subprocess.run(driven, cwd=tmp_path, env=env, capture_output=True, timeout=120)
    assert killed.returncode == -9
    restored = sum(p.read_bytes() == before[p.name] for p in feeds.glob("*.md"))
    assert restored == 5
    said = _history(tmp_path, env)
    assert said.stdout.rstrip("\n").endswith(
        "(an undo stopped part way: `newscli undo` finishes it)"
    ), said.stdout
    shown = subprocess.run([NEWSCLI, "history", "--format", "json"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=60)  # fmt: skip
    assert json.loads(shown.stdout)[0]["undo_stopped"] is True
    again = subprocess.run([NEWSCLI, "undo"], cwd=tmp_path, env=env, capture_output=True,
                           text=True, timeout=60)  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert {p.name: p.read_bytes() for p in feeds.glob("*.md")} == before
    assert _history(tmp_path, env).stdout == ""


def test_an_undo_still_running_is_not_said_to_have_stopped(tmp_path: Path) -> None:
    """h124: while an undo ran (here: stopped by SIGSTOP after its 5th rename), history
    said "an undo stopped part way: `newscli undo` finishes it", and its JSON
    "undo_stopped": true; following it collided with the running undo. It is said to
    be undone by that process now (JSON "undoing"); once it ends, the batch is gone."""
    env = {**os.environ, "NEWSCLI_STATE_DIR": str(tmp_path / "state")}
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    for i in range(12):
        (feeds / f"a{i:02}.md").write_text(f"---\ntitle: A{i}\n---\n", encoding="utf-8")
    run = [NEWSCLI, "set", "note=x", "feeds", "--all"]
    assert subprocess.run(run, cwd=tmp_path, env=env, capture_output=True).returncode == 0
    driven = [sys.executable, "-c", RENAME_DRIVER, ".md", "5", "SIGSTOP", "undo"]
    undo = subprocess.Popen(driven, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        wait_stopped(undo)
        said = _history(tmp_path, env).stdout.rstrip("\n")
        assert said.endswith(f"(being undone by process {undo.pid})"), said
        assert "stopped part way" not in said
        shown = subprocess.run([NEWSCLI, "history", "--format", "json"], cwd=tmp_path,
                               env=env, capture_output=True, text=True, timeout=60)  # fmt: skip
        batch = json.loads(shown.stdout)[0]
        expected = {"undoing": undo.pid, "undo_stopped": False, "running": None}
        assert {key: batch[key] for key in expected} == expected
    finally:
        os.kill(undo.pid, signal.SIGCONT)
        assert undo.wait(timeout=60) == 0
    assert _history(tmp_path, env).stdout == ""


def test_an_older_edit_still_being_made_stops_no_undo_of_a_newer_one(tmp_path: Path) -> None:
    """As the README says (h124 found the docs said otherwise): the last edit is the one
    begun last; an older one another run is still making, in other folders, is left to
    it."""
    env = {**os.environ, "NEWSCLI_STATE_DIR": str(tmp_path / "state")}
    for folder in ("big", "small"):
        for i in range(8):
            path = tmp_path / folder / f"a{i:02}.md"
            path.parent.mkdir(exist_ok=True)
            path.write_text(f"---\ntitle: A{i}\n---\n", encoding="utf-8")
    small = {p.name: p.read_bytes() for p in (tmp_path / "small").glob("*.md")}
    driven = [sys.executable, "-c", RENAME_DRIVER, ".md", "3", "SIGSTOP", "set", "note=A",
              "big", "--all"]  # fmt: skip
    older = subprocess.Popen(driven, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        wait_stopped(older)
        newer = [NEWSCLI, "set", "note=B", "small", "--all"]
        assert subprocess.run(newer, cwd=tmp_path, env=env, capture_output=True).returncode == 0
        undo = subprocess.run([NEWSCLI, "undo"], cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=60)  # fmt: skip
        assert undo.returncode == 0, undo.stderr
        assert {p.name: p.read_bytes() for p in (tmp_path / "small").glob("*.md")} == small
    finally:
        os.kill(older.pid, signal.SIGCONT)
        assert older.wait(timeout=60) == 0
    assert all(b"note: A" in p.read_bytes() for p in (tmp_path / "big").glob("*.md"))
