"""Compact article records: what worker processes send back and the index cache keeps.

A record holds the validated known fields as plain values. The whole front matter
travels as its export JSON; the typed front matter is only parsed again from the file
when something asks for it (`LazyData`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

from newscli.model import Article


class LazyData(Mapping[str, Any]):
    """A read-only mapping fetched on first use (the front matter, parsed again)."""

    __slots__ = ("_fetch", "_value")

    def __init__(self, fetch: Callable[[], Mapping[str, Any]]):
        self._fetch = fetch
        self._value: Mapping[str, Any] | None = None

    def _data(self) -> Mapping[str, Any]:
        if self._value is None:
            self._value = self._fetch()
        return self._value

    def __getitem__(self, key: str) -> Any:
        return self._data()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data())

    def __len__(self) -> int:
        return len(self._data())


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MICROSECOND = timedelta(microseconds=1)


def _ts(value: datetime | None) -> int | None:
    """An aware UTC datetime as whole microseconds since 1970 (exact, and fast back)."""
    return None if value is None else (value - _EPOCH) // _MICROSECOND


def _when(value: int | None) -> datetime | None:
    return None if value is None else _EPOCH + timedelta(microseconds=value)


# The order of a record's fields; the cache's columns follow it.
FIELDS = (
    "title", "excerpt", "published_at", "updated_at", "url", "type", "category", "categories",
    "quality", "heat", "published", "provider_name", "provider_domain", "topics",
)  # fmt: skip


_SEP = "\x1f"  # the ASCII unit separator


def _join(items: tuple[str, ...]) -> str:
    """A list of strings as one text: "s" + items joined by _SEP, or "j" + JSON when an
    item holds the separator ("" for none)."""
    if not items:
        return ""
    if any(_SEP in item for item in items):
        return "j" + json.dumps(list(items), ensure_ascii=False)
    return "s" + _SEP.join(items)


def _split(text: str) -> tuple[str, ...]:
    if not text:
        return ()
    if text[0] == "j":
        return tuple(json.loads(text[1:]))
    return tuple(text[1:].split(_SEP))


def to_record(article: Article) -> tuple[Any, ...]:
    """An Article's known fields as plain values (lists as JSON text)."""
    a = article
    return (
        a.title, a.excerpt, _ts(a.published_at), _ts(a.updated_at), a.url, a.type, a.category,
        _join(a.categories), a.quality, a.heat, int(a.published),
        a.provider_name, a.provider_domain, _join(a.topics),
    )  # fmt: skip


def from_record(
    path: str,
    record: tuple[Any, ...],
    data: Mapping[str, Any],
    export_text: Callable[[], str] | None = None,
) -> Article:
    (title, excerpt, published_at, updated_at, url, kind, category, categories, quality, heat,
     published, provider_name, provider_domain, topics) = record  # fmt: skip
    return Article(
        path=path,
        title=title,
        data=data,
        excerpt=excerpt,
        published_at=_when(published_at),
        updated_at=_when(updated_at),
        url=url,
        type=kind,
        category=category,
        categories=_split(categories),
        quality=quality,
        heat=heat,
        published=bool(published),
        provider_name=provider_name,
        provider_domain=provider_domain,
        topics=_split(topics),
        export_text=export_text,
    )
