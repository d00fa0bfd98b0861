"""How the review queue starts fast: first one row per selected article (best first),
then, in the background, the stories.

The first rows come from the index cache's small columns (index.light) when it can
vouch for every file and the selection is one it can test exactly; otherwise from a
usual load. The grouping (``Stories.group``) then loads every article of the same walk
and groups them as `--dedupe` does; the app applies the result with
``Queue.apply_stories``. No Textual here.
"""

from __future__ import annotations

import gc
import importlib
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from functools import partial
from typing import TYPE_CHECKING, Any, cast, overload

from newscli.article.model import Article
from newscli.article.record import LazyData, StoredText, split_list
from newscli.errors import StrictModeError
from newscli.index.discovery import Problem
from newscli.index.light import LightRow, Walked, light_rows
from newscli.index.light_fork import Ahead, Answer, read_ahead
from newscli.review.queue import Item, Queue, best_first

if TYPE_CHECKING:
    from newscli.index.cache import IndexCache, Stamp
    from newscli.index.loader import LoadResult
    from newscli.select.query import Query, Selection

Story = tuple[Article, tuple[Article, ...]]


class LazyItems(Sequence[Item]):
    """The queue's first rows: an Item is made when first looked at (a screen shows 20
    of 100,000). Items not made yet are still to do."""

    def __init__(self, walked: Walked, rows: Sequence[tuple[Any, ...]]):
        self.walked = walked
        self.rows = rows  # as Walked.rows
        self.made: dict[int, Item] = {}
        self._where: dict[int, int] = {}  # id(item) -> its index

    def __len__(self) -> int:
        return len(self.rows)

    @overload
    def __getitem__(self, index: int) -> Item: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Item]: ...
    def __getitem__(self, index: int | slice) -> Item | Sequence[Item]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self.rows)
        item = self.made.get(index)
        if item is None:
            row = self.walked.row(self.rows[index])
            item = self.made[index] = Item(light_article(row), light=True)
            self._where[id(item)] = index
        return item

    def __contains__(self, item: object) -> bool:
        return id(item) in self._where

    def index(self, item: Any, start: int = 0, stop: int | None = None) -> int:
        if id(item) not in self._where:
            raise ValueError("not in the queue")
        return self._where[id(item)]

    def __iter__(self) -> Iterator[Item]:
        return (self[i] for i in range(len(self)))

    def path(self, index: int) -> str:
        """The path of the article of row ``index`` (without making its Item)."""
        return self.walked.path(self.rows[index])


def _reparse(path: str) -> Mapping[str, Any]:
    from newscli.article.reading import load_file
    from newscli.errors import InvalidArticleError

    try:
        return load_file(path).data
    except InvalidArticleError:
        return {}


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _when(microseconds: int | None) -> datetime | None:
    from datetime import timedelta

    return None if microseconds is None else _EPOCH + timedelta(microseconds=microseconds)


def light_article(row: LightRow) -> Article:
    """An Article holding a light row's fields only (the file is read when it is shown:
    Queue.full)."""
    return Article(
        path=row.path,
        title=row.title,
        data=LazyData(partial(_reparse, row.path)),
        published_at=_when(row.published_at),
        quality=row.quality,
        heat=row.heat,
        published=bool(row.published),
        provider_name=row.provider_name,
        provider_domain=row.provider_domain,
        topics=split_list(row.topics),
        rejected=bool(row.rejected),
    )


class _Probe:
    """The fields of a light row that Selection tests read (one object, reused)."""

    __slots__ = ("heat", "published", "published_at", "quality", "rejected", "topics")

    topics: tuple[str, ...]
    quality: int | None
    heat: int | None
    published: bool
    rejected: bool
    published_at: datetime | None


def light_selection(query: Query) -> bool:
    """The selection tests only what a light row holds (and the order is best first)."""
    s = query.selection
    aware = all(d is None or d.tzinfo is not None for d in (s.since, s.until))
    other = (s.providers, s.types, s.categories, s.search, s.match, s.where, s.exclude)
    return query.use_cache and not query.sort and aware and not any(other)


