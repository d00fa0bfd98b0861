"""The installed `newscli review` in a real pseudo-terminal, whose selection is slow to
make (a backtracking --match): the terminal says what is going on (h31: it stayed
blank), SIGINT stops it (130), and the line is erased once the screen comes."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest
from conftest import article_text
from terminal_helpers import read_until, review_in_terminal

HINT = b"newscli: review: selecting the stories"


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_a_slow_selection_says_so_and_sigint_stops_it(tmp_path: Path) -> None:
    folder = tmp_path / "feeds"
    folder.mkdir()
    (folder / "a.md").write_text(article_text(title="a" * 40 + "!"), encoding="utf-8")
    args = ("feeds", "--no-cache", "--match", "^(a|aa)+$")  # 2**40 ways to fail
    with review_in_terminal(tmp_path, *args) as (proc, leader):
        seen = read_until(leader, lambda seen: HINT in seen)
        assert b"Ctrl-C stops" in seen
        time.sleep(1.0)
        assert proc.poll() is None  # still matching (the line came before, not after)
        proc.send_signal(signal.SIGINT)
        after = read_until(leader, lambda s: b"interrupted" in s)
        code = proc.wait(timeout=30)
    assert code == 130, (seen + after)[-2000:]


def test_the_line_is_erased_before_the_screen(tmp_path: Path) -> None:
    folder = tmp_path / "feeds"
    folder.mkdir()
    (folder / "a.md").write_text(article_text(title="Quick story"), encoding="utf-8")
    with review_in_terminal(tmp_path, "feeds", "--no-cache") as (proc, leader):
        seen = read_until(leader, lambda seen: b"Quick story" in seen)
        at = seen.index(HINT)
        assert seen.index(b"\r\x1b[K", at) < seen.index(b"\x1b[?1049h")  # erased, then screen
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
