"""A big folder's first screen from the cache's rows at once (index.light_fork), a
forked child walking the folder to check them meanwhile: until it has, nothing is
decided; a file changed, deleted, made invalid or added since the cache saw it, or a
folder gone, is never shown as current once checked. (A folder counts as big from
light_fork.AHEAD_FILES files: 1 here.)"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from review_helpers import NOW, article, corpus, files

from newscli.cli.options import SHARED, build_query
from newscli.index import light_fork
from newscli.review.app import ReviewApp, screen_text
from newscli.review.start import LazyItems, Stories, open_queue
from newscli.select.query import Query

CHECK = light_fork._check
ROWS = ["Alpha story", "Beta", "Alpha again", "Gamma", "Filler 00", "Filler 01"]


def _query(cache: Path) -> Query:
    values = {name: default for name, _, default in SHARED}
    values.update(now=NOW, cache_dir=str(cache))
    return build_query(values)[0]


def _titles(items: Any) -> list[str]:
    return [item.kept.title for item in items]


def _paths(items: Any) -> set[str]:
    return {a.path for item in items for a in item.articles}


def _warm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """feeds/ (review_helpers.corpus, with sub/z.md), its cache warmed the usual way;
    from now on, feeds/ counts as big."""
    folder = corpus(tmp_path, fillers=2)
    (folder / "sub").mkdir()
    article(folder / "sub", "z.md", "Zeta", 95, "https://z.example/z")
    monkeypatch.chdir(tmp_path)
    cache = tmp_path / "cache"
    open_queue(["feeds"], _query(cache), strict=False, wait=0)
    monkeypatch.setattr(light_fork, "AHEAD_FILES", 1)
    return folder, cache


def _child_waits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The child checks only once the returned file exists (else it may bring the cache
    up to date before the rows are read ahead, and the test would see fresh rows)."""
    go, check = tmp_path / "go", light_fork._check

    def waiting(*args: Any) -> Any:
        end = time.monotonic() + 30
        while not go.exists() and time.monotonic() < end:
            time.sleep(0.01)
        return check(*args)

    monkeypatch.setattr(light_fork, "_check", waiting)
    return go


def _stale(folder: Path) -> None:
    """Since the cache: c.md better (60 -> 99), b.md deleted, f00.md invalid, n.md new,
    sub/ gone."""
    text = (folder / "c.md").read_text(encoding="utf-8")
    (folder / "c.md").write_text(text.replace("quality: 60", "quality: 99"), encoding="utf-8")
    (folder / "b.md").unlink()
    (folder / "f00.md").write_text("---\ntitle: [broken\n---\n", encoding="utf-8")
    article(folder, "n.md", "Newcomer", 85, "https://n.example/n")
    (folder / "sub" / "z.md").unlink()
    (folder / "sub").rmdir()


def test_rows_read_ahead_are_checked_then_replaced_when_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, cache = _warm(tmp_path, monkeypatch)
    # Unchanged: the rows at once, unchecked; the child vouches for them as they are.
    queue, stories = open_queue(["feeds"], _query(cache), strict=False, wait=0)
    assert stories.ahead is not None and isinstance(queue.items, LazyItems)
    assert not queue.checked and _titles(queue.items) == ["Zeta", *ROWS]
    answer = stories.check()
    assert answer is not None and answer.vouched
    assert [p.path for p in queue.problems] == ["feeds/bad.md"]
    queue.apply_stories(*stories.group())
    assert queue.checked and queue.grouped and "feeds/sub/z.md" in _paths(queue.items)

    # Stale: the first rows are the cache's (the view waits for the check) ...
    _stale(folder)
    go = _child_waits(tmp_path, monkeypatch)
    queue, stories = open_queue(["feeds"], _query(cache), strict=False, wait=0)
    assert not queue.checked and _titles(queue.items) == ["Zeta", *ROWS]
    assert len(queue.problems) == 1
    go.touch()
    # ... the check says they are not, with the invalid files as they are now ...
    answer = stories.check()
    assert answer is not None and not answer.vouched and not queue.checked
    assert [p.path for p in queue.problems] == ["feeds/bad.md", "feeds/f00.md"]
    # ... and the stories replace them: nothing deleted or changed is shown as it was.
    queue.apply_stories(*stories.group())
    assert queue.checked
    assert _titles(queue.items) == ["Gamma", "Alpha story", "Newcomer", "Filler 01"]
    assert _paths(queue.items).isdisjoint({"feeds/b.md", "feeds/f00.md", "feeds/sub/z.md"})
    assert next(i for i in queue.items if i.kept.title == "Gamma").kept.quality == 99

    # The child brought the cache up to date: the next start's rows are the new ones.
    monkeypatch.setattr(light_fork, "_check", CHECK)
    queue, stories = open_queue(["feeds"], _query(cache), strict=False, wait=0)
    assert _titles(queue.items) == ["Gamma", "Alpha story", "Newcomer", "Alpha again", "Filler 01"]
    answer = stories.check()
    assert answer is not None and answer.vouched and len(queue.problems) == 2


