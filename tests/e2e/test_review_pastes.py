"""Pastes in the installed `newscli review`, in a real pseudo-terminal (h30): a paste
whose end marker never comes no longer makes the review deaf (a Ctrl-C alone ends the
paste, and quits); a paste into the prefilled topics prompt is a topic of its own, not
glued to the last one; an ESC at the end of a paste is dropped, not shown as U+FFFD."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from conftest import article_text
from terminal_helpers import read_until, review_in_terminal


def _one_story(tmp_path: Path) -> Path:
    folder = tmp_path / "feeds"
    folder.mkdir()
    story = folder / "one.md"
    story.write_text(article_text(title="Story one"), encoding="utf-8")
    return story


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_ctrl_c_ends_a_paste_that_never_ended_and_quits(tmp_path: Path) -> None:
    story = _one_story(tmp_path)
    before = story.read_bytes()
    with review_in_terminal(tmp_path, "feeds", "--no-cache") as (proc, leader):
        read_until(leader, lambda seen: b"Story one" in seen and b"to do" in seen)
        os.write(leader, b"\x1b[200~p q")  # no end marker: all that follows was pasted
        time.sleep(1.0)
        os.write(leader, b"\x03")
        after = read_until(leader, lambda seen: b"newscli: error: interrupted" in seen)
        code = proc.wait(timeout=15)
    assert code == 130, after[-2000:]
    assert story.read_bytes() == before  # the pasted p published nothing


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_a_paste_into_the_topics_prompt_is_a_topic_of_its_own(tmp_path: Path) -> None:
    story = _one_story(tmp_path)
    before = story.read_bytes()
    with review_in_terminal(tmp_path, "feeds", "--no-cache") as (proc, leader):
        read_until(leader, lambda seen: b"Story one" in seen and b"to do" in seen)
        os.write(leader, b"t")
        read_until(leader, lambda seen: b"comma-separated" in seen)
        os.write(leader, b"\x1b[200~Space\x1b[201~")  # the prompt holds "AI", cursor at end
        read_until(leader, lambda seen: b"AI, Space" in seen, timeout=10)
        os.write(leader, b"\x1b[200~Moon\x1b\x1b[201~")  # an ESC at the end of the paste
        seen = read_until(leader, lambda seen: b"Space, Moon" in seen, timeout=10)
        os.write(leader, b"\r")
        read_until(leader, lambda seen: b"topics" in seen and b"Moon" in seen, timeout=10)
        os.write(leader, b"q")
        read_until(leader, lambda seen: b"review: " in seen)
        assert proc.wait(timeout=30) == 0
    assert "\ufffd".encode() not in seen
    assert story.read_bytes() == before.replace(b"[AI]", b"[AI, Space, Moon]")