def tested(selection: Selection) -> bool:
    """The cache's prefilter is exact but for topics (a topic holding its separator)
    and a negative heat (Selection reads it as unknown): then the rows are tested again."""
    heat = selection.min_heat is not None or selection.max_heat is not None
    return bool(selection.topics or selection.exclude_topics or heat)


def _matching(rows: list[tuple[Any, ...]], selection: Selection) -> list[tuple[Any, ...]]:
    """The rows (with index.light.TESTED columns) passing the selection, in order."""
    probe = _Probe()
    matches = cast(Callable[[Any], bool], selection.matches)
    dates = selection.since is not None or selection.until is not None
    kept = []
    for row in rows:
        topics, probe.heat, probe.quality, when, published, rejected = row[2:8]
        probe.topics = split_list(topics) if topics else ()
        probe.published, probe.rejected = bool(published), bool(rejected)
        probe.published_at = _when(when) if dates else None
        if matches(probe):
            kept.append(row)
    return kept


def _everything(query: Query) -> Query:
    """The query of the stories: --dedupe, by default unpublished, no paging."""
    selection = query.selection
    if selection.published is None:  # by default: what still needs a decision
        selection = replace(selection, published=False)
    return replace(query, selection=selection, dedupe=True, limit=None, offset=0, verbosity=0)


@dataclass
class Stories:
    """The background half of the start: every article of the walk, grouped."""

    query: Query
    walked: Walked | None = None  # the light start's walk (then load it)
    cache: Callable[[], IndexCache | None] | None = None
    loaded: LoadResult | None = None  # or the articles loaded already
    stamps: Mapping[str, Stamp] | None = None  # and their stamps
    # the rows were read ahead of the walk, which a child checks (index.light_fork)
    ahead: Ahead | None = None

    def check(self) -> Answer | None:
        """Wait for the child's check of the rows read ahead (None: nothing to check);
        the walk is then the child's, and so are the invalid files (the queue's list,
        changed in place). Raises OSError when the child could not check."""
        if self.ahead is None:
            return None
        answer = self.ahead.answer()
        self.walked = answer.walked
        return answer

    def close(self) -> None:
        """The child checking the rows read ahead is ended, if it still runs (before
        this process closes its connection to the cache: index.forking)."""
        if self.ahead is not None:
            self.ahead.close()

    def group(self) -> tuple[list[Story], Sequence[Article], Mapping[str, Stamp]]:
        """(the stories best first, paged; every article; the files' stamps when
        walked). Safe in a thread: no worker process, no second walk."""
        from newscli.index.light import load_walked
        from newscli.select.query import run_query

        enabled = gc.isenabled()
        gc.disable()  # many small objects, no cycles (as loading does)
        try:
            if self.loaded is not None:
                articles: Sequence[Article] = self.loaded.articles
                stamps = self.stamps if self.stamps is not None else self.loaded.stamps()
            else:
                self.check()
                assert self.walked is not None and self.cache is not None
                cache = self.cache()
                if cache is None:
                    raise OSError(f"cannot open the index cache again ({self.walked.paths[0]})")
                articles, _ = load_walked(self.walked, cache)
                stamps = self.walked.stamps()
            query = self.query
            now = query.now or datetime.now(timezone.utc)
            result = run_query(articles, _everything(query), now)
            kept = result.articles if query.sort else best_first(result.articles)
            end = None if query.limit is None else query.offset + query.limit
            stories = [(a, result.others.get(a.path, ())) for a in kept[query.offset : end]]
            return stories, articles, stamps
        finally:
            if enabled:
                gc.enable()


