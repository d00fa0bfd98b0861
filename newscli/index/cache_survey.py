"""Reading the index cache: what it knows of the walked folders and of single files.

Functions over an open connection, run inside one read transaction by the caller, so
that listings and rows agree (see cache_keys for listings).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import NamedTuple

from newscli.article.record import FIELDS
from newscli.index.cache_keys import (
    ERROR_COLUMNS,
    EXTRA_COLUMNS,
    FILTERED,
    STAMP_COLUMNS,
    Entry,
    Files,
    Stamp,
    count_of,
    entry,
    key_range,
    listing_of,
    outermost,
    split_key,
    stored_form,
    to_bytes,
    to_text,
    unpack,
)
from newscli.index.prefilter import Prefilter


class Survey(NamedTuple):
    """What the cache knows of one walked folder: ``todo``, the names to parse (new or
    changed); ``found``, the entries of unchanged files that are invalid or may match
    the prefilter; ``unchanged``, how many files are unchanged (found or left out);
    ``clean``, whether its listing matched (so it needs no new one)."""

    todo: list[str]
    found: dict[str, Entry]
    unchanged: int
    clean: bool


class Surveyed(NamedTuple):
    """The surveys of the walked folders, by key; ``unchanged``: every folder was clean
    and none with a listing below the roots has gone (nothing to prune)."""

    folders: dict[str, Survey]
    unchanged: bool


def survey(
    db: sqlite3.Connection,
    roots: Sequence[str],
    folders: Sequence[tuple[str, Files]],
    prefilter: Prefilter,
) -> Surveyed:
    """For each (folder key, files on disk, listed or packed) walked below the ``roots``
    (resolved folder paths ending in a separator): a Survey. A folder whose listing
    matches is unchanged without looking at its files one by one."""
    ranges = [key_range(to_bytes(p)) for p in outermost(roots)]
    stored: dict[bytes, bytes] = {}
    for low, high in ranges:
        query = "SELECT folder, listing FROM folders WHERE folder >= ? AND folder < ?"
        stored.update(db.execute(query, (low, high)).fetchall())
    surveys: dict[bytes, Survey] = {}
    changed: dict[bytes, set[tuple[bytes, int, int, int]]] = {}  # their files, as rows are
    for key, files in folders:
        folder = to_bytes(key)
        clean = stored.get(folder) == listing_of(files)
        surveys[folder] = Survey([], {}, count_of(files), clean)
        if not clean:
            changed[folder] = set(stored_form(unpack(files)))
    for folder, on_disk in changed.items():
        surveys[folder] = _changed_folder(db, folder, on_disk, surveys[folder])
    condition, params = prefilter.sql()
    columns = ", ".join(("folder", "name", *STAMP_COLUMNS, *ERROR_COLUMNS, *EXTRA_COLUMNS, *FIELDS))
    query = (
        f"SELECT {columns} FROM files WHERE folder >= ? AND folder < ? "
        f"AND (error IS NOT NULL OR ({condition}))"
    )
    for low, high in ranges:
        for row in db.execute(query, (low, high, *params)):
            found = surveys.get(row[0])
            if found is None:
                continue  # a folder below a root that was not walked (hidden, say)
            # A clean folder's files are unchanged; another's, where the stamps agree.
            if found.clean or row[1:5] in changed[row[0]]:
                found.found[to_text(row[1])] = entry(row[5:])
    # Unchanged as a whole: every folder clean, and no listing of a folder now gone.
    whole = not changed and stored.keys() <= surveys.keys()
    return Surveyed({to_text(folder): s for folder, s in surveys.items()}, whole)


def _changed_folder(
    db: sqlite3.Connection, folder: bytes, on_disk: set[tuple[bytes, int, int, int]], found: Survey
) -> Survey:
    """Compare the files of a changed folder with its rows (as sets: one step)."""
    query = "SELECT name, size, mtime_ns, inode FROM files WHERE folder = ?"
    unchanged = on_disk.intersection(db.execute(query, (folder,)))
    todo = sorted(to_text(name) for name, *_ in on_disk - unchanged)
    return found._replace(todo=todo, unchanged=len(unchanged))


def lookup(
    db: sqlite3.Connection, keys: Sequence[str], stamps: Sequence[Stamp], prefilter: Prefilter
) -> dict[str, Entry]:
    """Entries of single files whose stored stamp equals the file's stamp; with a
    prefilter, valid records that cannot match it come back as FILTERED."""
    condition, params = prefilter.sql()
    columns = ", ".join((*STAMP_COLUMNS, *ERROR_COLUMNS, *EXTRA_COLUMNS, *FIELDS))
    query = f"SELECT {columns}, {condition} FROM files WHERE folder = ? AND name = ?"
    found: dict[str, Entry] = {}
    for key, stamp in zip(keys, stamps, strict=True):
        folder, name = split_key(key)
        row = db.execute(query, (*params, to_bytes(folder), to_bytes(name))).fetchone()
        if row is not None and row[:3] == stamp:
            passes = row[3] is not None or row[-1]
            found[key] = entry(row[3:-1]) if passes else FILTERED
    return found
