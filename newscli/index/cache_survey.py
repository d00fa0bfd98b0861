"""Reading the index cache: what it knows of the walked folders and of single files.

Functions over an open connection, each run inside one read transaction by the caller,
so that listings and rows agree (see cache_keys for listings). A survey may use what
fetch() read in an earlier transaction (while the walk went on): a folder whose listing
then matched the files on disk is taken from it, as its rows were theirs; a changed
folder is read again, in the survey's own transaction.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from newscli.article.record import FIELDS
from newscli.index.cache_keys import (
    ERROR_COLUMNS,
    EXTRA_COLUMNS,
    FILTERED,
    STAMP_COLUMNS,
    STAMP_SQL,
    Entry,
    Files,
    Stamp,
    count_of,
    entry,
    key_range,
    listing_of,
    names_sum,
    outermost,
    sound_text,
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


class Fetched(NamedTuple):
    """What a survey reads that does not depend on the walk, so that it can be read
    while the walk goes on: the listings stored below the roots, and the entries of the
    files there that are invalid or may match the prefilter (folder -> name -> entry).
    Both from one read transaction: the entries of a folder whose listing matches the
    files on disk are theirs. ``rows``: how many names each folder's rows hold (its
    listing's count, unless a page SQLite reads without complaint lost some: survey),
    OUT_OF_ORDER where they are not as stored with the listing (_counted), read in every run
    (h144 HIGH: a filtered run, which did not count, left out the rows such a page hid,
    run after run, and a cron job's filtered export never shipped them)."""

    listings: dict[bytes, bytes]
    entries: dict[bytes, dict[str, Entry]]
    rows: dict[bytes, int]


# Each folder's names, in the order its rows are stored (h147: a row's name damaged into
# its neighbour's kept the count, and runs shipped the neighbour, never the article;
# h148: two names swapped between rows kept even the distinct count, and runs shipped
# each file's row under the other's name). The primary key keeps them strictly
# increasing: names out of order, or a folder met twice, are damage. `+name`: the names
# as stored, not what the primary key promises. About 20 ms more than count(*) at
# 100,000 rows.
_NAMES = (
    "SELECT folder, CAST(group_concat(+name, x'2f') AS BLOB) FROM files"
    " WHERE folder >= ? AND folder < ? GROUP BY 1"
)
OUT_OF_ORDER = -1  # (a folder's row count when its rows are out of order: damage)
MALFORMED = "database disk image is malformed"  # (SQLite's words: taken for damage)


def _counted(
    db: sqlite3.Connection, low: bytes, high: bytes, sums: dict[bytes, int]
) -> dict[bytes, int]:
    """How many names each folder's rows below ``low``..``high`` hold; OUT_OF_ORDER where
    they do not come back strictly increasing (a name cannot hold a '/'), or, for a
    folder with a listing, not as its ``sums`` has them (h149: a name cut short by one
    flipped bit of its row's header, the row's other columns shifted: still in order,
    and the row no longer passed the filters, so no other check saw it)."""
    rows: dict[bytes, int] = {}
    last = b""
    for folder, joined in db.execute(_NAMES, (low, high)):
        if type(folder) is not bytes or type(joined) is not bytes:  # (h149: a type bit
            raise sqlite3.DatabaseError(MALFORMED)  # flipped: text, a number or null)
        if folder in sums:
            # The checksum of the names as its listing was made from them (sorted, so
            # strictly increasing): the names come back in that order, each byte as it
            # was, or the sum differs (a name changed, cut, swapped, lost or added). A
            # sum that is no number is damage too (h155: a null sum passed every run).
            count = joined.count(b"/") + 1
            stored = sums[folder]
            good = type(stored) is int and stored == names_sum((joined,))
        else:
            names = joined.split(b"/")
            count = len(names)
            good = all(map(bytes.__lt__, names, names[1:]))
        good = good and folder > last and folder not in rows
        rows[folder] = count if good else OUT_OF_ORDER
        last = max(last, folder)
    return rows


def fetch(db: sqlite3.Connection, roots: Sequence[str], prefilter: Prefilter) -> Fetched:
    """The Fetched of the folders below the ``roots`` (resolved folder paths ending in a
    separator), in the caller's read transaction."""
    listings: dict[bytes, bytes] = {}
    entries: dict[bytes, dict[str, Entry]] = {}
    rows: dict[bytes, int] = {}
    condition, params = prefilter.sql()
    columns = ", ".join(("folder", "name", *ERROR_COLUMNS, *EXTRA_COLUMNS, *FIELDS))
    query = (
        f"SELECT {columns} FROM files WHERE folder >= ? AND folder < ? "
        f"AND (error IS NOT NULL OR ({condition}))"
    )
    for low, high in [key_range(to_bytes(p)) for p in outermost(roots)]:
        folders = "SELECT folder, listing, names FROM folders WHERE folder >= ? AND folder < ?"
        sums: dict[bytes, int] = {}
        for folder, stored, names in db.execute(folders, (low, high)):
            listings[folder] = stored
            sums[folder] = names
        rows.update(_counted(db, low, high, sums))
        for folder, name, *row in db.execute(query, (low, high, *params)):
            found = entries.get(folder)
            if found is None:
                found = entries[folder] = {}
            found[to_text(name)] = entry(row)
    return Fetched(listings, entries, rows)


AHEAD_BYTES = 32 * 1024 * 1024  # export JSON exports_ahead holds at most (the rest: as output)
_CHUNK = 500  # keys a query


_TEXTS = {
    "exports": "SELECT key, export, sum, version FROM exports WHERE key IN ({})",
    # (a file's cells keep the version of the export JSON they were made from: h158, a
    # join with the exports read their pages too, a warm CSV export 1.36x slower)
    "cells": "SELECT key, cells, sum, version FROM cells WHERE key IN ({})",
}


def stored_texts(
    db: sqlite3.Connection,
    keys: Sequence[bytes],
    table: str = "exports",
    budget: int | None = None,
) -> Iterator[tuple[bytes, str, bytes]]:
    """(key, text, version of the export JSON) of the rows of ``table`` (exports: export
    JSON, or cells: CSV cells) these keys have, each checked against its checksum (a
    text that is not the one stored is damage: MALFORMED), _CHUNK keys a query, until
    ``budget`` bytes of the texts' memory are handed out (one text more at most: a front
    matter of 1 MiB, 500 of them a query, held 463 MB before, h155). An export row
    without a text is passed over (an invalid file's); a cells row always has one."""
    size = 0
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        rows = db.execute(_TEXTS[table].format(", ".join("?" * len(chunk))), chunk)
        for key, text, stored, version in rows:
            if text is None and table == "exports":
                continue
            if not sound_text(key, text, stored):
                raise sqlite3.DatabaseError(MALFORMED)
            yield key, text, version
            size += sys.getsizeof(text)  # (its memory: a text's characters take 1-4 bytes)
            if budget is not None and size > budget:
                rows.close()  # (the statement ends here)
                return


def exports_ahead(
    db: sqlite3.Connection, fetched: Fetched, budget: int = AHEAD_BYTES
) -> dict[bytes, dict[str, tuple[str, bytes]]]:
    """The export JSON of the valid files ``fetched`` found (folder -> file key ->
    (text, version)), in the caller's read transaction (so each is its row's), until ``budget``
    bytes of them are held: a warm export reads them while the walk helper walks,
    not after the walk."""
    wanted = [
        (folder, folder + to_bytes(name))
        for folder, found in fetched.entries.items()
        for name, found_entry in found.items()
        if found_entry.error is None
    ]
    folder_of = {key: folder for folder, key in wanted}
    ahead: dict[bytes, dict[str, tuple[str, bytes]]] = {}
    for key, text, version in stored_texts(db, [key for _, key in wanted], budget=budget):
        if key not in folder_of:
            raise sqlite3.DatabaseError(MALFORMED)
        ahead.setdefault(folder_of[key], {})[to_text(key)] = (text, version)
    return ahead


def survey(
    db: sqlite3.Connection,
    roots: Sequence[str],
    folders: Sequence[tuple[str, Files]],
    prefilter: Prefilter,
    fetched: Fetched | None = None,
) -> Surveyed:
    """For each (folder key, files on disk, listed or packed) walked below the ``roots``
    (resolved folder paths ending in a separator): a Survey. A folder whose listing
    matches is unchanged without looking at its files one by one. ``fetched``: read
    ahead (in a transaction of its own, before the walk ended), else read now; a changed
    folder's rows are read now either way (in the caller's read transaction)."""
    if fetched is None:
        fetched = fetch(db, roots, prefilter)
    surveys: dict[bytes, Survey] = {}
    changed = False
    for key, files in folders:
        folder = to_bytes(key)
        if fetched.listings.get(folder) == listing_of(files):
            found = fetched.entries.get(folder, {})
            # (every name found is one of the listing's: _counted checked the rows' names
            # against the sum made with the listing, which matches the files walked)
            if fetched.rows.get(folder, 0) != count_of(files):
                # Rows its listing holds are not there, and SQLite said nothing: a page
                # damaged where it does not look (h99: 3 of 18 articles left out of every
                # run; h100: a byte of a name changed, an article shown under a name no
                # file has). Taken as the damage it is: marked, the files read instead.
                raise sqlite3.DatabaseError(MALFORMED)
            surveys[folder] = Survey([], found, count_of(files), True)
        else:
            surveys[folder] = _changed_folder(db, folder, files, prefilter)
            changed = True
    # Unchanged as a whole: every folder clean, and no listing of a folder now gone.
    whole = not changed and fetched.listings.keys() <= surveys.keys()
    return Surveyed({to_text(folder): s for folder, s in surveys.items()}, whole)


def _changed_folder(
    db: sqlite3.Connection, folder: bytes, files: Files, prefilter: Prefilter
) -> Survey:
    """Compare the files of a changed folder with its rows (as sets: one step); the
    entries of the unchanged ones that are invalid or may match the prefilter."""
    on_disk = set(stored_form(unpack(files)))
    query = f"SELECT name, {STAMP_SQL} FROM files WHERE folder = ?"
    unchanged = on_disk.intersection(db.execute(query, (folder,)))
    todo = sorted(to_text(name) for name, *_ in on_disk - unchanged)
    condition, params = prefilter.sql()
    columns = ", ".join(("name", *STAMP_COLUMNS, *ERROR_COLUMNS, *EXTRA_COLUMNS, *FIELDS))
    query = f"SELECT {columns} FROM files WHERE folder = ? AND (error IS NOT NULL OR ({condition}))"
    cut = 1 + len(STAMP_COLUMNS)  # (name and stamp, then the entry)
    found = {
        to_text(row[0]): entry(row[cut:])
        for row in db.execute(query, (folder, *params))
        if row[:cut] in unchanged  # the file on disk is the one the row was made from
    }
    return Survey(todo, found, len(unchanged), False)


def lookup(
    db: sqlite3.Connection, keys: Sequence[str], stamps: Sequence[Stamp], prefilter: Prefilter
) -> dict[str, Entry]:
    """Entries of single files whose stored stamp equals the file's stamp; with a
    prefilter, valid records that cannot match it come back as FILTERED."""
    condition, params = prefilter.sql()
    columns = ", ".join((*STAMP_COLUMNS, *ERROR_COLUMNS, *EXTRA_COLUMNS, *FIELDS))
    query = f"SELECT {columns}, {condition} FROM files WHERE folder = ? AND name = ?"
    found: dict[str, Entry] = {}
    cut = len(STAMP_COLUMNS)  # (the stamp, then the entry)
    for key, stamp in zip(keys, stamps, strict=True):
        folder, name = split_key(key)
        row = db.execute(query, (*params, to_bytes(folder), to_bytes(name))).fetchone()
        if row is not None and row[:cut] == stamp:
            passes = row[cut] is not None or row[-1]
            found[key] = entry(row[cut:-1]) if passes else FILTERED
    return found
