"""Rich renderables for people at a terminal. Every file-derived string goes in as
sanitised rich Text, so markup such as ``[bold]`` is shown literally."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from rich import box
from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from newscli.article.model import Article
from newscli.article.timeparse import format_day
from newscli.formats.records import cell_text
from newscli.sanitize import clean, escaped_path
from newscli.select.fields import export_values
from newscli.select.stories import Story
from newscli.terminal.grid import Cell, Column, Grid, Justify
from newscli.wording import provider_shown

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult


def _quality_style(quality: int | None) -> str:
    if quality is None:
        return "dim"
    if quality >= 70:
        return "green"
    return "yellow" if quality >= 40 else "red"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _caption(count: int, skipped: int) -> str:
    caption = _plural(count, "article")
    if skipped:
        caption += f" ({_plural(skipped, 'invalid file')} skipped, see stderr)"
    return caption


# Date, quality, heat and the ✓ always get their whole width; topics, provider and title
# share the rest. The title keeps TITLE_MIN columns (or its whole length): narrower
# terminals drop these columns, in this order, first.
_COLUMNS = ("Date (UTC)", "Q", "Heat", "Topics", "Provider", "Title", "Pub")
TITLE_MIN = 40
TITLE_NARROW = 20  # a terminal too narrow for the date, quality and 40 columns of title
DAY_WIDTH = len("2025-03-14")  # the date column cut to the day
_MIN = {"Topics": 10, "Provider": 10, "Title": TITLE_MIN}
_DROP_ORDER = ("Heat", "Provider", "Topics", "Pub")
# Width left over goes to the title up to 50 columns, then to the provider and the
# topics in full, then to the title in full.
_GROW = (("Title", 50), ("Provider", None), ("Topics", None), ("Title", None))


def _cells(article: Article) -> dict[str, Cell]:
    when = format_day(article.published_at, minutes=True) if article.published_at else ""
    quality = "" if article.quality is None else str(article.quality)
    return {
        "Date (UTC)": (when, "cyan"),
        "Q": (quality, _quality_style(article.quality)),
        "Heat": ("" if article.heat in (None, -1) else str(article.heat), None),
        "Topics": (clean(", ".join(article.topics)), None),
        "Provider": (clean(provider_shown(article.provider_name, article.provider_domain)), None),
        "Title": (clean(article.title), None),
        "Pub": ("✓", "green") if article.published else ("", None),
    }


def _fit(width: int, natural: dict[str, int]) -> dict[str, int]:
    """Column widths (in display order) that fit ``width`` with one space between
    columns: drop columns while the minimums do not fit, then share out what is left."""
    floor = {name: min(natural[name], _MIN.get(name, natural[name])) for name in natural}

    def spare(columns: dict[str, int]) -> int:
        return width - sum(columns.values()) - (len(columns) - 1)

    widths = dict(floor)
    for name in _DROP_ORDER:
        if spare(widths) >= 0:
            break
        del widths[name]
    # Even alone with the date and quality: the title gives way down to TITLE_NARROW
    # columns, then the date to the day, then the date and quality go, then the title.
    if spare(widths) < 0:
        widths["Title"] = max(min(widths["Title"], TITLE_NARROW), widths["Title"] + spare(widths))
    for step in ("day", "Date (UTC)", "Q"):
        if spare(widths) >= 0:
            break
        if step == "day":
            widths["Date (UTC)"] = min(widths["Date (UTC)"], DAY_WIDTH)
        else:
            del widths[step]
    if spare(widths) < 0:
        widths["Title"] = max(1, widths["Title"] + spare(widths))
    for name, limit in _GROW:
        if name in widths and spare(widths) > 0:
            target = natural[name] if limit is None else min(limit, natural[name])
            widths[name] = max(widths[name], min(target, widths[name] + spare(widths)))
    return widths


def _table(**options: Any) -> Table:
    """The house style: a rule under the header, no outer frame, no edge padding."""
    return Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, **options)


def _justify(name: str, right: Iterable[str]) -> Justify:
    return "right" if name in right else "center" if name == "Pub" else "left"


class Captioned:
    """A table, then its caption ("3 articles") below it, wrapped at spaces to the
    console's width, a word too long for it cut (h35: a table's caption wraps to the
    table's width, a letter at a time: under a narrow table, "2 / article / s")."""

    def __init__(self, table: Grid, caption: str | None) -> None:
        self.table, self.caption = table, caption

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.table
        if self.caption is not None:
            yield Text(self.caption, style="table.caption", overflow="ellipsis")


