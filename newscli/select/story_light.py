"""`clusters` from the index cache, without loading every article.

A warm load that left every valid file out (index.prefilter.NOTHING) still walked them
all. The grouping (``grouping``) needs of each file only its path, its cache key and
stamp (the digest under which the grouping is stored), and, only when it must be made
again, its publication time (its cache row) and its story data (the cache's story table;
made from the article where that lacks it). story.* values, when the query names them,
are attached from the cache too (select/story_select). Whole articles are made only for
the members of stories of several articles, the only ones `clusters` can show; the
selection is then tested on them exactly as after a full load. The stories shown are
the same as from every article loaded (or --no-cache): the same grouping, the same
filters.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from newscli.article.model import Article
from newscli.index.cache import IndexCache
from newscli.index.discovery import Group
from newscli.index.loader import LoadResult
from newscli.index.story_folders import Inputs
from newscli.index.story_rows import Walked
from newscli.select.query import Query, QueryResult
from newscli.select.stories import Components, Members, Story, clusters, join, joined, stories_of
from newscli.select.story_rules import StoryRules

__all__ = ["Grouping", "clusters_from_cache", "grouping", "query_from_cache"]


class Changed(Exception):
    """A file's cache row is not of the walked version any more: load as usual."""


def clusters_from_cache(
    loaded: LoadResult, cache: IndexCache, query: Query, now: datetime
) -> list[Story] | None:
    """The stories `clusters` shows for ``query`` (with --dedupe, unpaged) over the files
    of a load that built no article (index.prefilter.NOTHING) but its invalid ones; None
    when the cache cannot give them (then load every article). The load's groups are let
    go on the way (the files are listed again, with just what is needed)."""
    result = query_from_cache(loaded, cache, query, now, release=True, ids=True)
    return None if result is None else clusters((), query.sort, grouped=result.chosen or [])


def query_from_cache(
    loaded: LoadResult,
    cache: IndexCache,
    query: Query,
    now: datetime,
    names: Sequence[str] = (),
    release: bool = False,
    ids: bool = False,
) -> QueryResult | None:
    """run_query's result for a --dedupe ``query`` over every valid file of a load whose
    articles are those its prefilter let through (the query's own, or NOTHING), or None
    when the cache cannot give it (then load every article). The same result as from
    every article loaded, but for ``stories``: only the stories of several articles and
    those of the articles loaded (a query showing stories groups every article).
    ``release``: let go of the load's groups (nothing will ask for the files' stamps);
    ``ids``: the stories of several carry their ids (with_ids)."""
    from newscli.index.parallel import stop_workers
    from newscli.select.story_make import workers_ahead

    try:
        workers_ahead(cache, loaded.groups)  # while this process is small
        return _query(loaded, cache, query, now, names, release, ids)
    finally:
        # (Those made() did not take; also when a signal came as they started: a pool
        # left with idle workers kept the run from ending.)
        stop_workers()


class Grouping:
    """The stories of every valid file of a walk, made from the cache: the ``files``,
    their joins (``parts``) by the ``rules``, ``as_walked()``: whether every file's
    cache row is still of its walked version, and ``rows()``: each file's publication
    time (microseconds, as the cache keeps it) and the other columns asked for, read
    when first asked; ``version``: story_cache.data_version before any was read."""

    def __init__(
        self,
        cache: IndexCache,
        files: Walked,
        groups: Sequence[Group],
        columns: Sequence[str],
        rules: StoryRules,
        version: int | None,
    ) -> None:
        self.cache, self.files, self.rules, self.version = cache, files, rules, version
        self.parts = Components(0)
        self.digest = ""  # (of the grouping's input: story_data.grouping_digest)
        self._groups, self._columns = groups, ("published_at", *columns)
        self._rows: tuple[list[tuple[Any, ...]] | None] | None = None

    def rows(self) -> list[tuple[Any, ...]] | None:
        """Each file's columns, read once (story_rows.columns); None when a file's row
        is not of the walked version any more, or the cache failed."""
        if self._rows is None:
            from newscli.index import story_rows

            found = story_rows.columns(self.cache, self.files, self._groups, self._columns)
            self._rows = (found,)
        return self._rows[0]

    def as_walked(self) -> bool:
        """Whether every file's cache row is still of its walked version (the rows, if
        read, were checked; else the folders' listings, story_rows.as_walked)."""
        if self._rows is not None:
            return self._rows[0] is not None
        from newscli.index import story_rows

        return story_rows.as_walked(self.cache, self.files, self._groups)


