"""Queries naming story.* fields, warm, building only the articles that can pass.

A story field in --where, --sort, --columns/--fields or a config rule needs the stories
of every article (a filter never splits or joins a story), and so, loading as usual,
every article built. From the index cache the grouping needs none of them
(story_light.grouping: the walk, the cache's rows, the stored joins), and each file's
story values follow from it (story_values). The story part of each expression is then
decided for every file from those values alone (where_story: True, False, or None when
the article's other fields decide); only the files whose test is not False, whose rules
do not exclude them for sure, and whose rows pass the selection's prefilter are built,
and the query runs on them exactly as after a full load (their story values attached).
The result is the same as from every article (or --no-cache).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from newscli.article.model import Article
from newscli.article.record import from_microseconds
from newscli.index.cache import IndexCache
from newscli.index.loader import LoadResult
from newscli.index.story_rows import Walked
from newscli.select.query import Query, QueryResult, known_prefilter, needs_stories, run_query
from newscli.select.story_light import Grouping
from newscli.select.story_values import NAMES, RANK_COLUMNS, StoryValues
from newscli.select.where_story import STORY, StoryTest, story_fields, story_test

__all__ = ["asked", "attach", "columns_for", "from_cache", "light"]


def light(query: Query, names: Sequence[str] = ()) -> bool:
    """Whether the query names story fields and could run from the cache (see the module):
    no --dedupe, no output that shows stories, fields the cache knows of."""
    if query.dedupe or query.shows_stories or not needs_stories(query, names):
        return False
    return known_prefilter(query, names) is not None


def asked(query: Query, names: Sequence[str] = ()) -> tuple[list[str], set[str]]:
    """The story fields (NAMES, without "story.") the query and the fields shown name,
    and those of them that --where or a config rule names."""
    selection = query.selection
    texts = [t for t in (selection.where, *selection.exclude) if t and STORY in t]
    filtered = {name for text in texts for name in story_fields(text)}
    shown = {n[len(STORY) :] for n in (*names, *(k.key for k in query.sort)) if n.startswith(STORY)}
    return [name for name in NAMES if name in filtered | shown], filtered


def columns_for(names: Sequence[str]) -> tuple[str, ...]:
    """The cache's columns StoryValues reads for these story fields (beside the time)."""
    return RANK_COLUMNS if {"rank", "outlets"} & set(names) else ()


def from_cache(
    loaded: LoadResult,
    cache: IndexCache,
    query: Query,
    now: datetime,
    names: Sequence[str] = (),
    version: int | None = None,
) -> QueryResult | None:
    """run_query's result for a ``light`` query over every valid file of a load that
    built none of them (index.prefilter.NOTHING), or None when the cache cannot give it
    (then load every article). ``version``: story_cache.data_version before the load
    (None: unknown), so that what is read can be known to be of the walked versions."""
    from newscli.index.parallel import stop_workers
    from newscli.select.story_make import workers_ahead

    try:
        workers_ahead(cache, loaded.groups)  # (while this process is small)
        return _from_cache(loaded, cache, query, now, names, version)
    finally:
        # (when the story data's making did not take them; also when a signal came as
        # they started: the pool was left to Python's exit, see parallel._end)
        stop_workers()


def _from_cache(
    loaded: LoadResult,
    cache: IndexCache,
    query: Query,
    now: datetime,
    names: Sequence[str],
    version: int | None,
) -> QueryResult | None:
    """from_cache, its workers started or not."""
    from newscli.index import story_rows
    from newscli.select import story_light

    prefilter = known_prefilter(query, names)
    assert prefilter is not None and not query.dedupe
    wanted, filtered = asked(query, names)
    made_of = story_light.grouping(loaded, cache, query.stories, False, columns_for(wanted))
    if made_of is None:
        return None
    values = _values(made_of, wanted, query)
    if values is None:
        return None  # (a file changed since the walk)
    files = made_of.files
    if "id" in filtered and not _keys(cache, made_of, values, range(len(files.paths))):
        return None
    selection = query.selection
    where = selection.where if selection.where and story_fields(selection.where) else None
    rules = [story_test(rule) for rule in selection.exclude if story_fields(rule)]
    order = [name for name in wanted if name in filtered]
    candidates = _candidates(values, order, now, story_test(where) if where else None, rules)
    built = story_rows.passing(cache, files, candidates, prefilter)
    if built is None or not attach(cache, made_of, values, wanted, built, version):
        return None
    articles = [built[i] for i in sorted(built)]  # (in load order)
    del made_of, values, files, candidates, built  # (every file's: not needed any more)
    return run_query(articles, query, now, names=names, attached=True)


