"""The article model: known fields validated and normalised, unknown fields kept."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from newscli.errors import InvalidArticleError
from newscli.timeparse import to_utc, type_name

QUALITY_MIN, QUALITY_MAX = 0, 100


@dataclass(frozen=True, slots=True)
class Article:
    """One article file. ``data`` is the front matter exactly as loaded (for export)."""

    path: str
    title: str
    data: Mapping[str, Any] = field(repr=False, compare=False)
    excerpt: str | None = None
    published_at: datetime | None = None
    updated_at: datetime | None = None
    url: str | None = None
    type: str | None = None
    category: str | None = None
    categories: tuple[str, ...] = ()
    quality: int | None = None
    heat: int | None = None
    published: bool = False
    provider_name: str | None = None
    provider_domain: str | None = None
    topics: tuple[str, ...] = ()


def _show(value: object) -> str:
    """The wrong value as a short suffix for an error message ("" for null)."""
    if value is None:
        return ""
    text = str(value).lower() if isinstance(value, bool) else repr(value)
    return " " + (text if len(text) <= 40 else text[:37] + "...")


def _fail(key: str, expected: str, value: object) -> InvalidArticleError:
    return InvalidArticleError(
        f"{key}: expected {expected}, got {type_name(value)}{_show(value)}", field=key
    )


def _optional_str(key: str, value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise _fail(key, "a string", value)


def _str_list(key: str, value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _fail(key, "a list of strings", value)
    for item in value:
        if not isinstance(item, str):
            raise _fail(key, "a list of strings", item)
    return tuple(value)


def _mapping_list(key: str, value: object) -> None:
    if value is None:
        return
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise _fail(key, "a list of mappings", value)


def _integer(key: str, value: object, low: int | None = None, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and not math.isfinite(value):
            raise _fail(key, "a finite integer", value)
        raise _fail(key, "an integer", value)
    if (low is not None and value < low) or (high is not None and value > high):
        raise InvalidArticleError(f"{key}: {value} is outside {low}-{high}", field=key)
    return value


def _date(key: str, value: object) -> datetime | None:
    if value is None:
        return None
    try:
        return to_utc(value)
    except (ValueError, OverflowError) as exc:
        raise InvalidArticleError(f"{key}: {exc}", field=key) from None


_OPTIONAL_STRINGS = (
    "excerpt",
    "originalUrl",
    "webUrl",
    "ampWebUrl",
    "cdnAmpWebUrl",
    "type",
    "category",
    "locale",
    "secured",
)
_STRING_LISTS = ("categories", "tags")
_MAPPING_LISTS = ("images", "related")


def article_from_mapping(path: str, data: dict[str, Any]) -> Article:
    """Validate a front-matter mapping and build an Article.

    Raises InvalidArticleError naming the first field that is wrong.
    """
    title = data.get("title")
    if "title" not in data:
        raise InvalidArticleError("title: missing (required)", field="title")
    if not isinstance(title, str):
        raise _fail("title", "a string", title)
    strings = {key: _optional_str(key, data.get(key)) for key in _OPTIONAL_STRINGS}
    for key in _STRING_LISTS:
        _str_list(key, data.get(key))
    for key in _MAPPING_LISTS:
        _mapping_list(key, data.get(key))

    quality = data.get("quality")
    if quality is not None:
        quality = _integer("quality", quality, QUALITY_MIN, QUALITY_MAX)
    heat = data.get("heat")
    if heat is not None:
        heat = _integer("heat", heat)

    published = data.get("published", False)
    if not isinstance(published, bool):
        raise _fail("published", "true or false", published)

    provider = data.get("provider")
    provider_name = provider_domain = None
    if provider is not None:
        if not isinstance(provider, dict):
            raise _fail("provider", "a mapping with name and domain", provider)
        provider_name = _optional_str("provider.name", provider.get("name"))
        provider_domain = _optional_str("provider.domain", provider.get("domain"))

    return Article(
        path=path,
        title=title,
        data=data,
        excerpt=strings["excerpt"],
        published_at=_date("publishedDateTime", data.get("publishedDateTime")),
        updated_at=_date("updatedDateTime", data.get("updatedDateTime")),
        url=strings["webUrl"] or strings["originalUrl"],
        type=strings["type"],
        category=strings["category"],
        categories=_str_list("categories", data.get("categories")),
        quality=quality,
        heat=heat,
        published=published,
        provider_name=provider_name,
        provider_domain=provider_domain,
        topics=_str_list("topics", data.get("topics")),
    )
