"""The installed `newscli review` in a real pseudo-terminal: Ctrl-C (a key, the terminal
being raw) and an outside SIGINT both quit with the session's summary and exit 130,
the terminal given back (the alternate screen left); an invalid file is counted in
words ("1 invalid file")."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import article_text, installed_command
from terminal_helpers import read_until, review_in_terminal


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize("how", ["ctrl-c", "sigint"])
def test_ctrl_c_and_sigint_quit_with_the_summary_and_130(tmp_path: Path, how: str) -> None:
    folder = tmp_path / "feeds"
    folder.mkdir()
    (folder / "story.md").write_text(article_text(title="Terminal story"), encoding="utf-8")
    (folder / "bad.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    with review_in_terminal(tmp_path, "feeds", "--no-cache") as (proc, leader):
        read_until(leader, lambda seen: b"Terminal story" in seen)
        if how == "ctrl-c":
            os.write(leader, b"\x03")
        else:
            proc.send_signal(signal.SIGINT)
        after = read_until(leader, lambda seen: b"newscli: error: interrupted" in seen)
        code = proc.wait(timeout=30)
    assert code == 130, after[-2000:]
    assert b"\x1b[?1049l" in after  # the alternate screen left: the terminal restored
    summary = b"review: to do 1, published 0, rejected 0, skipped 0; 1 invalid file skipped"
    assert summary in after
    assert after.index(summary) < after.index(b"newscli: error: interrupted")


def _wait_for_handlers(pid: int) -> None:
    """Until the process catches SIGTERM (newscli's handler: Python's own start
    catches SIGINT only), read from /proc/PID/status."""
    end = time.monotonic() + 30
    while time.monotonic() < end:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            caught = next(line for line in status if line.startswith("SigCgt:"))
        if int(caught.split()[1], 16) & (1 << (signal.SIGTERM - 1)):
            return
        time.sleep(0.002)
    raise AssertionError("newscli never set its signal handlers")


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_while_the_app_starts_quits_too(tmp_path: Path, signum: int, code: int) -> None:
    """SIGINT or SIGTERM at any moment of the start, before the app can hand it to its
    loop (raised inside Textual's start, the process could hang after printing
    "interrupted"/"terminated", or exit 1): kept, then acted on; 130 or 143 every time."""
    folder = tmp_path / "feeds"
    folder.mkdir()
    (folder / "story.md").write_text(article_text(title="Terminal story"), encoding="utf-8")
    codes: list[int | None] = []
    failures = []  # (delay, return code, what the terminal showed last)
    for delay in (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7):
        with review_in_terminal(tmp_path, "feeds", "--no-cache") as (proc, leader):
            # From when newscli's handlers are set (a signal during Python's own start,
            # before any of newscli runs, is Python's: a loaded machine put 0.1 s there).
            _wait_for_handlers(proc.pid)
            seen, end = b"", time.monotonic() + delay
            while time.monotonic() < end:  # (the terminal is read, as a real one is)
                ready, _, _ = select.select([leader], [], [], 0.01)
                if ready:
                    seen += os.read(leader, 65536)
            proc.send_signal(signum)
            try:
                codes.append(proc.wait(timeout=30))  # (a loaded machine: 10 s was close)
            except subprocess.TimeoutExpired:
                codes.append(None)  # hung (killed on leaving the block)
            with contextlib.suppress(OSError):
                while select.select([leader], [], [], 0)[0]:
                    read = os.read(leader, 65536)
                    if not read:
                        break
                    seen += read
            if codes[-1] != code:
                failures.append((delay, codes[-1], seen[-600:]))
    assert not failures, failures


# Run as the installed command's Python: a SIGINT whose KeyboardInterrupt is raised inside
# a weakref callback (as can happen while modules are imported), where Python prints it
# and goes on, just before the review starts.
_LOST_INTERRUPT = """
import os, signal, sys, time, weakref
from newscli.cli import review_commands

loaded = review_commands.start_queue

def start_queue(*args, **kwargs):
    found = loaded(*args, **kwargs)
    class Gone:
        pass
    gone = Gone()
    lose = int(os.environ["LOSE"])
    ref = weakref.ref(gone, lambda _: (os.kill(os.getpid(), lose), time.sleep(5)))
    del gone
    return found

review_commands.start_queue = start_queue
sys.argv[0] = "newscli"
from newscli.cli import main
main()
"""


@pytest.mark.parametrize(
    ("signum", "code", "said"),
    [(signal.SIGINT, 130, b"interrupted"), (signal.SIGTERM, 143, b"terminated")],
)
def test_a_signal_whose_exception_python_lost_still_quits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, signum: int, code: int, said: bytes
) -> None:
    """The exception SIGINT's (SIGTERM's) handler raises, lost inside a weakref callback
    (Python would print "Exception ignored" and a traceback, and go on): the run still
    quits with 130 (143) instead of waiting at the review screen (1 in ~250 early
    Ctrl-Cs did), and no traceback is shown."""
    monkeypatch.setenv("LOSE", str(int(signum)))
    folder = tmp_path / "feeds"
    folder.mkdir()
    (folder / "story.md").write_text(article_text(title="Terminal story"), encoding="utf-8")
    python = installed_command().parent / "python"
    with review_in_terminal(
        tmp_path, "feeds", "--no-cache", command=[str(python), "-c", _LOST_INTERRUPT]
    ) as (proc, leader):
        after = read_until(leader, lambda seen: b"newscli: error: " + said in seen)
        returned = proc.wait(timeout=30)
    assert b"Exception ignored" not in after and b"Traceback" not in after  # lost quietly
    assert returned == code, after[-2000:]
    # Raised again at the run's next step, before the screen starts: said once, as an
    # early Ctrl-C is (no review ran, so no counts).
    assert after.count(b"newscli: error: ") == 1, after[-2000:]
    assert b"review: to do" not in after


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_two_signals_in_a_row_leave_with_the_first_ones_code(tmp_path: Path) -> None:
    """h123 LOW: SIGTERM then SIGINT at once left with 130, the last one's code; a cron
    wrapper that sent SIGTERM was told of a Ctrl-C. The first signal's code holds."""
    folder = tmp_path / "feeds"
    folder.mkdir()
    (folder / "story.md").write_text(article_text(title="Terminal story"), encoding="utf-8")
    with review_in_terminal(tmp_path, "feeds", "--no-cache") as (proc, leader):
        read_until(leader, lambda seen: b"Terminal story" in seen)
        proc.send_signal(signal.SIGTERM)
        time.sleep(0.02)  # (both pending at once, Python runs SIGINT's handler first)
        proc.send_signal(signal.SIGINT)
        after = read_until(leader, lambda seen: b"newscli: error: " in seen)
        code = proc.wait(timeout=30)
    assert code == 143, after[-2000:]
    assert b"newscli: error: terminated" in after and b"interrupted" not in after