def _values(made_of: Grouping, wanted: Sequence[str], query: Query) -> StoryValues | None:
    """The story values of the grouping's files (None: a row not as walked)."""
    rows = made_of.rows() if {"first", "rank", "outlets", "id"} & set(wanted) else []
    if rows is None:
        return None
    return StoryValues(made_of.files.paths, rows, made_of.parts, query.stories.prefer)


def attach(
    cache: IndexCache,
    made_of: Grouping,
    values: StoryValues | None,
    wanted: Sequence[str],
    built: dict[int, Article],
    version: int | None,
) -> bool:
    """Attach the ``wanted`` story values of these articles (by index in the grouping;
    ``values``: StoryValues of it, None: made here), as stories.attach would; False when
    the cache cannot give them, or what was read may not be of the walked versions
    (``version``: story_cache.data_version before the reads began, see _unchanged)."""
    from newscli.select.fields import STORY_VALUES

    if values is None:
        values = _values(made_of, wanted, Query(stories=made_of.rules))
        if values is None:
            return False
    if "id" in wanted and not _keys(cache, made_of, values, built):
        return False
    if not _unchanged(cache, version, made_of.files):
        return False
    STORY_VALUES.clear()
    paths = made_of.files.paths
    for i in built:
        STORY_VALUES[paths[i]] = values.values(i, wanted)
    return True


def _candidates(
    values: StoryValues,
    names: Sequence[str],
    now: datetime,
    where: StoryTest | None,
    rules: Sequence[StoryTest],
) -> list[int]:
    """The files whose story values may let them pass: --where not False for them, no
    rule True. The tests see only the values they name, so files alike (most files,
    alone in their story, for story.size) are decided once."""
    if where is None and not rules:
        return list(range(len(values.paths)))
    columns = [values.column(name) for name in names]
    decided: dict[tuple[Any, ...], bool] = {}
    found = []
    for i, key in enumerate(zip(*columns, strict=True)):
        passes = decided.get(key)
        if passes is None:
            shown = dict(zip(names, key, strict=True))
            if "first" in shown:
                shown["first"] = from_microseconds(shown["first"])
            passes = decided[key] = (where is None or where(shown, now) is not False) and not any(
                rule(shown, now) is True for rule in rules
            )
        if passes:
            found.append(i)
    return found


def _keys(cache: IndexCache, made_of: Grouping, values: StoryValues, indexes: Any) -> bool:
    """Give ``values`` the member keys the ids of these files' stories need, from their
    stored story data (made and stored first where it is missing); False when the cache
    cannot give them."""
    from newscli.index import story_cache
    from newscli.select.story_light import Changed, store_missing

    files = made_of.files
    wanted = values.wanting_keys(indexes)
    keys = [files.keys[i] for i in wanted]
    found = story_cache.first_urls(cache, keys)
    missing = [
        i
        for i, key in zip(wanted, keys, strict=True)
        if (first := found.get(key)) is None or first[2] != files.stamps[i]
    ]  # (no data, or of another version: made again)
    if missing:
        try:
            store_missing(cache, files, missing)
        except Changed:
            return False
        found.update(story_cache.first_urls(cache, [files.keys[i] for i in missing]))
    firsts: dict[int, tuple[str | None, bytes]] = {}
    for i, key in zip(wanted, keys, strict=True):
        first = found.get(key)
        if first is None or first[2] != files.stamps[i]:
            return False  # (the cache could not keep it, or not as walked)
        firsts[i] = first[:2]
    values.add_keys(firsts)
    return True


def _unchanged(cache: IndexCache, version: int | None, files: Walked) -> bool:
    """Whether what was read (rows, story data) is of the walked versions: no other run
    wrote the cache since before the load (``version``: then every row is as the load
    found or stored it), or every file's row is still of its walked version (then it
    was all along: a version never comes back)."""
    from newscli.index import story_cache

    if version is not None and story_cache.data_version(cache) == version:
        return True
    return story_cache.stamps(cache, files.keys) == files.stamps
