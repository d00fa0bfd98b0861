"""The installed `newscli review` in a real pseudo-terminal: p publishes, q quits; and
without a terminal, a clear error and exit 2."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import termios
import time
from collections.abc import Callable
from pathlib import Path

from conftest import article_text, installed_command, run_cli


def _drain(fd: int, seconds: float) -> bytes:
    """What the terminal shows within ``seconds`` (the app must never block on it)."""
    chunks, end = [], time.monotonic() + seconds
    while time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                chunks.append(os.read(fd, 65536))
            except OSError:
                break
    return b"".join(chunks)


def _until(fd: int, test: Callable[[bytes], bool], timeout: float = 30.0) -> bytes:
    seen = b""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        seen += _drain(fd, 0.1)
        if test(seen):
            return seen
    raise AssertionError(f"timed out; the terminal showed {seen[-2000:]!r}")


def test_review_in_a_pseudo_terminal_publishes_then_quits(tmp_path: Path) -> None:
    folder = tmp_path / "feeds"
    folder.mkdir()
    target = folder / "story.md"
    target.write_text(article_text(title="Terminal story", quality=90), encoding="utf-8")
    before = target.read_bytes()
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    proc = subprocess.Popen(
        [str(installed_command()), "review", "feeds", "--no-cache"],
        cwd=tmp_path,
        stdin=follower,
        stdout=follower,
        stderr=follower,  # Textual draws on stderr
        env={**os.environ, "TERM": "xterm-256color"},
        start_new_session=True,
    )
    os.close(follower)
    try:
        _until(leader, lambda seen: b"Terminal story" in seen and b"to do" in seen)
        os.write(leader, b"p")
        _until(leader, lambda seen: b"published 1" in seen)
        os.write(leader, b"q")
        after = _until(leader, lambda seen: b"review: " in seen and b"skipped 0" in seen)
        code = proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(leader)
    assert code == 0, after[-2000:]
    assert target.read_bytes() == before.replace(b"published: false", b"published: true")
    assert b"review: to do 0, published 1, rejected 0, skipped 0" in after


def test_review_without_a_terminal_exits_2(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(article_text(), encoding="utf-8")
    result = run_cli("review", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.startswith("newscli: error: review needs a terminal")
    assert result.stdout == ""
