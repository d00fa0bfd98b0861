"""The index cache: each file's validated record (or its error), keyed by resolved path
and checked against its stamp (size, mtime_ns, ctime_ns and inode: cache_keys.Stamp), so
an unchanged file is never re-read.

Three tables. ``files``: a row per file, keyed by (folder, name). ``exports``: each
file's export JSON, apart, so that checking and filtering read small rows only.
``folders``: per folder, its *listing*: the (name, size, mtime_ns, ctime_ns, inode) of
its rows, sorted by name, marshalled, and how many there are (a hint of a walk's size). A
listing always mirrors the rows: every write of rows drops the listing of their
folder, and listings are only made from the rows, in one transaction. So a folder
whose files on disk give the same listing is unchanged as a whole, and a warm run
checks it with one comparison instead of one per file.

Schema 14: triggers drop a folder's listing whenever a row of its files is added,
deleted or changed, whoever does it (a row deleted or damaged by hand, with the sqlite3
shell say, left a listing that matched the files on disk: the folder was trusted whole
and those files' articles left out of every command), and a row changed in place is
deleted (newscli never updates one; it replaces it), so that file is read again. They
cost nothing on a warm run, which writes nothing; a cache without them is rebuilt.

Schema 11 (additive) gives each row two more columns: ``problems``, every problem of an
invalid file with its line, as `validate` reports them (NULL when the error is the only
one), so `validate` reads no unchanged file; and ``field_map``, the fields a valid file
has beyond the model's with their types (article.field_map), so that `fields`, a
`--where` on a field only some files have, and CSV's columns need not parse every file
again.

SQLite in WAL mode with a busy timeout, so concurrent runs are safe. Only a file that is
newscli's (cache_owner) is ever rebuilt or removed: another program's under the name is
left as it is and the run goes on without a cache. A schema version bump rebuilds it
(every table dropped, the story tables too); a corrupt file is rebuilt (with one
warning); a folder that cannot be written means running without the cache; a failure
mid-run means going on without it.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from newscli.article.record import FIELDS, split_list, topic_keys
from newscli.index import cache_survey
from newscli.index.cache_keys import (
    ERROR_COLUMNS,
    EXTRA_COLUMNS,
    FILTERED,
    SCHEMA_VERSION,
    STAMP_COLUMNS,
    STAMP_SQL,
    Entry,
    Files,
    Listed,
    Stamp,
    checksum,
    key_range,
    listing,
    names_sum,
    outermost,
    sound_text,
    split_key,
    to_bytes,
    to_text,
    version_of,
)
from newscli.index.cache_owner import (
    APPLICATION_ID,
    DAMAGED,
    TRIGGERS,
    NotNewscli,
    check_ours,
    check_read_only,
    damaged,
    empty_folder,
    not_a_file,
    not_ours,
    owned_file,
    remove_database,
    tag_folder,
    unreadable_not_ours,
)
from newscli.index.cache_survey import MALFORMED, Fetched, Survey, Surveyed
from newscli.index.prefilter import Prefilter

__all__ = ["FILTERED", "Entry", "Fetched", "IndexCache", "Listed", "Stamp", "Survey", "Surveyed"]

RESERVE = 16 * 1024 * 1024  # bytes of its disk the cache never writes into (_room_for)
BUSY_WAIT = 30.0  # seconds a run waits for another to let the database go (busy_timeout)
FILE_NAME = "index.sqlite3"
_ROW = (
    "folder", "name", *STAMP_COLUMNS, *ERROR_COLUMNS, *FIELDS, "topic_keys", *EXTRA_COLUMNS
)  # fmt: skip
_TOPICS = FIELDS.index("topics")
PREFETCH_BYTES = 32 * 1024 * 1024  # export JSON prefetch() holds at most
_TABLES = ("files", "exports", "folders", "cells")
Rows = Iterable[Sequence[Any]] | Callable[[], Iterable[Sequence[Any]]]


RACY_NS = 3_000_000_000  # a file changed this near the run's start may change unseen
RACY = -1  # the size a racy file is stored with (_racy)
_SECOND = 1_000_000_000


def _racy(stamp: Stamp, since: int) -> bool:
    """Whether a file may change again unseen, keeping its whole stamp (h122: "racy
    clean", as git calls it): a file system whose times tick by the second (ext2, ext3,
    FAT, many NFS and SMB mounts) gives a rewrite within the second it was read the same
    mtime and ctime, and the cache served the old text on every later run. A time in
    whole seconds at or after ``since`` (the run's start less RACY_NS) is such a tick:
    the file is stored with the size RACY, which matches no file, and read again by the
    next run (once; a time in nanoseconds is no such tick)."""
    return any(t >= since and t % _SECOND == 0 for t in (stamp.mtime_ns, stamp.ctime_ns))


_OPENED: set[str] = set()  # the databases this process opened (mark_opened_damaged)


def mark_opened_damaged() -> list[str]:
    """A record read from the cache cannot be read back (a byte changed inside a stored
    text: SQLite sees no damage there, h122): each database this process opened is
    marked as damaged, so that the next run rebuilds it (open). The paths marked."""
    marked = []
    for path in sorted(_OPENED):
        with contextlib.suppress(OSError), open(path + DAMAGED, "w", encoding="utf-8"):
            marked.append(path)
    return marked


class IndexCache:
    """Open with ``IndexCache.open(folder)``; None comes back when it cannot be used."""

    def __init__(self, connection: sqlite3.Connection, path: str):
        _OPENED.add(path)
        self.db = connection
        self.path = path
        # Every file this run stores is read after this moment (_racy).
        self.racy_from = time.time_ns() - RACY_NS
        self.warning: str | None = None
        # export JSON (with its version) fetched ahead by prefetch(), and by
        # fetch(exports=True) by folder
        self._ready: dict[str, tuple[str, bytes]] = {}
        self._ahead: dict[bytes, dict[str, tuple[str, bytes]]] = {}
        self.broken = False  # a read or write failed: used no more in this run
        self.cells_failed = False  # reading or keeping CSV cells failed: not tried again

    def _failed(self, exc: sqlite3.Error) -> None:
        """Go on without the cache (a full disk, a lock held too long, damage). Damage
        found only now, after the open's checks, is marked: the next run's open
        rebuilds the database (h37: it warned at every run, and went without it)."""
        self.broken = True
        if self.warning is not None:
            return
        if damaged(exc):
            with contextlib.suppress(OSError), open(self.path + DAMAGED, "w", encoding="utf-8"):
                pass
            self.warning = (  # (MALFORMED, not the damaged text it may quote)
                f"cache {self.path}: {MALFORMED}; going on without it (rebuilt at the next run)"
            )
        else:
            self.warning = f"cache {self.path}: {exc}; going on without it"

    def damaged_now(self) -> None:
        """A value read from it is not what this code stores (DamagedRecordError)."""
        self._failed(sqlite3.DatabaseError(MALFORMED))

    @classmethod
    def open(cls, folder: str, *, rebuild: bool = True) -> tuple[IndexCache | None, str | None]:
        """(cache, warning). A corrupt database is rebuilt; an unusable folder gives
        (None, warning) so the caller runs without a cache. ``rebuild=False`` (a worker
        of a run, beside the run's own connection): a damaged one is left to the run,
        and (None, warning) comes back."""
        path = os.path.join(folder, FILE_NAME)
        try:
            # (a new one private: it holds the titles and excerpts of files others may
            # not read, h91; its files keep the usual mode, so that a folder shared on
            # purpose is shared still: made 0600, each user's run took another's for
            # damage and rebuilt it, h92)
            made = not os.path.isdir(folder)
            os.makedirs(folder, mode=0o700, exist_ok=True)
        except OSError as exc:
            from newscli.wording import cannot_create

            return None, f"cache disabled: {cannot_create(folder, exc)}"
        if made or empty_folder(folder):  # (a folder given empty is the cache's own too)
            tag_folder(folder)
        try:
            owned = owned_file(folder, path)
            if owned is False:  # (an SQLite file without newscli's id: looked at, unchanged)
                check_read_only(path)
        except NotNewscli:
            return None, not_ours(path)
        except sqlite3.Error as exc:
            if _busy(exc):
                return None, f"cache {path}: {exc}; going on without it"
            return None, unreadable_not_ours(path, exc)
        try:
            odd = not_a_file(path)  # (h148, h149: SQLite's open of a FIFO waits forever)
            if odd:
                if owned is True and rebuild:
                    remove_database(path)
                if not_a_file(path):
                    return None, f"cache disabled: {odd} is not a regular file: left as it is"
                return cls._connect(path), f"cache {odd} was not a regular file; rebuilt it"
            if owned is not False and os.path.exists(path + DAMAGED):  # (marked by a run
                # that met the damage; never another's file: h101)
                if not rebuild:
                    return None, f"cache {path} is damaged"
                remove_database(path)
                return cls._connect(path), f"cache {path} was damaged; rebuilt it"
            return cls._connect_when_free(path), None
        except NotNewscli:
            if owned is True and rebuild:  # (in newscli's own folder: its to replace, h144)
                remove_database(path)
                try:
                    if not os.path.lexists(path):  # (h147: one it may not remove stays)
                        return cls._connect(path), f"cache {path} was not newscli's; rebuilt it"
                except sqlite3.DatabaseError as again:
                    return None, f"cache disabled: {path}: {again}"
                except NotNewscli:  # (made again by another program meanwhile)
                    pass
            return None, not_ours(path)
        except sqlite3.DatabaseError as exc:
            if _busy(exc):  # another run holds it still: never taken for damage (removed)
                return None, f"cache {path}: {exc}; going on without it"
            if not os.access(folder, os.W_OK):
                return None, f"cache disabled: {folder} is not writable"
            if not rebuild:
                return None, f"cache {path} is unreadable ({exc})"
            if owned is False:  # (a cache made before the id, or not newscli's at all)
                return None, unreadable_not_ours(path, exc)
            remove_database(path)
            reason = MALFORMED if damaged(exc) else exc  # (not the damaged text it quotes)
            try:
                return cls._connect(path), f"cache {path} was unreadable ({reason}); rebuilt it"
            except sqlite3.DatabaseError as again:
                return None, f"cache disabled: {path}: {again}"

    @classmethod
    def _connect_when_free(cls, path: str) -> IndexCache:
        """_connect, again while another run holds the database (changing a new one to
        WAL answers "database is locked" at once, without waiting: six runs opening a
        new cache together took it for damage, removed it and warned), up to BUSY_WAIT."""
        import time

        deadline = time.monotonic() + BUSY_WAIT
        while True:
            try:
                return cls._connect(path)
            except sqlite3.OperationalError as exc:
                if not _busy(exc) or time.monotonic() >= deadline:
                    raise
                time.sleep(0.05)

    @classmethod
    def _connect(cls, path: str) -> IndexCache:
        db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        try:
            db.execute("PRAGMA busy_timeout = 30000")
            unmarked = check_ours(db)  # (before WAL, which another's header would take)
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version != SCHEMA_VERSION:
                cls._create(db)
            for table in _TABLES:  # all readable, or rebuilt
                db.execute(f"SELECT * FROM {table} LIMIT 1").fetchone()
            query = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'files'"
            if {name for (name,) in db.execute(query)} != TRIGGERS.keys():
                raise sqlite3.DatabaseError("the triggers that keep its listings are missing")
            if unmarked:  # a cache of newscli's from before the id: given it, once
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                db.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except (sqlite3.DatabaseError, NotNewscli):
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
            # Every table, the story tables too (theirs hold stamps of the old form).
            query = (
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"
            )
            for (table,) in db.execute(query).fetchall():
                quoted = table.replace('"', '""')
                db.execute(f'DROP TABLE IF EXISTS "{quoted}"')
            # files is kept in key order (no rowid): a folder's rows lie together.
            db.execute(f"CREATE TABLE files ({columns}, PRIMARY KEY (folder, name)) WITHOUT ROWID")
            db.execute(
                "CREATE TABLE exports (key BLOB PRIMARY KEY, export TEXT, sum INT, version BLOB)"
            )
            db.execute(
                "CREATE TABLE folders (folder BLOB PRIMARY KEY, listing BLOB, files INT, names INT)"
            )
            db.execute(
                "CREATE TABLE cells (key BLOB PRIMARY KEY, cells TEXT, sum INT, version BLOB)"
            )
            for name, trigger in TRIGGERS.items():
                db.execute(f"CREATE TRIGGER {name} {trigger}")
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.execute("COMMIT")
            # (the header, with its id, into the file itself: a small cache's first page
            # stayed in the WAL, and the file's header said no id: h101)
            db.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except BaseException:
            # (A signal raised just after the COMMIT finds no transaction: the rollback's
            # error must not replace it, or the run goes on as if never interrupted.)
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            raise

    # -- reading -------------------------------------------------------------------

    def fetch(
        self, roots: Sequence[str], prefilter: Prefilter, exports: bool = False
    ) -> Fetched | None:
        """cache_survey.fetch, in one read transaction (listings and rows agree): what
        survey() needs of the cache before the walk is done (None after a failure).
        ``exports``: also the export JSON of the files found (cache_survey.exports_ahead),
        handed out once keep_ahead has its folders."""
        if self.broken:
            return None
        try:
            with self._reading():
                fetched = cache_survey.fetch(self.db, roots, prefilter)
                if exports:
                    self._ahead = cache_survey.exports_ahead(self.db, fetched)
                return fetched
        except sqlite3.Error as exc:
            self._failed(exc)
            return None

    def keep_ahead(self, folders: Iterable[str]) -> None:
        """Hand out the export JSON fetch() read of these folders (those whose files are
        still the versions its rows were made from: their texts are theirs); forget the
        rest."""
        ahead, self._ahead = self._ahead, {}
        for folder in map(to_bytes, folders):
            self._ready.update(ahead.get(folder, ()))

    def survey(
        self,
        roots: Sequence[str],
        folders: Sequence[tuple[str, Files]],
        prefilter: Prefilter,
        fetched: Fetched | None = None,
    ) -> Surveyed:
        """cache_survey.survey, in one read transaction (listings and rows agree), with
        what fetch() read ahead if given (for the same roots and prefilter)."""
        if self.broken:
            return Surveyed({}, False)
        try:
            with self._reading():
                return cache_survey.survey(self.db, roots, folders, prefilter, fetched)
        except sqlite3.Error as exc:
            self._failed(exc)
            return Surveyed({}, False)

    def lookup(
        self, keys: Sequence[str], stamps: Sequence[Stamp], prefilter: Prefilter
    ) -> dict[str, Entry]:
        """cache_survey.lookup, in one read transaction."""
        if self.broken or not keys:
            return {}
        try:
            with self._reading():
                return cache_survey.lookup(self.db, keys, stamps, prefilter)
        except sqlite3.Error as exc:
            self._failed(exc)
            return {}

    def known_files(self, roots: Sequence[str]) -> int:
        """How many files the last runs listed below these folders (a hint of the size
        of a walk to come; 0 when the cache cannot tell)."""
        if self.broken:
            return 0
        query = "SELECT coalesce(sum(files), 0) FROM folders WHERE folder >= ? AND folder < ?"
        try:
            return sum(
                self.db.execute(query, key_range(to_bytes(root))).fetchone()[0]
                for root in outermost(roots)
            )
        except sqlite3.Error as exc:
            self._failed(exc)
            return 0

    def known_values(
        self, keys: Sequence[str], see: Callable[[tuple[str, ...], str | None, str | None], bool]
    ) -> bool:
        """Call ``see(topics, provider name, provider domain)`` for the valid files
        stored under these keys (folders ending in a separator, or single files) until it
        returns True. False when the cache could not tell."""
        if self.broken:
            return False
        columns = "topics, provider_name, provider_domain"
        try:
            with self._reading():
                for key in keys:
                    folder, name = split_key(key)
                    query = f"SELECT {columns} FROM files WHERE folder = ? AND error IS NULL"
                    params: tuple[bytes, ...] = (to_bytes(folder),)
                    if name:
                        query += " AND name = ?"
                        params += (to_bytes(name),)
                    for topics, provider, domain in self.db.execute(query, params):
                        if see(split_list(topics), provider, domain):
                            return True
        except sqlite3.Error as exc:
            self._failed(exc)
            return False
        return True

    @contextlib.contextmanager
    def _reading(self) -> Iterator[None]:
        self.db.execute("BEGIN")
        try:
            yield
        finally:
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("COMMIT")

    def exports(
        self, keys: Sequence[str], budget: int | None = None
    ) -> dict[str, tuple[str, bytes]]:
        """The stored export JSON of these files (those that have one), with its version,
        until ``budget`` bytes of it are read (cache_survey.stored_texts)."""
        if self.broken:
            return {}
        try:
            found = cache_survey.stored_texts(self.db, [to_bytes(k) for k in keys], budget=budget)
            return {to_text(key): (text, version) for key, text, version in found}
        except sqlite3.Error as exc:
            self._failed(exc)
        return {}

    @staticmethod
    def _check(key: object, text: str, stored: object) -> None:
        """Raise damage when a stored text is not the one stored (its checksum differs)."""
        if not sound_text(key, text, stored):
            raise sqlite3.DatabaseError(MALFORMED)

    def prefetch(self, keys: Sequence[str]) -> None:
        """Read these files' export JSON in one go (up to PREFETCH_BYTES of it: the rest
        is read one by one); export() hands each out once."""
        keys = [k for k in keys if k not in self._ready]
        self._ready.update(self.exports(keys, PREFETCH_BYTES))

    def export(self, key: str) -> tuple[str, bytes] | None:
        """The stored front matter export JSON of one file and its version (None if it
        is not there)."""
        found = self._ready.pop(key, None)
        if found is not None or self.broken:
            return found
        try:
            query = "SELECT export, sum, version FROM exports WHERE key = ?"
            row = self.db.execute(query, (to_bytes(key),)).fetchone()
            if row is None or row[0] is None:
                return None
            self._check(to_bytes(key), row[0], row[1])
        except sqlite3.Error as exc:
            self._failed(exc)
            return None
        return row[0], row[2]

    def forget(self, key: str) -> None:
        """Forget a file whose stored export JSON is not the version its row said
        (another run stored a new one meanwhile, or damage): the next run reads it
        again (its folder's listing goes with its row: the files_deleted trigger)."""
        if self.broken:
            return
        parts, raw = tuple(map(to_bytes, split_key(key))), to_bytes(key)
        gone = "DELETE FROM files WHERE folder = ? AND name = ?"
        statements = [(f"DELETE FROM {t} WHERE key = ?", [(raw,)]) for t in ("exports", "cells")]
        self._try_write([(gone, [parts]), *statements])

    @staticmethod
    def matches(key: str, text: str, version: bytes) -> bool:
        """Whether ``text`` is the export JSON of that version of the file."""
        return version_of(text) == version

    def cells(self, versions: Mapping[str, bytes | None]) -> dict[str, str]:
        """The CSV cells kept for these files (key -> the version of its export JSON
        selected: those that have them, of that version; see keep_cells)."""
        found: dict[str, str] = {}
        if self.broken or self.cells_failed:
            return found
        try:
            for raw, text, version in cache_survey.stored_texts(
                self.db, [to_bytes(k) for k in versions], "cells"
            ):
                key = to_text(raw)
                if versions.get(key, version) in (version, None):
                    found[key] = text
        except sqlite3.Error as exc:
            self.cells_failed = True  # the rest of the run makes them; the cache goes on
            if damaged(exc):
                self._failed(exc)  # (and the next run rebuilds it)
            return {}
        return found

    def keep_cells(self, rows: Iterable[tuple[str, str, str]]) -> None:
        """Keep (key, export JSON, cells) made from that export JSON, for files whose
        stored export JSON is still that one (a file stored meanwhile gets none). A
        failure only stops keeping them in this run."""
        if self.broken or self.cells_failed:
            return
        sql = (
            "INSERT OR REPLACE INTO cells SELECT ?1, ?3, ?4, version FROM exports "
            "WHERE key = ?1 AND export = ?2"
        )
        values = []
        for key, export, cells in rows:
            raw = to_bytes(key)
            values.append((raw, export, cells, checksum(raw, cells)))
        try:
            self.write([(sql, values)])
        except sqlite3.Error:
            self.cells_failed = True

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
            raw = to_bytes(key)
            version = None
            if data is not None:
                version = entry.version if entry.version is not None else version_of(data)
            extra = (topics, entry.problems, entry.field_map, version)
            if _racy(stamp, self.racy_from):
                stamp = stamp._replace(size=RACY)  # (matches no file: read again next run)
            values.append((to_bytes(folder), to_bytes(name), *stamp, *error, *record, *extra))
            exports.append((raw, data, None if data is None else checksum(raw, data), version))
            folders.add((to_bytes(folder),))
        if not values:
            return True
        if not self._room_for(sum(len(d or "") for _, d, _, _ in exports)):
            return False
        marks = ", ".join("?" * len(_ROW))
        return self._try_write(
            [
                (f"INSERT OR REPLACE INTO files VALUES ({marks})", values),
                # An update in place: REPLACE would delete, then append under a new rowid.
                (
                    "INSERT INTO exports VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET "
                    "export = excluded.export, sum = excluded.sum, version = excluded.version",
                    exports,
                ),
                ("DELETE FROM folders WHERE folder = ?", sorted(folders)),
                ("DELETE FROM cells WHERE key = ?", [(key,) for key, *_ in exports]),
            ]
        )

    def prune(self, root: str, walked: Mapping[str, Sequence[Listed]]) -> int:
        """Forget the files below ``root`` (a resolved folder path ending in a
        separator) that are not in ``walked`` (folder key -> its files) any more:
        deleted or renamed. Returns how many."""
        if self.broken:
            return 0
        bounds = key_range(to_bytes(root))
        inside = {k: files for k, files in walked.items() if k.startswith(root)}
        try:
            query = "SELECT count(*) FROM files WHERE folder >= ? AND folder < ?"
            if self.db.execute(query, bounds).fetchone()[0] <= sum(map(len, inside.values())):
                return 0  # the usual case, found without looking at every name
            known = {
                (to_bytes(k), to_bytes(name)) for k, files in inside.items() for name, *_ in files
            }
            query = "SELECT folder, name FROM files WHERE folder >= ? AND folder < ?"
            gone = [row for row in self.db.execute(query, bounds) if row not in known]
            if any(type(f) is not bytes or type(n) is not bytes for f, n in gone):  # (h151:
                raise sqlite3.DatabaseError(MALFORMED)  # a name a flipped bit made text)
        except sqlite3.Error as exc:
            self._failed(exc)
            return 0
        keys = [(folder + name,) for folder, name in gone]
        folders = sorted({(folder,) for folder, _ in gone})
        self._try_write(
            [
                ("DELETE FROM files WHERE folder = ? AND name = ?", gone),
                ("DELETE FROM exports WHERE key = ?", keys),
                ("DELETE FROM cells WHERE key = ?", keys),
                ("DELETE FROM folders WHERE folder = ?", folders),
            ]
        )
        return len(gone)

    def refresh(self, folders: Sequence[str]) -> None:
        """Make the listings of these folders from their rows (in one transaction, so
        they mirror the rows whatever other runs do)."""
        if self.broken or not folders:
            return

        def listings() -> list[tuple[bytes, bytes, int, int]]:  # inside the write transaction
            query = f"SELECT name, {STAMP_SQL} FROM files WHERE folder = ?"
            made = []
            for folder in map(to_bytes, folders):  # (lists, not generators of starred
                rows = self.db.execute(query, (folder,)).fetchall()  # tuples: half the time)
                files: list[Listed] = sorted([(to_text(n), s, m, c, i) for n, s, m, c, i in rows])
                names = [row[0] for row in rows]
                if not all(type(n) is bytes for n in names):
                    names = [n if type(n) is bytes else b"?" for n in names]
                made.append((folder, listing(files), len(files), names_sum(sorted(names))))
            return made

        self._try_write([("INSERT OR REPLACE INTO folders VALUES (?, ?, ?, ?)", listings)])

    def _try_write(self, statements: Sequence[tuple[str, Rows]]) -> bool:
        try:
            self.write(statements)
        except sqlite3.Error as exc:
            self._failed(exc)
            return False
        return True

    def write(self, statements: Sequence[tuple[str, Rows]]) -> None:
        """executemany each (sql, rows) in one transaction; rows that are a function
        are made inside the transaction. Raises sqlite3.Error (rolled back)."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            for sql, rows in statements:
                self.db.executemany(sql, rows() if callable(rows) else rows)
            self.db.execute("COMMIT")
        except BaseException as exc:
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error) and "is full" in str(exc):
                self._give_back_the_wal()
            raise

    def _room_for(self, size: int) -> bool:
        """Whether the cache's disk keeps RESERVE bytes free after about ``size`` more
        (h138: a disk filled by the cache's log held its last free space, and a log of
        several runs' writes could not be put back into the database to give it back:
        every edit on that disk then failed for want of room for its journal). If not,
        the cache is used no more in this run, and its log given back while there is
        room for that."""
        try:
            room = os.statvfs(self.folder)
        except OSError:
            return True  # (the write says what is wrong, if anything)
        free = room.f_bavail * room.f_frsize
        if not room.f_blocks or free >= RESERVE + 4 * size:
            return True
        self._give_back_the_wal()
        self.broken = True
        if self.warning is None:
            self.warning = (
                f"cache {self.path}: its disk would be left with less than "
                f"{RESERVE >> 20} MiB free ({free // 1024} KiB free now); going on without it"
            )
        return False

    def _give_back_the_wal(self) -> None:
        """After a write the disk had no room for: the write-ahead log back to nothing,
        where no other run is reading (h137: the log of the failed write kept the disk's
        last free space, run after run, and every edit on that disk then failed for want
        of room for its journal). Never waits for another run."""
        with contextlib.suppress(sqlite3.Error):
            self.db.execute("PRAGMA busy_timeout = 0")
            try:
                self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            finally:
                self.db.execute(f"PRAGMA busy_timeout = {int(BUSY_WAIT * 1000)}")

    @property
    def folder(self) -> str:
        return os.path.dirname(self.path)

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.db.close()


def _busy(exc: BaseException) -> bool:
    """Whether SQLite said another connection holds the database (locked, busy)."""
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)
