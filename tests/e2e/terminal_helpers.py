"""The installed `newscli review` in a real 80x24 pseudo-terminal, for the e2e tests."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import struct
import subprocess
import termios
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from conftest import installed_command


@contextlib.contextmanager
def review_in_terminal(
    cwd: Path, *args: str, command: Sequence[str] = ()
) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """(the process, the terminal's leader descriptor); killed if still running after.
    ``command``: what runs instead of the installed command (then given "review", args)."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    proc = subprocess.Popen(
        [*(command or [str(installed_command())]), "review", *args],
        cwd=cwd,
        stdin=follower,
        stdout=follower,
        stderr=follower,  # Textual draws on stderr
        env={**os.environ, "TERM": "xterm-256color"},
        start_new_session=True,
    )
    os.close(follower)
    try:
        yield proc, leader
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(leader)


def read_until(fd: int, test: Callable[[bytes], bool], timeout: float = 30.0) -> bytes:
    """What the terminal showed once ``test`` holds of it (the app never blocks on it);
    an assertion error naming the screen if it never does."""
    seen, end = b"", time.monotonic() + timeout
    while time.monotonic() < end and not test(seen):
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:  # the command has ended: the terminal is closed
                break
    assert test(seen), f"timed out; the terminal showed {seen[-2000:]!r}"
    return seen