def open_queue(
    paths: Sequence[str], query: Query, strict: bool, wait: float
) -> tuple[Queue, Stories]:
    """The queue of the first rows (one per selected article, best first) and the
    grouping still to do. Raises StrictModeError with --strict and invalid files."""
    from newscli.index.cache import IndexCache
    from newscli.index.cache_owner import default_folder
    from newscli.select.query import selection_filter, sort_articles
    from newscli.select.story_rules import uses_story_fields

    # What a review shows is each file as it is now (its edits check the version they
    # were shown): a text or value of a version stored since is taken as it is.
    StoredText.checked = False
    everything = _everything(query)
    folder = query.cache_dir or default_folder()
    cache = None
    if query.use_cache:
        cache, _ = IndexCache.open(folder)
    end = None if query.limit is None else query.offset + query.limit
    walked, importing = None, []

    def meanwhile() -> None:
        importing.append(_import_app())

    ahead = None
    if cache is not None and light_selection(query):
        selection = everything.selection
        retest = tested(selection)
        if len(paths) == 1 and not strict:  # a big folder: shown ahead of its walk
            ahead = read_ahead(
                paths[0], cache, folder, selection.prefilter(), retest, _import_app_now
            )
        if ahead is not None:
            walked = ahead.walked
        else:
            walked = light_rows(paths, cache, selection.prefilter(), retest, meanwhile)
    if walked is not None:
        _strict(strict, walked.problems)
        rows = _matching(walked.rows, selection) if retest else walked.rows
        rows = rows[query.offset : end]
        reopen = partial(_reopen, folder)
        queue = Queue(
            LazyItems(walked, rows),
            {},
            walked.problems,
            query.now,
            wait,
            grouped=False,
            checked=ahead is None,
            links=walked.links,  # (filled in by the walk that checks rows read ahead)
        )
        return queue, Stories(query, walked, reopen, ahead=ahead)
    from newscli.index.loader import load_paths

    for thread in importing:
        thread.join()  # no process is forked beside another thread
    loaded = load_paths(paths, None, cache)
    _strict(strict, loaded.problems)
    now = query.now or datetime.now(timezone.utc)
    sel = everything.selection
    if uses_story_fields(*(k.key for k in query.sort), sel.where, *sel.exclude):
        from newscli.select.stories import attach, group_stories

        # story.* fields in --where or --sort: the stories first (the rows need them)
        attach(group_stories(loaded.articles, query.stories))
    keep = selection_filter(everything.selection, loaded.articles, now)
    chosen = [a for a in loaded.articles if keep(a)]
    ordered = sort_articles(chosen, query.sort) if query.sort else best_first(chosen)
    items = [Item(a) for a in ordered[query.offset : end]]
    stamps = LazyData(loaded.stamps)  # 100,000 stamps cost a second: made when first asked
    queue = Queue(items, stamps, loaded.problems, query.now, wait, loaded.articles, grouped=False,
                  links=loaded.links)  # fmt: skip
    return queue, Stories(query, loaded=loaded, stamps=stamps)


def _import_app_now() -> None:
    importlib.import_module("newscli.review.app")


def _import_app() -> threading.Thread:
    """Import the app (Textual: most of a second) in a thread while the cache sorts the
    rows (SQLite lets go of the interpreter meanwhile); the command's own import of it
    then waits for this one to end."""
    thread = threading.Thread(
        target=importlib.import_module, args=("newscli.review.app",), daemon=True
    )
    thread.start()
    return thread


def _reopen(folder: str) -> IndexCache | None:
    """A connection of the grouping's own (it runs in another thread)."""
    from newscli.index.cache import IndexCache

    return IndexCache.open(folder)[0]


def _strict(strict: bool, problems: Sequence[Problem]) -> None:
    if strict and problems:
        from newscli.wording import count

        first = min(problems, key=lambda problem: problem.path)
        more = f" and {count(len(problems) - 1, 'other')}" if len(problems) > 1 else ""
        raise StrictModeError(
            f"{count(len(problems), 'invalid file')} ({' '.join(first.path.splitlines())}: "
            f"{' '.join(first.reason.splitlines())}{more}); "
            "no review started (--strict)"
        )
