"""Bar charts for `newscli stats` on a terminal."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from newscli import wording
from newscli.sanitize import clean

BAR_WIDTH = 30


def _bars(title: str, items: list[tuple[str, int]], total: int) -> Table:
    """One bar per item, its length the item's share of ``total`` articles."""
    table = Table(title=title, title_justify="left", box=box.SIMPLE, show_header=False)
    table.add_column("name", overflow="ellipsis", no_wrap=True, max_width=32)
    table.add_column("count", justify="right")
    table.add_column("bar", no_wrap=True)
    for name, count in items:
        # A share of all the articles, like the percentage: one article in five is a
        # fifth of a bar, whatever the other rows hold. A count above 0 shows; a topics
        # remainder row ("(3 more)") may count an article twice, but stays one bar long.
        share_of_bar = round(BAR_WIDTH * count / total) if total else 0
        width = min(BAR_WIDTH, max(1, share_of_bar)) if count else 0
        share = f" {100 * count / total:.0f}%" if total else ""
        bar = Text("█" * width, style="cyan")
        bar.append(share, style="dim")
        table.add_row(Text(clean(name)), Text(str(count)), bar)
    return table


def stats_view(summary: dict[str, Any], top: int = 15) -> Group:
    """Sections as bar charts; long lists show the `top` biggest and a remainder line."""
    total = summary["total"]
    parts: list[Any] = [Text(wording.count(total, "article"), style="bold")]
    published = summary["published"]
    parts.append(_bars("Published", list(published.items()), total))
    for section, title in (("topics", "Topics"), ("providers", "Providers"), ("types", "Types")):
        items = [(i["name"], i["count"]) for i in summary[section]]
        shown = items[:top]
        if len(items) > top:
            rest = sum(count for _, count in items[top:])
            shown.append((f"({len(items) - top} more)", rest))
        parts.append(_bars(title, shown, total))
    quality = [(q["bucket"], q["count"]) for q in summary["quality"]]
    parts.append(_bars("Quality", quality, total))
    return Group(*parts)
