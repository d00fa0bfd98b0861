"""What the review screen shows, as rich Text (never markup strings): a queue row, the
column header, the detail pane of the current story, the status counts. Every piece of
untrusted text goes through sanitize.clean."""

from __future__ import annotations

import os
from datetime import datetime

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from newscli.article.model import Article
from newscli.review.queue import GONE, PENDING, PUBLISHED, REJECTED, SKIPPED, STATES, Item
from newscli.sanitize import clean
from newscli.terminal.article_view import article_view, relative
from newscli.wording import provider_shown

MARKS = {PENDING: " ", PUBLISHED: "✓", REJECTED: "✗", SKIPPED: "»", GONE: "-"}
STATE_STYLES = {PENDING: "", PUBLISHED: "green", REJECTED: "red", SKIPPED: "dim",
                GONE: "dim strike"}  # fmt: skip
# With NO_COLOR, Textual draws colours as greys, and red on the status bar's grey came
# out grey on grey (h47: "rejected 3" could not be read): no colour, and no dimming
# (it greys too), only what stays legible.
_PLAIN_STYLES = {PENDING: "", PUBLISHED: "", REJECTED: "", SKIPPED: "", GONE: "strike"}


def _no_color() -> bool:
    return os.environ.get("NO_COLOR", "") != ""


def state_style(state: str) -> str:
    """The style of a state's mark and count (plain ones with NO_COLOR set)."""
    return (_PLAIN_STYLES if _no_color() else STATE_STYLES)[state]


FIXED = (1, 10, 3, 14, 6)  # mark, date, quality, provider, story; then the title
# On a narrow queue the title keeps at least MIN_TITLE columns: date, provider, story
# and quality are left out (in this order) until it does.
DROPPED_FIRST = (1, 3, 4, 2)
MIN_TITLE = 20
BODY_LINES = 12


def _cell(text: str, width: int, justify: str = "left") -> Text:
    cell = Text(text, no_wrap=True)
    cell.truncate(width, overflow="ellipsis", pad=False)
    padding = " " * max(0, width - cell.cell_len)
    return Text(padding) + cell if justify == "right" else cell + padding


def story_mark(item: Item) -> str:
    """``◆3/2``: a story of 3 articles (and related coverage) from 2 outlets."""
    size = item.coverage()
    return f"◆{size}/{item.outlets()}" if size > 1 else ""


def header(width: int) -> Text:
    text = _columns(width, (" ", "Date", "Q", "Provider", "Story", "Title"))
    text.stylize("bold reverse")
    return text


def _shown(width: int) -> list[int]:
    """The fixed columns a queue ``width`` wide shows (the title always)."""
    shown = list(range(len(FIXED)))
    for column in DROPPED_FIRST:
        if width - sum(FIXED[i] + 1 for i in shown) >= MIN_TITLE:
            break
        shown.remove(column)
    return shown


def _columns(width: int, cells: tuple[str, str, str, str, str, str]) -> Text:
    shown = _shown(width)
    title_width = max(1, width - sum(FIXED[i] + 1 for i in shown))
    justify = ("left", "left", "right", "left", "left")
    parts = [_cell(cells[i], FIXED[i], justify[i]) for i in shown]
    parts.append(_cell(cells[5], title_width))
    return Text(" ").join(parts)


def row(item: Item, width: int, current: bool, grouped: bool = True) -> Text:
    """One queue line; until the stories are ``grouped``, "…" in the Story column."""
    a = item.kept
    date = f"{a.published_at:%Y-%m-%d}" if a.published_at else ""
    quality = "" if a.quality is None else str(a.quality)
    provider = clean(provider_shown(a.provider_name, a.provider_domain))
    mark = story_mark(item) if grouped else "…"
    cells = (MARKS[item.state], date, quality, provider, mark, clean(a.title))
    text = _columns(width, cells)
    if state_style(item.state):
        text.stylize(state_style(item.state))
    if current:
        text.stylize("reverse")
    return text


def _story_table(item: Item, now: datetime) -> Table | None:
    if not item.others:
        return None
    table = Table(title="Same story", title_justify="left", box=box.SIMPLE_HEAD)
    for name in ("Date", "Q", "Provider", "Status", "Title"):
        table.add_column(name, overflow="fold")
    for other in item.others:
        table.add_row(
            Text(f"{other.published_at:%Y-%m-%d %H:%M}" if other.published_at else ""),
            Text("" if other.quality is None else str(other.quality)),
            Text(clean(provider_shown(other.provider_name, other.provider_domain))),
            Text("published" if other.published else "rejected" if other.rejected else ""),
            Text(clean(other.title)),
        )
    return table


def preview(body: str) -> str:
    lines = [line for line in body.strip().splitlines()][:BODY_LINES]
    more = len(body.strip().splitlines()) > BODY_LINES
    return "\n".join(lines) + ("\n…" if more else "")


def detail(item: Item, body: str, now: datetime) -> RenderableType:
    """The current story: its kept article in full (as `newscli show`, the body cut to
    a preview), its age, then the story's other articles."""
    a: Article = item.kept
    parts: list[RenderableType] = []
    if a.published_at is not None:
        age = relative(a.published_at, now)
        parts.append(Text(f"{item.state} · {age.removesuffix(' ago')} old", style="dim"))
    parts.append(article_view(a, preview(body), now))
    table = _story_table(item, now)
    if table is not None:
        parts += [Text(""), table]
    return Group(*parts)


def counts_line(
    counts: dict[str, int], shown: int, total: int, where: str | None, invalid: int
) -> Text:
    text = Text()
    for state in STATES:  # the styles of the queue's marks; what is left to do in bold
        if state == GONE and not counts[state]:  # (said only when it happened)
            continue
        if len(text):
            text.append(" · ")
        text.append(f"{state} {counts[state]}", style=state_style(state) or "bold")
    if invalid:
        text.append(f" · {invalid} invalid (i)", style="" if _no_color() else "yellow")
    if where is not None:
        text.append(f" · shown {shown}/{total}: ")
        text.append(clean(where), style="italic")
    return text


KEYS_LINE = "p publish r reject t topics e edit s skip u undo o open / where ? help q quit"

HELP = (
    ("p", "publish the whole story"),
    ("r", "reject the whole story (asks for an optional reason)"),
    ("t", "edit the topics of the current article (comma-separated)"),
    ("e", "set a field of the current article: FIELD=VALUE (quality=85)"),
    ("s", "skip (decide later)"),
    ("u", "undo this session's last action (the files get their old bytes)"),
    ("o", "open the article's URL in the browser"),
    ("/", "show only the stories matching a --where expression (empty: all)"),
    ("i", "list the invalid files that were skipped"),
    ("g G", "first / last story"),
    ("↑ ↓ j k", "previous / next story (or click one)"),
    ("PgUp PgDn", "a page up / down"),
    ("Space b", "the detail pane a page down / up"),
    ("Esc", "cancel a prompt"),
    ("q", "quit (every decision is saved already; `newscli undo` reverts the last)"),
)


def help_table() -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    for key, what in HELP:
        grid.add_row(key, what)
    return grid
