"""The installed `newscli review` on a big folder (index.light_fork.AHEAD_FILES files) in
a real pseudo-terminal: the first screen comes from the cache, the walk checks it in a
child process; the best article deleted and another one improved since the cache saw
them: p publishes the story that is best now (never the deleted file), q quits."""

from __future__ import annotations

import os
import select
import time
from pathlib import Path

import pytest
from conftest import article_text, run_cli
from terminal_helpers import read_until, review_in_terminal

from newscli.index.light_fork import AHEAD_FILES


def _drain(fd: int, seconds: float) -> bytes:
    """What the terminal shows within ``seconds``."""
    seen, end = b"", time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        if select.select([fd], [], [], left)[0]:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
    return seen


@pytest.mark.slow
def test_a_big_folder_shown_from_the_cache_then_checked(tmp_path: Path) -> None:
    folder = tmp_path / "feeds"
    for n in range(AHEAD_FILES):
        sub = folder / f"d{n // 500:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        text = article_text(title=f"Story {n:05d}", quality=n % 50, date="2025-01-02T00:00:00Z")
        (sub / f"a{n:05d}.md").write_text(text, encoding="utf-8")
    best, better = folder / "d00" / "best.md", folder / "d03" / "a01600.md"
    best.write_text(article_text(title="Was best", quality=99), encoding="utf-8")
    assert run_cli("list", str(folder), "-q", "--limit", "1").returncode == 0  # warm
    best.unlink()
    text = better.read_text(encoding="utf-8")
    better.write_text(text.replace("quality: 0", "quality: 98"), encoding="utf-8")
    before = better.read_bytes()
    with review_in_terminal(tmp_path, "feeds") as (proc, leader):
        seen = read_until(leader, lambda seen: b"to do " in seen)
        # the cache's first row, before the check (its file name once the child has
        # brought the cache up to date)
        assert b"Was best" in seen or b"best.md" in seen
        end = time.monotonic() + 120
        while b"published 1" not in seen and time.monotonic() < end:
            os.write(leader, b"gp")  # the first row; p is refused until checked and grouped
            seen += _drain(leader, 0.5)
        assert b"checking the files" in seen  # p was refused at first
        os.write(leader, b"q")
        after = read_until(leader, lambda s: b"review: " in s)
        code = proc.wait(timeout=30)
    assert code == 0, after[-2000:]
    assert not best.exists()
    assert better.read_bytes() == before.replace(b"published: false", b"published: true")