def article_table(articles: Sequence[Article], width: int, skipped: int = 0) -> Captioned:
    """The `list` table, rows in the given order, fitted to ``width`` columns."""
    return next(article_tables(articles, width, skipped, chunk=max(len(articles), 1)))


def article_tables(
    articles: Sequence[Article], width: int, skipped: int = 0, chunk: int = 500
) -> Iterator[Captioned]:
    """The `list` table in pieces of ``chunk`` rows with the same column widths (header on
    the first, count on the last), so a long list starts showing at once."""
    natural = {name: len(name) for name in _COLUMNS}
    for article in articles:
        for name, (text, _) in _cells(article).items():
            natural[name] = max(natural[name], cell_len(text))
    widths = _fit(width, natural)
    columns = [
        Column(name, size, _justify(name, ("Q", "Heat")), crop=name == "Date (UTC)")
        for name, size in widths.items()  # (the date cut to the day: no ellipsis)
    ]
    starts = range(0, max(len(articles), 1), chunk)
    for start in starts:
        last = start == starts[-1]
        rows = [
            [cells[name] for name in widths]
            for cells in map(_cells, articles[start : start + chunk])
        ]
        table = Grid(columns, rows, header=start == 0)
        yield Captioned(table, _caption(len(articles), skipped) if last else None)


def rows_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> Table:
    """A plain table of text rows (sanitised)."""
    table = _table()
    for name in header:
        table.add_column(name, overflow="fold")
    for row in rows:
        table.add_row(*(Text(clean(cell)) for cell in row))
    return table


def _human(value: Any) -> str:
    if isinstance(value, timedelta):
        seconds = int(value.total_seconds())
        days, rest = divmod(abs(seconds), 86400)
        hours, rest = divmod(rest, 3600)
        text = f"{days}d {hours}h" if days else f"{hours}h {rest // 60}m"
        return ("-" if seconds < 0 else "") + text
    if isinstance(value, datetime):
        return format_day(value, minutes=True)
    return cell_text(value)


def _shrink(natural: dict[str, int], minimum: dict[str, int], width: int) -> dict[str, int]:
    """Column widths within ``width`` (one space between columns): the widest column
    above its minimum gives way first, one cell at a time."""
    widths = {name: max(value, minimum[name]) for name, value in natural.items()}
    excess = sum(widths.values()) + len(widths) - 1 - width
    for floor in (minimum, dict.fromkeys(widths, 1)):  # (then below them, if need be)
        while excess > 0:
            candidates = [name for name in widths if widths[name] > floor[name]]
            if not candidates:
                break
            widest = max(candidates, key=lambda name: widths[name])
            widths[widest] -= 1
            excess -= 1
    return widths


def _grid(
    header: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    minimum: dict[str, int],
    width: int,
    caption: str | None = None,
    right: Iterable[str] = (),
    sections: Sequence[bool] = (),
    tails: bool = False,
) -> Captioned:
    """A table of Text cells fitted to ``width`` with widths newscli computes itself
    (rich would squeeze small columns to nothing); ``tails``: a header cut keeps its
    end ("…rank": the fields' names differ there)."""
    natural = {name: len(name) for name in header}
    for row in rows:
        for name, (text, _) in zip(header, row, strict=True):
            natural[name] = max(natural[name], cell_len(text))
    widths = _shrink(natural, minimum, width)
    columns = []
    for name in header:
        shown = name
        if tails and len(name) > widths[name] > 1:
            shown = "…" + name[len(name) - widths[name] + 1 :]
        columns.append(Column(shown, widths[name], _justify(name, right)))
    return Captioned(Grid(columns, rows, ends=sections), caption)


