"""The review app driven by Textual's pilot: each key, the screen, and the bytes on disk."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from conftest import run_cli
from review_helpers import changed_lines, corpus, files, make_queue

from newscli.review.app import ReviewApp, screen_text
from newscli.review.widgets import QueueList


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_decisions_write_one_line_diffs_and_undo_restores_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asyncio.run(_decisions(tmp_path, monkeypatch))


async def _decisions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = corpus(tmp_path, fillers=2)
    monkeypatch.chdir(tmp_path)
    before = files(folder)
    app = ReviewApp(make_queue(["feeds"]))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = screen_text(app)
        assert "Alpha story" in screen and "◆2/2" in screen  # a story, two outlets
        assert "to do 5" in screen and "1 invalid (i)" in screen

        await pilot.press("p")  # publish the whole story: a.md and a2.md
        for name in ("a.md", "a2.md"):
            assert changed_lines(before[name], (folder / name).read_bytes()) == (
                [b"published: false\n"],
                [b"published: true\n"],
            )
        assert files(folder)["b.md"] == before["b.md"]
        assert app.query_one(QueueList).cursor == 1  # on to the next story to do
        screen = screen_text(app)
        assert "published 1" in screen and "✓" in screen and "publish: 2 files changed" in screen

        await pilot.press("u")  # undo: the exact old bytes
        assert files(folder) == before
        assert "published 0" in screen_text(app)
        assert app.query_one(QueueList).cursor == 0

        await pilot.press("s")  # skip: nothing written
        assert "skipped 1" in screen_text(app) and files(folder) == before
        await pilot.press("u")
        assert "skipped 0" in screen_text(app)

        await pilot.press("e", "ctrl+u", *"quality=500", "enter")  # refused: nothing changes
        assert "500 is outside 0-100" in screen_text(app) and files(folder) == before

        # Changed on disk by someone else: reloaded and shown, not edited.
        await pilot.press("j")
        other = before["b.md"].replace(b"quality: 80", b"quality: 81")
        (folder / "b.md").write_bytes(other + b"\n")
        await pilot.press("p")
        screen = screen_text(app)
        assert "changed on disk: reloaded" in screen and re.search(r"Quality +81", screen)
        assert (folder / "b.md").read_bytes() == other + b"\n"
        await pilot.press("p")  # the version now shown
        assert b"published: true\n" in (folder / "b.md").read_bytes()

        await pilot.press("g", "r", *"dup wire", "enter")  # reject the story, with a reason
        for name in ("a.md", "a2.md"):
            assert changed_lines(before[name], (folder / name).read_bytes()) == (
                [],
                [b"rejected: true\n", b"rejectedReason: dup wire\n"],
            )
        assert "rejected 1" in screen_text(app)
        await pilot.press("q")
    assert app.return_code == 0

    # The app's edits are journaled: `newscli undo` reverts the last one (the reject).
    undone = run_cli("undo", cwd=tmp_path)
    assert undone.returncode == 0, undone.stderr
    assert "of `newscli reject --reason 'dup wire' " in undone.stderr  # (h49: runnable)
    assert (folder / "a.md").read_bytes() == before["a.md"]
    assert (folder / "a2.md").read_bytes() == before["a2.md"]


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_moving_prompts_narrowing_open_help_and_invalid_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asyncio.run(_moving_and_prompts(tmp_path, monkeypatch))


async def _moving_and_prompts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = corpus(tmp_path, fillers=30)
    monkeypatch.chdir(tmp_path)
    before = files(folder)
    opened: list[str] = []
    app = ReviewApp(make_queue(["feeds"]), opener=opened.append)  # no real browser
    async with app.run_test(size=(80, 24)) as pilot:
        queue = app.query_one(QueueList)
        await pilot.press("G")
        assert queue.cursor == 32 and "Filler 29" in screen_text(app)
        await pilot.press("g", "j", "j", "k", "down", "down", "up")
        assert queue.cursor == 2
        await pilot.press("pagedown")
        assert queue.cursor == 2 + queue.page and f"Filler {queue.cursor - 3:02d}" in (
            screen_text(app)
        )
        await pilot.press("pageup", "end", "home")
        assert queue.cursor == 0
        await pilot.click(QueueList, offset=(20, 2))  # the mouse picks a row
        assert queue.cursor == 2 and "Gamma" in screen_text(app).split("─")[-1]

        box = app.query_one("#detailbox")
        await pilot.press("space")  # the detail pane pages by key, not only by mouse
        assert box.scroll_y > 0 and queue.cursor == 2
        await pilot.press("b")
        assert box.scroll_y == 0
        await pilot.press("t")  # topics, prefilled with the current ones
        assert app.query_one("#prompt").value == "AI, Climate"  # type: ignore[attr-defined]
        await pilot.press("ctrl+u", *"Climate, Policy", "enter")
        assert changed_lines(before["c.md"], (folder / "c.md").read_bytes()) == (
            [b"topics: [AI, Climate]\n"],
            [b"topics: [Climate, Policy]\n"],
        )
        assert "Climate, Policy" in screen_text(app)

        await pilot.press("e")  # empty (h29: typed after a prefilled quality=60), the
        assert app.query_one("#prompt").value == ""  # type: ignore[attr-defined]
        assert "now: quality=60" in screen_text(app)  # current value shown above it
        await pilot.press(*"quality=65", "enter")
        assert changed_lines(before["c.md"], (folder / "c.md").read_bytes())[1] == [
            b"quality: 65\n",
            b"topics: [Climate, Policy]\n",
        ]
        after = (folder / "c.md").read_bytes()
        await pilot.press("r", *"nope", "escape")  # a prompt cancelled: nothing written
        assert (folder / "c.md").read_bytes() == after and "cancelled" in screen_text(app)

        await pilot.press("slash", *"quality >> 3", "enter")  # the error in place
        screen = screen_text(app)
        assert "quality >> 3" in screen
        caret = next(line for line in screen.splitlines() if line.strip() == "^")
        assert (
            caret.index("^")
            == screen.splitlines()[screen.splitlines().index(caret) - 1].index(">") + 1
        )
        await pilot.press("ctrl+u", *"quality >= 80", "enter")
        assert [item.kept.title for item in queue.items] == ["Alpha story", "Beta"]
        screen = screen_text(app)
        assert "shown 2/33: q…" in screen and "2 of 33 stories shown" in screen

        await pilot.press("o")
        assert opened == ["https://x.example/a"] and "opened https://x.example/a" in screen_text(
            app
        )
        await pilot.press("slash", "ctrl+u", "enter")
        assert len(queue.items) == 33

        await pilot.press("question_mark")
        assert "publish the whole story" in screen_text(app)
        await pilot.press("x")  # any key closes
        assert "publish the whole story" not in screen_text(app)
        await pilot.press("i")
        screen = screen_text(app)
        assert "1 invalid file, skipped" in screen and "feeds/bad.md" in screen
        await pilot.press("escape", "q")
    assert app.return_code == 0
