"""A file deleted (or renamed) during a session: a decision says it is gone, leaves it
out of its story and decides on the rest once asked again; it never loops on "changed
on disk: reloaded"."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from review_helpers import corpus, make_queue

from newscli.review.app import ReviewApp, screen_text


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_a_deleted_file_is_gone_and_the_rest_of_its_story_is_decided(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asyncio.run(_gone(tmp_path, monkeypatch))


async def _gone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = corpus(tmp_path, fillers=2)
    monkeypatch.chdir(tmp_path)
    app = ReviewApp(make_queue(["feeds"]))
    async with app.run_test(size=(160, 30)) as pilot:
        assert "Alpha story" in screen_text(app)  # the story of a.md and a2.md
        (folder / "a.md").unlink()
        await pilot.press("j", "k")  # back on its row: the detail pane says it is gone
        assert "feeds/a.md is gone (deleted or renamed" in screen_text(app)
        await pilot.press("p")
        screen = screen_text(app)
        assert "feeds/a.md is gone (deleted or renamed); nothing changed" in screen, screen
        assert "press the key again to publish the rest" in screen
        assert b"published: false" in (folder / "a2.md").read_bytes()
        await pilot.press("p")
        assert b"published: true" in (folder / "a2.md").read_bytes()
        assert not (folder / "a.md").exists()
        screen = screen_text(app)
        assert "File       feeds/b.md" in screen  # on to b.md
        assert "Alpha story" not in screen and "Alpha again" in screen  # a.md left out
        await pilot.press("t")  # a changed file's message: a phrase, not "to topics"
        text = (folder / "b.md").read_text(encoding="utf-8")
        (folder / "b.md").write_text(text.replace("quality: 80", "quality: 81"), encoding="utf-8")
        await pilot.press("ctrl+u", *"AI, Space", "enter")
        assert "press the key again to change the topics of this version" in screen_text(app)
        await pilot.press("q")


def test_a_file_turned_invalid_says_why_and_is_decided_once_valid_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asyncio.run(_turned_invalid(tmp_path, monkeypatch))


async def _turned_invalid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = corpus(tmp_path, fillers=2)
    monkeypatch.chdir(tmp_path)
    app = ReviewApp(make_queue(["feeds"]))
    async with app.run_test(size=(160, 30)) as pilot:
        await pilot.press("j")  # on b.md
        assert "File       feeds/b.md" in screen_text(app)
        good = (folder / "b.md").read_bytes()
        broken = good.replace(b"quality: 80", b"quality: [80")
        (folder / "b.md").write_bytes(broken)
        for _ in range(2):  # the same reason each time, never "reloaded" in a loop
            await pilot.press("p")
            screen = screen_text(app)
            said = "feeds/b.md changed on disk and cannot be read now (nothing changed): not a"
            assert said in screen and "reloaded" not in screen
            assert (folder / "b.md").read_bytes() == broken
        (folder / "b.md").write_bytes(good.replace(b"quality: 80", b"quality: 81"))
        await pilot.press("p")  # valid again, another version: reloaded, then decided
        assert "changed on disk: reloaded" in screen_text(app)
        await pilot.press("p")
        assert b"published: true" in (folder / "b.md").read_bytes()
        await pilot.press("q")


def test_a_story_whose_files_are_all_gone_is_no_longer_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """h29: a row whose every file was deleted stayed counted "to do" to the end (a
    session that had decided everything left said "to do 1")."""
    asyncio.run(_all_gone(tmp_path, monkeypatch))


async def _all_gone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = corpus(tmp_path, fillers=0)
    monkeypatch.chdir(tmp_path)
    app = ReviewApp(make_queue(["feeds"]))
    async with app.run_test(size=(160, 30)) as pilot:
        before = app.queue.counts()
        assert before["to do"] == 3 and "gone" not in screen_text(app)  # (said if any)
        (folder / "a.md").unlink()
        (folder / "a2.md").unlink()
        await pilot.press("p")
        assert "feeds/a.md is gone (deleted or renamed); nothing changed" in screen_text(app)
        counts = app.queue.counts()
        assert (counts["to do"], counts["gone"]) == (2, 1)
        assert "to do 2" in screen_text(app) and "gone 1" in screen_text(app)
        await pilot.press("q")
