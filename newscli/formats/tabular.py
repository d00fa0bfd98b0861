"""CSV and TSV export: a header always, stable columns, spreadsheet-safe cells."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from newscli.article.model import Article
from newscli.article.record import prefetch_exports
from newscli.formats.records import PREFETCH, cell_text
from newscli.sanitize import clean
from newscli.select import fields

# Known fields in a fixed order, nested ones flattened with dots; lists are joined
# with "; ". Fields found in the data follow, sorted by name.
DEFAULT_COLUMNS = (
    "path", "title", "excerpt", "publishedDateTime", "updatedDateTime", "originalUrl",
    "webUrl", "ampWebUrl", "cdnAmpWebUrl", "type", "category", "categories", "quality",
    "heat", "published", "provider.name", "provider.domain", "topics", "tags", "locale",
    "images.url", "related.webUrl", "secured",
)  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# One file with 100,000 keys would make every row 100,000 cells wide: beyond this many
# other fields, only those found in the most articles become columns.
MAX_EXTRA_COLUMNS = 200


def columns_for(articles: Sequence[Article]) -> tuple[list[str], int]:
    """(DEFAULT_COLUMNS plus the other leaf fields found in the articles, sorted, at
    most MAX_EXTRA_COLUMNS of them: those most articles have; how many were left out)."""
    covered = {"provider", "images", "related"}
    counts = fields.leaf_counts(articles)
    extra = [name for name in counts if name.split(".")[0] not in covered]
    left_out = max(len(extra) - MAX_EXTRA_COLUMNS, 0)
    if left_out:
        extra.sort(key=lambda name: (-counts[name], name))
        extra = extra[:MAX_EXTRA_COLUMNS]
    return [*DEFAULT_COLUMNS, *sorted(extra)], left_out


def spreadsheet_cell(value: Any) -> Any:
    """Numbers stay numbers; text is one inert line, with a leading ' when a
    spreadsheet would read it as a formula."""
    if type(value) is str:  # the usual cases first
        if value.isascii() and value.isprintable() and not value.startswith(_FORMULA_START):
            return value
    elif type(value) is int or value is None:
        return "" if value is None else value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    raw = cell_text(value)
    text = clean(raw)
    return "'" + text if raw.startswith(_FORMULA_START) or text.startswith(_FORMULA_START) else text


def _rows(
    articles: Sequence[Article], columns: Sequence[str], now: datetime
) -> Iterator[list[Any]]:
    row = fields.export_row(columns)
    fetch = fields.needs_export(columns)
    for start, article in enumerate(articles):
        if fetch and start % PREFETCH == 0:
            prefetch_exports(articles[start : start + PREFETCH])
        yield [spreadsheet_cell(v) for v in row(article, now)]


def csv_chunks(
    articles: Sequence[Article], columns: Sequence[str], now: datetime, delimiter: str = ","
) -> Iterator[str]:
    """CSV (RFC 4180, CRLF line ends) or, with a tab delimiter, TSV (LF; no quoting is
    needed since cells hold no tabs or line breaks)."""
    if delimiter == "\t":
        yield "\t".join(clean(c) for c in columns) + "\n"
        for row in _rows(articles, columns, now):
            yield "\t".join(str(cell) for cell in row) + "\n"
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in _rows(articles, columns, now):
        writer.writerow(row)
        if buffer.tell() > 65536:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
