"""Story data of many files at once, made from the index cache alone and stored there:
each file's row (its title, excerpt and provider) and export JSON, read in one
transaction with the stamp of the version they are of (story_cache.sources), and no
Article made. From PARALLEL_MIN_FILES files on, forked worker processes share the work
(as the cold parse does, see index.parallel): each opens the cache itself, makes and
stores a chunk's data (one write transaction a chunk: a run killed meanwhile leaves
whole chunks or nothing) and sends it back. Fewer files are made in this process. The
data is the same either way, and the same as story_data.make gives from the Articles.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from sys import intern
from typing import Any

from newscli.index import story_cache
from newscli.index.cache import IndexCache, Stamp
from newscli.select.story_data import Data, make_from

__all__ = ["PARALLEL_MIN_FILES", "made", "stored", "workers_ahead"]

PARALLEL_MIN_FILES = 1000  # fewer files to make: in this process (workers would not pay)
CHUNK_FILES = 1000  # files a worker makes (and stores) at a time
SAMPLE = 64  # files whose stored data tells whether to start the workers ahead
Made = list["Data | None"]


def made(
    cache: Any, keys: Sequence[str], stamps: Sequence[Stamp] | None = None, workers: bool = True
) -> Made:
    """Each file's story data, in order, made from its cache row and stored: None for a
    file the cache does not hold valid with its export JSON (with ``stamps``, also one
    whose row is of another version than its stamp there). ``workers``: in worker
    processes if there are many (a caller holding every article in memory says no: each
    forked worker would count that memory again)."""
    return _made(cache, keys, stamps, workers, keep=True)


def stored(cache: Any, keys: Sequence[str], stamps: Sequence[Stamp]) -> list[bool]:
    """made() without handing the data back: whether each file's data was made (and so
    stored, unless the cache failed: the caller reads it back). Workers send no data
    back, so this process does not hold every file's data while they still run."""
    return [data is not None for data in _made(cache, keys, stamps, True, keep=False)]


def _made(
    cache: Any, keys: Sequence[str], stamps: Sequence[Stamp] | None, workers: bool, keep: bool
) -> Made:
    if not isinstance(cache, IndexCache) or cache.broken or not keys:
        return [None] * len(keys)
    found: Made = []
    if workers and len(keys) >= PARALLEL_MIN_FILES and sys.platform.startswith("linux"):
        from newscli.index.loader import default_jobs

        jobs = default_jobs()
        if jobs > 1:
            found = _in_workers(cache.folder, keys, stamps, jobs, keep)
    for start in range(len(found), len(keys), CHUNK_FILES):  # (whatever workers left)
        end = start + CHUNK_FILES
        found += make_chunk(cache, keys[start:end], None if stamps is None else stamps[start:end])
    return found


def make_chunk(cache: Any, keys: Sequence[str], stamps: Sequence[Stamp] | None) -> Made:
    """made() of a few files, in this process."""
    sources = story_cache.sources(cache, keys)
    found: Made = []
    rows = []
    for n, key in enumerate(keys):
        source = sources.get(key)
        data = None
        if source is not None:
            try:
                view = json.loads(source.export)
            except ValueError:
                view = None
            if isinstance(view, dict):
                s = source
                data = make_from(s.title, s.excerpt, s.provider_name, s.provider_domain, view)
                rows.append((key, source.stamp, data))
                if stamps is not None and source.stamp != stamps[n]:
                    data = None  # of another version than the caller's
        found.append(data)
    story_cache.save(cache, rows)
    return found


def workers_ahead(cache: Any, groups: Sequence[Any]) -> bool:
    """Start the worker processes now when a sample of the walk's files (``groups``)
    says that at least PARALLEL_MIN_FILES of them lack story data: a forked worker
    begins as a copy of this process, so the earlier, the smaller (a process tree's
    memory counts the pages they share once per process). True when started: the
    caller ends them (index.parallel.stop_workers) if made() does not take them."""
    from newscli.index import story_rows
    from newscli.index.loader import default_jobs
    from newscli.index.parallel import start_workers

    jobs = default_jobs()
    if not isinstance(cache, IndexCache) or jobs < 2 or not sys.platform.startswith("linux"):
        return False
    keys, total = story_rows.sample(groups, SAMPLE)
    if not keys:
        return False
    lacking = len(keys) - story_cache.stored_count(cache, keys)
    if total * lacking < PARALLEL_MIN_FILES * len(keys):
        return False
    start_workers(jobs)
    return True


class _NoCache(Exception):
    """A worker could not open the cache."""


_worker_cache: IndexCache | None = None


_MADE: Data = ((), (), (), (), ())  # what a worker sends back for data it made, not kept


def _worker_chunk(job: tuple[str, Sequence[str], Sequence[Stamp] | None, bool]) -> list[Made]:
    """Worker-process entry point: one chunk's data, made and stored (one item, so that
    map_jobs hands back each chunk whole); without ``keep``, only whether each was."""
    global _worker_cache
    folder, keys, stamps, keep = job
    if _worker_cache is None or _worker_cache.folder != folder:
        _worker_cache, _ = IndexCache.open(folder, rebuild=False)
    if _worker_cache is None or _worker_cache.broken:
        raise _NoCache(folder)
    found = make_chunk(_worker_cache, keys, stamps)
    return [found if keep else [None if data is None else _MADE for data in found]]


def _in_workers(
    folder: str, keys: Sequence[str], stamps: Sequence[Stamp] | None, jobs: int, keep: bool
) -> Made:
    """made() in ``jobs`` worker processes, as far as they got (this process makes the
    rest should one of them fail)."""
    from newscli.errors import WorkerError
    from newscli.index.parallel import map_jobs

    chunks = [
        (folder, keys[i : i + CHUNK_FILES], stamps and stamps[i : i + CHUNK_FILES], keep)
        for i in range(0, len(keys), CHUNK_FILES)
    ]
    found: Made = []
    try:
        for part in map_jobs(_worker_chunk, chunks, jobs, len(chunks)):
            found += map(_interned, part)
    except (_NoCache, WorkerError, OSError):  # (one killed, say: made here)
        pass
    return found


def _interned(data: Data | None) -> Data | None:
    """Data sent back by a worker, each word one string however many articles use it
    (as story_data.from_stored makes it)."""
    if data is None:
        return None
    own, cited, title, excerpt, pattern = data
    return own, cited, tuple(map(intern, title)), tuple(map(intern, excerpt)), pattern
