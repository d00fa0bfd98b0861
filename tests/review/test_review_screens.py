"""The review screen at 80x24 and 160x48 against committed text captures (reviewed by
eye), and hostile text shown inert in the queue and the detail pane."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLES, check_golden
from review_helpers import NOW, make_queue

from newscli.review.app import ReviewApp, screen_text


async def _capture(size: tuple[int, int], keys: tuple[str, ...]) -> str:
    app = ReviewApp(make_queue(["feeds"]))
    async with app.run_test(size=size) as pilot:
        await pilot.press(*keys)
        return screen_text(app)


@pytest.mark.parametrize(
    ("size", "keys"),
    [((80, 24), ()), ((160, 48), ("j", "j"))],  # wide: the story of four articles
    ids=["80x24", "160x48"],
)
def test_screen_matches_the_golden_capture(
    size: tuple[int, int], keys: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(SAMPLES, tmp_path / "feeds")
    monkeypatch.chdir(tmp_path)  # paths show as feeds/...
    text = asyncio.run(_capture(size, keys))
    assert len(text.splitlines()) == size[1]
    check_golden(f"review/screen-{size[0]}x{size[1]}.txt", text)


HOSTILE = """---
title: "Evil \\e[31mred\\e]8;;http://evil.example\\aclick\\e]8;;\\a [bold red]markup[/] \\u202ebidi"
publishedDateTime: 2025-03-20T08:00:00Z
quality: 77
published: false
webUrl: https://x.example/evil
provider:
  name: "Bad \\e[2J[link=http://evil.example]Wire[/link]"
topics: ["\\e[5mblink", "[i]topic[/i]"]
excerpt: "excerpt \\e[1mbold\\e[0m [b]x[/b] \\u2067iso"
related:
  - title: "related \\e[7mreverse\\e[0m [u]u[/u]"
    webUrl: https://y.example/evil
    provider: {name: "Y\\e[0m"}
---
Body \x1b[31mred body\x1b[0m [red]not markup[/red] \u202e
"""


def test_hostile_text_is_inert(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "feeds"
    folder.mkdir()
    (folder / "evil.md").write_text(HOSTILE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    text = asyncio.run(_capture((160, 40), ()))
    for raw in ("\x1b", "\x07", "\u202e", "\u2067", "\x9b"):
        assert raw not in text
    for literal in ("[bold red]markup[/]", "[link=http://evil.example]Wire[/link]",
                    "[i]topic[/i]", "[b]x[/b]", "[u]u[/u]", "[red]not markup[/red]"):  # fmt: skip
        assert literal in text, literal
    queue_row = next(line for line in text.splitlines() if "2025-03-20" in line)
    assert "Evil red" in queue_row and "77" in queue_row
    assert NOW  # the clock the captures use