def grouping(
    loaded: LoadResult,
    cache: IndexCache,
    rules: StoryRules,
    release: bool,
    columns: Sequence[str] = (),
) -> Grouping | None:
    """The grouping of the files of a load (its articles, if any, are not needed): the
    joins stored for these files' versions, else those stored for their content, else
    made from their stored inputs (``_inputs``); ``columns``: of each file's cache row,
    besides its publication time. None when the cache cannot give it (a file changed
    since the walk, a failure): then load every article. ``release``: see
    query_from_cache."""
    from newscli.index import story_cache, story_rows
    from newscli.select.stories import replay_stored
    from newscli.select.story_data import content_digest, grouping_digest

    groups: Sequence[Group] = loaded.groups
    if release:
        loaded.groups = []
    files = story_rows.walked_files(groups, {problem.path for problem in loaded.problems})
    version = story_cache.data_version(cache)  # (before the rows are checked)
    made = Grouping(cache, files, groups, columns, rules, version)
    del groups
    if not files.paths:
        return None
    digest = made.digest = grouping_digest(files.paths, files.keys, files.stamps, rules)
    stored = replay_stored(len(files.paths), (cache, digest))
    if stored is not None:
        made.parts = stored
        return made
    try:
        inputs = _inputs(cache, files, version)
    except Changed:
        return None
    times = [None if us is None else us / 1_000_000 for us in inputs.times]
    sums: list[Any] = inputs.sums

    def content() -> str:
        return content_digest(files.paths, times, sums, rules)

    held = [inputs.data]  # (given once: the grouping lets go of it on the way)
    del inputs
    members = Members(files.paths, times, held.pop, content)
    try:
        made.parts = join(members, rules, (cache, digest))
    except Changed:
        return None
    return made


def _query(
    loaded: LoadResult,
    cache: IndexCache,
    query: Query,
    now: datetime,
    names: Sequence[str],
    release: bool,
    ids: bool = False,
) -> QueryResult | None:
    """query_from_cache, its workers started or not."""
    from newscli.index import story_rows
    from newscli.select import story_select
    from newscli.select.query import run_query

    wanted = story_select.asked(query, names)[0]  # story.* values (none without --where...)
    columns = story_select.columns_for(wanted)
    made_of = grouping(loaded, cache, query.stories, release, columns)
    if made_of is None or not made_of.as_walked():
        return None
    files, parts = made_of.files, made_of.parts
    n = len(files.paths)
    several = joined(parts)  # the files in stories of several (none without any join)
    given = {a.path: a for a in loaded.articles}
    made = story_rows.articles(cache, files, [i for i in several if files.paths[i] not in given])
    if made is None:
        return None
    made.update((i, given[files.paths[i]]) for i in several if files.paths[i] in given)
    grouped = stories_of(parts, n, made.__getitem__, query.stories, several=True)
    if ids:
        grouped = with_ids(cache, made_of.digest, grouped, {id(a): i for i, a in made.items()})
    in_several = set(several)
    alone = [a for i, a in _indexed(files.paths, given) if i not in in_several]
    grouped += [Story(article, ()) for article in alone]
    every = [*made.values(), *alone]
    if wanted:  # the story values of every article made (stories.attach's)
        made.update((i, a) for i, a in _indexed(files.paths, given) if i not in made)
        if not story_select.attach(cache, made_of, None, wanted, made, made_of.version):
            return None
    return run_query(every, query, now, names=names, grouped=grouped)


def with_ids(
    cache: IndexCache, digest: str, stories: list[Story], index: dict[int, int]
) -> list[Story]:
    """The stories, each with its story_id: stored for this grouping (``digest``: of
    its input; with the folder the run is in, as an article without a URL is named by
    its absolute path), else made (stories.story_ids) and stored. At 100,000 articles
    the ids of 8,800 stories took a third of `clusters`, read from each member's story
    data. ``index``: each member's place among the grouped files (by id())."""
    import hashlib
    import os
    from dataclasses import replace

    from newscli.index import story_cache
    from newscli.select.stories import story_ids

    try:
        where = os.fsencode(os.getcwd())
    except OSError:  # (the folder run from was removed: made when shown, not stored)
        return stories
    firsts = [min(index[id(a)] for a in story.articles) for story in stories]
    key = "ids " + hashlib.sha1(f"{IDS_VERSION} {digest} ".encode() + where).hexdigest()
    stored = story_cache.load_joins(cache, key)
    known: dict[int, str] = dict(stored) if stored is not None and _id_pairs(stored) else {}
    if set(known) != set(firsts):  # (the stories' first members: one each, none shared)
        known = dict(zip(firsts, story_ids(stories), strict=True))
        story_cache.save_joins(cache, key, sorted(known.items()))
    return [replace(story, sid=known[first]) for story, first in zip(stories, firsts, strict=True)]


