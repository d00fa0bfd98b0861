"""A prompt (t, e, r) acts on the article it was opened for, even when the stories are
grouped while it is open (the rows become stories and the cursor moves); r waits for
the stories; t starts with the cursor after the current topics, nothing selected."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import pytest
from review_helpers import NOW, changed_lines, corpus, files, make_queue

from newscli.cli.options import SHARED, build_query
from newscli.review.app import ReviewApp, screen_text
from newscli.review.start import Stories, open_queue
from newscli.review.widgets import QueueList

# One row per article until the stories are grouped: a2 (row 2) then joins a's story.
A2_ROW, F00_ROW = 2, 4


class _Gate:
    """Stories grouped only once the test opens the gate, leaving out ``drop``'s."""

    def __init__(self, stories: Stories, drop: str | None = None):
        self.stories, self.drop = stories, drop
        self.open = threading.Event()

    def group(self) -> object:
        assert self.open.wait(30)
        stories, everything, stamps = self.stories.group()
        kept = [s for s in stories if self.drop not in (a.path for a in (s[0], *s[1]))]
        return kept, everything, stamps


def _ungrouped(drop: str | None = None) -> tuple[ReviewApp, _Gate]:
    values = {name: default for name, _, default in SHARED}
    values.update(now=NOW, no_cache=True)
    queue, stories = open_queue(["feeds"], build_query(values)[0], strict=False, wait=0)
    assert not queue.grouped
    gate = _Gate(stories, drop)
    return ReviewApp(queue, stories=gate), gate  # type: ignore[arg-type]


async def _grouped_meanwhile(app: ReviewApp, gate: _Gate, pilot: Any) -> None:
    gate.open.set()
    for _ in range(300):
        if app.queue.grouped:
            return
        await pilot.pause(0.02)
    raise AssertionError("the stories were never applied")


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_a_prompt_acts_on_its_article_after_the_stories_are_grouped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asyncio.run(_regrouped(tmp_path, monkeypatch))


async def _regrouped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = corpus(tmp_path, fillers=2)
    monkeypatch.chdir(tmp_path)
    before = files(folder)
    edits = (
        ("t", "AI, Robots", [b"topics: [AI]\n"], [b"topics: [AI, Robots]\n"]),
        ("e", "quality=71", [b"quality: 70\n"], [b"quality: 71\n"]),
    )
    for key, typed, old, new in edits:
        app, gate = _ungrouped()
        async with app.run_test(size=(100, 30)) as pilot:
            rows = app.query_one(QueueList)
            await pilot.press(*"j" * A2_ROW, key)  # on a2 ("Alpha again"), its own row
            assert rows.current is not None and rows.current.kept.title == "Alpha again"
            await _grouped_meanwhile(app, gate, pilot)
            # the prompt still open; the cursor on a2's story, whose kept article is a
            assert rows.current is not None and rows.current.kept.title == "Alpha story"
            await pilot.press("ctrl+u", *typed, "enter")
            assert changed_lines(before["a2.md"], (folder / "a2.md").read_bytes()) == (old, new)
            assert files(folder)["a.md"] == before["a.md"]  # not the article now shown
            await pilot.press("u")
            assert files(folder) == before

    # its story left the queue meanwhile: refused, nothing changed
    app, gate = _ungrouped(drop="feeds/f00.md")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*"j" * F00_ROW, "t")  # on Filler 00
        await _grouped_meanwhile(app, gate, pilot)
        await pilot.press(*", Robots", "enter")
        assert "feeds/f00.md is no longer in the queue; nothing changed" in screen_text(app)
        assert files(folder) == before

    # r decides a whole story: it waits for the stories, its prompt does not open
    app, gate = _ungrouped()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("r")
        assert "press the key again when they are grouped" in screen_text(app)
        assert app.asking is None and not app.query_one("#promptbox").has_class("open")
        await _grouped_meanwhile(app, gate, pilot)
        await pilot.press("r", *"dup", "enter")  # now it asks, and rejects a's story
        assert b"rejected: true\n" in (folder / "a2.md").read_bytes()
        assert b"rejected: true\n" in (folder / "a.md").read_bytes()


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_topics_start_with_the_cursor_after_the_current_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asyncio.run(_topics_appended(tmp_path, monkeypatch))


async def _topics_appended(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = corpus(tmp_path, fillers=2)
    monkeypatch.chdir(tmp_path)
    before = files(folder)
    app = ReviewApp(make_queue(["feeds"]))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("j", "j", "t")  # Gamma: topics AI, Climate
        prompt = app.query_one("#prompt")
        assert prompt.value == "AI, Climate"  # type: ignore[attr-defined]
        assert prompt.selection.is_empty  # type: ignore[attr-defined]
        assert prompt.cursor_position == len("AI, Climate")  # type: ignore[attr-defined]
        await pilot.press(*",NewTopic", "enter")
        assert changed_lines(before["c.md"], (folder / "c.md").read_bytes()) == (
            [b"topics: [AI, Climate]\n"],
            [b"topics: [AI, Climate, NewTopic]\n"],
        )
