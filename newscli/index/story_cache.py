"""Each file's story data (its URL keys, the URL keys it cites in `related`, its title
and excerpt words), kept in the index cache's database in a table of its own, so that
grouping stories at 100,000 articles need not read and parse every export JSON again.

A row holds the stamp (cache_keys.Stamp) of the file version it was made from and
the VERSION of the code that made it (with the cache's schema version); it is used only
while the ``files`` row of that file has the same stamp (the loader keeps that row
current), and only for articles the cache handed out. The stamp is read in the same
read transaction as the export JSON the data is made from, so a file changed meanwhile
gives a row that is never used. Any database error means going on without it: the data
is then made again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, NamedTuple, TypeVar

from newscli.index.cache_keys import SCHEMA_VERSION, STAMP_SQL, Stamp, split_key, to_bytes

VERSION = 27  # bump when what the data holds, or how it is made, changes (27: a URL
# with an empty query, "site.example?", a front page as without it; 26: a first word
# of mixed case a name, h121; 25: a capital
# anywhere in a word marks a name in a title's pattern, h118; 24: outlet
# names folded composed, NFC; 23: outlet names folded as topics are, article.folding; 22: an
# escaped host, an IPv4 address however written, a backslash in a path, h97; 21: hosts
# NFKC-normalised, IPv6 addresses compressed, escaped dot segments, h96; 20: an IDN
# host's labels as their punycode, no IDNA 2003 mapping, h95; 19: URL keys
# of one host however written, dot segments resolved, h93; 18: its
# words kept, a name where one is capitalised, h82 1; 17: a
# hyphenated name one word of a title's pattern, h81 2; 16: words
# of the text a terminal shows, no escape sequence's, h78 8; 15: a
# number with its unit a number in a title's pattern, h73 2; 14: more
# trackers' fragments, a text directive cut, h70; 13: a page's
# places and trackers' fragments dropped, a route's kept, escapes in one case, h69; 12: Google's
# AMP viewer, index pages, sessions, escaped letters, more tracking parameters, h68; 11: a
# fragment naming a part of the page kept in URL keys, h68; 10: AMP folders and more
# tracking parameters left out of URL keys, h67; 9: Han and kana words, h54)
# Rows are also made again when the cache's schema changes (the export JSON they are made
# from may then be made differently).
STORED_VERSION = VERSION * 1000 + SCHEMA_VERSION
# The data and its digest, with the whole stamp (story_data, without the digest, and
# story_data2, without ctime_ns, are dropped).
TABLE = "story_data3"
_CREATE = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} (folder BLOB, name BLOB, size INT, mtime_ns INT,"
    " ctime_ns INT, inode INT, version INT, data TEXT, sum BLOB, PRIMARY KEY (folder, name))"
    " WITHOUT ROWID"
)
# The rows of the file version the cache's row (f) is of.
_SAME_VERSION = (
    "f.folder = s.folder AND f.name = s.name AND f.size = s.size"
    " AND f.mtime_ns = s.mtime_ns AND f.ctime_ns = s.ctime_ns AND f.inode = s.inode"
)
# A column of the rows still valid: of the version of the file the cache's row is of.
_VALID = (
    f"SELECT s.name, s.{{}} FROM {TABLE} s JOIN files f ON {_SAME_VERSION}"
    " WHERE s.folder = ? AND s.version = ?"
)
Data = tuple[tuple[str, ...], ...]  # made by the caller; stored as JSON
T = TypeVar("T")


def _create(db: sqlite3.Connection) -> None:
    """Make the table if it is missing (and drop the one it replaced)."""
    db.execute(_CREATE)
    db.execute("DROP TABLE IF EXISTS story_data")
    db.execute("DROP TABLE IF EXISTS story_data2")


def by_folder(keys: Iterable[str]) -> dict[bytes, dict[bytes, str]]:
    folders: dict[bytes, dict[bytes, str]] = {}
    named: dict[str, dict[bytes, str]] = {}  # (each folder's name encoded once)
    for key in keys:
        folder, name = split_key(key)
        names = named.get(folder)
        if names is None:
            names = named[folder] = folders.setdefault(to_bytes(folder), {})
        names[to_bytes(name)] = key
    return folders


FEW = 64  # a folder's files asked for one by one (by name) when no more are wanted


def rows_of(
    db: sqlite3.Connection,
    query: str,
    folder: bytes,
    names: dict[bytes, str],
    *more: Any,
    column: str = "name",
) -> Iterable[Any]:
    """The rows of ``query`` (its parameters: the folder, then ``more``) for one folder:
    all of its rows, or only those of the named files (``column``) when they are few (a
    changed 1% is not worth reading whole folders)."""
    if len(names) > FEW:
        return db.execute(query, (folder, *more))
    marks = ",".join("?" * len(names))
    return db.execute(f"{query} AND {column} IN ({marks})", (folder, *more, *names))


def _valid_rows(
    db: sqlite3.Connection, query: str, folder: bytes, names: dict[bytes, str]
) -> Iterable[Any]:
    """rows_of a _VALID query (the story table named s, of this code's version)."""
    return rows_of(db, query, folder, names, STORED_VERSION, column="s.name")


def load(cache: Any, keys: Sequence[str], convert: Callable[[Any], T]) -> dict[str, T]:
    """The stored data of these files that is still valid, by key, each as ``convert``
    makes it of the stored (JSON) value, one at a time."""
    found: dict[str, T] = {}
    if getattr(cache, "broken", True) or not keys:
        return found
    try:
        for rows in _valid_by_folder(cache, keys, "data"):
            # One decoding per folder: a JSON array of its rows' values.
            values = json.loads("[" + ",".join(data for _, data in rows) + "]")
            for (key, _), value in zip(rows, values, strict=True):
                found[key] = convert(value)
    except (sqlite3.Error, ValueError):
        return {}
    return found


def _valid_by_folder(cache: Any, keys: Sequence[str], columns: str) -> Iterator[list[Any]]:
    """The valid rows (key, *columns) of these files, a list per folder, in one
    transaction (sqlite3.Error on a database error)."""
    query = _VALID.format(columns)
    _create(cache.db)
    with reading(cache.db):
        for folder, names in by_folder(keys).items():
            yield [
                (key, *rest)
                for name, *rest in _valid_rows(cache.db, query, folder, names)
                if (key := names.get(name)) is not None
            ]


_FIRST = json.JSONDecoder()


def first_urls(
    cache: Any, keys: Sequence[str]
) -> dict[str, tuple[str | None, bytes, tuple[int, int, int, int]]]:
    """Of each of these files with stored data of this code's version: the first of its
    own URL keys (the smallest: they are kept sorted; None when it has none), the sum of
    its data (data_sum) and the stamp of the file version the data was made from (the
    caller compares it: the ``files`` rows are not joined). Only that list of the data
    is decoded (json's own decoder, as load() would). Nothing on any error; a file
    whose row is not of that form is left out (its data is made again)."""
    found: dict[str, tuple[str | None, bytes, tuple[int, int, int, int]]] = {}
    if getattr(cache, "broken", True) or not keys:
        return found
    query = f"SELECT name, data, sum, {STAMP_SQL} FROM {TABLE} WHERE folder = ?"
    query += " AND version = ?"
    try:
        _create(cache.db)
        with reading(cache.db):
            for folder, names in by_folder(keys).items():
                rows = rows_of(cache.db, query, folder, names, STORED_VERSION)
                for name, data, digest, size, mtime, ctime, inode in rows:
                    key = names.get(name)
                    if key is not None and (first := _first_url(data, digest)) is not None:
                        found[key] = (*first, (size, mtime, ctime, inode))
    except (sqlite3.Error, ValueError):
        return {}
    return found


def first_valid(cache: Any, keys: Sequence[str]) -> dict[str, tuple[str | None, bytes]]:
    """first_urls of the files whose stored data is of their cached version (as load()
    reads it): the first own URL key and the data's sum, by key; nothing on any error."""
    found: dict[str, tuple[str | None, bytes]] = {}
    if getattr(cache, "broken", True) or not keys:
        return found
    try:
        for rows in _valid_by_folder(cache, keys, "data, s.sum"):
            for key, data, digest in rows:
                if (first := _first_url(data, digest)) is not None:
                    found[key] = first
    except (sqlite3.Error, ValueError):
        return {}
    return found


def _first_url(data: Any, digest: Any) -> tuple[str | None, bytes] | None:
    """A stored row's first own URL key (None: it has none) and its sum; None for a
    damaged row or one not of the form stored (its data is made again). Only that list
    of the data is decoded (json's own decoder, as load() would)."""
    if type(data) is not str or data[:1] != "[":
        return None
    if type(digest) is not bytes or digest != _sum(data):
        return None
    own = _FIRST.raw_decode(data, 1)[0]
    first = own[0] if type(own) is list and own else None
    if type(own) is not list or (first is not None and type(first) is not str):
        return None
    return first, digest


def stored_rows(cache: Any, keys: Sequence[str]) -> dict[str, tuple[bytes, str]] | None:
    """Each of these files' stored (sum, JSON text) while still valid, by key, read in
    one transaction and left undecoded (decode() makes the data of the texts); files
    without a valid row are left out; None on any error."""
    if getattr(cache, "broken", True):
        return None
    query = _VALID.format("sum, s.data")
    found: dict[str, tuple[bytes, str]] = {}
    try:
        _create(cache.db)
        with reading(cache.db):
            for folder, names in by_folder(keys).items():
                for name, digest, text in _valid_rows(cache.db, query, folder, names):
                    key = names.get(name)
                    if key is not None and isinstance(digest, bytes) and isinstance(text, str):
                        found[key] = (digest, text)
    except sqlite3.Error:
        return None
    return found


_DECODED = 1000  # texts decoded together (one JSON array)


def decode(texts: Sequence[str], convert: Callable[[Any], T]) -> list[T]:
    """``convert`` of the value of each stored text (stored_rows), in order; ValueError
    when one is not JSON."""
    found: list[T] = []
    for start in range(0, len(texts), _DECODED):
        chunk = texts[start : start + _DECODED]
        values = json.loads("[" + ",".join(chunk) + "]")
        if len(values) != len(chunk):  # (a damaged text: two values in one text)
            raise ValueError("stored story data is damaged")
        found += map(convert, values)
    return found


def data_sum(data: Data) -> bytes:
    """What stored_rows gives as the sum of a row of this data (stored as save() stores
    it). Equal data give equal sums: the text is json.dumps of the data."""
    return _sum(json.dumps(data))


def _sum(text: str) -> bytes:
    """The digest kept with each row, of its data's JSON text."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def stored_count(cache: Any, keys: Sequence[str]) -> int:
    """How many of these files have valid stored data (0 on any database error)."""
    if getattr(cache, "broken", True) or not keys:
        return 0
    query = (
        f"SELECT count(*) FROM {TABLE} s JOIN files f ON {_SAME_VERSION}"
        " WHERE s.folder = ? AND s.name = ? AND s.version = ?"
    )
    found = 0
    try:
        _create(cache.db)
        with reading(cache.db):
            for key in keys:
                folder, name = split_key(key)
                params = (to_bytes(folder), to_bytes(name), STORED_VERSION)
                found += cache.db.execute(query, params).fetchone()[0]
    except sqlite3.Error:
        return 0
    return found


class Source(NamedTuple):
    """What a file's story data is made from: the stamp of the version its row is of,
    the row's title, excerpt and provider, and its export JSON."""

    stamp: Stamp
    title: str
    excerpt: str | None
    provider_name: str | None
    provider_domain: str | None
    export: str


_NAMES = 500  # names per query


def sources(cache: Any, keys: Sequence[str]) -> dict[str, Source]:
    """The sources of these files, all read in one transaction (files the cache does
    not hold valid, with their export JSON, are left out; so is every file on any
    database error)."""
    found: dict[str, Source] = {}
    if getattr(cache, "broken", True) or not keys:
        return found
    columns = f"name, {STAMP_SQL}, title, excerpt, provider_name, provider_domain"
    rows: dict[str, tuple[Any, ...]] = {}
    try:
        with reading(cache.db):
            for folder, names in by_folder(keys).items():
                listed = list(names)
                for start in range(0, len(listed), _NAMES):
                    chunk = listed[start : start + _NAMES]
                    marks = ", ".join("?" * len(chunk))
                    query = (
                        f"SELECT {columns} FROM files WHERE folder = ? AND name IN ({marks})"
                        " AND error IS NULL"
                    )
                    for name, *row in cache.db.execute(query, (folder, *chunk)):
                        rows[names[name]] = tuple(row)
            texts = cache.exports(list(rows))
    except sqlite3.Error:
        return {}
    if getattr(cache, "broken", False):
        return {}
    for key, (text, _) in texts.items():  # (of the rows' versions: one transaction)
        size, mtime_ns, ctime_ns, inode, title, excerpt, name, domain = rows[key]
        if title.__class__ is not str or not all(v is None or v.__class__ is str
                                                 for v in (excerpt, name, domain)):  # fmt: skip
            cache.damaged_now()  # (h151: a title as bytes stopped `clusters`, every run)
            return {}
        stamp = Stamp(size, mtime_ns, ctime_ns, inode)
        found[key] = Source(stamp, title, excerpt, name, domain, text)
    return found


def save(cache: Any, rows: Iterable[tuple[str, Stamp, Data]]) -> None:
    """Store the data made from the file versions of these stamps."""
    made = [
        (to_bytes(folder), to_bytes(name), *stamp, STORED_VERSION, text, _sum(text))
        for key, stamp, data in rows
        for folder, name in [split_key(key)]
        for text in [json.dumps(data)]
    ]
    if not made or getattr(cache, "broken", True):
        return
    sql = f"INSERT OR REPLACE INTO {TABLE} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    try:
        _create(cache.db)
        cache.write([(sql, made)])
    except sqlite3.Error:
        return  # made again next time


@contextlib.contextmanager
def reading(db: sqlite3.Connection) -> Iterator[None]:
    db.execute("BEGIN")
    try:
        yield
    finally:
        with contextlib.suppress(sqlite3.Error):
            db.execute("COMMIT")


def data_version(cache: Any) -> int | None:
    """SQLite's count of commits by other connections (PRAGMA data_version): the same
    value twice means no other run wrote the database in between; None on any error."""
    try:
        return int(cache.db.execute("PRAGMA data_version").fetchone()[0])
    except (sqlite3.Error, AttributeError, TypeError):
        return None


def stamps(cache: Any, keys: Sequence[str]) -> list[Stamp] | None:
    """The stamps of these files as the cache holds them, in order; None when one of
    them is not there (or on any database error)."""
    if getattr(cache, "broken", True):
        return None
    query = f"SELECT name, {STAMP_SQL} FROM files WHERE folder = ? AND error IS NULL"
    found: dict[str, Stamp] = {}
    try:
        with reading(cache.db):
            for folder, names in by_folder(keys).items():
                for name, *stamp in rows_of(cache.db, query, folder, names):
                    key = names.get(name)
                    if key is not None:
                        found[key] = Stamp(*stamp)
    except sqlite3.Error:
        return None
    if len(found) != len(set(keys)):
        return None
    return [found[key] for key in keys]


_GROUPS = "CREATE TABLE IF NOT EXISTS story_groups (digest TEXT UNIQUE, joins TEXT)"
# The most recent groupings kept: one per selection and rules, each under two digests
# (of its files' versions, and of its input's content: select/story_light), and the
# ids of its stories (story_light.with_ids).
KEPT_GROUPINGS = 24


def load_joins(cache: Any, digest: str) -> list[Any] | None:
    """The joins stored for this digest of a grouping's input, or None."""
    if getattr(cache, "broken", True):
        return None
    try:
        cache.db.execute(_GROUPS)
        row = cache.db.execute(
            "SELECT joins FROM story_groups WHERE digest = ?", (digest,)
        ).fetchone()
        joins = json.loads(row[0]) if row else None
    except (sqlite3.Error, ValueError):
        return None
    return joins if isinstance(joins, list) else None


def save_joins(cache: Any, digest: str, joins: Sequence[Any]) -> None:
    """Store a grouping's joins under the digest of its input (the oldest groupings
    beyond KEPT_GROUPINGS are dropped)."""
    if getattr(cache, "broken", True):
        return
    oldest = (
        "DELETE FROM story_groups WHERE rowid NOT IN"
        " (SELECT rowid FROM story_groups ORDER BY rowid DESC LIMIT ?)"
    )
    try:
        cache.db.execute(_GROUPS)
        cache.write(
            [
                ("DELETE FROM story_groups WHERE digest = ?", [(digest,)]),
                ("INSERT INTO story_groups VALUES (?, ?)", [(digest, json.dumps(joins))]),
                (oldest, [(KEPT_GROUPINGS,)]),
            ]
        )
    except sqlite3.Error:
        return
