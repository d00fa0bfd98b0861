"""Story grouping from the index cache without loading every article (`clusters`,
--dedupe, story.* fields).

A load that left every valid file out (a prefilter no row passes) still walked them all:
``walked_files`` lists them in the order a full load gives their articles. ``columns``
(``times``) reads columns of each one's cache row, in one pass per folder, while that
row is of the walked version (else None: the caller loads as usual). ``articles`` makes
the Articles of the few files grouping needs in full (the members of stories of
several), from their cache rows, as a load would; ``passing`` those of the files whose
rows pass a prefilter (the files a story.* query may select).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

from newscli.article.model import Article
from newscli.article.record import FIELDS, from_record
from newscli.errors import DamagedRecordError
from newscli.index import story_cache
from newscli.index.cache import IndexCache, Stamp
from newscli.index.cache_keys import (
    ERROR_COLUMNS,
    EXTRA_COLUMNS,
    STAMP_COLUMNS,
    STAMP_SQL,
    Entry,
    Listed,
    entry,
    listing_of,
    split_key,
    stored_form,
    to_bytes,
    to_text,
)
from newscli.index.cache_survey import MALFORMED
from newscli.index.discovery import Folder, Group
from newscli.index.file_data import FileData
from newscli.index.prefilter import Prefilter

__all__ = ["Walked", "articles", "columns", "passing", "sample", "times", "walked_files"]


class Span(NamedTuple):
    """The walked files of one group, from ``start`` on in Walked's lists: a folder's
    valid ones (``key``: the folder's; ``files``: as listed), or one file (None, None)."""

    key: str | None
    start: int
    files: list[Listed] | None


class Walked(NamedTuple):
    """The valid files of a walk, in load order: as shown, as the cache keys them, and
    the stamps they were found with; ``spans``: the walk's groups, in order."""

    paths: list[str]
    keys: list[str]
    stamps: list[Stamp]
    spans: list[Span]


def walked_files(groups: Sequence[Group], invalid: set[str]) -> Walked:
    """The files of the walk's ``groups`` but the ``invalid`` ones (paths as shown), in
    the order a load gives their articles: group by group, a folder's files by name."""
    found = Walked([], [], [], [])
    # The folders (as shown) holding an invalid file: only theirs are looked up one by one.
    holding = {path[: len(path) - len(os.path.basename(path))] for path in invalid}
    stamp = tuple.__new__
    for group in groups:
        if isinstance(group, Folder):
            shown, key, listed = group.shown, group.key, group.files
            if shown in holding:
                listed = [file for file in listed if shown + file[0] not in invalid]
            found.spans.append(Span(key, len(found.paths), listed))
            found.paths.extend([shown + file[0] for file in listed])
            found.keys.extend([key + file[0] for file in listed])
            found.stamps.extend([stamp(Stamp, file[1:]) for file in listed])
        elif group.path not in invalid:
            found.spans.append(Span(None, len(found.paths), None))
            found.paths.append(group.path)
            found.keys.append(group.key)
            found.stamps.append(group.stamp)
    return found


def sample(groups: Sequence[Group], most: int) -> tuple[list[str], int]:
    """(the keys of up to ``most`` files spread over the walk's groups, how many files
    the groups hold), listing only the folders sampled."""
    total = sum(g.count if isinstance(g, Folder) else 1 for g in groups)
    chosen = groups[:: max(1, len(groups) // most)][:most]
    each = max(1, most // max(1, len(chosen)))  # files sampled in each folder chosen
    keys = []
    for group in chosen:
        if isinstance(group, Folder):
            count = group.count
            if count:
                files = group.files
                keys += [group.key + files[n][0] for n in range(0, count, -(-count // each))]
        else:
            keys.append(group.key)
    return keys, total


def times(cache: IndexCache, files: Walked, folders: Sequence[Group]) -> list[int | None] | None:
    """Each file's publication time (microseconds since 1970, as the cache keeps it), in
    order; None when a file's row is missing, invalid or of another version (a file
    changed since the walk), or on any database error."""
    found = columns(cache, files, folders, ("published_at",))
    return None if found is None else [row[0] for row in found]


def columns(
    cache: IndexCache, files: Walked, folders: Sequence[Group], names: Sequence[str]
) -> list[tuple[Any, ...]] | None:
    """Each file's values of these columns of its cache row, in order, read in one pass
    per folder; None when a file's row is missing, invalid or of another version (a file
    changed since the walk), or on any database error."""
    at: dict[str, int] = {key: n for n, key in enumerate(files.keys)}
    found: list[tuple[Any, ...] | None] = [None] * len(files.keys)
    seen = 0
    query = (
        f"SELECT name, {STAMP_SQL}, {', '.join(names)} FROM files"
        " WHERE folder = ? AND error IS NULL"
    )
    try:
        with story_cache.reading(cache.db):
            for group in folders:
                if isinstance(group, Folder):
                    prefix, params = group.key, [to_bytes(group.key)]
                    rows = cache.db.execute(query, params)
                else:
                    prefix, name = split_key(group.key)
                    params = [to_bytes(prefix), to_bytes(name)]
                    rows = cache.db.execute(f"{query} AND name = ?", params)
                for name_bytes, size, mtime, ctime, inode, *values in rows:
                    n = at.get(prefix + to_text(name_bytes))
                    if n is None:
                        continue
                    if files.stamps[n] != (size, mtime, ctime, inode):
                        return None
                    found[n] = tuple(values)
                    seen += 1
    except sqlite3.Error:
        return None
    return found if seen == len(found) else None  # type: ignore[return-value]


def times_of(
    cache: IndexCache, files: Walked, indexes: Sequence[int]
) -> dict[int, int | None] | None:
    """The publication times (as columns() gives them) of these files (by index), read
    by folder; None when one's row is missing, invalid or of another version, or on any
    database error."""
    at = {files.keys[i]: i for i in indexes}
    found: dict[int, int | None] = {}
    query = f"SELECT name, {STAMP_SQL}, published_at FROM files WHERE folder = ?"
    query += " AND error IS NULL"
    try:
        with story_cache.reading(cache.db):
            for folder, names in story_cache.by_folder(at).items():
                for name, size, mtime, ctime, inode, published in story_cache.rows_of(
                    cache.db, query, folder, names
                ):
                    key = names.get(name)
                    if key is None:
                        continue
                    i = at[key]
                    if files.stamps[i] != (size, mtime, ctime, inode):
                        return None
                    found[i] = published
    except sqlite3.Error:
        return None
    return found if len(found) == len(at) else None


def as_walked(cache: IndexCache, files: Walked, groups: Sequence[Group]) -> bool:
    """Whether every walked file's cache row is still of its walked version: a folder's
    listing (which mirrors its rows: index/cache drops it with any write to them and
    makes it again from them) the one walked, else each of its files' rows; False on
    any database error."""
    listings = {g.key: g.stored for g in groups if isinstance(g, Folder)}
    alone = []
    query = "SELECT listing FROM folders WHERE folder = ?"
    rows = f"SELECT name, {STAMP_SQL} FROM files WHERE folder = ? AND error IS NULL"
    try:
        with story_cache.reading(cache.db):
            for key, start, listed in files.spans:
                if key is None or listed is None:
                    alone.append(start)
                    continue
                if not listed:
                    continue
                folder = to_bytes(key)
                row = cache.db.execute(query, (folder,)).fetchone()
                walked = listings.get(key)
                if row and walked is not None and row[0] == listing_of(walked):
                    continue
                held = set(cache.db.execute(rows, (folder,)))
                if not held.issuperset(stored_form(listed)):
                    return False
    except sqlite3.Error:
        return False
    if not alone:
        return True
    keys = [files.keys[i] for i in alone]
    return story_cache.stamps(cache, keys) == [files.stamps[i] for i in alone]


def articles(cache: IndexCache, files: Walked, indexes: Sequence[int]) -> dict[int, Article] | None:
    """The Articles of these files (by index), from their cache rows as a load makes
    them; None when one of them is not there as walked."""
    wanted = _by_folder(files, indexes)
    names = ", ".join((*STAMP_COLUMNS, *ERROR_COLUMNS, *EXTRA_COLUMNS, *FIELDS))
    query = f"SELECT name, {names} FROM files WHERE folder = ?"
    cut = len(STAMP_COLUMNS)
    made: dict[int, Article] = {}
    try:
        with story_cache.reading(cache.db):
            for folder, at in wanted.items():
                for name, *row in _named(cache, query, folder, list(at)):
                    n = at.get(name)
                    if n is None:
                        continue
                    found = entry(row[cut:])
                    if tuple(row[:cut]) != files.stamps[n] or found.record is None:
                        return None  # not the version walked, or not valid
                    made[n] = _made(cache, files, n, found)
    except sqlite3.Error:
        return None
    return made if len(made) == sum(map(len, wanted.values())) else None


def _by_folder(files: Walked, indexes: Sequence[int]) -> dict[bytes, dict[bytes, int]]:
    """The files' indexes by their folder's key and their name, as the cache stores them."""
    wanted: dict[bytes, dict[bytes, int]] = {}
    for i in indexes:
        prefix, file_name = split_key(files.keys[i])
        wanted.setdefault(to_bytes(prefix), {})[to_bytes(file_name)] = i
    return wanted


def _made(cache: IndexCache, files: Walked, n: int, found: Entry) -> Article:
    """File n's Article from its valid cache entry, as a load makes it."""
    assert found.record is not None
    path, key = files.paths[n], files.keys[n]
    data = FileData(path, key, cache, None, found.field_map, found.version)
    try:
        return from_record(path, found.record, data, data)
    except DamagedRecordError:  # (the caller then loads the files: h149)
        raise sqlite3.DatabaseError(MALFORMED) from None


NAMED_AT_ONCE = 500  # names in one query (SQLite's limit on parameters may be 999)


def _named(cache: IndexCache, query: str, folder: bytes, names: list[bytes]) -> Iterator[Any]:
    """The rows of a folder's named files, a few hundred names a query. (Reading the
    folder's rows all at once cost more even where a third of them were wanted: 26,000
    articles of 100,000 in 460 folders, 1.0 s against 0.8 s.)"""
    for start in range(0, len(names), NAMED_AT_ONCE):
        chunk = names[start : start + NAMED_AT_ONCE]
        marks = ",".join("?" * len(chunk))
        yield from cache.db.execute(f"{query} AND name IN ({marks})", (folder, *chunk))


FEW = 64  # a folder's files read by name when no more of them are wanted


def passing(
    cache: IndexCache, files: Walked, indexes: Sequence[int], prefilter: Prefilter
) -> dict[int, Article] | None:
    """The Articles of these files (by index) whose valid rows pass the prefilter, made
    from their cache rows as a load makes them, read folder by folder (a folder's rows
    that pass all at once when more than FEW of its files are wanted, else by name).
    A file whose row does not pass, or is missing, is left out: the caller makes sure
    that the rows are those of the walk (no other run wrote the cache since it began,
    or every file's stamp is still the walked one). None on any database error."""
    wanted = _by_folder(files, indexes)
    condition, params = prefilter.sql()
    names = ", ".join((*ERROR_COLUMNS, *EXTRA_COLUMNS, *FIELDS))
    query = f"SELECT name, {names} FROM files WHERE folder = ? AND error IS NULL AND ({condition})"
    made: dict[int, Article] = {}
    try:
        with story_cache.reading(cache.db):
            for folder, at in wanted.items():
                if len(at) > FEW:
                    rows = cache.db.execute(query, (folder, *params))
                else:
                    marks = ",".join("?" * len(at))
                    rows = cache.db.execute(
                        f"{query} AND name IN ({marks})", (folder, *params, *at)
                    )
                for name, *row in rows:
                    n = at.get(name)
                    if n is None:
                        continue
                    made[n] = _made(cache, files, n, entry(row))
    except sqlite3.Error:
        return None
    return made
