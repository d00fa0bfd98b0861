"""CSV and TSV export: a header always, stable columns, spreadsheet-safe cells."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from newscli.article.field_map import MODEL_NAMES
from newscli.article.model import Article
from newscli.article.record import StoredText, prefetch_exports
from newscli.errors import ArticleChangedError
from newscli.formats.records import PREFETCH, cell_text
from newscli.sanitize import clean, escaped, escaped_path
from newscli.select import fields

# Known fields in a fixed order, nested ones flattened with dots; lists are joined
# with "; ". Fields found in the data follow, sorted by name.
# The cache keeps each file's cells of these (but the path's): a change to them, or to
# how a cell is made, needs a new cache schema version (index.cache_keys.SCHEMA_VERSION).
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


def _text(value: Any) -> str:
    """spreadsheet_cell's value as the text of its cell (numbers as str() writes them)."""
    if type(value) is str:  # the usual case first
        if value.isascii() and value.isprintable() and not value.startswith(_FORMULA_START):
            return value
    elif value is None:
        return ""
    elif type(value) is int:
        return str(value)
    cell = spreadsheet_cell(value)
    return cell if type(cell) is str else str(cell)


def _view(article: Article) -> tuple[str | None, Mapping[Any, Any]]:
    """(the export JSON, export_view of it): the text kept to check what cells are made of."""
    if article.export_text is None:
        return None, article.data
    text = article.export_text()
    return text, json.loads(text)


class _Rows:
    """Rows as cells joined by tabs (no cell holds one), a chunk of articles at a time.
    With the default columns first, their cells (but the path's) come from the cache
    (kept there by the first export that made them); other columns are looked up."""

    def __init__(self, columns: Sequence[str], now: datetime, left: list[str] | None) -> None:
        self.now = now
        self.left = left  # the paths of articles changed since selected (left out)
        self.cached = tuple(columns[: len(DEFAULT_COLUMNS)]) == DEFAULT_COLUMNS
        self.extra = list(columns[len(DEFAULT_COLUMNS) :] if self.cached else columns)
        self.default_row = fields.export_row(DEFAULT_COLUMNS[1:])
        self.extra_row = fields.export_row(self.extra)
        self.extra_json = fields.needs_export(self.extra)
        tops = {name.split(".")[0] for name in self.extra}
        # a file's field map tells when it has none of the extra fields (if none is the model's)
        self.tops = None if tops & MODEL_NAMES else frozenset(tops)
        self.empty = "\t" * (len(self.extra) - 1)
        # a path's cell is escaped, as list's TSV has it: never another file's name (h94)
        self.paths = [n for n, name in enumerate(self.extra) if name == "path"]
        self.kept: dict[int, tuple[Any, list[tuple[str, str, str]]]] = {}  # store -> cells

    def chunk(self, articles: Sequence[Article]) -> list[str]:
        texts = [article.export_text for article in articles]
        stored: list[tuple[Any, str] | None] = [
            (text.store, text.key) if isinstance(text, StoredText) else None for text in texts
        ]
        found: dict[str, str] = {}
        if self.cached:
            # (each article's cells as made from the version of its file selected)
            by_store: dict[int, tuple[Any, dict[str, bytes | None]]] = {}
            for text in texts:
                if isinstance(text, StoredText):
                    wanted = by_store.setdefault(id(text.store), (text.store, {}))[1]
                    wanted[text.key] = text.version
            for store, versions in by_store.values():
                found.update(store.cells(versions))
        needs = [self._needs_json(a, p, found) for a, p in zip(articles, stored, strict=True)]
        prefetch_exports([a for a, need in zip(articles, needs, strict=True) if need])
        lines = []
        for article, place, need in zip(articles, stored, needs, strict=True):
            try:
                lines.append(self._line(article, place, need, found))
            except ArticleChangedError:
                if self.left is None:
                    raise
                self.left.append(article.path)  # (left out)
        return lines

    def _line(
        self, article: Article, place: tuple[Any, str] | None, need: bool, found: dict[str, str]
    ) -> str:
        """One article's row, its cells joined by tabs."""
        text, view = _view(article) if need else (None, None)
        cells = []
        if self.cached:
            cells.append(_text(escaped_path(article.path)))
            made = found.get(place[1]) if place is not None else None
            if made is None:
                made = "\t".join(map(_text, self.default_row(article, self.now, view)))
                if place is not None and text is not None:
                    self._keep(place[0], (place[1], text, made))
            cells.append(made)
        if self.extra:
            if self.extra_json and view is None:
                cells.append(self.empty)  # the file has none of them
            else:
                extra = list(map(_text, self.extra_row(article, self.now, view)))
                for n in self.paths:
                    extra[n] = _text(escaped_path(article.path))
                cells.extend(extra)
        return "\t".join(cells)

    def _needs_json(
        self, article: Article, place: tuple[Any, str] | None, found: dict[str, str]
    ) -> bool:
        """Whether this article's export JSON is read: for its default cells when the cache
        has none, for the other columns when its field map does not rule them out."""
        if self.cached and (place is None or place[1] not in found):
            return True
        if not self.extra_json:
            return False
        field_map = getattr(article.data, "field_map", None)
        if self.tops is None or not isinstance(field_map, str):
            return True
        return not self.tops.isdisjoint(fields.export_tops(field_map))

    def _keep(self, store: Any, row: tuple[str, str, str]) -> None:
        kept = self.kept.setdefault(id(store), (store, []))[1]
        kept.append(row)
        if len(kept) >= KEEP_BATCH:
            self.flush()

    def flush(self) -> None:
        """Hand the cells made to the stores (the index cache keeps them)."""
        for store, rows in self.kept.values():
            if rows:
                store.keep_cells(rows)
                rows.clear()


