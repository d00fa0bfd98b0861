"""`newscli show`: one article in full, for a person at a terminal."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlsplit

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.padding import Padding
from rich.style import Style
from rich.table import Table
from rich.text import Text

from newscli.article.model import Article
from newscli.formats.feeds import web_url
from newscli.formats.records import cell_text
from newscli.formats.topic_list import topics_text
from newscli.sanitize import clean, escaped, escaped_path, shown_key
from newscli.select.story_urls import ascii_host
from newscli.wording import relative

OWN_NAMES = 12  # the names newscli gives are shorter ("Published")
NARROW_VALUES = 24  # columns left for the values, at least, beside the names
_UNSAFE_IN_LINK = re.compile(r'[\s"<>\\^`{|}]')
URL_FIELDS = ("webUrl", "originalUrl", "ampWebUrl", "cdnAmpWebUrl")
SHOWN = {*URL_FIELDS, "title", "excerpt", "publishedDateTime", "updatedDateTime", "quality",
         "heat", "published", "provider", "topics", "images", "related", "type", "category",
         "categories", "secured", "rejected", "rejectedReason"}  # fmt: skip


def clickable(url: Any) -> str | None:
    """The URL a terminal link may point to: an http(s) URL (web_url: its port a
    number 0-65535) with no blank, quote or other character a URL must escape (so what
    is shown is what is opened), else None."""
    safe = web_url(url) if isinstance(url, str) else None
    if safe is None or safe != url or _UNSAFE_IN_LINK.search(safe):
        return None
    return _ascii(safe)


_PRINTABLE = "".join(map(chr, range(33, 127)))  # kept as they are by _ascii


def _ascii(url: str) -> str | None:
    """The link target as a terminal must get it (OSC 8 carries ASCII 32-126 only, h111
    LOW): a host in IDNA, other non-ASCII text percent-encoded as UTF-8, as a browser
    sends it; None if the host has no IDNA form."""
    if url.isascii():
        return url
    parts = urlsplit(url)
    user, at, place = parts.netloc.rpartition("@")
    host, colon, port = place.rpartition(":") if ":" in place else (place, "", "")
    if not host.isascii():
        found = ascii_host(host)  # (not IDNA 2003's: faß.de is no fass.de, h119)
        if found is None:
            return None
        host = found
    start = url.index(parts.netloc) + len(parts.netloc)
    rest = quote(url[start:], safe=_PRINTABLE)
    return f"{parts.scheme}://{quote(user, safe=_PRINTABLE)}{at}{host}{colon}{port}{rest}"


def link(url: Any) -> Text:
    """A URL as text; clickable only when it is a plain http(s) URL (we build the link)."""
    shown = clean(str(url)) if url is not None else ""
    safe = clickable(url)
    text = Text(shown)
    if safe:  # (a span, not the Text's style, which a table cell's padding takes: h153,
        text.stylize(Style(link=safe, underline=True))  # the blanks after it clickable)
    return text


def _date(when: datetime | None, now: datetime) -> Text:
    if when is None:
        return Text("")
    # (the year as four digits: strftime's %Y gives "1" for year 1 on glibc, h43)
    return Text(f"{when.year:04d}-{when:%m-%d %H:%M} UTC ({relative(when, now)})")


def _status(article: Article) -> str:
    """published or not; rejected (with its reason), as `newscli reject` wrote it."""
    status = "published" if article.published else "not published"
    if article.rejected:
        reason = article.data.get("rejectedReason")
        status += "; rejected" + (f": {clean(str(reason))}" if reason else "")
    return status


class _Facts:
    """The facts, a name and a value a row. The names' column takes at most a third of
    the width, a longer name folded (h43: one long field name of the file's own took
    the whole line at 80 columns, and every value was left out); the names newscli
    gives are never folded."""

    def __init__(self, rows: list[tuple[str, Text]]) -> None:
        self.rows = rows

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        own = max((cell_len(n) for n, _ in self.rows if cell_len(n) <= OWN_NAMES), default=0)
        if options.max_width - own - 2 < NARROW_VALUES:
            # Too narrow for two columns (h111: below about 28 columns the grid cut
            # letters out of each folded line): each name on a line of its own, its
            # value folded under it.
            for name, value in self.rows:
                yield Text(name, style="bold", overflow="fold")
                yield Padding(value, (0, 0, 0, 2))
            return
        cap = max(OWN_NAMES, options.max_width // 3)
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", overflow="fold", max_width=cap, min_width=own)
        grid.add_column(overflow="fold")  # (a long URL or path whole, over lines)
        for name, value in self.rows:
            grid.add_row(name, value)
        yield grid


def _facts(article: Article, now: datetime) -> _Facts:
    provider = " · ".join(clean(p) for p in (article.provider_name, article.provider_domain) if p)
    rows: list[tuple[str, Text]] = [
        ("Provider", Text(provider)),
        ("Published", _date(article.published_at, now)),
        ("Updated", _date(article.updated_at, now)),
        # No quality and no (or -1) heat are both "unknown", never left out.
        ("Quality", Text("unknown" if article.quality is None else str(article.quality))),
        ("Heat", Text("unknown" if article.heat in (None, -1) else str(article.heat))),
        ("Status", Text(_status(article))),
        ("Topics", Text(clean(topics_text(article.topics)))),
        ("Type", Text(clean(" / ".join(x for x in (article.type, article.category) if x)))),
    ]
    rows += [(name, link(article.data[name])) for name in URL_FIELDS if article.data.get(name)]
    for image in article.data.get("images") or []:
        size = f" ({image.get('width')}x{image.get('height')})" if image.get("width") else ""
        rows.append(("Image", link(image.get("url")).append(clean(size))))
    extra = []  # every other field, even empty, its hidden characters shown escaped (h42:
    for key, value in article.data.items():  # one of an escape sequence alone was left out,
        if key not in SHOWN:  # and "\u200b" and "" were two blank names)
            shown = escaped(cell_text(value))
            extra.append((shown_key(str(key)), Text(shown or "(empty)")))
    given = [(name, value) for name, value in rows if value.plain]
    return _Facts([*given, *extra, ("File", Text(escaped_path(article.path)))])


def _related(article: Article) -> Table | None:
    items = [r for r in article.data.get("related") or [] if isinstance(r, dict)]
    if not items:
        return None
    table = Table(title="Related coverage", title_justify="left", box=box.SIMPLE_HEAD)
    for name in ("Date", "Q", "Provider", "Title"):
        table.add_column(name, overflow="fold")
    for item in items:
        provider = item["provider"] if isinstance(item.get("provider"), dict) else {}
        when = item.get("publishedDateTime")
        title = Text(clean(str(item.get("title") or "")))
        url = clickable(item.get("webUrl"))
        if url:
            title.stylize(Style(link=url))
        table.add_row(
            Text(clean(cell_text(when))[:16].replace("T", " ")),
            Text(clean(cell_text(item.get("quality")))),
            Text(clean(str(provider.get("name") or provider.get("domain") or ""))),
            title,
        )
    return table


def article_head(article: Article, now: datetime) -> Group:
    """The title, the facts and the excerpt."""
    parts: list[Any] = [Text(clean(article.title), style="bold"), Text(""), _facts(article, now)]
    if article.excerpt:
        parts += [Text(""), Text(clean(article.excerpt), style="italic")]
    return Group(*parts)


def body_lines(body: str) -> list[str]:
    """The body's lines, inert; none for a blank body."""
    return [clean(line) for line in body.splitlines()] if body.strip() else []


