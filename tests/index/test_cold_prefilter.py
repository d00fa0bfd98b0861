"""A cold run keeps no more than a warm one (issue 15): records just parsed that cannot
match the prefilter are stored in the cache, then let go, as a warm run never loads them.
``Prefilter.admits`` says of a record exactly what the cache's SQL says of its row."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from conftest import property_examples, write
from hypothesis import example, given, settings
from hypothesis import strategies as st
from test_prefilter import TOPICS, _article

from newscli.article.record import FIELDS, _join, topic_keys
from newscli.index import loader
from newscli.index.cache import IndexCache
from newscli.index.loader import load_paths
from newscli.index.prefilter import Prefilter
from newscli.select.query import Selection, select

maybe_int = st.none() | st.integers(-5, 105)
records = st.tuples(
    maybe_int,  # quality
    maybe_int,  # heat
    maybe_int,  # published_at (microseconds)
    st.integers(0, 1),  # published
    st.integers(0, 1),  # rejected
    st.lists(st.sampled_from(TOPICS), max_size=3),
)
prefilters = st.builds(
    Prefilter,
    published=st.none() | st.booleans(),
    rejected=st.none() | st.booleans(),
    min_quality=maybe_int,
    max_quality=maybe_int,
    min_heat=maybe_int,
    topics=st.lists(st.sampled_from(["ai", "b", "kelvin", "a\x1fb"]), max_size=2, unique=True).map(
        tuple
    ),
    all_topics=st.booleans(),
)


@settings(max_examples=property_examples(60), deadline=None)
@given(rows=st.lists(records, min_size=1, max_size=12), prefilter=prefilters)
@example(  # a file with one topic of the two that must both be there
    rows=[(None, 1, 2, 0, 1, ["AI"]), (50, None, None, 1, 0, ["b", "a\x1fb"])],
    prefilter=Prefilter(topics=("ai", "b"), all_topics=True),
)
def test_admits_agrees_with_the_sql(rows: list, prefilter: Prefilter) -> None:
    db = sqlite3.connect(":memory:")
    db.execute(f"CREATE TABLE files ({', '.join(FIELDS)}, topic_keys)")
    made = []
    for quality, heat, when, published, rejected, topics in rows:
        values = dict.fromkeys(FIELDS)
        values.update(quality=quality, heat=heat, published_at=when, published=published)
        values.update(rejected=rejected, topics=_join(tuple(topics)))
        record = tuple(values[name] for name in FIELDS)
        made.append(record)
        marks = ", ".join("?" * (len(FIELDS) + 1))
        db.execute(f"INSERT INTO files VALUES ({marks})", (*record, topic_keys(record[13])))
    condition, params = prefilter.sql()
    said = [bool(row[0]) for row in db.execute(f"SELECT {condition} FROM files", params)]
    assert [prefilter.admits(record) for record in made] == said


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_cold_load_keeps_what_a_warm_one_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    monkeypatch.setattr(loader, "PARALLEL_MIN_FILES", 10)  # jobs=2: worker processes
    for number in range(60):
        write(tmp_path / "feed" / f"d{number % 3}" / f"a{number:03}.md", _article(number))
    selection = Selection(topics=("ai",), min_quality=20, published=False)
    cache, _ = IndexCache.open(str(tmp_path / "cache"))
    assert cache is not None
    folder = str(tmp_path / "feed")
    full = load_paths([folder], jobs=1)  # no cache: everything loaded
    cold = load_paths([folder], cache=cache, jobs=jobs, prefilter=selection.prefilter())
    warm = load_paths([folder], cache=cache, jobs=jobs, prefilter=selection.prefilter())
    assert cold.parsed == 60 and warm.parsed == 0
    wanted = [a.path for a in select(full.articles, selection)]
    assert wanted and len(wanted) < 20
    for loaded in (cold, warm):
        assert [a.path for a in select(loaded.articles, selection)] == wanted
        assert [a.path for a in loaded.articles] == [a.path for a in warm.articles]
        assert loaded.passed_over + len(loaded.articles) == len(full.articles)
        assert [p.path for p in loaded.problems] == [p.path for p in full.problems]
    # where the left-out files are: each folder once, which the cache can tell about
    assert sorted(cold.passed_over_in) == sorted({f"{cache_key(folder)}d{i}/" for i in range(3)})
    seen: list[tuple[str, ...]] = []
    assert cache.known_values(cold.passed_over_in, lambda t, *_: seen.append(t) and False)
    assert len(seen) == len(full.articles)  # every valid file of those folders
    cache.close()


def cache_key(folder: str) -> str:
    from newscli.index.discovery import folder_key

    return folder_key(folder)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_cold_load_holds_only_what_it_keeps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """While files are parsed, this process holds the FileRefs of a few chunks (made as
    they are sent, not all before: 43 MB at 100,000 files) and keeps the outcomes of
    only the files the prefilter lets through (a tuple for each file left out was kept
    too). The result is the warm run's (above)."""
    import gc

    from newscli.index import parallel
    from newscli.index.discovery import FileRef

    monkeypatch.setattr(loader, "PARALLEL_MIN_FILES", 10)
    monkeypatch.setattr(loader, "CHUNK_FILES", 10)
    for number in range(400):
        write(tmp_path / "feed" / f"d{number % 4}" / f"a{number:03}.md", _article(number))
    selection = Selection(topics=("ai",), min_quality=20, published=False)
    live: list[int] = []

    def progress(done: int, total: int) -> None:
        if done >= 100 and not live:
            live.append(sum(type(o) is FileRef for o in gc.get_objects()))

    kept: list[int] = []
    real = loader._parse_and_store
    monkeypatch.setattr(
        loader, "_parse_and_store", lambda *a: (fresh := real(*a), kept.append(len(fresh)))[0]
    )
    cache, _ = IndexCache.open(str(tmp_path / "cache"))
    folder = str(tmp_path / "feed")
    cold = load_paths([folder], progress, cache, jobs, selection.prefilter())
    assert cold.parsed == 400 and len(live) == 1
    assert live[0] <= (parallel.JOBS_AHEAD * jobs + 2) * 10
    wanted = [a.path for a in select(cold.articles, selection)]
    assert kept == [len(cold.articles) + len(cold.problems)] and len(wanted) < 100
    assert cold.passed_over + len(cold.articles) + len(cold.problems) == 400
    cache.close()


