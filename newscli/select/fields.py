"""Field paths: the catalogue of known, nested and derived fields, and value lookup.

A field path names a value of an article: a front-matter key (``quality``), a nested
key (``provider.domain``), a key inside a list of mappings (``related.provider.domain``,
giving a list), or a derived value (``age``, ``path``, ``url``, ``date``).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, Protocol

from newscli.article.field_map import ANY as ANY  # the type names, for where
from newscli.article.field_map import (
    BOOLEAN,
    DATETIME,
    INTEGER,
    LIST,
    MAPPING,
    MODEL_NAMES,
    STRING,
    STRINGS,
    merge,
    type_of,
)
from newscli.article.field_map import NUMBER as NUMBER
from newscli.article.model import Article
from newscli.article.timeparse import to_utc
from newscli.errors import QueryError

DURATION = "duration"


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    type: str
    description: str
    getter: Callable[[Article, datetime], Any] | None = None  # None: look up in data
    raw_getter: Callable[[Article, datetime], Any] | None = None  # for export, if different


def _heat(article: Article, _now: datetime) -> int | None:
    return None if article.heat is None or article.heat == -1 else article.heat  # (-1: unknown)


def _age(article: Article, now: datetime) -> timedelta | None:
    return now - article.published_at if article.published_at else None


# story.* fields: filled (path -> values) by stories.attach when a query names one.
STORY_VALUES: dict[str, dict[str, Any]] = {}


def _story(name: str) -> Callable[[Article, datetime], Any]:
    return lambda a, _now: STORY_VALUES.get(a.path, {}).get(name)


_KNOWN: list[FieldSpec] = [
    FieldSpec("title", STRING, "headline", lambda a, _: a.title),
    FieldSpec("excerpt", STRING, "summary paragraph", lambda a, _: a.excerpt),
    FieldSpec("date", DATETIME, "publishedDateTime (UTC)", lambda a, _: a.published_at),
    FieldSpec(
        "publishedDateTime", DATETIME, "when the source published it", lambda a, _: a.published_at
    ),
    FieldSpec("updatedDateTime", DATETIME, "last update at the source", lambda a, _: a.updated_at),
    FieldSpec("age", DURATION, "derived: time since publishedDateTime (see --now)", _age),
    FieldSpec("url", STRING, "derived: webUrl, else originalUrl", lambda a, _: a.url),
    FieldSpec("originalUrl", STRING, "canonical address"),
    FieldSpec("webUrl", STRING, "canonical address"),
    FieldSpec("ampWebUrl", STRING, "AMP variant"),
    FieldSpec("cdnAmpWebUrl", STRING, "AMP cache variant"),
    FieldSpec("type", STRING, "article, video, blog, ...", lambda a, _: a.type),
    FieldSpec("category", STRING, "e.g. news", lambda a, _: a.category),
    FieldSpec("categories", STRINGS, "category list (some feeds)", lambda a, _: list(a.categories)),
    FieldSpec("quality", INTEGER, "editorial quality 0-100", lambda a, _: a.quality),
    FieldSpec(
        "heat",
        INTEGER,
        "trending score (-1, unknown, counts as missing)",
        _heat,
        lambda a, _: a.heat,
    ),
    FieldSpec("published", BOOLEAN, "already published downstream", lambda a, _: a.published),
    FieldSpec("provider", MAPPING, "the outlet {name, domain}"),
    FieldSpec("provider.name", STRING, "outlet name", lambda a, _: a.provider_name),
    FieldSpec("provider.domain", STRING, "outlet domain", lambda a, _: a.provider_domain),
    FieldSpec("topics", STRINGS, "subject tags", lambda a, _: list(a.topics)),
    FieldSpec("tags", STRINGS, "tags (some feeds)"),
    FieldSpec("locale", STRING, "language/region (some feeds)"),
    FieldSpec("images", LIST, "illustrations"),
    FieldSpec("images.url", STRINGS, "image addresses"),
    FieldSpec("related", LIST, "other outlets' coverage"),
    FieldSpec("related.title", STRINGS, "titles of related coverage"),
    FieldSpec("related.webUrl", STRINGS, "addresses of related coverage"),
    FieldSpec("related.provider.name", STRINGS, "outlets of related coverage"),
    FieldSpec("related.provider.domain", STRINGS, "domains of related coverage"),
    FieldSpec("secured", STRING, "opaque aggregator blob"),
    FieldSpec("path", STRING, "derived: the file, as found", lambda a, _: a.path),
    FieldSpec("story.id", STRING, "derived: the story's id (same members, same id)", _story("id")),
    FieldSpec("story.size", INTEGER, "derived: articles in the story", _story("size")),
    FieldSpec(
        "story.outlets", INTEGER, "derived: distinct outlets in the story", _story("outlets")
    ),
    FieldSpec("story.first", DATETIME, "derived: the story's earliest date", _story("first")),
    FieldSpec(
        "story.rank",
        INTEGER,
        "derived: the article's place in its story (1 = kept)",
        _story("rank"),
    ),
]
KNOWN: dict[str, FieldSpec] = {spec.name: spec for spec in _KNOWN}
# newscli's own fields, written by `newscli reject` (missing: not rejected): names one may
# always give, even where no file has them yet (h49: `--fields title,rejected` on a
# folder of none was "unknown field 'rejected'; did you mean 'related'?"). Kept out of
# KNOWN: CSV's columns and `fields` list them where files have them, as before.
OWN: dict[str, str] = {"rejected": BOOLEAN, "rejectedReason": STRING}


def _lookup(value: Any, parts: list[str]) -> Any:
    found = _nested(value, parts)
    if found is None and len(parts) > 1:
        return _dotted(value, parts)
    return found


def _nested(value: Any, parts: list[str]) -> Any:
    """The value under each key in turn (lists: each item's, flattened)."""
    for i, part in enumerate(parts):
        if type(value) is dict:  # the usual case, without the abstract Mapping check
            value = value.get(part)
            continue
        if isinstance(value, list):
            return _flat([_lookup(item, parts[i:]) for item in value])
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _flat(found: list[Any]) -> list[Any]:
    flat: list[Any] = []
    for item in found:
        if isinstance(item, list):
            flat.extend(item)
        elif item is not None:
            flat.append(item)
    return flat


def _dotted(value: Any, parts: list[str]) -> Any:
    """Where the path gives nothing nested, the value under a key that holds dots itself
    (``"a.b": 1``; h111, h112, h113: such a key was listed by `fields` and never found,
    then not beside another key of its first part, ``a: {c: 1}``): at each level, the
    longest such key first. A nested value (``a: {b: 2}``) wins."""
    if isinstance(value, list):
        return _flat([_dotted(item, parts) for item in value])
    if not isinstance(value, Mapping):
        return None
    for end in range(len(parts), 0, -1):
        key = ".".join(parts[:end])
        if key in value:
            rest = parts[end:]
            found = value[key] if not rest else _lookup(value[key], rest)
            if found is not None and found != []:
                return found
    return None


def _normalise(value: Any) -> Any:
    if isinstance(value, date):  # datetimes too
        return to_utc(value)
    if isinstance(value, list):
        return [to_utc(v) if isinstance(v, date) else v for v in value]
    return value


def field_value(article: Article, name: str, now: datetime, raw: bool = False) -> Any:
    """The value of a field path for an article (None when missing). ``raw`` gives the
    value as written where filtering reads it differently (heat -1 is kept)."""
    spec = KNOWN.get(name)
    if spec is not None and raw and spec.raw_getter is not None:
        return spec.raw_getter(article, now)
    if spec is not None and spec.getter is not None:
        return spec.getter(article, now)
    parts = name.split(".")
    return _normalise(_lookup(_view(article, name, parts[0]), parts))


# Model fields without a getter that are validated as text or a list of texts.
_TEXT_MODEL = frozenset(
    ("originalUrl", "webUrl", "ampWebUrl", "cdnAmpWebUrl", "tags", "locale", "secured")
)
# Values that the export JSON holds exactly as the typed front matter does.
_SAME_IN_JSON = frozenset((STRING, INTEGER, NUMBER, BOOLEAN, STRINGS))


def _view(article: Article, name: str, top: str) -> Mapping[Any, Any]:
    """Where to look a field up: the typed front matter (parsed again from the file),
    or, when the article's field map tells, nothing (the file has no such field) or the
    export JSON (the value is the same there)."""
    found = getattr(article.data, "field_map", None)
    if not isinstance(found, str):
        return article.data
    if top in MODEL_NAMES:  # validated text (or a list of texts): the same in JSON
        return export_view(article) if top in _TEXT_MODEL else article.data
    names, plain, tops = _mapped(found)
    if top not in tops:  # (a key holding dots, "a.b", is under its first part's top)
        return {}
    if plain and names.get(name) in _SAME_IN_JSON and article.export_text is not None:
        return export_view(article)
    return article.data


@lru_cache(maxsize=1024)
def _mapped(field_map: str) -> tuple[dict[str, str], bool, frozenset[str]]:
    """The typed paths of a field map (article.field_map), whether the export JSON
    names them alike, and their first parts. Read-only."""
    if not field_map:
        return {}, True, frozenset()
    parts = json.loads(field_map)
    return parts[0], len(parts) == 2, frozenset(name.split(".")[0] for name in parts[0])


def export_view(article: Article) -> Mapping[Any, Any]:
    """The front matter as the export shows it, from the cached export JSON when there is
    one (no need to read the file again), else the typed data."""
    if article.export_text is not None:
        return json.loads(article.export_text())
    return article.data


def needs_export(names: Sequence[str]) -> bool:
    """Whether export_values reads the export JSON for these fields."""
    return any(
        spec is None or (spec.raw_getter or spec.getter) is None for spec in map(KNOWN.get, names)
    )


class ExportRow(Protocol):
    def __call__(
        self, article: Article, now: datetime, view: Mapping[Any, Any] | None = None
    ) -> list[Any]: ...


def export_row(names: Sequence[str]) -> ExportRow:
    """export_values for these names, planned once for many articles; ``view`` is
    export_view(article) when the caller has it already."""
    plan = []
    for name in names:
        spec = KNOWN.get(name)
        plan.append((None if spec is None else spec.raw_getter or spec.getter, name.split(".")))
    if not any(getter is None for getter, _ in plan):
        return lambda article, now, view=None: [getter(article, now) for getter, _ in plan]  # type: ignore[misc]

    def row(article: Article, now: datetime, view: Mapping[Any, Any] | None = None) -> list[Any]:
        if view is None:
            view = export_view(article)
        return [_lookup(view, parts) if get is None else get(article, now) for get, parts in plan]

    return row


@lru_cache(maxsize=1024)
def export_tops(field_map: str) -> frozenset[str]:
    """The top-level names, as the export JSON gives them, of the fields a field map
    (article.field_map) lists: a field beyond the model whose top is not among them is
    missing (or null) in that file."""
    if not field_map:
        return frozenset()
    parts = json.loads(field_map)
    return frozenset(name.split(".")[0] for name in (parts[2] if len(parts) > 2 else parts[0]))


def export_values(article: Article, names: Sequence[str], now: datetime) -> list[Any]:
    """Field values as an export shows them: known fields from the article (heat -1
    kept), others from the export JSON (dates already RFC 3339 text)."""
    view: Mapping[Any, Any] | None = None
    values = []
    for name in names:
        spec = KNOWN.get(name)
        getter = None if spec is None else spec.raw_getter or spec.getter
        if getter is not None:
            values.append(getter(article, now))
            continue
        if view is None:
            view = export_view(article)
        values.append(_lookup(view, name.split(".")))
    return values


def _maps(articles: Iterable[Article]) -> tuple[Counter[str], list[Article]]:
    """How many articles have each field map (article.field_map, kept by the loader), and
    the articles that carry none (their fields are found by walking their data)."""
    maps: Counter[str] = Counter()
    others: list[Article] = []
    for article in articles:
        found = getattr(article.data, "field_map", None)
        if isinstance(found, str):
            maps[found] += 1
        else:
            others.append(article)
    maps.pop("", None)  # nothing beyond the model
    return maps, others


def _walk(mapping: Mapping[Any, Any], see: Callable[[str, Any], None], prefix: str = "") -> None:
    """``see(path, value)`` for each value that is not null, nested mappings walked."""
    for key, value in mapping.items():
        name = f"{prefix}{key}"
        if value is not None:
            see(name, value)
        if isinstance(value, dict):
            _walk(value, see, name + ".")


def discover(articles: Iterable[Article]) -> dict[str, str]:
    """Field paths found in the articles' typed data that the catalogue does not list,
    with a type (``any`` when articles disagree). Nested mappings are walked, lists are
    not. Articles that carry a field map are not read again."""
    found: dict[str, str] = {}

    def see(name: str, value: Any) -> None:
        if name not in KNOWN:
            merge(found, name, type_of(value))

    maps, others = _maps(articles)
    for text in maps:
        for name, kind in json.loads(text)[0].items():
            if name not in KNOWN:
                merge(found, name, kind)
    for article in others:
        _walk(article.data, see)
    return found


def item_paths(articles: Iterable[Article], wanted: Iterable[str]) -> dict[str, str]:
    """Which of the ``wanted`` names are keys inside the items of ``images`` or
    ``related`` (``images.width``, ``related.quality``: each gives a list) that some
    article has (h48: only the catalogue's few could be named); type ``any``. Read from
    the export JSON (the cache's), and only while some name is still unseen."""
    left = {n for n in wanted if n.split(".", 1)[0] in _MAPPING_LISTS and n not in KNOWN}
    found: dict[str, str] = {}
    if not left:
        return found

    def see(name: str, _: Any) -> None:
        if name in left:
            found[name] = ANY
            left.discard(name)

    for article in articles:
        view = export_view(article)
        for top in _MAPPING_LISTS:
            items = view.get(top)
            for item in items if isinstance(items, list) else ():
                if isinstance(item, Mapping):
                    _walk(item, see, f"{top}.")
        if not left:
            break
    return found


_MAPPING_LISTS = ("images", "related")  # the model's lists of mappings


def export_names(articles: Iterable[Article]) -> set[str]:
    """The paths of discover, as the export JSON names them (its keys are text)."""
    found: set[str] = set()
    maps, others = _maps(articles)
    for text in maps:
        parts = json.loads(text)
        found.update(parts[2] if len(parts) > 2 else parts[0])
    for article in others:
        _walk(export_view(article), lambda name, _: found.add(name))
    return found - KNOWN.keys()


def leaf_counts(articles: Iterable[Article]) -> Counter[str]:
    """How many articles have each field that is not a known one and holds a value that
    is no mapping, as the export JSON gives them (nested mappings walked, lists not)."""
    counts: Counter[str] = Counter()
    maps, others = _maps(articles)
    for text, number in maps.items():
        for name in json.loads(text)[1]:
            counts[name] += number
    for article in others:
        names: set[str] = set()

        def see(name: str, value: Any, names: set[str] = names) -> None:
            if not isinstance(value, dict):
                names.add(name)

        _walk(export_view(article), see)
        counts.update(names)
    for name in [name for name in counts if name in KNOWN]:
        del counts[name]
    return counts


def check_names(names: Sequence[str], articles: Iterable[Article], option: str) -> None:
    """Raise QueryError unless every name is a known field or one found in the data."""
    unknown = [n for n in names if n not in KNOWN and n not in OWN]
    if not unknown:
        return
    articles = list(articles)
    found = export_names(articles)
    unknown = [n for n in unknown if n not in found]
    if unknown:  # (h38: a field only ever .nan or .inf, null in the export, that `fields`
        found |= discover(articles).keys()  # lists, was "unknown")
        unknown = [n for n in unknown if n not in found]
    if unknown:
        found |= item_paths(articles, unknown).keys()
        unknown = [n for n in unknown if n not in found]
    if unknown:  # (h150: a field some file holds, null in each: `embargo: null`)
        unknown = [n for n in unknown if not held(articles, n)]
    if unknown:
        raise QueryError(f"{option}: {unknown_field(unknown[0], {*KNOWN, *found})}")


def held(articles: Iterable[Article], name: str) -> bool:
    """Whether some article's front matter (as the export JSON gives it) has the field,
    null or not (nested mappings, or keys that hold dots themselves, as _dotted reads):
    asked only of a name about to be refused as unknown."""
    parts = name.split(".")
    return any(_has(export_view(article), parts) for article in articles)


def _has(value: Any, parts: list[str]) -> bool:
    if not parts:
        return True
    if not isinstance(value, Mapping):
        return False
    return any(
        ".".join(parts[:end]) in value and _has(value[".".join(parts[:end])], parts[end:])
        for end in range(len(parts), 0, -1)
    )


def closest(name: str, names: Iterable[str]) -> str | None:
    """The name most like ``name`` (the same but for case, else difflib's closest)."""
    import difflib

    choices = sorted(set(names))
    for choice in choices:
        if choice.casefold() == name.casefold():
            return choice
    close = difflib.get_close_matches(name, choices, n=1)
    return close[0] if close else None


def unknown_field(name: str, valid: Iterable[str]) -> str:
    """``unknown field 'qualty'; did you mean 'quality'?`` and where to see them all."""
    guess = closest(name, valid)
    hint = f"; did you mean {guess!r}?" if guess else ""
    if name == "duplicates":  # (export --dedupe's list of a story's other articles)
        hint = (
            "; with --dedupe, JSON records have it (export --fields, list --columns): "
            "each story's other articles"
        )
    return f"unknown field {name!r}{hint} (`newscli fields PATH` lists them all)"
