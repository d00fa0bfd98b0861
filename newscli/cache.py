"""The index cache: each file's validated record (or its error), keyed by resolved path
and checked against size, mtime_ns and inode, so an unchanged file is never re-read.

SQLite in WAL mode with a busy timeout, so concurrent runs are safe. A schema version
bump rebuilds it; a corrupt file is rebuilt (with one warning); a folder that cannot be
written means running without the cache.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from newscli.prefilter import Prefilter
from newscli.record import FIELDS, topic_keys

SCHEMA_VERSION = 6
FILE_NAME = "index.sqlite3"
_KEY_COLUMNS = ("key", "size", "mtime_ns", "inode")
_ERROR_COLUMNS = ("error", "error_line", "error_field")
_ALL = (*_KEY_COLUMNS, *_ERROR_COLUMNS, *FIELDS, "topic_keys")
_TOPICS = FIELDS.index("topics")
_CHUNK = 500


def _key(path: str) -> bytes:
    """Paths are stored as their bytes: names that are not UTF-8 work too."""
    return path.encode("utf-8", "surrogateescape")


def default_folder(environ: dict[str, str] | None = None) -> str:
    """NEWSCLI_CACHE_DIR, else $XDG_CACHE_HOME/newscli, else ~/.cache/newscli."""
    env = os.environ if environ is None else environ
    if env.get("NEWSCLI_CACHE_DIR"):
        return env["NEWSCLI_CACHE_DIR"]
    base = env.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "newscli")


class Stamp(NamedTuple):
    """What identifies one version of a file."""

    size: int
    mtime_ns: int
    inode: int


class Entry(NamedTuple):
    """A cached result: a record (valid) or an error (invalid)."""

    record: tuple[Any, ...] | None
    error: tuple[str, int | None, str | None] | None


FILTERED = Entry(None, None)  # unchanged, and cannot match the prefilter


class _Chunk(NamedTuple):
    query: str
    keys: Sequence[bytes]


class IndexCache:
    """Open with ``IndexCache.open(folder)``; None comes back when it cannot be used."""

    def __init__(self, connection: sqlite3.Connection, path: str):
        self.db = connection
        self.path = path
        self.warning: str | None = None
        self._ready: dict[str, str] = {}  # export JSON fetched ahead by prefetch()
        self.broken = False  # a read or write failed: used no more in this run

    def _failed(self, exc: sqlite3.Error) -> None:
        """Go on without the cache (a full disk, a lock held too long, damage)."""
        self.broken = True
        self.warning = self.warning or f"cache {self.path}: {exc}; going on without it"

    @classmethod
    def open(cls, folder: str) -> tuple[IndexCache | None, str | None]:
        """(cache, warning). A corrupt database is rebuilt; an unusable folder gives
        (None, warning) so the caller runs without a cache."""
        path = os.path.join(folder, FILE_NAME)
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError as exc:
            return None, f"cache disabled: cannot create {folder}: {exc.strerror or exc}"
        try:
            return cls._connect(path), None
        except sqlite3.DatabaseError as exc:
            if not os.access(folder, os.W_OK):
                return None, f"cache disabled: {folder} is not writable"
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(OSError):
                    os.unlink(path + suffix)
            try:
                return cls._connect(path), f"cache {path} was unreadable ({exc}); rebuilt it"
            except sqlite3.DatabaseError as again:
                return None, f"cache disabled: {path}: {again}"

    @classmethod
    def _connect(cls, path: str) -> IndexCache:
        db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        try:
            db.execute("PRAGMA busy_timeout = 30000")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version != SCHEMA_VERSION:
                cls._create(db)
            for table in ("files", "exports"):  # both readable, or it is rebuilt
                db.execute(f"SELECT count(*) FROM {table} WHERE key = x''").fetchone()
        except sqlite3.DatabaseError:
            db.close()
            raise
        return cls(db, path)

    @staticmethod
    def _create(db: sqlite3.Connection) -> None:
        columns = ", ".join(_ALL[1:])
        db.execute("BEGIN IMMEDIATE")
        try:
            if db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
                db.execute("COMMIT")  # another run created it meanwhile
                return
            db.execute("DROP TABLE IF EXISTS files")
            db.execute("DROP TABLE IF EXISTS exports")
            # The export JSON lives apart, so that checking stamps and filtering read
            # small rows only.
            db.execute(f"CREATE TABLE files (key BLOB PRIMARY KEY, {columns})")
            db.execute("CREATE TABLE exports (key BLOB PRIMARY KEY, export TEXT)")
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def lookup(
        self, keys: Sequence[str], stamps: Sequence[Stamp], prefilter: Prefilter | None = None
    ) -> dict[str, Entry]:
        """Entries whose stored stamp equals the file's current stamp. With a prefilter,
        valid records that cannot match it come back as FILTERED (their fields unread).

        Two steps in one read transaction: the stamps and a verdict for every file
        (small rows, fast), then the fields of the files that need them."""
        if self.broken:
            return {}
        wanted = {_key(k): (k, s) for k, s in zip(keys, stamps, strict=True)}
        try:
            return self._lookup(wanted, prefilter or Prefilter())
        except sqlite3.Error as exc:
            self._failed(exc)
            return {}

    def _lookup(
        self, wanted: dict[bytes, tuple[str, Stamp]], prefilter: Prefilter
    ) -> dict[str, Entry]:
        condition, params = prefilter.sql()
        verdict = f"CASE WHEN error IS NOT NULL THEN 2 WHEN {condition} THEN 1 ELSE 0 END"
        found: dict[str, Entry] = {}
        details: list[bytes] = []
        self.db.execute("BEGIN")
        try:
            for chunk in self._chunks(list(wanted), f"{', '.join(_KEY_COLUMNS)}, {verdict}"):
                for row in self.db.execute(chunk.query, [*params, *chunk.keys]):
                    key, stamp = wanted[row[0]]
                    if row[1:4] == stamp:  # a Stamp equals the plain tuple
                        if row[4]:
                            details.append(row[0])
                        else:
                            found[key] = FILTERED
            names = ", ".join((*_KEY_COLUMNS, *_ERROR_COLUMNS, *FIELDS))
            for chunk in self._chunks(details, names):
                for row in self.db.execute(chunk.query, chunk.keys):
                    key, stamp = wanted[row[0]]
                    if row[1:4] != stamp:
                        continue
                    if row[4] is not None:
                        found[key] = Entry(None, row[4:7])
                    else:
                        found[key] = Entry(row[7:], None)
        finally:
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("COMMIT")
        return found

    @staticmethod
    def _chunks(keys: Sequence[bytes], columns: str, table: str = "files") -> Iterator[_Chunk]:
        """SELECT columns for these keys, _CHUNK keys per query."""
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start : start + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            yield _Chunk(f"SELECT {columns} FROM {table} WHERE key IN ({marks})", chunk)

    def exports(self, keys: Sequence[str]) -> dict[str, str]:
        """The stored export JSON of these files (those that have one)."""
        texts: dict[str, str] = {}
        if self.broken:
            return texts
        try:
            for chunk in self._chunks([_key(k) for k in keys], "key, export", "exports"):
                for key, text in self.db.execute(chunk.query, chunk.keys):
                    if text is not None:
                        texts[key.decode("utf-8", "surrogateescape")] = text
        except sqlite3.Error as exc:
            self._failed(exc)
        return texts

    def prefetch(self, keys: Sequence[str]) -> None:
        """Read these files' export JSON in one go; export() hands each out once."""
        self._ready.update(self.exports([k for k in keys if k not in self._ready]))

    def export(self, key: str) -> str | None:
        """The stored front matter export JSON of one file (None if it is not there)."""
        text = self._ready.pop(key, None)
        if text is not None or self.broken:
            return text
        try:
            query = "SELECT export FROM exports WHERE key = ?"
            row = self.db.execute(query, (_key(key),)).fetchone()
        except sqlite3.Error as exc:
            self._failed(exc)
            return None
        return row[0] if row else None

    def store(self, rows: Iterable[tuple[str, Stamp, Entry, str | None]]) -> bool:
        """Insert or replace (key, stamp, entry, export JSON) rows in one transaction.
        False when they could not be stored (then the cache is used no more)."""
        if self.broken:
            return False
        marks = ", ".join("?" * len(_ALL))
        values, exports = [], []
        for key, stamp, entry, data in rows:
            error = entry.error or (None, None, None)
            record = entry.record or (None,) * len(FIELDS)
            topics = topic_keys(entry.record[_TOPICS]) if entry.record else None
            values.append((_key(key), *stamp, *error, *record, topics))
            exports.append((_key(key), data))
        if not values:
            return True
        try:
            self._write(
                [
                    (f"INSERT OR REPLACE INTO files VALUES ({marks})", values),
                    ("INSERT OR REPLACE INTO exports VALUES (?, ?)", exports),
                ]
            )
        except sqlite3.Error as exc:
            self._failed(exc)
            return False
        return True

    def prune(self, folder: str, present: Iterable[str]) -> int:
        """Forget files below ``folder`` (a resolved path ending in a separator) that
        are not among ``present`` any more: deleted or renamed. Returns how many."""
        if self.broken:
            return 0
        low = _key(folder)
        bounds = (low, low[:-1] + bytes([low[-1] + 1]))  # every key that starts with low
        inside = [k for k in present if k.startswith(folder)]
        try:
            query = "SELECT count(*) FROM files WHERE key >= ? AND key < ?"
            if self.db.execute(query, bounds).fetchone()[0] <= len(inside):
                return 0  # the usual case, found without encoding every key
            known = {_key(k) for k in inside}
            query = "SELECT key FROM files WHERE key >= ? AND key < ?"
            gone = [row for row in self.db.execute(query, bounds) if row[0] not in known]
            self._write([(f"DELETE FROM {t} WHERE key = ?", gone) for t in ("files", "exports")])
        except sqlite3.Error as exc:
            self._failed(exc)
            return 0
        return len(gone)

    def _write(self, statements: Sequence[tuple[str, Sequence[Sequence[Any]]]]) -> None:
        """executemany each (sql, rows) in one transaction."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            for sql, rows in statements:
                self.db.executemany(sql, rows)
            self.db.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")
            raise

    @property
    def folder(self) -> str:
        return os.path.dirname(self.path)

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.db.close()
