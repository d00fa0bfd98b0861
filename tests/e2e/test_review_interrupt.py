"""The installed `newscli review` in a real pseudo-terminal: Ctrl-C (a key, the terminal
being raw) and an outside SIGINT both quit with the session's summary and exit 130,
the terminal given back (the alternate screen left); an invalid file is counted in
words ("1 invalid file")."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import termios
import time
from pathlib import Path

import pytest
from conftest import article_text, installed_command


def _until(fd: int, wanted: bytes, timeout: float = 30.0) -> bytes:
    seen, end = b"", time.monotonic() + timeout
    while time.monotonic() < end and wanted not in seen:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:  # the command has ended: the terminal is closed
                break
    assert wanted in seen, f"{wanted!r} never shown; the terminal showed {seen[-2000:]!r}"
    return seen


@pytest.mark.parametrize("how", ["ctrl-c", "sigint"])
def test_ctrl_c_and_sigint_quit_with_the_summary_and_130(tmp_path: Path, how: str) -> None:
    folder = tmp_path / "feeds"
    folder.mkdir()
    (folder / "story.md").write_text(article_text(title="Terminal story"), encoding="utf-8")
    (folder / "bad.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    proc = subprocess.Popen(
        [str(installed_command()), "review", "feeds", "--no-cache"],
        cwd=tmp_path,
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env={**os.environ, "TERM": "xterm-256color"},
        start_new_session=True,
    )
    os.close(follower)
    try:
        _until(leader, b"Terminal story")
        if how == "ctrl-c":
            os.write(leader, b"\x03")
        else:
            proc.send_signal(signal.SIGINT)
        after = _until(leader, b"newscli: error: interrupted")
        code = proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(leader)
    assert code == 130, after[-2000:]
    assert b"\x1b[?1049l" in after  # the alternate screen left: the terminal restored
    summary = b"review: to do 1, published 0, rejected 0, skipped 0; 1 invalid file skipped"
    assert summary in after
    assert after.index(summary) < after.index(b"newscli: error: interrupted")
