"""The index cache: each file's validated record (or its error), keyed by resolved path
and checked against size, mtime_ns and inode, so an unchanged file is never re-read.

Three tables. ``files``: a row per file, keyed by (folder, name). ``exports``: each
file's export JSON, apart, so that checking and filtering read small rows only.
``folders``: per folder, its *listing*: the (name, size, mtime_ns, inode) of its rows,
sorted by name, marshalled. A listing always mirrors the rows: every write of rows
drops the listing of their folder, and listings are only made from the rows, in one
transaction. So a folder whose files on disk give the same listing is unchanged as a
whole, and a warm run checks it with one comparison instead of one per file.

SQLite in WAL mode with a busy timeout, so concurrent runs are safe. A schema version
bump rebuilds it; a corrupt file is rebuilt (with one warning); a folder that cannot be
written means running without the cache; a failure mid-run means going on without it.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from newscli.prefilter import Prefilter
from newscli.record import FIELDS, topic_keys

SCHEMA_VERSION = 7
FILE_NAME = "index.sqlite3"
_STAMP = ("size", "mtime_ns", "inode")
_ERROR = ("error", "error_line", "error_field")
_ROW = ("folder", "name", *_STAMP, *_ERROR, *FIELDS, "topic_keys")
_TOPICS = FIELDS.index("topics")
_CHUNK = 500
_MARSHAL_VERSION = 2  # no back-references: the same listing gives the same bytes

Listed = tuple[str, int, int, int]  # (name, size, mtime_ns, inode): one file of a listing
Rows = Iterable[Sequence[Any]] | Callable[[], Iterable[Sequence[Any]]]


def _bytes(text: str) -> bytes:
    """Paths are stored as their bytes: names that are not UTF-8 work too."""
    return text.encode("utf-8", "surrogateescape")


def _text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def split_key(key: str) -> tuple[str, str]:
    """(folder ending in a separator, name) of a resolved file path."""
    folder, _, name = key.rpartition(os.sep)
    return folder + os.sep, name


def listing(files: list[Listed]) -> bytes:
    """The bytes a folder's listing is stored and compared as."""
    return marshal.dumps(files, _MARSHAL_VERSION)


def _range(prefix: bytes) -> tuple[bytes, bytes]:
    """Bounds of every key that starts with ``prefix`` (which ends in a separator)."""
    return prefix, prefix[:-1] + bytes([prefix[-1] + 1])


def _outermost(prefixes: Iterable[str]) -> list[str]:
    """The prefixes that are not inside another one of them."""
    kept: list[str] = []
    for prefix in sorted(set(prefixes)):
        if not kept or not prefix.startswith(kept[-1]):
            kept.append(prefix)
    return kept


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


