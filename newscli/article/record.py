"""Compact article records: what worker processes send back and the index cache keeps.

A record holds the validated known fields as plain values. The whole front matter
travels as its export JSON; the typed front matter is only parsed again from the file
when something asks for it (`LazyData`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

from newscli.article.field_map import well_formed
from newscli.article.folding import fold
from newscli.article.model import Article
from newscli.article.timeparse import format_rfc3339, to_utc
from newscli.errors import ArticleChangedError, DamagedRecordError

DATE_FIELDS = ("publishedDateTime", "updatedDateTime")


def key_name(key: object) -> str:
    """The name a front-matter key has in the export JSON (1 and "1" both "1")."""
    if isinstance(key, str):
        return key
    if isinstance(key, bool) or key is None:
        return json.dumps(key)
    if isinstance(key, float) and not math.isfinite(key):
        return str(key)  # "inf", "-inf", "nan": as `fields` and `show` name it (h43: "None")
    return str(jsonable(key))


def jsonable(value: Any) -> Any:
    """Plain JSON values: dates as RFC 3339 UTC, non-finite numbers as null."""
    if isinstance(value, dict):
        return {key_name(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime):
        return format_rfc3339(to_utc(value))
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _default(value: Any) -> Any:
    """json's hook for the values YAML gives that JSON lacks."""
    if isinstance(value, datetime):
        return format_rfc3339(to_utc(value))
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


COMPACT = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))
# Front matter holds no cycles (YAML aliases are refused): no bookkeeping to find them.
_FAST = json.JSONEncoder(
    ensure_ascii=False,
    allow_nan=False,
    separators=(",", ":"),
    default=_default,
    check_circular=False,
)


def front_matter_json(
    data: Mapping[Any, Any], published_at: datetime | None, updated_at: datetime | None
) -> str:
    """The front matter as compact JSON: original names and order, the two known dates
    as RFC 3339 UTC, other dates too, non-finite numbers as null. Not yet escaped."""
    record = dict(data)
    for name, value in zip(DATE_FIELDS, (published_at, updated_at), strict=True):
        if value is not None:
            record[name] = format_rfc3339(value)
    try:
        return _FAST.encode(record)
    except (ValueError, TypeError):  # NaN/Infinity, or a key JSON cannot hold as is
        return COMPACT.encode(jsonable(record))


class LazyData(Mapping[str, Any]):
    """A read-only mapping fetched on first use (a front matter parsed again, the stamps
    of a walk)."""

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


def microseconds(value: datetime | None) -> int | None:
    """An aware UTC datetime as whole microseconds since 1970 (exact, and fast back)."""
    return None if value is None else (value - _EPOCH) // _MICROSECOND


def from_microseconds(value: int | None) -> datetime | None:
    """microseconds() back: the datetime an Article holds for a stored time."""
    # (timedelta * int: half the cost of timedelta(microseconds=value), as exact)
    return None if value is None else _EPOCH + _MICROSECOND * value


_when = from_microseconds


# The order of a record's fields; the cache's columns follow it.
FIELDS = (
    "title", "excerpt", "published_at", "updated_at", "url", "type", "category", "categories",
    "quality", "heat", "published", "provider_name", "provider_domain", "topics", "rejected",
)  # fmt: skip


SEP = "\x1f"  # the ASCII unit separator


def _join(items: tuple[str, ...]) -> str:
    """A list of strings as one text: "s" + items joined by SEP, or "j" + JSON when an
    item holds the separator ("" for none)."""
    if not items:
        return ""
    if any(SEP in item for item in items):
        return "j" + json.dumps(list(items), ensure_ascii=False)
    return "s" + SEP.join(items)


def topic_keys(joined: str) -> str | None:
    """A record's topics folded (article.folding), each between separators, for SQL's instr()
    (SEP alone for none); None when a topic holds the separator."""
    if not joined:
        return SEP
    if joined[0] == "j":
        return None
    return SEP + SEP.join(map(fold, joined[1:].split(SEP))) + SEP


@lru_cache(maxsize=4096)  # topic and category lists repeat: one tuple each
def _split(text: str) -> tuple[str, ...]:
    if not text:
        return ()
    if text[0] == "j":
        return tuple(json.loads(text[1:]))
    return tuple(text[1:].split(SEP))


split_list = _split  # a stored list of strings back as a tuple


