"""CSV and TSV export: a header always, stable columns, spreadsheet-safe cells."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from newscli.article.model import Article
from newscli.formats.records import cell_text
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


def columns_for(articles: Sequence[Article]) -> list[str]:
    """DEFAULT_COLUMNS plus every other leaf field found in the articles, sorted."""
    found = fields.discover(articles, typed=False)
    covered = {"provider", "images", "related"}
    extra = sorted(
        name
        for name, kind in found.items()
        if kind != fields.MAPPING and name.split(".")[0] not in covered
    )
    return [*DEFAULT_COLUMNS, *extra]


def spreadsheet_cell(value: Any) -> Any:
    """Numbers stay numbers; text is one inert line, with a leading ' when a
    spreadsheet would read it as a formula."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    raw = cell_text(value)
    text = clean(raw)
    return "'" + text if raw.startswith(_FORMULA_START) or text.startswith(_FORMULA_START) else text


def _rows(
    articles: Sequence[Article], columns: Sequence[str], now: datetime
) -> Iterator[list[Any]]:
    for article in articles:
        yield [spreadsheet_cell(v) for v in fields.export_values(article, columns, now)]


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