def test_cold_workers_start_before_the_plan_warm_runs_start_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A forked worker begins as a copy of this process: started before the per-file
    plan (the FileRefs, the chunks), each one is that much smaller."""
    from newscli.index import parallel

    monkeypatch.setattr(loader, "PARALLEL_MIN_FILES", 10)
    for number in range(30):
        write(tmp_path / "feed" / f"a{number:03}.md", _article(number))
    cache, _ = IndexCache.open(str(tmp_path / "cache"))
    started: list[bool] = []
    real = loader._plan
    monkeypatch.setattr(
        loader, "_plan", lambda *a: started.append(2 in parallel._started) or real(*a)
    )
    cold = load_paths([str(tmp_path / "feed")], cache=cache, jobs=2)
    warm = load_paths([str(tmp_path / "feed")], cache=cache, jobs=2)
    assert (cold.parsed, warm.parsed) == (30, 0) and started == [True, False]
    assert [a.path for a in cold.articles] == [a.path for a in warm.articles]
    assert not parallel._started  # taken by the parsing


def test_cold_workers_start_while_walking(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """They start as soon as the walk has found PARALLEL_MIN_FILES files more than the
    cache knows, not after the whole walk (then, at 100,000 files, each began as a copy
    of a process holding them all: 45 MB, against 18 MB); a warm run starts none. A
    Ctrl-C later in the walk leaves none running."""
    import multiprocessing

    from newscli.index import parallel, walk

    monkeypatch.setattr(loader, "PARALLEL_MIN_FILES", 10)
    for folder in "abc":
        for number in range(10):
            write(tmp_path / "feed" / folder / f"a{number:03}.md", _article(number))
    read: list[str] = []  # the folders read by the walk, in turn
    stop_at = "never"
    real_read = walk._read

    def reading(folder: str, *args: object) -> object:
        if folder.endswith(stop_at):
            raise KeyboardInterrupt
        read.append(os.path.basename(folder))
        return real_read(folder, *args)

    started: list[list[str]] = []  # the folders read when the workers started
    real_start = loader.start_workers

    def start(jobs: int) -> None:
        if jobs not in parallel._started:
            started.append(list(read))
        real_start(jobs)

    monkeypatch.setattr(walk, "_read", reading)
    monkeypatch.setattr(loader, "start_workers", start)
    cache, _ = IndexCache.open(str(tmp_path / "cache"))
    cold = load_paths([str(tmp_path / "feed")], cache=cache, jobs=2)
    assert started == [["feed", "a"]] and read == ["feed", "a", "b", "c"]  # 10 files of 30
    assert cold.parsed == 30 and not parallel._started
    warm = load_paths([str(tmp_path / "feed")], cache=cache, jobs=2)
    assert len(started) == 1 and warm.parsed == 0 and not parallel._started
    cache.close()
    read.clear()
    stop_at = "c"
    with pytest.raises(KeyboardInterrupt):
        load_paths([str(tmp_path / "feed")], jobs=2)
    assert started[1:] == [["feed", "a"]] and read == ["feed", "a", "b"]
    assert parallel._started == {} and multiprocessing.active_children() == []


def test_workers_started_for_nothing_are_stopped() -> None:
    import time

    from newscli.index import parallel

    parallel.start_workers(2)
    pool = parallel._started[2]
    processes = list(pool._processes.values())  # type: ignore[attr-defined]
    assert len(processes) == 2
    parallel.stop_workers()
    deadline = time.monotonic() + 10
    while any(p.is_alive() for p in processes) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not parallel._started and not any(p.is_alive() for p in processes)
