"""Selecting articles: the filters shared by every command, sorting, paging, dedup."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from newscli.article.folding import fold
from newscli.article.model import Article
from newscli.errors import ArticleChangedError, QueryError
from newscli.index.prefilter import Prefilter
from newscli.select.regex import RegexError, compile_regex
from newscli.select.story_rules import StoryRules, uses_story_fields
from newscli.wording import provider_shown

if TYPE_CHECKING:
    from newscli.select.stories import Story


def _fold(values: Iterable[str]) -> frozenset[str]:
    return frozenset(map(fold, values))


@dataclass(frozen=True, slots=True)
class Selection:
    """Filters combined with AND. Empty / ``None`` means "no constraint"."""

    topics: tuple[str, ...] = ()
    all_topics: bool = False
    exclude_topics: tuple[str, ...] = ()
    min_quality: int | None = None
    max_quality: int | None = None
    published: bool | None = None
    min_heat: int | None = None
    max_heat: int | None = None
    providers: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    search: str | None = None
    match: str | None = None
    where: str | None = None
    # repeated --where expressions whose conjunction `where` is (each compiled, and
    # its errors shown, as given: h57)
    where_parts: tuple[str, ...] = field(default=(), compare=False)
    rejected: bool | None = False  # False: leave rejected out; True: only them; None: all
    exclude: tuple[str, ...] = ()  # the config's rules: --where expressions that drop
    rules_file: str = field(default="", compare=False)  # the config file they come from
    _tests: tuple[Callable[[Article], bool], ...] = field(
        init=False, repr=False, compare=False, default=()
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "_tests", tuple(self._build()))

    def _build(self) -> Iterable[Callable[[Article], bool]]:
        if self.topics:
            wanted = _fold(self.topics)
            if self.all_topics:
                yield lambda a: wanted <= _fold(a.topics)
            else:  # (map and isdisjoint: no generator made per article)
                yield lambda a: not wanted.isdisjoint(map(fold, a.topics))
        if self.exclude_topics:
            unwanted = _fold(self.exclude_topics)
            yield lambda a: unwanted.isdisjoint(map(fold, a.topics))
        quality, heat = ("--min-quality", "--max-quality"), ("--min-heat", "--max-heat")
        yield from _bounds("quality", self.min_quality, self.max_quality, quality, _quality)
        yield from _bounds("heat", self.min_heat, self.max_heat, heat, _known_heat)
        yield from _bounds("date", self.since, self.until, ("--since", "--until"), _published)
        if self.published is not None:
            flag = self.published
            yield lambda a: a.published == flag
        if self.rejected is not None:
            rejected = self.rejected
            yield lambda a: a.rejected == rejected
        if self.providers:
            from newscli.select.story_urls import article_outlet, asked_outlet

            names = frozenset().union(*map(asked_outlet, self.providers))
            yield lambda a: not names.isdisjoint(article_outlet(a.provider_name, a.provider_domain))
        if self.types:
            types = _fold(self.types)
            yield lambda a: a.type is not None and fold(a.type) in types
        if self.categories:
            cats = _fold(self.categories)
            yield lambda a: bool(
                (a.category and fold(a.category) in cats)
                or any(fold(c) in cats for c in a.categories)
            )
        if self.search:
            needle = fold(self.search)
            yield lambda a: needle in fold(a.title) or needle in fold(a.excerpt or "")
        if self.match:
            try:
                pattern = compile_regex(self.match)
            except RegexError as exc:
                raise QueryError(f"--match: invalid regular expression: {exc}") from None
            yield lambda a: bool(pattern.search(a.title) or pattern.search(a.excerpt or ""))

    def matches(self, article: Article) -> bool:
        for test in self._tests:  # noqa: SIM110  (all() would make a generator per article)
            if not test(article):
                return False
        return True

    def prefilter(self) -> Prefilter:
        """The part of this selection the index cache can test before loading."""

        def aware(value: datetime | None) -> datetime | None:
            return value if value is not None and value.tzinfo is not None else None

        return Prefilter(
            published=self.published,
            min_quality=self.min_quality,
            max_quality=self.max_quality,
            min_heat=self.min_heat,
            max_heat=self.max_heat,
            since=aware(self.since),
            until=aware(self.until),
            topics=tuple(sorted(_fold(self.topics))),
            all_topics=self.all_topics,
            rejected=self.rejected,
        )


def _known_heat(article: Article) -> int | None:
    return None if article.heat is None or article.heat == -1 else article.heat  # (-1: unknown)


_quality = attrgetter("quality")
_published = attrgetter("published_at")


def _bounds(
    name: str, low: Any, high: Any, options: tuple[str, str], get: Callable[[Article], Any]
) -> Iterable[Callable[[Article], bool]]:
    """Inclusive bounds (given by ``options``); an article without the value never passes
    a bound."""
    if low is not None and high is not None and low > high:
        raise QueryError(f"the lower {name} bound is above the upper one", options)
    if low is not None:
        yield lambda a: (v := get(a)) is not None and v >= low
    if high is not None:
        yield lambda a: (v := get(a)) is not None and v <= high


# --- sorting -------------------------------------------------------------------------


def _story_key(name: str) -> Callable[[Article], Any]:
    def get(article: Article) -> Any:
        from newscli.select.fields import STORY_VALUES

        return STORY_VALUES.get(article.path, {}).get(name)

    return get


SORT_KEYS: dict[str, Callable[[Article], Any]] = {
    "date": lambda a: a.published_at,
    "quality": lambda a: a.quality,
    "heat": _known_heat,
    "title": lambda a: fold(a.title),
    # (as shown and counted: wording.provider_shown, then in any case; h48)
    "provider": lambda a: fold(provider_shown(a.provider_name, a.provider_domain)) or None,
    **{f"story.{n}": _story_key(n) for n in ("size", "outlets", "first", "rank", "id")},
}
DESCENDING_BY_DEFAULT = {"date", "quality", "heat", "story.size", "story.outlets", "story.first"}


@dataclass(frozen=True, slots=True)
class SortKey:
    key: str
    descending: bool


def parse_sort(specs: Sequence[str]) -> tuple[SortKey, ...]:
    """``["quality:desc,title", "date"]`` -> sort keys. Raises QueryError."""
    keys: list[SortKey] = []
    for spec in specs:
        parts = [p for p in (p.strip() for p in spec.split(",")) if p]
        if not parts:  # `--sort ''`: a mistake (a variable left empty?), as --columns ''
            raise QueryError(f"--sort: names no key ({', '.join(SORT_KEYS)})")
        if len(parts) != spec.count(",") + 1:  # (`a,,b`: as --columns, h136)
            raise QueryError(
                "--sort: names an empty key: a comma at an end, or two together (A,B:desc,C)"
            )
        for part in parts:
            given, _, direction = part.partition(":")
            name, direction = given.strip().lower(), direction.strip().lower()
            if name not in SORT_KEYS:
                from newscli.sanitize import escaped
                from newscli.select.fields import closest

                guess = closest(name, SORT_KEYS)
                hint = f"; did you mean {guess!r}?" if guess else ""
                keys_text = ", ".join(SORT_KEYS)
                shown = escaped(given.strip())  # (as typed, h129 6: it said 'weburl')
                raise QueryError(f"--sort: unknown key '{shown}'{hint} (keys: {keys_text})")
            if direction not in ("", "asc", "desc"):
                raise QueryError(f"--sort: direction must be asc or desc, not {direction!r}")
            descending = direction == "desc" or (not direction and name in DESCENDING_BY_DEFAULT)
            if any(key.key == name for key in keys):  # (the second could never count:
                # --columns and --fields refuse a name twice, h136)
                from newscli.sanitize import escaped

                shown = escaped(given.strip())
                raise QueryError(f"--sort: {shown}: named twice; name each key once")
            keys.append(SortKey(name, descending))
    return tuple(keys)


def _newest_first_time(article: Article) -> float:
    when = article.published_at
    return -when.timestamp() if when is not None else math.inf


def newest_first(articles: Iterable[Article]) -> list[Article]:
    """Newest first; articles without a date last; ties by path for a stable order.
    (Two stable sorts, by path then by time: strings and floats compare much faster
    than the (no date, time, path) tuples of one sort would.)"""
    ordered = sorted(articles, key=attrgetter("path"))
    ordered.sort(key=_newest_first_time)
    return ordered


def sort_articles(articles: list[Article], keys: Sequence[SortKey]) -> list[Article]:
    """Default order (newest first), then each key from least to most significant.
    Missing values go last whatever the direction."""
    ordered = newest_first(articles)
    for sort_key in reversed(keys):
        get = SORT_KEYS[sort_key.key]
        present = [a for a in ordered if get(a) is not None]
        missing = [a for a in ordered if get(a) is None]
        present.sort(key=get, reverse=sort_key.descending)
        ordered = present + missing
    return ordered


# --- the whole query -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Query:
    selection: Selection = Selection()
    sort: tuple[SortKey, ...] = ()
    limit: int | None = None
    offset: int = 0
    dedupe: bool = False
    now: datetime | None = None
    cache_dir: str | None = None  # how to load: the index cache folder, or
    use_cache: bool = True  # no cache at all
    verbosity: int = 1  # what to report: 0 --quiet, 1 normal, 2 --verbose
    fail_if_empty: bool = False  # exit 4 when nothing is selected
    stories: StoryRules = field(default_factory=StoryRules)  # --same-story, ...
    shows_stories: bool = False  # the output shows stories (templates): group every article


@dataclass(slots=True)
class QueryResult:
    articles: list[Article]
    duplicates: dict[str, list[str]]  # kept path -> the other articles of its story
    others: dict[str, tuple[Article, ...]] = field(default_factory=dict)  # the same, Articles
    # The stories of every article given (before any filter), when the query made them:
    # the one grouping behind --dedupe, story.* and what an output shows of stories.
    stories: list[Story] | None = None
    # After --dedupe: the stories selected (stories.select_stories), before sorting.
    chosen: list[Story] | None = None
    # Articles left out as changed since loaded (a text or value read while selecting,
    # --where, of another version: ArticleChangedError), by path.
    changed: list[str] = field(default_factory=list)

    def with_stories(self, held: Callable[[Article], bool] | None = None) -> list[Article]:
        """The selected articles and, after --dedupe, every other article of their
        stories (what --mark-published marks), each once; ``held``: the others that are
        left alone (edit_selection.held_back: rejected, or excluded by a rule)."""
        every = {
            a.path: a
            for kept in self.articles
            for a in (kept, *self.others.get(kept.path, ()))
            if a is kept or held is None or not held(a)
        }
        return list(every.values())


def where_filter(
    expression: str, articles: Sequence[Article], now: datetime
) -> Callable[[Article], bool]:
    """Compile --where; fields found in the data are valid too. Raises WhereError."""
    from newscli.select.where import WhereError, compile_where

    try:
        predicate = compile_where(expression)
    except WhereError as exc:
        if not exc.message.startswith("unknown field"):
            raise
        predicate = _with_found_fields(expression, articles)
    return lambda a: predicate(a, now)


def _with_found_fields(expression: str, articles: Sequence[Article]) -> Any:
    """compile_where, with the fields found in the data: their values' (discover), keys
    inside images or related items (h48), and fields null in every file that has them
    (h150: `--where 'embargo = null'` was an unknown field where each was null)."""

    from newscli.select import fields
    from newscli.select.where import WhereError, compile_where

    extra = {**fields.OWN, **fields.discover(articles)}
    items = False
    while True:
        try:
            return compile_where(expression, extra)
        except WhereError as exc:
            if not exc.message.startswith("unknown field"):
                raise
            if not items:
                items = True
                extra.update(fields.item_paths(articles, _names_in(expression)))
                continue
            name = _name_at(expression, exc.position)
            if not name or name in extra or not fields.held(articles, name):
                raise
            extra[name] = fields.ANY


def _name_at(expression: str, position: int) -> str:
    """The dotted field name that starts at ``position`` (where an error points), or ""."""
    import re

    found = re.match(r"[^\W\d][\w-]*(?:\.[^\W\d][\w-]*)*", expression[position:])
    return found.group(0) if found else ""


def _names_in(expression: str) -> list[str]:
    """The dotted names an expression may hold (a superset: words in texts too)."""
    import re

    return re.findall(r"[^\W\d][\w-]*(?:\.[^\W\d][\w-]*)+", expression)


def _rule_filter(
    index: int, rule: str, articles: Sequence[Article], now: datetime, file: str = ""
) -> Callable[[Article], bool]:
    """where_filter for the config's rules.exclude[index]; its errors name that key (and
    the config ``file``, as the syntax errors found before any file is read do)."""

    from newscli.select import fields
    from newscli.select.where import WhereError, compile_where

    # A rule is a standing policy: a field that no article read has (today's folder
    # has no sponsored article) is missing in every article, not a typo to refuse.
    extra = {**fields.OWN, **fields.discover(articles)}
    while True:
        try:
            predicate = compile_where(rule, extra)
            return lambda a: predicate(a, now)
        except WhereError as exc:
            name = _name_at(rule, exc.position) if exc.message.startswith("unknown field") else ""
            if not name or name in extra:  # (each name once: the loop ends)
                exc.label = f"{file}: rules.exclude[{index}]" if file else f"rules.exclude[{index}]"
                raise
            extra[name] = fields.ANY


def cache_prefilter(query: Query, names: Sequence[str] = ()) -> Prefilter | None:
    """What the index cache may test before loading, or None when something must see
    every article: --dedupe (stories are made of every article), field ``names`` or
    --where fields that are only valid because some article has them."""
    if query.dedupe or needs_stories(query, names):
        return None
    return known_prefilter(query, names)


def known_prefilter(query: Query, names: Sequence[str] = ()) -> Prefilter | None:
    """The selection's prefilter (what the index cache may test before loading), or None
    when field ``names`` or --where fields are only valid because some article has them;
    whatever the query's stories (cache_prefilter says whether they need every article)."""
    if names:
        from newscli.select.fields import KNOWN

        if any(name not in KNOWN for name in names):
            return None
    expressions = [*query.selection.exclude, *filter(None, [query.selection.where])]
    if expressions:
        from newscli.select.where import WhereError, compile_where

        try:
            for expression in expressions:
                compile_where(expression)
        except WhereError:
            return None
    return query.selection.prefilter()


