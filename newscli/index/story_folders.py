"""Each folder's story inputs packed in one row of the index cache, so that grouping
again at 100,000 articles (new articles, a title changed, another window) reads a few
hundred rows and decodes marshal, instead of reading 100,000 rows of story data and
decoding their JSON.

A folder's row holds, for its valid files as one walk found them (name, size, mtime_ns,
ctime_ns, inode: as listed), each one's publication time (microseconds, as its cache
row keeps it), the digest of its story data and the data (index/story_cache's). It is a
copy of what the cache's rows held for those versions of the files, made only from rows
checked to be of them: a file takes its values from it only while the walk finds that
same version (a version's values never change; the code's and the cache's versions are
the row's ``version``). A row that cannot be read, or is not of this form, is not used:
the values are read from the files' rows, and the folder's row made again.
"""

from __future__ import annotations

import gc
import hashlib
import marshal
import sqlite3
from collections.abc import Sequence
from typing import Any, NamedTuple

from newscli.index.cache_keys import Listed, to_bytes
from newscli.index.story_cache import STORED_VERSION, reading
from newscli.index.story_rows import Span

__all__ = ["Inputs", "read", "save"]

FORMAT = 4  # what a packed row holds (bump when that changes; 3: ctime_ns listed; 4: the
# story data holds the title pattern and outlet)
_SUM = 16  # a row's first bytes: the blake2b digest of the rest (checked before decoding)
TABLE = "story_folders"
_CREATE = f"CREATE TABLE IF NOT EXISTS {TABLE} (folder BLOB PRIMARY KEY, version INT, packed BLOB)"


# A folder's row is packed again once this share of its files (1/REPACK) is not in it
# as walked: reading a few files' rows again costs less than writing the whole folder.
REPACK = 16


class Inputs(NamedTuple):
    """Each walked file's publication time (microseconds; None: none), data digest and
    story data, in walk order; ``missing``: the indexes of those no row held (their
    places hold None); ``stale``: the spans (by index) whose rows are worth packing
    again once their missing files are known (none, or REPACK's share not as walked)."""

    times: list[int | None]
    sums: list[bytes | None]
    data: list[Any]
    missing: list[int]
    stale: list[int]


def read(cache: Any, spans: Sequence[Span], count: int) -> Inputs:
    """The inputs of the ``count`` files of the walk's ``spans`` that the folders' rows
    hold for the walked versions (every file missing on any database error)."""
    times: list[int | None] = [None] * count
    sums: list[bytes | None] = [None] * count
    data: list[Any] = [None] * count
    missing: list[int] = []
    stale: list[int] = []
    query = f"SELECT packed FROM {TABLE} WHERE folder = ? AND version = ?"
    if getattr(cache, "broken", True):
        return Inputs(times, sums, data, list(range(count)), [])
    # Many small tuples, none of them cyclic: the collector's passes over them would
    # cost twice the decoding.
    enabled = gc.isenabled()
    gc.disable()
    try:
        cache.db.execute(_CREATE)
        with reading(cache.db):
            for span, (key, start, files) in enumerate(spans):
                if key is None or files is None:  # (a file alone: read with the missing)
                    missing.append(start)
                    continue
                if not files:
                    continue
                row = cache.db.execute(query, (to_bytes(key), STORED_VERSION)).fetchone()
                packed = _unpacked(row[0]) if row else None
                if packed is None:
                    missing.extend(range(start, start + len(files)))
                    stale.append(span)
                    continue
                listed, their_times, their_sums, their_data = packed
                end = start + len(files)
                if listed == files:  # (the usual case: the whole folder as it was)
                    times[start:end], sums[start:end] = their_times, their_sums
                    data[start:end] = their_data
                    continue
                at = {file: n for n, file in enumerate(listed)}  # (name and version)
                lacking = len(missing)
                for i, file in enumerate(files, start):
                    n = at.get(file)
                    if n is None:
                        missing.append(i)
                    else:
                        times[i], sums[i], data[i] = their_times[n], their_sums[n], their_data[n]
                lacking = len(missing) - lacking
                gone = len({f[0] for f in listed}.difference([f[0] for f in files]))  # (names)
                if (lacking + gone) * REPACK >= len(files):
                    stale.append(span)
    except sqlite3.Error:
        nothing: list[Any] = [None] * count
        return Inputs(nothing, list(nothing), list(nothing), list(range(count)), [])
    finally:
        if enabled:
            gc.enable()
    return Inputs(times, sums, data, missing, stale)


def _unpacked(packed: Any) -> tuple[list[Any], list[Any], list[Any], list[Any]] | None:
    """A row's (files, times, sums, data), or None when it is not of this form. Its
    digest is checked first: marshal trusts the lengths it reads, and a damaged one
    could ask for gigabytes."""
    if type(packed) is not bytes or _digest(packed[_SUM:]) != packed[:_SUM]:
        return None
    try:
        value = marshal.loads(packed[_SUM:])
    except (ValueError, EOFError, TypeError, MemoryError):
        return None
    if type(value) is not tuple or len(value) != 5 or value[0] != FORMAT:
        return None
    _, listed, times, sums, data = value
    if not all(type(part) is list for part in (listed, times, sums, data)):
        return None
    if not len(listed) == len(times) == len(sums) == len(data):
        return None
    # (Each test over the whole list in C: types and lengths as sets.)
    if not set(map(type, times)) <= _TIMES or not set(map(type, sums)) <= _SUMS:
        return None
    if data and (set(map(type, data)) != _DATA or set(map(len, data)) != _PARTS):
        return None
    return listed, times, sums, data


_TIMES, _SUMS, _DATA, _PARTS = {int, type(None)}, {bytes}, {tuple}, {5}


def save(
    cache: Any,
    folders: Sequence[tuple[str, list[Listed], list[Any], list[Any], list[Any]]],
) -> None:
    """Store each (folder key, files as listed, their times, sums and data): values of
    rows checked to be of these versions. Nothing on a database error (made again)."""
    if not folders or getattr(cache, "broken", True):
        return
    rows = (  # (made one at a time, as they are written)
        (to_bytes(key), STORED_VERSION, _digest(packed) + packed)
        for key, files, times, sums, data in folders
        for packed in [marshal.dumps((FORMAT, files, times, sums, data))]
    )
    try:
        cache.db.execute(_CREATE)
        cache.write([(f"INSERT OR REPLACE INTO {TABLE} VALUES (?, ?, ?)", rows)])
    except sqlite3.Error:
        return


def _digest(packed: bytes) -> bytes:
    return hashlib.blake2b(packed, digest_size=_SUM).digest()