def test_rows_changed_in_the_cache_before_the_check_are_not_vouched_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another run brings the cache up to date after the rows were read ahead and before
    the child walks: every folder is unchanged for the child, but the rows shown are
    older than its walk."""
    folder, cache = _warm(tmp_path, monkeypatch)
    go = _child_waits(tmp_path, monkeypatch)
    queue, stories = open_queue(["feeds"], _query(cache), strict=False, wait=0)
    assert _titles(queue.items) == ["Zeta", *ROWS]
    text = (folder / "c.md").read_text(encoding="utf-8")
    (folder / "c.md").write_text(text.replace("quality: 60", "quality: 99"), encoding="utf-8")
    monkeypatch.setattr(light_fork, "AHEAD_FILES", 10**9)  # the other run: a usual load
    open_queue(["feeds"], _query(cache), strict=False, wait=0)
    go.touch()
    answer = stories.check()
    assert answer is not None and not answer.vouched and not queue.checked
    queue.apply_stories(*stories.group())
    assert _titles(queue.items) == [
        "Gamma",
        "Zeta",
        "Alpha story",
        "Beta",
        "Filler 00",
        "Filler 01",
    ]


class _Held:
    """The child's answer held back until the test lets it through."""

    def __init__(self, stories: Stories) -> None:
        assert stories.ahead is not None
        self.answer, self.open = stories.ahead.answer, threading.Event()
        stories.ahead.answer = self.wait  # type: ignore[method-assign]

    def wait(self) -> Any:
        assert self.open.wait(30)
        return self.answer()


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_nothing_is_decided_from_rows_not_checked_yet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asyncio.run(_unchecked(tmp_path, monkeypatch))


async def _unchecked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, cache = _warm(tmp_path, monkeypatch)
    _stale(folder)
    before = files(folder)
    go = _child_waits(tmp_path, monkeypatch)
    queue, stories = open_queue(["feeds"], _query(cache), strict=False, wait=0)
    go.touch()
    held = _Held(stories)
    app = ReviewApp(queue, stories=stories)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "checking" in screen_text(app).splitlines()[-2]
        assert "feeds/sub/z.md is gone (deleted or renamed" in screen_text(app)  # not as cached
        # Every decision waits: on z.md (gone), then on c.md (changed since the cache).
        for keys in (["s"], ["p"], ["j", "j", "j", "j"], ["p"], ["s"], ["t", "x", "enter"]):
            if keys[0] == "j":
                await pilot.press(*keys)
                await pilot.pause()
                detail = screen_text(app).partition("─" * 80)[2]  # as the file is now
                assert "Gamma" in detail and "Quality    99" in detail
                continue
            await pilot.press(*keys)
            await pilot.pause()
            assert "checking the files" in screen_text(app), keys
        await pilot.press("e", "ctrl+u", *"quality=12", "enter")
        await pilot.pause()
        assert "checking the files" in screen_text(app)
        assert queue.counts()["skipped"] == 0 and not queue.done
        assert files(folder) == before
        held.open.set()
        for _ in range(500):
            if queue.grouped:
                break
            await pilot.pause(0.02)
        assert queue.checked and queue.grouped
        screen = screen_text(app)
        assert "Zeta" not in screen and "Beta" not in screen and "Newcomer" in screen
        assert "checking" not in screen.splitlines()[-2] and "2 invalid" in screen
        assert "checking the files" not in screen  # the note to press again is gone too
        await pilot.press("g", "t", *", Fresh", "enter")  # now it acts
        await pilot.pause()
    assert files(folder)["c.md"] != before["c.md"] and b"Fresh" in files(folder)["c.md"]


