"""`clusters` from the index cache, without loading every article.

A warm load that left every valid file out (index.prefilter.NOTHING) still walked them
all. The grouping needs of each file only its path, its publication time and its cache
key and stamp (the digest under which the grouping is stored), and, only when it must be
made again, its story data (the cache's story table; made from the article where that
lacks it). Whole articles are made only for the members of stories of several articles,
the only ones `clusters` can show; the selection is then tested on them exactly as after
a full load. The stories shown are the same as from every article loaded (or
--no-cache): the same grouping, the same filters.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from newscli.index.cache import IndexCache
from newscli.index.discovery import Group
from newscli.index.loader import LoadResult
from newscli.select.query import Query
from newscli.select.stories import Members, Story, clusters, join, stories_of

__all__ = ["clusters_from_cache"]


class _Changed(Exception):
    """A file's cache row is not of the walked version any more: load as usual."""


def clusters_from_cache(
    loaded: LoadResult, cache: IndexCache, query: Query, now: datetime
) -> list[Story] | None:
    """The stories `clusters` shows for ``query`` (with --dedupe, unpaged) over the files
    of a load that built no article, but its invalid ones; None when the cache cannot
    give them (then load every article). The load's groups are let go on the way (the
    files are listed again, in the order of a load, with just what is needed)."""
    from newscli.index import story_rows
    from newscli.select.query import run_query
    from newscli.select.story_data import grouping_digest

    groups: Sequence[Group] = loaded.groups
    loaded.groups = []
    files = story_rows.walked_files(groups, {problem.path for problem in loaded.problems})
    published = story_rows.times(cache, files, groups)
    del groups
    if not files.paths or published is None:
        return None
    times = [None if us is None else us / 1_000_000 for us in published]
    members = Members(files.paths, times, lambda: _story_data(cache, files))
    digest = grouping_digest(files.keys, files.stamps, query.stories)
    try:
        parts = join(members, query.stories, (cache, digest))
    except _Changed:
        return None
    roots: dict[int, list[int]] = {}
    for i in range(len(files.paths)):
        roots.setdefault(parts.find(i), []).append(i)
    several = sorted(i for found in roots.values() if len(found) > 1 for i in found)
    made = story_rows.articles(cache, files, several)
    if made is None:
        return None
    grouped = stories_of(parts, len(files.paths), made.__getitem__, query.stories, several=True)
    result = run_query(list(made.values()), query, now, grouped=grouped)
    return clusters((), query.sort, grouped=result.chosen or [])


def _story_data(cache: IndexCache, files: Any) -> list[Any]:
    """Every file's story data: stored, else made from its article (and stored)."""
    from newscli.index import story_cache, story_rows
    from newscli.select.story_data import from_stored, story_data

    stored = story_cache.load(cache, files.keys, from_stored)
    found = [stored.pop(key, None) for key in files.keys]
    missing = [i for i, data in enumerate(found) if data is None]
    if missing:
        made = story_rows.articles(cache, files, missing)
        if made is None:
            raise _Changed
        for i, data in zip(missing, story_data([made[i] for i in missing]), strict=True):
            found[i] = data
    return found
