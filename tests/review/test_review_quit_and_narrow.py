"""Ctrl-C quits the review app (return code 130, even from a prompt: the command then
exits 130, tests/e2e/test_review_interrupt.py); a small terminal still shows every
title and the detail pane; the invalid files are counted in words."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from review_helpers import corpus, make_queue

from newscli.review.app import INTERRUPTED, ReviewApp, screen_text
from newscli.review.queue import Queue


def test_ctrl_c_quits_with_130_from_the_list_and_from_a_prompt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus(tmp_path, fillers=2)
    monkeypatch.chdir(tmp_path)
    queue = make_queue(["feeds"])
    for keys in (["ctrl+c"], ["t", "shift+home", "ctrl+c"]):  # text selected: not a copy
        app = ReviewApp(queue)
        asyncio.run(_press(app, keys))
        assert app.return_code == INTERRUPTED == 130


async def _press(app: ReviewApp, keys: list[str]) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*keys)
        await pilot.pause()
        assert not app.is_running  # it has quit (no "press ctrl+q" notice)


def test_a_small_terminal_shows_every_title_and_the_detail_pane(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus(tmp_path, fillers=2)
    monkeypatch.chdir(tmp_path)
    asyncio.run(_small(make_queue(["feeds"])))


async def _small(queue: Queue) -> None:
    app = ReviewApp(queue)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        lines = screen_text(app).splitlines()
        assert lines[0].split() == ["Q", "Story", "Title"]  # the date and provider left out
        for line, title in zip(lines[1:], ("Alpha story", "Beta", "Gamma"), strict=False):
            assert line.rstrip().endswith(title)
        # the detail pane under the queue: the current article's title again
        assert sum("Alpha story" in line for line in lines) == 2


def test_the_invalid_files_are_counted_in_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus(tmp_path, fillers=2)  # one invalid file
    monkeypatch.chdir(tmp_path)
    asyncio.run(_invalid(make_queue(["feeds"])))


async def _invalid(queue: Queue) -> None:
    app = ReviewApp(queue)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        screen = screen_text(app)
        assert "1 invalid file, skipped" in screen and "feeds/bad.md" in screen
