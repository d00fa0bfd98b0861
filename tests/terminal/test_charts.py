"""newscli.terminal.charts: the bar charts `stats` draws on a terminal."""

from __future__ import annotations

import io
import re
from typing import Any

from rich.console import Console

from newscli.article.model import article_from_mapping
from newscli.formats.stats import compute
from newscli.terminal.charts import BAR_WIDTH, stats_view


def shown(summary: dict[str, Any], top: int = 15) -> list[str]:
    console = Console(width=100, no_color=True, record=True, file=io.StringIO())
    console.print(stats_view(summary, top))
    return console.export_text().splitlines()


def row(lines: list[str], name: str) -> str:
    (found,) = [line for line in lines if line.strip().startswith(name + " ")]
    return found


def test_bars_show_counts_and_shares() -> None:
    articles = [article_from_mapping(f"{i}.md", {"title": "t", "type": "news"}) for i in range(4)]
    lines = shown(compute(articles))
    assert lines[0] == "4 articles"
    whole = row(lines, "unpublished")
    assert re.fullmatch(rf"\s*unpublished\s+4\s+█{{{BAR_WIDTH}}} 100%\s*", whole), whole
    empty = row(lines, "published")
    assert re.fullmatch(r"\s*published\s+0\s+0%\s*", empty), empty
    assert row(lines, "news").count("█") == BAR_WIDTH  # every article: a full bar
    assert [line.strip() for line in lines if line.strip() in
            ("Published", "Topics", "Providers", "Types", "Quality")] == [
        "Published", "Topics", "Providers", "Types", "Quality"]  # fmt: skip


def test_long_lists_show_the_top_and_a_remainder_line() -> None:
    topics = [{"name": f"t{i:02}", "count": 20 - i} for i in range(20)]
    summary = {
        "total": 20,
        "published": {"published": 0, "unpublished": 20},
        "topics": topics,
        "providers": [],
        "types": [],
        "quality": [{"bucket": "none", "count": 20}],
    }
    lines = shown(summary, top=3)
    assert [line.split()[0] for line in lines if line.strip().startswith("t")] == [
        "t00",
        "t01",
        "t02",
    ]
    rest = row(lines, "(17 more)")
    assert " " + str(sum(20 - i for i in range(3, 20))) + " " in rest


def test_names_are_shown_inert() -> None:
    summary = compute([article_from_mapping("a.md", {"title": "t", "topics": ["\x1b[31mred\x07"]})])
    text = "\n".join(shown(summary))
    assert "\x1b" not in text and "\x07" not in text
    assert "\\x1b[31mred\\x07" in text  # (written as escapes, hiding nothing: h121)