def needs_stories(query: Query, names: Sequence[str] = ()) -> bool:
    """Whether the query or the fields shown name a story.* field (then the stories of
    every article are made first, as for --dedupe)."""
    sel = query.selection
    keys = [k.key for k in query.sort]
    return query.shows_stories or uses_story_fields(*names, *keys, sel.where, *sel.exclude)


def selection_filter(
    selection: Selection, articles: Sequence[Article], now: datetime
) -> Callable[[Article], bool]:
    """The test of one article: the filters, --where and the config's rules (``articles``:
    the fields found in them are valid in --where)."""
    keep: Callable[[Article], bool] = selection.matches
    if selection.where:
        if len(selection.where_parts) > 1:
            parts = [where_filter(part, articles, now) for part in selection.where_parts]
            where = lambda a: all(part(a) for part in parts)  # noqa: E731
        else:
            where = where_filter(selection.where, articles, now)
        keep = lambda a: selection.matches(a) and where(a)  # noqa: E731
    if selection.exclude:
        rules = [_rule_filter(n, rule, articles, now, selection.rules_file)
                 for n, rule in enumerate(selection.exclude)]  # fmt: skip
        passes = keep
        keep = lambda a: passes(a) and not any(rule(a) for rule in rules)  # noqa: E731
    return keep


