"""Story data made from the index cache's rows (select/story_make), in this process or
in forked workers: the same data, and the same rows stored, as story_data.make gives
from the articles themselves; a row of another version than the walk's is refused; the
workers started ahead only when many files lack data, and none left behind."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from newscli.index import parallel, story_folders
from newscli.index.cache import IndexCache
from newscli.index.loader import load_paths
from newscli.index.prefilter import NOTHING
from newscli.select import stories, story_data, story_light, story_make
from newscli.select.fields import export_view
from newscli.select.query import Query, run_query

NOW = datetime(2014, 3, 20, tzinfo=timezone.utc)
TITLES = [
    "UPDATE 1-Fed's Plosser sees high bar for change in taper pace",
    "Fed's Plosser sees high bar for change in taper pace | Reuters",
    "Plosser sees high bar for changing pace of Fed taper - Livemint",
    "Oil prices slip as Chinese exports disappoint",
    "Crude slides after Chinese export figures",
    "Snowden to speak at SXSW via video link",
    "Snowden talks at SXSW",
    "Straße &amp; İstanbul: ﬁnance news \u2013 Paper 3",
]


def _write(folder: Path, count: int) -> None:
    folder.mkdir()
    for n in range(count):
        title = TITLES[n % len(TITLES)].replace('"', "'")
        text = f'---\ntitle: "{title}"\npublishedDateTime: 2014-03-10T{n % 24:02d}:00:00Z\n'
        text += f"provider:\n  name: Paper {n % 5}\n  domain: www.paper{n % 5}.example\n"
        text += f'webUrl: "https://www.x{n % 13}.example/{n % 17}/amp/?utm_source=q&id={n % 3}"\n'
        if n % 3:
            text += f'originalUrl: "HTTPS://M.Y.example/{n}?b=2&amp;a=1#f"\n'
        if n % 2:
            text += f'excerpt: "The Fed says {title} and more {n}"\n'
        if n % 4 == 1:
            text += (
                f'related:\n  - title: "x"\n    webUrl: "https://www.x{n % 7}.example/{n % 5}"\n'
            )
        (folder / f"a{n:03d}.md").write_text(text + "---\n", encoding="utf-8")
    (folder / "zz-broken.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")


def _open(path: Path) -> IndexCache:
    cache = IndexCache.open(str(path))[0]
    assert cache is not None
    return cache


def _stored(cache: IndexCache) -> list[Any]:
    columns = "folder, name, size, mtime_ns, ctime_ns, inode, version, data, sum"
    query = f"SELECT {columns} FROM {story_make.story_cache.TABLE}"
    return sorted(cache.db.execute(query).fetchall())


def _clear(cache: IndexCache) -> None:
    cache.db.execute(story_make.story_cache._CREATE)
    cache.db.execute(story_make.story_cache._GROUPS)
    cache.db.execute(f"DELETE FROM {story_make.story_cache.TABLE}")
    cache.db.execute("DELETE FROM story_groups")
    cache.db.execute(story_folders._CREATE)  # (the folders' packed copies of the data)
    cache.db.execute(f"DELETE FROM {story_folders.TABLE}")


@pytest.fixture
def warm(tmp_path: Path) -> Iterator[tuple[Path, IndexCache, list[str], list[Any]]]:
    """A folder, its warm cache without story data, its files' keys and the data
    story_data.make gives from each article loaded without a cache."""
    folder = tmp_path / "feeds"
    _write(folder, 60)
    cache = _open(tmp_path / "cache")
    cached = load_paths([str(folder)], cache=cache, jobs=1).articles
    keys = [a.export_text.key for a in cached]  # type: ignore[union-attr]
    plain = {a.path: a for a in load_paths([str(folder)], jobs=1).articles}
    expected = [story_data.make(plain[a.path], export_view(plain[a.path])) for a in cached]
    _clear(cache)
    yield folder, cache, keys, expected
    cache.close()


def test_made_in_workers_is_made_in_process_is_made_from_articles(
    warm: tuple[Path, IndexCache, list[str], list[Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, cache, keys, expected = warm
    monkeypatch.setattr(story_make, "PARALLEL_MIN_FILES", 10**9)
    assert story_make.made(cache, keys) == expected
    stored = _stored(cache)
    assert len(stored) == len(keys)
    assert stored[0][-1] != "[]"

    _clear(cache)
    monkeypatch.setattr(story_make, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(story_make, "CHUNK_FILES", 7)
    monkeypatch.setenv("NEWSCLI_JOBS", "2")
    by_workers: list[int] = []
    in_workers = story_make._in_workers

    def counted(*args: Any) -> Any:
        found = in_workers(*args)
        by_workers.append(len(found))
        return found

    monkeypatch.setattr(story_make, "_in_workers", counted)
    assert story_make.made(cache, keys) == expected
    assert by_workers == [len(keys)]  # every one made by the workers
    assert _stored(cache) == stored  # and stored as this process stores them

    # stored(): the same rows, and the workers send back no data, only that it was made.
    _clear(cache)
    by_workers.clear()
    sent: list[Any] = []

    def watched(*args: Any) -> Any:
        found = in_workers(*args)
        sent.extend(found)
        return found

    monkeypatch.setattr(story_make, "_in_workers", watched)
    stamps = story_make.story_cache.stamps(cache, keys)
    assert stamps is not None
    assert story_make.stored(cache, keys, stamps) == [True] * len(keys)
    assert len(sent) == len(keys) and all(data == ((), (), (), (), ()) for data in sent)
    assert _stored(cache) == stored


def test_a_worker_without_the_cache_leaves_the_rest_to_this_process(
    warm: tuple[Path, IndexCache, list[str], list[Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, cache, keys, expected = warm
    monkeypatch.setattr(story_make, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setenv("NEWSCLI_JOBS", "2")
    monkeypatch.setattr(
        IndexCache, "open", classmethod(lambda cls, folder, rebuild=True: (None, "no"))
    )
    assert story_make._in_workers(cache.folder, keys, None, 2, True) == []
    assert story_make.made(cache, keys) == expected
    assert len(_stored(cache)) == len(keys)


def test_a_row_of_another_version_is_refused(
    warm: tuple[Path, IndexCache, list[str], list[Any]],
) -> None:
    _, cache, keys, expected = warm
    sources = story_make.story_cache.sources(cache, keys)
    stamps = [sources[key].stamp for key in keys]
    stamps[5] = stamps[5]._replace(size=stamps[5].size + 1)
    found = story_make.made(cache, keys, stamps)
    assert found[5] is None
    assert found[:5] + found[6:] == expected[:5] + expected[6:]
    assert story_make.made(cache, ["/nowhere/x.md", keys[0]]) == [None, expected[0]]


def _clusters(folder: Path, cache: IndexCache | None, query: Query) -> list[Any]:
    if cache is None:
        result = run_query(load_paths([str(folder)], jobs=1).articles, query, NOW)
        found = stories.clusters((), query.sort, grouped=result.chosen or [])
    else:
        loaded = load_paths([str(folder)], cache=cache, jobs=1, prefilter=NOTHING)
        found = story_light.clusters_from_cache(loaded, cache, query, NOW) or []
    return [
        (
            [os.path.basename(a.path) for a in s.articles],
            sorted((k.a.path, k.b.path, k.by, k.score) for k in s.links),
        )
        for s in found
    ]


def test_light_clusters_with_workers_are_those_without(
    warm: tuple[Path, IndexCache, list[str], list[Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, cache, _, _ = warm
    query = Query(dedupe=True)
    expected = _clusters(folder, None, query)
    assert any(len(members) > 1 for members, _ in expected)
    monkeypatch.setenv("NEWSCLI_JOBS", "2")
    monkeypatch.setattr(story_make, "PARALLEL_MIN_FILES", 10**9)
    assert _clusters(folder, cache, query) == expected  # in this process
    in_process = _stored(cache)
    _clear(cache)
    started: list[bool] = []
    ahead = story_make.workers_ahead

    def spied(*args: Any) -> bool:
        started.append(ahead(*args))
        return started[-1]

    monkeypatch.setattr(story_make, "workers_ahead", spied)
    monkeypatch.setattr(story_make, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(story_make, "CHUNK_FILES", 9)
    assert _clusters(folder, cache, query) == expected  # in workers, started ahead
    assert started == [True]
    assert _stored(cache) == in_process
    assert not parallel._started  # taken by made() and ended
    monkeypatch.setattr(story_make, "PARALLEL_MIN_FILES", 5)  # (the broken file has none)
    assert _clusters(folder, cache, query) == expected  # replayed: none started
    assert started == [True, False]
    assert not parallel._started
    # Started ahead, but the stored grouping replayed (no data asked for): ended.
    cache.db.execute(f"DELETE FROM {story_make.story_cache.TABLE}")
    monkeypatch.setattr(story_make, "PARALLEL_MIN_FILES", 1)
    assert _clusters(folder, cache, query) == expected
    assert started == [True, False, True]
    assert not parallel._started


def test_workers_ahead_only_when_many_lack_data(
    warm: tuple[Path, IndexCache, list[str], list[Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, cache, keys, _ = warm
    monkeypatch.setenv("NEWSCLI_JOBS", "2")
    groups = load_paths([str(folder)], cache=cache, jobs=1, prefilter=NOTHING).groups
    try:
        assert not story_make.workers_ahead(cache, groups)  # 61 files: fewer than 1,000
        monkeypatch.setattr(story_make, "PARALLEL_MIN_FILES", 30)
        assert story_make.workers_ahead(cache, groups)
        assert parallel._started
        parallel.stop_workers()
        story_make.made(cache, keys[:40])
        # 40 of 61 stored: about 20 lack data, fewer than 30
        assert not story_make.workers_ahead(cache, groups)
        monkeypatch.setenv("NEWSCLI_JOBS", "1")
        _clear(cache)
        assert not story_make.workers_ahead(cache, groups)  # one core: no workers
    finally:
        parallel.stop_workers()


def test_stored_count_is_zero_on_a_database_error(tmp_path: Path) -> None:
    cache = _open(tmp_path / "cache")
    cache.db.close()
    with pytest.raises(sqlite3.ProgrammingError):
        cache.db.execute("SELECT 1")
    assert story_make.story_cache.stored_count(cache, ["/a/b.md"]) == 0
