"""The installed `newscli review` in a pseudo-terminal, given a `/` filter whose regular
expression backtracks without end on a title (h29: the screen froze at a full core and
neither Ctrl-C nor SIGTERM ended it; only SIGKILL did). Ctrl-C now stops the filter
(the screen goes on, every story still shown); SIGTERM stops it and leaves with 143."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pytest
from conftest import article_text, installed_command
from terminal_helpers import read_until, review_in_terminal

ENDLESS = b'title =~ "^(a+)+$"'  # 2^40 ways to fail on the title below
# The terminal made the command's controlling one, as a user's is (Ctrl-C sends SIGINT
# only to the foreground of the terminal that controls it; the harness's has none).
CONTROLLED = (
    sys.executable,
    "-c",
    "import fcntl, os, sys, termios; fcntl.ioctl(0, termios.TIOCSCTTY, 0); "
    "os.execv(sys.argv[1], sys.argv[1:])",
)


def folder_with_a_long_title(tmp_path: Path) -> None:
    folder = tmp_path / "feeds"
    folder.mkdir()
    (folder / "a.md").write_text(article_text(title="a" * 40 + "!"), encoding="utf-8")
    (folder / "b.md").write_text(
        article_text(title="Second story", date="2025-01-02T00:00:00Z"), encoding="utf-8"
    )


def filter_started(proc_pid: int, leader: int) -> None:
    """Type the filter; return once it runs (the hint on the screen, a full core)."""
    read_until(leader, lambda seen: b"Second story" in seen and b"to do" in seen)
    os.write(leader, b"/")
    read_until(leader, lambda seen: b"Show stories where" in seen)
    os.write(leader, b"\x15" + ENDLESS + b"\r")  # (Ctrl-U: the prompt's text cleared)
    read_until(leader, lambda seen: "filtering… Ctrl-C stops it".encode() in seen)
    time.sleep(1.0)  # well inside the match (it would take hours)
    with open(f"/proc/{proc_pid}/stat", encoding="ascii") as stat:
        assert stat.read().rsplit(")", 1)[1].split()[0] == "R"  # running, not waiting


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_ctrl_c_stops_an_endless_filter_and_the_review_goes_on(tmp_path: Path) -> None:
    folder_with_a_long_title(tmp_path)
    command = (*CONTROLLED, str(installed_command()))
    with review_in_terminal(tmp_path, "feeds", "--no-cache", command=command) as (proc, leader):
        filter_started(proc.pid, leader)
        os.write(leader, b"\x03")
        read_until(leader, lambda seen: b"stopped (Ctrl-C)" in seen, timeout=10)
        assert proc.poll() is None  # still reviewing
        os.write(leader, b"\x1b")  # Esc: the prompt closed; both stories still there
        time.sleep(0.5)  # (an Esc followed at once by a key is Alt and that key)
        os.write(leader, b"s")  # skip: a key the queue takes, so the loop runs again
        read_until(leader, lambda seen: b"skipped 1" in seen, timeout=10)
        os.write(leader, b"\x03")  # Ctrl-C is a key again, which quits (raw terminal)
        after = read_until(leader, lambda seen: b"newscli: error: interrupted" in seen)
        code = proc.wait(timeout=15)
    assert code == 130, after[-2000:]
    assert b"review: to do 1, published 0, rejected 0, skipped 1" in after


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_sigterm_ends_a_review_held_by_an_endless_filter(tmp_path: Path) -> None:
    folder_with_a_long_title(tmp_path)
    with review_in_terminal(tmp_path, "feeds", "--no-cache") as (proc, leader):
        filter_started(proc.pid, leader)
        proc.send_signal(signal.SIGTERM)
        after = read_until(leader, lambda seen: b"newscli: error: terminated" in seen)
        code = proc.wait(timeout=15)
    assert code == 143, after[-2000:]
    assert b"\x1b[?1049l" in after  # the terminal given back