def run_query(
    articles: Sequence[Article],
    query: Query,
    now: datetime,
    within: Callable[[Article], bool] | None = None,
    names: Sequence[str] = (),
    grouped: Sequence[Story] | None = None,
    attached: bool = False,
) -> QueryResult:
    """Filter, dedupe, sort, then page (``names``: the fields the command shows;
    ``grouped``: the stories of the articles, when already made; ``attached``: the
    articles' story.* values are attached already, from stories not given here).

    With --dedupe, stories are made of every article given (filters never split or join
    a story), and --unpublished leaves out each story with a published article (see
    stories.select_stories): a story once shipped is not shipped again through another
    of its articles. ``within``: only such articles may be selected (the others can
    still be in their stories)."""
    if grouped is None and not attached and (query.dedupe or needs_stories(query, names)):
        from newscli.select.stories import attach, group_stories

        grouped = group_stories(articles, query.stories)
        if uses_story_fields(*names, *(k.key for k in query.sort), *_expressions(query)):
            attach(grouped)
    selection = query.selection
    story_level = query.dedupe and selection.published is False
    if story_level:
        selection = replace(selection, published=None)
    keep = selection_filter(selection, articles, now)
    if within is not None:
        inside, passes_filters = within, keep
        keep = lambda a: inside(a) and passes_filters(a)  # noqa: E731
    changed: list[str] = []
    keep = _left_out_if_changed(keep, changed)
    duplicates: dict[str, list[str]] = {}
    others: dict[str, tuple[Article, ...]] = {}
    stories = None
    if query.dedupe:
        from newscli.select.stories import select_stories

        stories = select_stories(articles, keep, story_level, query.stories, grouped)
        if changed:  # (h158 HIGH: its other article shipped and marked, the story closed)
            gone = set(changed)
            stories = [s for s in stories if gone.isdisjoint(a.path for a in s.articles)]
        chosen = [s.kept for s in stories]
        others = {s.kept.path: s.duplicates for s in stories if s.duplicates}
        duplicates = {path: sorted(a.path for a in rest) for path, rest in others.items()}
    else:
        chosen = [a for a in articles if keep(a)]
    ordered = sort_articles(chosen, query.sort)
    end = None if query.limit is None else query.offset + query.limit
    every = None if grouped is None else list(grouped)
    return QueryResult(ordered[query.offset : end], duplicates, others, every, stories, changed)


def _left_out_if_changed(
    keep: Callable[[Article], bool], changed: list[str]
) -> Callable[[Article], bool]:
    """``keep``, leaving out (into ``changed``) an article whose text or value it reads
    is not of the version loaded: another run stored the file's new version meanwhile
    (h157: such a run stopped whole, 11 of 216 under churn)."""

    def kept(article: Article) -> bool:
        try:
            return keep(article)
        except ArticleChangedError:
            changed.append(article.path)
            return False

    return kept


def _expressions(query: Query) -> list[str | None]:
    return [query.selection.where, *query.selection.exclude]


def select(articles: Iterable[Article], selection: Selection) -> list[Article]:
    """The matching articles, newest first."""
    return newest_first(a for a in articles if selection.matches(a))