def field_table(
    articles: Sequence[Article],
    names: Sequence[str],
    now: datetime | None,
    width: int,
    skipped: int = 0,
) -> Captioned:
    """A table of the chosen fields, one row per article; every column keeps at least
    its values (up to 12 cells: a story.id whole) and 5 cells of its header, if the
    width allows (h73 4: at 40 columns a story.id was cut to 7 characters while
    story.rank kept its header's 10 for values of one)."""
    when = now or datetime.now(timezone.utc)
    header = [clean(name) for name in names]
    rows: list[list[Cell]] = [
        [
            (_shown_value(a, name, v), None)
            for name, v in zip(names, export_values(a, names, when), strict=True)
        ]
        for a in articles
    ]
    longest = [max((cell_len(row[n][0]) for row in rows), default=0) for n in range(len(header))]
    minimum = {
        label: min(max(value, min(len(label), 5)), 12)
        for label, value in zip(header, longest, strict=True)
    }
    return _grid(header, rows, minimum, width, _caption(len(articles), skipped), tails=True)


def _shown_value(article: Article, name: str, value: Any) -> str:
    """A field's value in a table: a path's escape sequences shown, not removed (not
    another file's name, h84 1); the provider as `list` shows it, its name, else its
    domain (h129 7: its mapping's JSON, cut); else the value made safe."""
    if name == "path" and type(value) is str:
        return escaped_path(value)
    if name == "provider" and isinstance(value, dict):
        return clean(provider_shown(article.provider_name, article.provider_domain))
    return clean(_human(value))


def _named(article: Article) -> str:
    """An article as the clusters table names the one another joined: its provider, or
    its file's name."""
    shown = clean(provider_shown(article.provider_name, article.provider_domain)).strip()
    return shown or escaped_path(os.path.basename(article.path))  # (h93: never another's name)


def clusters_table(stories: Sequence[Story], width: int, first: int = 1) -> Captioned:
    """Stories with their articles; the kept article is marked with ★, a rejected one
    with ✗ (h150; the kept one too when rejected, h151: it is the row with the number),
    the others say why they joined and with which article (its provider:
    when the width leaves room)."""
    header = ["#", "", "Date (UTC)", "Q", "Provider", "Title", "Why"]
    rows: list[list[Cell]] = []
    ends: list[bool] = []
    for number, story in enumerate(stories, first):
        joined = story.joined()
        for article in story.articles:
            kept = article is story.kept
            cells = _cells(article)
            via, link = joined.get(article.path, (None, None))
            rows.append(
                [
                    (str(number) if kept else "", None),
                    ("✗", "red") if article.rejected else ("★", "yellow") if kept else ("", None),
                    cells["Date (UTC)"],
                    cells["Q"],
                    cells["Provider"],
                    cells["Title"],
                    (f"{link.reason()} · {_named(via)}" if link and via else "", None),
                ]
            )
            ends.append(article is story.articles[-1])
    minimum = {"#": 1, "": 1, "Date (UTC)": 16, "Q": 3, "Provider": 8, "Title": 16, "Why": 3}
    for name in ("Why", "Provider", "Date (UTC)", "Q"):  # too narrow: these give way first
        if sum(minimum.values()) + len(minimum) - 1 <= width:
            break
        gone = header.index(name)
        header = header[:gone] + header[gone + 1 :]
        rows = [row[:gone] + row[gone + 1 :] for row in rows]
        del minimum[name]
    others = sum(minimum.values()) - minimum["Title"] + len(minimum) - 1
    minimum["Title"] = max(1, min(minimum["Title"], width - others))  # (narrower still)
    caption = _plural(len(stories), "story").replace("storys", "stories")
    return _grid(header, rows, minimum, width, caption, right=("#", "Q"), sections=ends)
