"""Turning articles into output text: JSON export and tab-separated listings."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from newscli.model import Article
from newscli.sanitize import clean, escape_json_text
from newscli.timeparse import format_rfc3339, to_utc

DATE_FIELDS = ("publishedDateTime", "updatedDateTime")


def _key(key: object) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, bool) or key is None:
        return json.dumps(key)
    return str(_jsonable(key))


def _jsonable(value: Any) -> Any:
    """Plain JSON values: dates as RFC 3339 UTC, non-finite numbers as null."""
    if isinstance(value, dict):
        return {_key(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return format_rfc3339(to_utc(value))
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def export_record(article: Article) -> dict[str, Any]:
    """The article's front matter under its original names, dates normalised, plus path."""
    record = _jsonable(dict(article.data))
    for name, value in zip(DATE_FIELDS, (article.published_at, article.updated_at), strict=True):
        if value is not None:
            record[name] = format_rfc3339(value)
    record["path"] = article.path
    return record


def to_json(articles: Iterable[Article]) -> str:
    """A strict JSON array (no NaN/Infinity), one record per article, newline-terminated."""
    records = [export_record(a) for a in articles]
    text = json.dumps(records, ensure_ascii=False, indent=2, allow_nan=False)
    return escape_json_text(text) + "\n"


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
        article.path,
    )


def to_tsv(articles: Iterable[Article]) -> str:
    """Tab-separated values with a header row; every cell is one inert line."""
    lines = ["\t".join(LIST_COLUMNS)]
    lines.extend("\t".join(clean(cell) for cell in list_row(a)) for a in articles)
    return "\n".join(lines) + "\n"
