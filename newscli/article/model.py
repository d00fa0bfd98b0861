"""The article model: known fields validated and normalised, unknown fields kept."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from newscli.article.timeparse import to_utc, type_name
from newscli.errors import InvalidArticleError

QUALITY_MIN, QUALITY_MAX = 0, 100
# What SQLite (the index cache) stores as an integer: known integer fields must fit.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
_UTC = timezone.utc


@dataclass(slots=True, eq=False)
class Article:
    """One article file. ``data`` is the front matter exactly as loaded (for export).
    Treat it as read-only (not frozen only because frozen dataclasses build slowly)."""

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
    rejected: bool = False  # `rejected: true` (newscli reject): left out of selections
    # The export JSON of the front matter (no path), when it was made ahead (cache).
    export_text: Callable[[], str] | None = field(default=None, repr=False)


def _show(value: object) -> str:
    """The wrong value as a short suffix for an error message ("" for null)."""
    if value is None:
        return ""
    text = str(value).lower() if isinstance(value, bool) else repr(value)
    if isinstance(value, (list, dict)):  # (h150: as YAML gave it, not Python's None)
        import contextlib
        import json

        with contextlib.suppress(TypeError, ValueError, RecursionError):  # (keys JSON lacks)
            text = json.dumps(value, default=str, ensure_ascii=False)
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
    written = getattr(value, "written", None)
    if isinstance(written, str):  # (yaml_scalars.Yaml11Int: `quality: 1:30` was 90, h136)
        # (its form matched YAML's int pattern: digits, signs, x, b, ':' and '_' only)
        number = str(int(value)) if len(written) <= 40 else "a number"
        shown = written if len(written) <= 40 else written[:37] + "..."
        raise InvalidArticleError(
            f"{key}: {shown!r} is {number} in YAML 1.1 but not in YAML 1.2;"
            " write the number in plain decimal digits",
            field=key,
        )
    if (low is not None and value < low) or (high is not None and value > high):
        raise InvalidArticleError(f"{key}: {value} is outside {low}-{high}", field=key)
    if not INT64_MIN <= value <= INT64_MAX:
        text = str(value)
        shown = text if len(text) <= 40 else text[:37] + "..."
        raise InvalidArticleError(
            f"{key}: {shown} is out of range ({INT64_MIN} to {INT64_MAX})", field=key
        )
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
_STRING_LISTS = ("categories", "tags", "topics")
_MAPPING_LISTS = ("images", "related")
_DATES = ("publishedDateTime", "updatedDateTime")


def _check_title(data: dict[str, Any]) -> None:
    if "title" not in data:
        raise InvalidArticleError("title: missing (required)", field="title")
    if not isinstance(data["title"], str):
        raise _fail("title", "a string", data["title"])


def _check_numbers(data: dict[str, Any]) -> None:
    if data.get("quality") is not None:
        _integer("quality", data["quality"], QUALITY_MIN, QUALITY_MAX)


def _check_heat(data: dict[str, Any]) -> None:
    if data.get("heat") is not None:
        _integer("heat", data["heat"])


def _check_published(data: dict[str, Any]) -> None:
    published = data.get("published", False)
    if not isinstance(published, bool):
        raise _fail("published", "true or false", published)


def _check_rejected(data: dict[str, Any]) -> None:
    """newscli's own flag (`newscli reject`): a text "true" rejected nothing (h36)."""
    rejected = data.get("rejected")
    if rejected is not None and not isinstance(rejected, bool):
        raise _fail("rejected", "true or false", rejected)


def _check_provider(data: dict[str, Any]) -> None:
    provider = data.get("provider")
    if provider is None:
        return
    if not isinstance(provider, dict):
        raise _fail("provider", "a mapping with name and domain", provider)
    _optional_str("provider.name", provider.get("name"))
    _optional_str("provider.domain", provider.get("domain"))


Check = Callable[[dict[str, Any]], object]


def _field_check(test: Callable[[str, Any], object], name: str) -> Check:
    """A check of one field: ``test(name, value)``."""
    return lambda data: test(name, data.get(name))


def _checks() -> list[Check]:
    checks: list[Check] = [_check_title]
    checks += [_field_check(_optional_str, k) for k in _OPTIONAL_STRINGS]
    checks += [_field_check(_str_list, k) for k in _STRING_LISTS]
    checks += [_field_check(_mapping_list, k) for k in _MAPPING_LISTS]
    checks += [_field_check(_date, k) for k in _DATES]
    return [
        *checks,
        _check_numbers,
        _check_heat,
        _check_published,
        _check_rejected,
        _check_provider,
    ]


_CHECKS = _checks()


def field_problems(data: dict[str, Any]) -> list[InvalidArticleError]:
    """Every problem with the known fields, in a fixed order (empty when valid)."""
    problems = []
    for check in _CHECKS:
        try:
            check(data)
        except InvalidArticleError as exc:
            problems.append(exc)
    return problems


def _plainly_valid(data: dict[str, Any]) -> bool:
    """True only when every check above passes, told in one quick pass over the usual
    types (exact str, int, list, dict, UTC datetime); False for anything else, which
    the checks then look at one by one (and say what is wrong, if anything)."""
    get = data.get
    if get("title").__class__ is not str:
        return False
    for name in _OPTIONAL_STRINGS:
        value = get(name)
        if value is not None and value.__class__ is not str:
            return False
    for names, kind in ((_STRING_LISTS, str), (_MAPPING_LISTS, dict)):
        for name in names:
            value = get(name)
            if value is not None:
                if value.__class__ is not list:
                    return False
                for item in value:
                    if item.__class__ is not kind:
                        return False
    for name in _DATES:
        value = get(name)
        if value is not None and (value.__class__ is not datetime or value.tzinfo is not _UTC):
            return False
    quality, heat = get("quality"), get("heat")
    if quality is not None and (
        quality.__class__ is not int or not QUALITY_MIN <= quality <= QUALITY_MAX
    ):
        return False
    if heat is not None and (heat.__class__ is not int or not INT64_MIN <= heat <= INT64_MAX):
        return False
    if get("published", False).__class__ is not bool:
        return False
    rejected = get("rejected")
    if rejected is not None and rejected.__class__ is not bool:
        return False
    provider = get("provider")
    if provider is None:
        return True
    if provider.__class__ is not dict:
        return False
    shown, domain = provider.get("name"), provider.get("domain")
    return (shown is None or shown.__class__ is str) and (domain is None or domain.__class__ is str)


def article_from_mapping(path: str, data: dict[str, Any]) -> Article:
    """Validate a front-matter mapping and build an Article.

    Raises InvalidArticleError for the first field that is wrong.
    """
    if not _plainly_valid(data):  # the usual article needs no check one by one
        problems = field_problems(data)
        if problems:
            raise problems[0]
    provider = data.get("provider") or {}
    return Article(
        path=path,
        title=data["title"],
        data=data,
        excerpt=data.get("excerpt"),
        published_at=_date("publishedDateTime", data.get("publishedDateTime")),
        updated_at=_date("updatedDateTime", data.get("updatedDateTime")),
        url=data.get("webUrl") or data.get("originalUrl"),
        type=data.get("type"),
        category=data.get("category"),
        categories=tuple(data.get("categories") or ()),
        quality=data.get("quality"),
        heat=data.get("heat"),
        published=data.get("published", False),
        provider_name=provider.get("name"),
        provider_domain=provider.get("domain"),
        topics=tuple(data.get("topics") or ()),
        rejected=data.get("rejected") is True,
    )
