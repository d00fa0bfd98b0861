"""Bar charts for `newscli stats` on a terminal."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.text import Text

from newscli import wording
from newscli.formats.stats import shown as shown_name
from newscli.sanitize import clean

BAR_WIDTH = 30


NAME_ROOM = 12  # characters of a name kept before a bar shrinks (longer names yield)


def _bars(title: str, items: list[tuple[str, int]], total: int, width: int) -> Group:
    """A title, then a line per item: its name, count, bar and percentage, the bar
    its share of ``total`` articles. On a narrow terminal the bars shrink first, then
    the names: the counts and percentages always show (h35: at 45 columns the table
    dropped the counts, at 20 the names and percentages)."""
    lines: list[Text] = [Text(title, style="bold")]
    if not items:
        lines.append(Text("  none", style="dim"))  # (not a block of blank lines)
        return Group(*lines, Text(""))
    names = [clean(name) for name, _ in items]
    counts = [str(count) for _, count in items]
    shares = [f" {100 * count / total:.0f}%" if total else "" for _, count in items]
    count_width = max(map(len, counts))
    avail = width - 2 - count_width - 1 - 1 - max(map(len, shares))  # indent, 2 spaces
    name_width = min(32, max(map(len, names)))
    if avail - name_width < BAR_WIDTH:  # long names yield to the bars, down to NAME_ROOM
        name_width = max(min(name_width, NAME_ROOM), avail - BAR_WIDTH)
    bar_room = max(0, min(BAR_WIDTH, avail - name_width))
    name_width = max(1, min(name_width, avail))  # a tiny terminal: the names shrink too
    for name, (_, count), share in zip(names, items, shares, strict=True):
        # A share of all the articles, like the percentage: one article in five is a
        # fifth of a bar, whatever the other rows hold. A count above 0 shows; a topics
        # remainder row ("(3 more)") may count an article twice, but stays one bar long.
        share_of_bar = round(bar_room * count / total) if total else 0
        length = min(bar_room, max(1, share_of_bar)) if count and bar_room else 0
        shown = name if len(name) <= name_width else name[: name_width - 1] + "…"
        line = Text(f"  {shown.ljust(name_width)} {str(count).rjust(count_width)} ")
        line.append("█" * length, style="cyan")
        line.append(share, style="dim")
        line.no_wrap, line.overflow = True, "crop"
        lines.append(line)
    return Group(*lines, Text(""))


def stats_view(summary: dict[str, Any], top: int = 15, width: int = 80) -> Group:
    """Sections as bar charts for a terminal ``width`` columns wide; long lists show the
    `top` biggest and a remainder line."""
    total = summary["total"]
    parts: list[Any] = [Text(wording.count(total, "article"), style="bold")]
    published = summary["published"]
    parts.append(_bars("Published", list(published.items()), total, width))
    for section, title in (("topics", "Topics"), ("providers", "Providers"), ("types", "Types")):
        items = [(shown_name(i["name"]), i["count"]) for i in summary[section]]
        shown = items[:top]
        if len(items) > top:
            rest = sum(count for _, count in items[top:])
            shown.append((f"({len(items) - top} more)", rest))
        parts.append(_bars(title, shown, total, width))
    quality = [(q["bucket"], q["count"]) for q in summary["quality"]]
    parts.append(_bars("Quality", quality, total, width))
    return Group(*parts)
