"""The review app's / prompt shows a --where error's caret under the offending
character as shown, as the command line does (sanitize.shown_at): after a wide
character (two cells)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from review_helpers import corpus, make_queue
from rich.cells import cell_len

from newscli.review.app import ReviewApp, screen_text


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_the_prompts_caret_counts_cells(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    asyncio.run(_caret(tmp_path, monkeypatch))


async def _caret(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus(tmp_path)
    monkeypatch.chdir(tmp_path)
    app = ReviewApp(make_queue(["feeds"]), opener=lambda url: None)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(400):  # the stories grouped: the prompt narrows at once
            if app.queue.grouped:
                break
            await pilot.pause(0.05)
        for typed, shown in [("中文", "中文"), ("a中", "a中")]:  # (pilot types no accent)
            await pilot.press("slash", "ctrl+u", *f'title == "{typed}" and )', "enter")
            lines = screen_text(app).splitlines()
            shown_lines = [x for x in lines if f'title == "{shown}" and )' in x]
            assert shown_lines, lines
            line = shown_lines[0]
            caret = lines[lines.index(line) + 1]
            assert caret.strip() == "^", lines
            assert cell_len(caret[: caret.index("^")]) == cell_len(line[: line.index(")")])
            await pilot.press("escape")