def _entry(row: Sequence[Any]) -> Entry:
    """The Entry of a row that starts with the error columns, then the fields."""
    return Entry(None, tuple(row[:3])) if row[0] is not None else Entry(tuple(row[3:]), None)  # type: ignore[arg-type]


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
            for table in ("files", "exports", "folders"):  # all readable, or rebuilt
                db.execute(f"SELECT * FROM {table} LIMIT 1").fetchone()
        except sqlite3.DatabaseError:
            db.close()
            raise
        return cls(db, path)

    @staticmethod
    def _create(db: sqlite3.Connection) -> None:
        columns = ", ".join(_ROW)
        db.execute("BEGIN IMMEDIATE")
        try:
            if db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
                db.execute("COMMIT")  # another run created it meanwhile
                return
            for table in ("files", "exports", "folders"):
                db.execute(f"DROP TABLE IF EXISTS {table}")
            # files is kept in key order (no rowid): a folder's rows lie together.
            db.execute(f"CREATE TABLE files ({columns}, PRIMARY KEY (folder, name)) WITHOUT ROWID")
            db.execute("CREATE TABLE exports (key BLOB PRIMARY KEY, export TEXT)")
            db.execute("CREATE TABLE folders (folder BLOB PRIMARY KEY, listing BLOB)")
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    # -- reading -------------------------------------------------------------------

    def survey(
        self,
        roots: Sequence[str],
        folders: Sequence[tuple[str, list[Listed]]],
        prefilter: Prefilter,
    ) -> Surveyed:
        """For each (folder key, files on disk) walked below the ``roots`` (resolved
        folder paths ending in a separator): a Survey (see there). A folder whose
        listing matches is unchanged without looking at its files one by one. All in
        one read transaction, so listings and rows agree."""
        if self.broken:
            return Surveyed({}, False)
        try:
            with self._reading():
                return self._survey(roots, folders, prefilter)
        except sqlite3.Error as exc:
            self._failed(exc)
            return Surveyed({}, False)

    @contextlib.contextmanager
    def _reading(self) -> Iterator[None]:
        self.db.execute("BEGIN")
        try:
            yield
        finally:
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("COMMIT")

    def _survey(
        self,
        roots: Sequence[str],
        folders: Sequence[tuple[str, list[Listed]]],
        prefilter: Prefilter,
    ) -> Surveyed:
        ranges = [_range(_bytes(p)) for p in _outermost(roots)]
        stored: dict[bytes, bytes] = {}
        for low, high in ranges:
            query = "SELECT folder, listing FROM folders WHERE folder >= ? AND folder < ?"
            stored.update(self.db.execute(query, (low, high)).fetchall())
        surveys: dict[bytes, Survey] = {}
        changed: dict[bytes, dict[str, Stamp]] = {}  # the files on disk of changed folders
        for key, files in folders:
            folder = _bytes(key)
            clean = stored.get(folder) == listing(files)
            surveys[folder] = Survey([], {}, len(files), clean)
            if not clean:
                changed[folder] = {name: Stamp(*stamp) for name, *stamp in files}
        for folder, stamps in changed.items():
            surveys[folder] = self._changed_folder(folder, stamps, surveys[folder])
        condition, params = prefilter.sql()
        columns = ", ".join(("folder", "name", *_STAMP, *_ERROR, *FIELDS))
        query = (
            f"SELECT {columns} FROM files WHERE folder >= ? AND folder < ? "
            f"AND (error IS NOT NULL OR ({condition}))"
        )
        for low, high in ranges:
            for row in self.db.execute(query, (low, high, *params)):
                survey = surveys.get(row[0])
                if survey is None:
                    continue  # a folder below a root that was not walked (hidden, say)
                name = row[1].decode("utf-8", "surrogateescape")
                # A clean folder's files are unchanged; another's, where the stamps agree.
                if survey.clean or changed[row[0]].get(name) == row[2:5]:
                    error = row[5:8]
                    survey.found[name] = (
                        Entry(row[8:], None) if error[0] is None else Entry(None, error)
                    )
        # Unchanged as a whole: every folder clean, and no listing of a folder now gone.
        whole = not changed and stored.keys() <= surveys.keys()
        return Surveyed({_text(folder): survey for folder, survey in surveys.items()}, whole)

    def _changed_folder(self, folder: bytes, files: dict[str, Stamp], survey: Survey) -> Survey:
        """Compare the files of a changed folder one by one with its rows."""
        query = "SELECT name, size, mtime_ns, inode FROM files WHERE folder = ?"
        unchanged = set()
        for name, size, mtime_ns, inode in self.db.execute(query, (folder,)):
            text = _text(name)
            if files.get(text) == (size, mtime_ns, inode):
                unchanged.add(text)
        todo = [name for name in files if name not in unchanged]
        return survey._replace(todo=todo, unchanged=len(unchanged))

    def lookup(
        self, keys: Sequence[str], stamps: Sequence[Stamp], prefilter: Prefilter
    ) -> dict[str, Entry]:
        """Entries of single files whose stored stamp equals the file's stamp; with a
        prefilter, valid records that cannot match it come back as FILTERED."""
        found: dict[str, Entry] = {}
        if self.broken or not keys:
            return found
        condition, params = prefilter.sql()
        query = (
            f"SELECT {', '.join((*_STAMP, *_ERROR, *FIELDS))}, {condition} FROM files "
            "WHERE folder = ? AND name = ?"
        )
        try:
            with self._reading():
                for key, stamp in zip(keys, stamps, strict=True):
                    folder, name = split_key(key)
                    row = self.db.execute(query, (*params, _bytes(folder), _bytes(name))).fetchone()
                    if row is not None and row[:3] == stamp:
                        passes = row[3] is not None or row[-1]
                        found[key] = _entry(row[3:-1]) if passes else FILTERED
        except sqlite3.Error as exc:
            self._failed(exc)
            return {}
        return found

    @staticmethod
    def _chunks(
        keys: Sequence[bytes], columns: str, table: str
    ) -> Iterator[tuple[str, Sequence[bytes]]]:
        """SELECT columns for these keys, _CHUNK keys per query."""
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start : start + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            yield f"SELECT {columns} FROM {table} WHERE key IN ({marks})", chunk

    def exports(self, keys: Sequence[str]) -> dict[str, str]:
        """The stored export JSON of these files (those that have one)."""
        texts: dict[str, str] = {}
        if self.broken:
            return texts
        try:
            for query, chunk in self._chunks([_bytes(k) for k in keys], "key, export", "exports"):
                for key, text in self.db.execute(query, chunk):
                    if text is not None:
                        texts[_text(key)] = text
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
            row = self.db.execute(query, (_bytes(key),)).fetchone()
        except sqlite3.Error as exc:
            self._failed(exc)
            return None
        return row[0] if row else None

    # -- writing -------------------------------------------------------------------

    def store(self, rows: Iterable[tuple[str, Stamp, Entry, str | None]]) -> bool:
        """Insert or replace (key, stamp, entry, export JSON) rows in one transaction,
        dropping the listings of their folders. False when they could not be stored
        (then the cache is used no more)."""
        if self.broken:
            return False
        values, exports, folders = [], [], set()
        for key, stamp, entry, data in rows:
            folder, name = split_key(key)
            error = entry.error or (None, None, None)
            record = entry.record or (None,) * len(FIELDS)
            topics = topic_keys(entry.record[_TOPICS]) if entry.record else None
            values.append((_bytes(folder), _bytes(name), *stamp, *error, *record, topics))
            exports.append((_bytes(key), data))
            folders.add((_bytes(folder),))
        if not values:
            return True
        marks = ", ".join("?" * len(_ROW))
        return self._try_write(
            [
                (f"INSERT OR REPLACE INTO files VALUES ({marks})", values),
                ("INSERT OR REPLACE INTO exports VALUES (?, ?)", exports),
                ("DELETE FROM folders WHERE folder = ?", sorted(folders)),
            ]
        )

    def prune(self, root: str, walked: Mapping[str, Sequence[Listed]]) -> int:
        """Forget the files below ``root`` (a resolved folder path ending in a
        separator) that are not in ``walked`` (folder key -> its files) any more:
        deleted or renamed. Returns how many."""
        if self.broken:
            return 0
        bounds = _range(_bytes(root))
        inside = {k: files for k, files in walked.items() if k.startswith(root)}
        try:
            query = "SELECT count(*) FROM files WHERE folder >= ? AND folder < ?"
            if self.db.execute(query, bounds).fetchone()[0] <= sum(map(len, inside.values())):
                return 0  # the usual case, found without looking at every name
            known = {(_bytes(k), _bytes(name)) for k, files in inside.items() for name, *_ in files}
            query = "SELECT folder, name FROM files WHERE folder >= ? AND folder < ?"
            gone = [row for row in self.db.execute(query, bounds) if row not in known]
        except sqlite3.Error as exc:
            self._failed(exc)
            return 0
        keys = [(folder + name,) for folder, name in gone]
        folders = sorted({(folder,) for folder, _ in gone})
        self._try_write(
            [
                ("DELETE FROM files WHERE folder = ? AND name = ?", gone),
                ("DELETE FROM exports WHERE key = ?", keys),
                ("DELETE FROM folders WHERE folder = ?", folders),
            ]
        )
        return len(gone)

    def refresh(self, folders: Sequence[str]) -> None:
        """Make the listings of these folders from their rows (in one transaction, so
        they mirror the rows whatever other runs do)."""
        if self.broken or not folders:
            return

        def listings() -> list[tuple[bytes, bytes]]:  # read inside the write transaction
            query = "SELECT name, size, mtime_ns, inode FROM files WHERE folder = ?"
            made = []
            for folder in map(_bytes, folders):
                rows = self.db.execute(query, (folder,)).fetchall()
                files: list[Listed] = sorted((_text(name), *stamp) for name, *stamp in rows)
                made.append((folder, listing(files)))
            return made

        self._try_write([("INSERT OR REPLACE INTO folders VALUES (?, ?)", listings)])

    def _try_write(self, statements: Sequence[tuple[str, Rows]]) -> bool:
        try:
            self._write(statements)
        except sqlite3.Error as exc:
            self._failed(exc)
            return False
        return True

    def _write(self, statements: Sequence[tuple[str, Rows]]) -> None:
        """executemany each (sql, rows) in one transaction; rows that are a function
        are made inside the transaction."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            for sql, rows in statements:
                self.db.executemany(sql, rows() if callable(rows) else rows)
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
