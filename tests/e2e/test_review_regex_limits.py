"""`review` given a regular expression the engine refuses for more than its syntax
(h30: a traceback, the screen gone): at the start a usage error, exit 2; in the `/`
prompt the reason under it, and the review goes on. The installed command in a
pseudo-terminal."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from terminal_helpers import read_until, review_in_terminal
from test_review_filter_stop import folder_with_a_long_title


def test_at_the_start_it_is_a_usage_error(tmp_path: Path) -> None:
    folder_with_a_long_title(tmp_path)
    where = ("--where", 'title =~ "a{4294967296}"')
    with review_in_terminal(tmp_path, "feeds", "--no-cache", *where) as (proc, leader):
        said = read_until(leader, lambda seen: b"newscli: error:" in seen and b"^" in seen)
        code = proc.wait(timeout=15)
    assert code == 2, said[-2000:]
    assert (
        b"newscli: error: --where: invalid regular expression: a repetition count is too large"
        in said
    )
    assert b"Traceback" not in said


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_in_the_prompt_it_is_said_under_it_and_the_review_goes_on(tmp_path: Path) -> None:
    folder_with_a_long_title(tmp_path)
    with review_in_terminal(tmp_path, "feeds", "--no-cache") as (proc, leader):
        read_until(leader, lambda seen: b"Second story" in seen and b"to do" in seen)
        os.write(leader, b"/")
        read_until(leader, lambda seen: b"Show stories where" in seen)
        os.write(leader, b'\x15title =~ "' + b"(" * 1500 + b")" * 1500 + b'"\r')
        read_until(leader, lambda seen: b"it is nested too deeply" in seen)
        assert proc.poll() is None
        os.write(leader, b"\x1b")
        read_until(leader, lambda seen: b"cancelled" in seen, timeout=10)
        os.write(leader, b"q")
        after = read_until(leader, lambda seen: b"review: to do 2" in seen)
        code = proc.wait(timeout=15)
    assert code == 0, after[-2000:]
    assert b"Traceback" not in after
