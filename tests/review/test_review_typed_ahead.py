"""Keys read together act in the order typed, whatever moment the next read comes at
(ReviewApp._typed): Textual hands a key to the focused widget and runs the bindings
once it has come back up, handing the next keys on meanwhile, so a key handed to the
queue just before the prompt that t opened had the focus, and coming back up once it
had, was lost (a second read a few milliseconds after the first: h23 lost "orts, Clim"
of "t, Sp" "orts, Clim" "ate" in a pty). Here each key as read (Textual's pilot waits
after each key: posted to the app, as the terminal's reads are) after the one that
opens the prompt, at each moment the app's loop may be at."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from review_helpers import corpus, make_queue
from textual import events

from newscli.review.app import ReviewApp
from newscli.review.widgets import Prompt


def _typed(app: ReviewApp, keys: str) -> None:
    """Keys as a terminal read brings them: all in the app's queue at once."""
    for key in keys:
        app.post_message(events.Key(key, key))


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_keys_read_just_after_the_one_that_opens_a_prompt_go_into_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asyncio.run(_after_the_opening_key(tmp_path, monkeypatch))


async def _after_the_opening_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus(tmp_path, fillers=2)
    monkeypatch.chdir(tmp_path)
    app = ReviewApp(make_queue(["feeds"]))
    async with app.run_test(size=(100, 30)) as pilot:
        prompt = app.query_one(Prompt)
        lost = []
        for turns in range(8):  # the moments between two reads, in the app's loop
            _typed(app, "t")
            for _ in range(turns):
                await asyncio.sleep(0)
            _typed(app, "xy")
            await pilot.pause()
            if app.asking != "topics" or not prompt.value.endswith("xy"):
                lost.append((turns, app.asking, prompt.value))
            await pilot.press("escape")
            assert app.asking is None
        assert lost == []