# The way story ids are made (stories.member_keys, key_id): ids stored under another
# are not used.
IDS_VERSION = 1


def _id_pairs(stored: list[Any]) -> bool:
    """Whether stored ids are of the form with_ids stores: [first member, id] pairs."""
    return all(
        isinstance(pair, list)
        and len(pair) == 2
        and type(pair[0]) is int
        and isinstance(pair[1], str)
        for pair in stored
    )


def _indexed(paths: Sequence[str], given: dict[str, Article]) -> list[tuple[int, Article]]:
    """(index, article) of the given articles, by their paths' places in ``paths``."""
    return [(i, given[path]) for i, path in enumerate(paths) if path in given]


def store_missing(cache: IndexCache, files: Any, missing: Sequence[int]) -> None:
    """Make and store the story data of these files (by index) from their cache rows, in
    worker processes when they are many (select.story_make); no Article made, and no
    data kept here (it is read back from the cache)."""
    from newscli.select.story_make import stored

    keys = [files.keys[i] for i in missing]
    if not all(stored(cache, keys, [files.stamps[i] for i in missing])):
        raise Changed  # not in the cache as walked


def _inputs(cache: IndexCache, files: Walked, version: int | None) -> Inputs:
    """Each file's publication time, story data digest and story data
    (story_folders.Inputs, complete): from the folders' packed rows where they hold the
    walked versions; else from the files' rows and story data rows (the data made and
    stored first where it is missing), those folders' packed rows then made again.
    ``version``: story_cache.data_version before anything was read. Changed when the
    cache cannot give them as walked."""
    from newscli.index import story_cache, story_folders, story_rows
    from newscli.select.story_data import from_stored

    found = story_folders.read(cache, files.spans, len(files.paths))
    missing = found.missing
    if not missing:
        return found
    micros = story_rows.times_of(cache, files, missing)  # (each row as walked)
    if micros is None:
        raise Changed
    keys = [files.keys[i] for i in missing]
    stored = story_cache.stored_rows(cache, keys)
    if stored is None:
        raise Changed  # (a database error: load as usual)
    rows = [stored.pop(key, None) for key in keys]
    lacking = [i for i, row in zip(missing, rows, strict=True) if row is None]
    if lacking:
        store_missing(cache, files, lacking)
        again = story_cache.stored_rows(cache, [files.keys[i] for i in lacking]) or {}
        rows = [row or again.get(key) for key, row in zip(keys, rows, strict=True)]
        if any(row is None for row in rows):
            raise Changed  # (the cache could not keep it: load as usual)
    # The story data rows read are of the files' versions the cache held then; another
    # run may have indexed a newer one since the walk. Still the walked versions now,
    # they were then too (a version never comes back). (No other run wrote the database
    # since the times were read, as walked: nothing to check.)
    written = version is None or story_cache.data_version(cache) != version
    if written and story_cache.stamps(cache, keys) != [files.stamps[i] for i in missing]:
        raise Changed
    try:
        data = story_cache.decode([row[1] for row in rows if row is not None], from_stored)
    except ValueError:
        raise Changed from None  # (damaged: load as usual)
    if any(item is None for item in data):
        raise Changed
    for i, row, item in zip(missing, rows, data, strict=True):
        assert row is not None
        found.times[i], found.sums[i], found.data[i] = micros[i], row[0], item
    del rows, data, stored, micros  # (the texts read: not held while packing)
    _pack_again(cache, files, found)
    return found


def _pack_again(cache: IndexCache, files: Walked, found: Inputs) -> None:
    """Store the packed rows of the stale folders (story_folders.Inputs), their
    missing files' values now known."""
    from newscli.index import story_folders

    packs = []
    for span in found.stale:
        key, start, listed = files.spans[span]
        assert key is not None and listed is not None  # (a folder's: read() said so)
        end = start + len(listed)
        packs.append(
            (key, listed, found.times[start:end], found.sums[start:end], found.data[start:end])
        )
    story_folders.save(cache, packs)
