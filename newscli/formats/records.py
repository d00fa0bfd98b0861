"""Turning articles into output text: JSON export and tab-separated listings."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import TYPE_CHECKING, Any

from newscli.article.model import Article
from newscli.article.record import COMPACT, front_matter_json, jsonable, prefetch_exports
from newscli.article.timeparse import format_rfc3339
from newscli.errors import ArticleChangedError
from newscli.formats.json_text import indented, indented_array
from newscli.sanitize import clean, escape_json_text, escaped_path

if TYPE_CHECKING:
    from newscli.select.stories import Story


def record_text(article: Article, duplicates: Mapping[str, list[str]] | None = None) -> str:
    """One export record as JSON text: the front matter, then "path" (and, after
    --dedupe, "duplicates": the other articles of its story)."""
    if article.export_text is not None:
        body = article.export_text()
    else:
        body = front_matter_json(article.data, article.published_at, article.updated_at)
    if duplicates is None and '"path":' not in body:  # the usual case, without a dict
        tail = '"path":' + encode_basestring(article.path) + "}"
        return "{" + tail if body == "{}" else body[:-1] + "," + tail
    extra: dict[str, Any] = {"path": article.path}
    if duplicates is not None:
        extra["duplicates"] = duplicates.get(article.path, [])
    if any(f'"{key}":' in body for key in extra):  # the front matter has such a key
        return COMPACT.encode({**json.loads(body), **extra})
    tail = COMPACT.encode(extra)[1:]
    return tail if body == "{}" else body[:-1] + "," + tail


def export_record(
    article: Article, duplicates: Mapping[str, list[str]] | None = None
) -> dict[str, Any]:
    """record_text as a dict."""
    return json.loads(record_text(article, duplicates))


def _plain(value: Any) -> Any:
    if isinstance(value, timedelta):
        return int(value.total_seconds())
    return value


def field_record(article: Article, names: Sequence[str], now: datetime) -> dict[str, Any]:
    """Only the named fields (dotted paths as keys); durations as whole seconds."""
    from newscli.select.fields import export_values

    values = export_values(article, names, now)
    return {name: jsonable(_plain(value)) for name, value in zip(names, values, strict=True)}


def record_texts(
    articles: Iterable[Article],
    *,
    fields: Sequence[str] | None = None,
    duplicates: Mapping[str, list[str]] | None = None,
    now: datetime | None = None,
    left: list[str] | None = None,
) -> Iterator[str]:
    """Export records as escaped JSON texts: whole articles, or only ``fields``. An
    article changed since it was selected (ArticleChangedError) is left out, its path
    added to ``left`` (without ``left``, the error goes up)."""
    when = now or datetime.now(timezone.utc)
    # A list is read from the cache a slice at a time; anything else, one at a time.
    sequence = articles if isinstance(articles, Sequence) else None
    if fields:
        from newscli.select.fields import needs_export

        # (after --dedupe, "duplicates" is the story's other articles, not a file's field)
        story = duplicates if "duplicates" in fields else None
        plain = [name for name in fields if name != "duplicates"] if story is not None else fields
        if sequence is None or not needs_export(plain):
            sequence = None
        for start, article in enumerate(articles):
            if sequence is not None and start % PREFETCH == 0:
                prefetch_exports(sequence[start : start + PREFETCH])
            try:
                record = field_record(article, plain, when)
            except ArticleChangedError:
                if left is None:
                    raise
                left.append(article.path)
                continue
            if story is not None:
                others = story.get(article.path, [])
                record = {n: others if n == "duplicates" else record[n] for n in fields}
            yield _dumps(record)
        return
    for start, article in enumerate(articles):
        if sequence is not None and start % PREFETCH == 0:
            prefetch_exports(sequence[start : start + PREFETCH])
        try:
            text = record_text(article, duplicates)
        except ArticleChangedError:
            if left is None:
                raise
            left.append(article.path)
            continue
        yield escape_json_text(text)


PREFETCH = 500  # export texts read from the cache at a time


def prefetched(articles: Sequence[Article]) -> Iterator[Article]:
    """The articles, their export JSON read from the cache PREFETCH at a time (each
    text is handed out once: for one export_record or export_view per article)."""
    for start in range(0, len(articles), PREFETCH):
        chunk = articles[start : start + PREFETCH]
        prefetch_exports(chunk)
        yield from chunk


def _dumps(value: Any, indent: int | None = None) -> str:
    """Strict JSON (no NaN/Infinity) with terminal-unsafe characters escaped."""
    if indent is None:
        text = COMPACT.encode(value)
    elif indent == 2:
        text = indented(value)
    else:
        text = json.dumps(value, ensure_ascii=False, indent=indent, allow_nan=False)
    return escape_json_text(text)


def json_chunks(texts: Iterable[str]) -> Iterator[str]:
    """A JSON array written record by record, one compact record per line (easy to
    diff and grep; `jq .` pretty-prints it)."""
    first = True
    for text in texts:
        yield ("[\n" if first else ",\n") + text
        first = False
    yield "[]\n" if first else "\n]\n"


def json_value(value: Any) -> str:
    """Any JSON-ready value as indented strict JSON text."""
    return _dumps(value, indent=2) + "\n"


def jsonl_chunks(texts: Iterable[str]) -> Iterator[str]:
    """JSON Lines: one compact object per line."""
    for text in texts:
        yield text + "\n"


def to_json(
    articles: Iterable[Article],
    *,
    fields: Sequence[str] | None = None,
    duplicates: Mapping[str, list[str]] | None = None,
    now: datetime | None = None,
) -> str:
    """A strict JSON array (no NaN/Infinity), one record per article, newline-terminated."""
    texts = record_texts(articles, fields=fields, duplicates=duplicates, now=now)
    return "".join(json_chunks(texts))


def cell_text(value: Any) -> str:
    """A field value as one TSV cell (before sanitising)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return format_rfc3339(value)
    if isinstance(value, timedelta):
        return str(int(value.total_seconds()))
    if isinstance(value, list):
        return "; ".join(cell_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(jsonable(value), ensure_ascii=False, allow_nan=False)
    return str(value)


LIST_COLUMNS = ("date", "quality", "heat", "published", "topics", "provider", "title", "path")


def _date_text(value: datetime | None) -> str:
    return format_rfc3339(value) if value else ""


def list_row(article: Article) -> tuple[str, ...]:
    """One listing row of full, sanitised values in LIST_COLUMNS order."""
    return (
        _date_text(article.published_at),
        "" if article.quality is None else str(article.quality),
        "" if article.heat is None else str(article.heat),
        "true" if article.published else "false",
        "; ".join(article.topics),
        article.provider_name or article.provider_domain or "",
        article.title,
        escaped_path(article.path),  # (its escape sequences shown: not another file's name, h84 1)
    )


def to_tsv(
    articles: Iterable[Article],
    columns: Sequence[str] | None = None,
    now: datetime | None = None,
) -> str:
    """Tab-separated values with a header row; every cell is one inert line.
    Default columns are LIST_COLUMNS; otherwise the named fields."""
    if not columns:
        rows: Iterable[Sequence[str]] = (list_row(a) for a in articles)
        columns = LIST_COLUMNS
    else:
        when = now or datetime.now(timezone.utc)
        rows = _field_rows(articles, columns, when)
    lines = ["\t".join(clean(c) for c in columns)]
    lines.extend(map(_tsv_line, rows))
    return "\n".join(lines) + "\n"


def _tsv_line(row: Sequence[str]) -> str:
    """One TSV line of inert cells (each cleaned only when the row is not plain ASCII)."""
    whole = "".join(row)
    if whole.isascii() and whole.isprintable():  # no tab, line break or control in it
        return "\t".join(row)
    return "\t".join(clean(cell) for cell in row)


def _field_rows(
    articles: Iterable[Article], columns: Sequence[str], now: datetime
) -> Iterator[list[str]]:
    """The cells of these fields, the export JSON read from the cache a slice at a time."""
    from newscli.select.fields import export_row, needs_export

    sequence = articles if isinstance(articles, Sequence) and needs_export(columns) else None
    row = export_row(columns)
    paths = [n for n, column in enumerate(columns) if column == "path"]  # (as list_row's)
    for start, article in enumerate(articles):
        if sequence is not None and start % PREFETCH == 0:
            prefetch_exports(sequence[start : start + PREFETCH])
        cells = [cell_text(v) for v in row(article, now)]
        for n in paths:
            cells[n] = escaped_path(cells[n])
        yield cells


def rows_tsv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """Generic TSV: a header row, then one inert line per row."""
    lines = ["\t".join(header)]
    lines.extend("\t".join(clean(cell) for cell in row) for row in rows)
    return "\n".join(lines) + "\n"


# (id last: the columns before it kept their places when it came)
CLUSTER_COLUMNS = (
    "story", "kept", "date", "quality", "heat", "provider", "title", "path", "joined", "with",
    "id",
)  # fmt: skip


def _cluster_rows(stories: Sequence[Story], first: int) -> Iterator[tuple[str, ...]]:
    from newscli.select.stories import story_ids

    for number, story, sid in zip(itertools.count(first), stories, story_ids(stories)):
        joined = story.joined()
        for article in story.articles:
            date, quality, heat, _published, _topics, provider, title, path = list_row(article)
            kept = "true" if article is story.kept else "false"
            other, link = joined.get(article.path, (None, None))
            why = (link.reason(), escaped_path(other.path)) if link and other else ("", "")
            yield (str(number), kept, date, quality, heat, provider, title, path, *why, sid)


def clusters_tsv(stories: Sequence[Story], first: int = 1) -> str:
    """``first``: the number of the first story (its place in the whole list)."""
    return rows_tsv(CLUSTER_COLUMNS, _cluster_rows(stories, first))


def _summary(article: Article) -> dict[str, Any]:
    return {
        "path": article.path,
        "title": article.title,
        "publishedDateTime": _date_text(article.published_at) or None,
        "quality": article.quality,
        "heat": article.heat,
        "provider": article.provider_name or article.provider_domain,
        "url": article.url,
    }


def _cluster_items(stories: Sequence[Story], first: int) -> Iterator[dict[str, Any]]:
    from newscli.select.stories import story_ids

    for n, s, sid in zip(itertools.count(first), stories, story_ids(stories)):
        joined = s.joined()
        articles = []
        for article in s.articles:
            summary = _summary(article)
            if article.path in joined:
                other, link = joined[article.path]
                summary["joined"] = {"with": other.path, "by": link.by, "score": link.score}
            if article.rejected:  # (h150: a rejected member looked like any other)
                summary["rejected"] = True
            articles.append(summary)
        yield {"story": n, "id": sid, "kept": s.kept.path, "articles": articles}


def clusters_json(stories: Sequence[Story], first: int = 1) -> Iterator[str]:
    """``[{"story": 1, "kept": PATH, "articles": [{path, title, ..., "joined": {"with":
    PATH, "by": "url|related|similar", "score": 0.83}, "rejected": true}, ...]}]`` (the
    kept article has no "joined": the others joined it, or one another, for the reason
    given; "rejected" only on a rejected article).
    ``first``: the number of the first story (its place in the whole list). In pieces
    of about 64 KB, each story's made as it is written."""
    for text in indented_array(_cluster_items(stories, first)):
        yield escape_json_text(text)
    yield "\n"


def clusters_jsonl(stories: Sequence[Story], first: int = 1) -> str:
    """The items of clusters_json, one compact object per line."""
    return values_jsonl(_cluster_items(stories, first))


def values_jsonl(values: Iterable[Any]) -> str:
    """JSON Lines: each value as one compact, strict, inert line."""
    return "".join(_dumps(value) + "\n" for value in values)


def rows_json(header: Sequence[str], rows: Iterable[Sequence[Any]], lines: bool = False) -> str:
    """Rows as objects keyed by the header: a JSON array, or JSON Lines (``lines``)."""
    items = [dict(zip(header, row, strict=True)) for row in rows]
    return values_jsonl(items) if lines else json_value(items)