def to_record(article: Article) -> tuple[Any, ...]:
    """An Article's known fields as plain values (lists as JSON text)."""
    a = article
    return (
        a.title, a.excerpt, microseconds(a.published_at), microseconds(a.updated_at),
        a.url, a.type, a.category, _join(a.categories), a.quality, a.heat, int(a.published),
        a.provider_name, a.provider_domain, _join(a.topics), int(a.rejected),
    )  # fmt: skip


_TEXT = (str, type(None))
_WHOLE = (int, type(None))


def from_record(
    path: str,
    record: tuple[Any, ...],
    data: Mapping[str, Any],
    export_text: Callable[[], str] | None = None,
) -> Article:
    """The Article of a stored record; DamagedRecordError where its values cannot be a
    record's (a try costs nothing until it fails: no check of each value's type)."""
    try:
        (title, excerpt, published_at, updated_at, url, kind, category, categories, quality,
         heat, published, provider_name, provider_domain, topics, rejected) = record  # fmt: skip
        t = _TEXT  # (each text a text: a flipped bit made a title bytes, h149; ~0.2 us)
        if not (
            title.__class__ is str and excerpt.__class__ in t and url.__class__ in t
            and kind.__class__ in t and category.__class__ in t
            and provider_name.__class__ in t and provider_domain.__class__ in t
            and quality.__class__ in _WHOLE and heat.__class__ in _WHOLE
            and published_at.__class__ in _WHOLE and updated_at.__class__ in _WHOLE
            and published.__class__ is int and rejected.__class__ is int
        ):  # fmt: skip
            raise TypeError("a value of another type")
        stored = getattr(data, "field_map", None)  # (h152: a field map of another shape)
        if stored and not well_formed(stored):  # ("": none beyond the model's)
            raise ValueError("a field map of another shape")
        # By position, in the order of Article's fields: keywords would be packed into a
        # dict and unpacked again for each of the thousands of articles a load makes.
        return Article(
            path, title, data, excerpt, _when(published_at), _when(updated_at), url, kind,
            category, _split(categories), quality, heat, bool(published), provider_name,
            provider_domain, _split(topics), bool(rejected), export_text,
        )  # fmt: skip
    except (TypeError, ValueError, AttributeError, IndexError, OverflowError) as exc:
        raise DamagedRecordError(f"a stored record is damaged ({type(exc).__name__})") from None


class StoredText:
    """An article's export JSON, read from a store (the index cache) when called, or
    made again by ``fallback`` if the store cannot give it. ``version``: what the store
    holds for the version of the file the run selected (its version_of; None: not
    known): another version, stored since by another run, or made again from a file
    changed since, raises ArticleChangedError (h155 F3) rather than standing in for it."""

    __slots__ = ("fallback", "key", "path", "store", "version")
    # False where what is shown is each file as it is now (`review`, whose edits check
    # the version themselves): a text of another version is then taken as it is.
    checked = True

    def __init__(
        self,
        store: Any,
        key: str,
        fallback: Callable[[], str],
        path: str = "",
        version: bytes | None = None,
    ):
        # store: has export(key) -> (text, version) | None, prefetch(keys),
        # matches(key, text, version) and forget(key)
        self.store = store
        self.key = key
        self.fallback = fallback
        self.path = path or key
        self.version = version

    def __call__(self) -> str:
        found = self.store.export(self.key)
        if found is not None:
            text, version = found
            if self.version is None or version == self.version or not StoredText.checked:
                return text
            self.store.forget(self.key)  # (read again by the next run: damage goes too)
            raise ArticleChangedError(self.path)
        text = self.made_again()
        if self.version is None or not StoredText.checked:
            return text
        if not self.store.matches(self.key, text, self.version):
            raise ArticleChangedError(self.path)  # (the file changed, went bad or went)
        return text

    def made_again(self) -> str:
        """The export JSON made again from the file."""
        return self.fallback()


def prefetch_exports(articles: Iterable[Article]) -> None:
    """Let the stores behind these articles' export JSON read it in one go (each text is
    then handed out once); a no-op for articles that carry their own."""
    wanted: dict[Any, list[str]] = {}  # store -> keys
    for article in articles:
        text = article.export_text
        if isinstance(text, StoredText):
            wanted.setdefault(text.store, []).append(text.key)
    for store, keys in wanted.items():
        store.prefetch(keys)