KEEP_BATCH = 2000  # cells handed to the cache at a time
ROWS_PER_PIECE = 50  # rows yielded at a time


def _quoting(text: str) -> bool:
    """Whether csv.writer quotes a cell with this text (or a row with it)."""
    return '"' in text or "," in text or "\r" in text or "\n" in text


def _csv_cell(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"' if _quoting(cell) else cell


def _csv_line(tabbed: str) -> str:
    """A row as csv.writer writes it (minimal quoting; cells hold no tab)."""
    if _quoting(tabbed):
        return ",".join(map(_csv_cell, tabbed.split("\t")))
    return tabbed.replace("\t", ",")


def csv_chunks(
    articles: Sequence[Article],
    columns: Sequence[str],
    now: datetime,
    delimiter: str = ",",
    left: list[str] | None = None,
) -> Iterator[str]:
    """CSV (RFC 4180, CRLF line ends) or, with a tab delimiter, TSV (LF; no quoting is
    needed since cells hold no tabs or line breaks). An article changed since it was
    selected is left out, its path added to ``left`` (without ``left``, the error goes
    up: ArticleChangedError)."""
    tsv = delimiter == "\t"
    # names come from files: inert cells, each as --fields names it in its hints
    # (h99: "evil\x1bkey" was the header "eviley", a field no --fields knows)
    header = [_text(escaped(name)) for name in columns]
    if tsv:
        yield "\t".join(header) + "\n"
    else:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerow(header)
        yield buffer.getvalue()
    rows = _Rows(columns, now, left)
    for start in range(0, len(articles), PREFETCH):
        lines = rows.chunk(articles[start : start + PREFETCH])
        if not tsv:
            one = len(columns) == 1  # csv.writer quotes a row of one empty cell
            lines = [_csv_line(line) if line or not one else '""' for line in lines]
        end = "\n" if tsv else "\r\n"
        # pieces of about 64 kB (the writer joins a few hundred pieces at a time)
        for piece in range(0, len(lines), ROWS_PER_PIECE):
            yield end.join(lines[piece : piece + ROWS_PER_PIECE]) + end
    rows.flush()