def body_chunks(lines: list[str], size: int = 1000) -> Iterator[Text]:
    """The body's lines as Texts of ``size`` lines each: laid out one by one, a long
    body costs in proportion to its lines (one Text of 100,000 lines took minutes,
    unable to see a signal meanwhile), and each line wraps as it would in one Text."""
    for start in range(0, len(lines), size):
        yield Text("\n".join(lines[start : start + size]))


def article_related(article: Article) -> Group | None:
    """The related coverage after a blank line, or None."""
    related = _related(article)
    return None if related is None else Group(Text(""), related)


def article_parts(article: Article, body: str, now: datetime) -> Iterator[Any]:
    """article_view in parts to print one after the other (the same text): the head,
    the body a thousand lines at a time, the related coverage."""
    yield article_head(article, now)
    for number, chunk in enumerate(body_chunks(body_lines(body))):
        yield chunk if number else Group(Text(""), chunk)
    related = article_related(article)
    if related is not None:
        yield related


def article_view(article: Article, body: str, now: datetime) -> Group:
    parts: list[Any] = [article_head(article, now)]
    lines = body_lines(body)
    if lines:
        parts += [Text(""), Text("\n".join(lines))]
    related = article_related(article)
    if related is not None:
        parts.append(related)
    return Group(*parts)
