"""h116 MED: a SIGTERM (or SIGINT) while `review` published a story of many files did
not stop the decision: every file of the story was still published, most of them
after the signal. The decision now stops between two files: those done stay done,
journaled (`newscli undo` reverts them), the rest untouched, and the run says how far
it got. Through the installed command in a pseudo-terminal, with a real signal sent
once the first file is published."""

from __future__ import annotations

import json
import os
import re
import select
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import installed_command
from terminal_helpers import read_until, review_in_terminal

COUNT = 400
FILE = """---
title: "Regulators approve giant merger of two rail operators"
webUrl: "https://same.example/story"
publishedDateTime: 2025-03-10T10:00:00Z
quality: 60
provider:
  name: Outlet {n}
  domain: o{n}.example
published: false
---
"""


def _story(tmp_path: Path) -> tuple[Path, dict[Path, bytes]]:
    """A folder of one story of COUNT files, and each file's bytes."""
    folder = tmp_path / "big"
    folder.mkdir()
    originals = {}
    for n in range(COUNT):
        path = folder / f"a{n:03d}.md"
        path.write_text(FILE.format(n=n % 7), encoding="utf-8")
        originals[path] = path.read_bytes()
    return folder, originals


def _read_while(leader: int, busy: Callable[[], bool]) -> None:
    """Read what the terminal shows (never waiting for it: the app's loop is busy)
    while ``busy`` holds, for 60 s at most."""
    end = time.monotonic() + 60
    while busy() and time.monotonic() < end:
        ready, _, _ = select.select([leader], [], [], 0.002)
        if ready:
            os.read(leader, 65536)


def _newscli(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """The installed command, run to its end (no terminal)."""
    return subprocess.run(
        [str(installed_command()), *args], cwd=cwd, env=env, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip


def _published(folder: Path) -> int:
    return sum(b"published: true" in p.read_bytes() for p in folder.glob("*.md"))


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_stops_a_story_decision_between_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, signum: int, code: int
) -> None:
    folder, originals = _story(tmp_path)
    monkeypatch.setenv("NEWSCLI_STATE_DIR", str(tmp_path / "state"))  # (review_in_terminal
    # runs with this process's environment)
    env = dict(os.environ)
    with review_in_terminal(tmp_path, "big", "--no-cache") as (proc, leader):
        read_until(leader, lambda seen: b"to do" in seen)
        os.write(leader, b"p")
        _read_while(leader, lambda: _published(folder) == 0)
        proc.send_signal(signum)
        seen = read_until(leader, lambda s: b"interrupted: publish changed" in s)
        assert proc.wait(timeout=30) == code
    done = _published(folder)
    said = re.search(rb"interrupted: publish changed (\d+) files? of 400", seen)
    assert said and int(said.group(1)) == done, seen[-2000:]
    assert 0 < done < COUNT  # stopped between two files, well before the end
    for path, old in originals.items():  # each file whole: old, or published
        assert path.read_bytes() in (old, old.replace(b"published: false", b"published: true"))
    history = _newscli(tmp_path, env, "history", "--format", "json")
    (batch,) = json.loads(history.stdout)
    assert (batch["files"], batch["complete"]) == (done, False), history.stdout  # (h123:
    # marked interrupted, as an edit command's batch is)
    undo = _newscli(tmp_path, env, "undo")
    assert undo.returncode == 0, undo.stderr
    assert {p: p.read_bytes() for p in originals} == originals


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_a_signal_stops_the_session_undo_between_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """h121 MED: the same during `u` (the session's undo of a story's decision): it went
    on restoring hundreds of files after the signal, was then ended by the 3-second
    watchdog (the terminal not restored, nothing said, a cut temporary file left), and
    history did not mark the undo as stopped."""
    folder, originals = _story(tmp_path)
    monkeypatch.setenv("NEWSCLI_STATE_DIR", str(tmp_path / "state"))
    env = dict(os.environ)
    with review_in_terminal(tmp_path, "big", "--no-cache") as (proc, leader):
        read_until(leader, lambda seen: b"to do" in seen)
        os.write(leader, b"p")
        read_until(leader, lambda seen: b"400 files changed" in seen, timeout=60)
        os.write(leader, b"u")
        _read_while(leader, lambda: _published(folder) == COUNT)
        proc.send_signal(signal.SIGTERM)
        seen = read_until(leader, lambda s: b"`newscli undo` again finishes it" in s)
        assert proc.wait(timeout=30) == 143
    assert b"\x1b[?1049l" in seen  # the terminal given back
    said = re.search(rb"interrupted: undo restored (\d+) files? of 400", seen)
    assert said and int(said.group(1)) == COUNT - _published(folder), seen[-2000:]
    assert 0 < int(said.group(1)) < COUNT
    assert not list(folder.glob(".newscli-*.tmp"))  # no temporary file left
    again = _newscli(tmp_path, env, "undo")
    assert again.returncode == 0, again.stderr
    assert {p: p.read_bytes() for p in originals} == originals