def test_rows_never_checked_stay_undecidable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The child cannot check (it failed): the rows stay unchecked, every decision is
    refused, the grouping says why."""
    asyncio.run(_never_checked(tmp_path, monkeypatch))


async def _never_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, cache = _warm(tmp_path, monkeypatch)
    monkeypatch.setattr(light_fork, "_check", lambda *args: None)  # (in the child)
    before = files(folder)
    queue, stories = open_queue(["feeds"], _query(cache), strict=False, wait=0)
    app = ReviewApp(queue, stories=stories)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(500):
            if "failed" in screen_text(app):
                break
            await pilot.pause(0.02)
        assert "grouping stories failed: cannot check the files below feeds" in screen_text(app)
        for key in ("j", "s", "t", "enter"):
            await pilot.press(key)
        await pilot.pause()
        assert "checking the files" in screen_text(app) and not queue.checked
    assert files(folder) == before and not queue.done


def test_the_other_names_the_child_finds_are_kept_one_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hard link of feeds/a.md in a subfolder: the child's walk finds it (the rows
    read ahead cannot tell), and a decision keeps both names one file."""
    folder = corpus(tmp_path, fillers=2)
    (folder / "sub").mkdir()
    os.link(folder / "a.md", folder / "sub" / "alpha.md")
    monkeypatch.chdir(tmp_path)
    cache = tmp_path / "cache"
    open_queue(["feeds"], _query(cache), strict=False, wait=0)
    monkeypatch.setattr(light_fork, "AHEAD_FILES", 1)
    for stale in (False, True):  # (stale: the child loads the folder the usual way)
        if stale:  # c.md changed since the cache saw it
            article(folder, "c.md", "Gamma", 99, "https://x.example/c")
        queue, stories = open_queue(["feeds"], _query(cache), strict=False, wait=0)
        assert stories.ahead is not None and queue.links == {}
        answer = stories.check()
        assert answer is not None and answer.vouched is not stale
        assert queue.links == {"feeds/a.md": ["feeds/sub/alpha.md"]}
    queue.apply_stories(*stories.group())
    story = next(item for item in queue.items if item.kept.path == "feeds/a.md")
    assert queue.publish(story) == "publish: 2 files changed"
    assert (folder / "sub" / "alpha.md").samefile(folder / "a.md")
    assert b"published: true" in (folder / "sub" / "alpha.md").read_bytes()


def test_closing_ends_a_child_another_thread_waits_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The review's grouping thread waits for the child's answer; the review ends
    (q, a signal) and closes its stories before this process lets go of the cache: the
    child, which may be writing to the cache, is ended then, not left to run on."""
    _, cache = _warm(tmp_path, monkeypatch)
    _child_waits(tmp_path, monkeypatch)  # (no go: it would wait 30 s)
    _, stories = open_queue(["feeds"], _query(cache), strict=False, wait=0)
    assert stories.ahead is not None
    child = stories.ahead._pid
    failed: list[BaseException] = []

    def waits() -> None:
        try:
            stories.check()
        except OSError as exc:
            failed.append(exc)

    waiting = threading.Thread(target=waits, daemon=True)
    waiting.start()
    time.sleep(0.2)  # (the thread waits in answer())
    assert waiting.is_alive()
    stories.close()
    waiting.join(10)
    assert not waiting.is_alive() and failed  # the answer failed: no child to give it
    with pytest.raises(ChildProcessError):
        os.waitpid(child, os.WNOHANG)  # reaped: by the waiting thread
