"""Whose the index cache's database file is (cache.IndexCache.open): newscli removes,
replaces or rebuilds only a file it can tell is its own, and opens another program's
only to look at it, read-only (h99, h100, h101: another program's database, text file,
encrypted database and WAL database under the cache's name were dropped, replaced or
checkpointed).

A file is newscli's when its SQLite header carries newscli's application id (set in
every cache made, and checkpointed into the file), or its folder is one newscli made
or was given empty (marked with a CACHEDIR.TAG, bford.info/cachedir: backup tools leave
it out) or is the default cache folder; a cache made before the id is known by its
tables and triggers (check_ours) and given the id.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import stat

APPLICATION_ID = 0x6E657773  # "news", in the database's header (PRAGMA application_id)
# every table a cache of any version held: a database of these and no other is newscli's
_OURS = re.compile(r"files|exports|folders|cells|story_data\d*|story_groups|story_folders")

# A folder's listing goes whenever a row of its files is added, deleted or changed, by
# this code or by hand; a row changed in place goes too (this code only inserts or
# replaces rows).
TRIGGERS = {
    "files_added": "AFTER INSERT ON files BEGIN DELETE FROM folders WHERE folder = new.folder; END",
    "files_deleted": "AFTER DELETE ON files BEGIN"
    " DELETE FROM folders WHERE folder = old.folder; END",
    "files_changed": "AFTER UPDATE ON files BEGIN"
    " DELETE FROM folders WHERE folder IN (old.folder, new.folder);"
    " DELETE FROM files WHERE folder = new.folder AND name = new.name; END",
}


def check_ours(db: sqlite3.Connection) -> bool:
    """Raise NotNewscli unless the database is newscli's: its application id is, or it
    is new (nothing in it), or, without an id (a cache made before there was one, or
    another program's), it is a cache as newscli made them since schema 14: a schema
    version, newscli's tables only, no view, and the three triggers that keep its
    listings, word for word (h100, h101: a `files (p)` table, a `folders` table, a
    database of a version number alone were taken over). True for such a cache without
    the id (to be given it)."""
    application, objects, version = _looked_at(db)
    if application == APPLICATION_ID:
        return False
    if application != 0:
        raise NotNewscli
    if not objects and not version:
        return False  # (new: newscli makes it)
    tables = [name for kind, name, _ in objects if kind == "table"]
    triggers = {name: sql for kind, name, sql in objects if kind == "trigger"}
    if (
        not version
        or any(kind not in ("table", "trigger", "index") for kind, _, _ in objects)
        or not all(isinstance(name, str) and _OURS.fullmatch(name) for name in tables)
        or triggers != {name: f"CREATE TRIGGER {name} {body}" for name, body in TRIGGERS.items()}
    ):
        raise NotNewscli
    return True


def _looked_at(db: sqlite3.Connection) -> tuple[int, list[tuple[str, str, str]], int]:
    """The id, the objects and the version, in one read transaction: all from before
    another run's creating the cache or all from after (read one by one, a run saw its
    tables and not yet its version, or the reverse, took a new cache for another
    program's and removed it under five runs using it: CI, Python 3.13)."""
    db.execute("BEGIN")
    try:
        application = db.execute("PRAGMA application_id").fetchone()[0]
        query = "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite%'"
        objects = db.execute(query).fetchall()
        version = db.execute("PRAGMA user_version").fetchone()[0]
    finally:
        db.execute("COMMIT")  # (a read transaction: nothing to undo)
    return application, objects, version


def check_read_only(path: str) -> None:
    """check_ours through a read-only connection, which never writes the database nor
    checkpoints its WAL (h101: another program's WAL database, opened to be looked at,
    was checkpointed and its -wal removed). Raises NotNewscli, or sqlite3.Error when it
    cannot be read."""
    from urllib.parse import quote

    db = sqlite3.connect(f"file:{quote(os.path.abspath(path))}?mode=ro", uri=True, timeout=30)
    try:
        check_ours(db)
    finally:
        db.close()


_MAGIC = b"SQLite format 3\x00"
TAG_NAME = "CACHEDIR.TAG"  # (bford.info/cachedir: backup tools leave the folder out)
_TAG = (
    b"Signature: 8a477f597d28d172789f06886806bc55\n"
    b"# This file is a cache directory tag created by newscli.\n"
    b"# For information about cache directory tags see https://bford.info/cachedir/\n"
)


# The database files whose header was read, each by a descriptor kept open for the rest
# of the process (by device and inode): closing any descriptor of a file drops every
# POSIX lock the process holds on it, SQLite's too. A run's second open of the cache (a
# thread's, shell completion's, or a long-lived process's next command while the
# first's connection was not yet closed) dropped the first connection's locks; another
# program's close then took itself for the last user and removed the WAL and its index
# under it, and this process read a stale index from then on (rows written since
# unseen; "database disk image is malformed" in the test suite's long-lived workers).
_KEPT: dict[tuple[int, int], int] = {}
_SPARE: list[int] = []  # (a second descriptor of a file kept: never closed either)
# (A database removed since, by a rebuild, keeps its space until the process ends: one
# run; a long-lived process keeps one per cache file it met.)


def _head(path: str, size: int, follow: bool = True, keep: bool = False) -> bytes | None:
    """The first ``size`` bytes of a regular file (never blocking: a FIFO is no file;
    ``follow``: a symbolic link is followed, else it is no file); None when there is
    none, b"" for an empty one or what is no regular file. ``keep``: a database file,
    read through a descriptor never closed (_KEPT)."""
    if keep:
        with contextlib.suppress(OSError):
            info = os.stat(path)
            kept = _KEPT.get((info.st_dev, info.st_ino))
            if kept is not None:
                return os.pread(kept, size, 0)
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags if follow else flags | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return None
    except OSError:
        return b""
    kept_now = False
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return b"\0"  # (something, and no database)
        if keep:
            kept_now = True
            if (info.st_dev, info.st_ino) in _KEPT:
                _SPARE.append(fd)
            else:
                _KEPT[info.st_dev, info.st_ino] = fd
        return os.pread(fd, size, 0)
    except OSError:
        return b""
    finally:
        if not kept_now:
            os.close(fd)


DAMAGED = ".damaged"  # beside the database: a run found it damaged (IndexCache._failed)


def damaged(exc: sqlite3.Error) -> bool:
    """Whether a database error tells of damage (not of a lock, a full disk, a
    permission): SQLITE_CORRUPT, SQLITE_NOTADB, or text that is not UTF-8."""
    name = getattr(exc, "sqlite_errorname", "")  # (Python 3.11 and later)
    text = str(exc)
    return (
        name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB"))
        or "malformed" in text
        or "not a database" in text
        or text.startswith("Could not decode to UTF-8")
    )


def remove_database(path: str) -> None:
    """The database, its logs and the damage mark, gone (what cannot be removed stays)."""
    for suffix in ("", *_LOGS, DAMAGED):
        with contextlib.suppress(OSError):
            os.unlink(path + suffix)


_LOGS = ("-wal", "-shm", "-journal")  # (SQLite's files beside the database)


def not_a_file(path: str) -> str:
    """The first of the database and its logs (SQLite's -wal, -shm, -journal) at whose
    path there is something other than a regular file (a FIFO, a device, a folder, or
    a link to one), or "": never handed to SQLite, whose open of a FIFO waits for a
    writer forever, deaf to SIGTERM (h148: the database's, as a user who may not write
    it; h149: a log's, as root too)."""
    for name in (path, *(path + log for log in _LOGS)):
        try:
            if not stat.S_ISREG(os.stat(name).st_mode):
                return name
        except OSError:  # (none, or a dangling link: SQLite makes it, or says why not)
            continue
    return ""


def owned_file(folder: str, path: str) -> bool | None:
    """Whether the database file is newscli's to remove when it cannot be read: its
    header's application id is newscli's, or its folder is one newscli made (its cache
    tag); None for a new file (none, or empty). Raises NotNewscli for a file that is no
    SQLite database, or one with another program's id, in a folder newscli did not
    make: never opened (h100: a text file, an encrypted database and another's database
    whose -wal was a folder were removed and replaced; opening another's WAL database
    checkpoints it). False for an SQLite file without an id (a cache made before there
    was one, or another's: check_ours looks at its tables), never removed."""
    head = _head(path, 100, keep=True)
    if not head:
        return None
    sqlite = head.startswith(_MAGIC) and len(head) >= 72
    application = int.from_bytes(head[68:72], "big") if sqlite else -1
    if application == APPLICATION_ID:
        return True
    if _head(os.path.join(folder, TAG_NAME), len(_TAG), follow=False) == _TAG:
        return True  # (the tag itself, not a link to another folder's: h101)
    if os.path.realpath(folder) == _default_folder():
        return True  # (newscli's own folder under the user's cache folder)
    if application != 0:
        raise NotNewscli
    return False


def default_folder(environ: dict[str, str] | None = None) -> str:
    """NEWSCLI_CACHE_DIR, else $XDG_CACHE_HOME/newscli, else ~/.cache/newscli."""
    env = os.environ if environ is None else environ
    if env.get("NEWSCLI_CACHE_DIR"):
        return env["NEWSCLI_CACHE_DIR"]
    base = env.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # (unset, or relative: the XDG spec says to ignore it,
        base = os.path.join(os.path.expanduser("~"), ".cache")  # h99: ./rel/newscli made)
    return os.path.join(base, "newscli")


def _default_folder() -> str:
    """The default cache folder (not NEWSCLI_CACHE_DIR's, which the user names)."""
    environ = {k: v for k, v in os.environ.items() if k != "NEWSCLI_CACHE_DIR"}
    return os.path.realpath(default_folder(environ))


def tag_folder(folder: str) -> None:
    """Mark a folder newscli made as a cache folder (best effort)."""
    with contextlib.suppress(OSError):
        fd = os.open(os.path.join(folder, TAG_NAME), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(fd, "wb") as file:
            file.write(_TAG)


def empty_folder(folder: str) -> bool:
    try:
        with os.scandir(folder) as entries:
            return next(entries, None) is None
    except OSError:
        return False


def unreadable_not_ours(path: str, exc: BaseException) -> str:
    return (
        f"cache disabled: {path} cannot be read ({exc}) and is not known to be newscli's: "
        "left as it is (delete it to have it made again)"
    )


def not_ours(path: str) -> str:
    return (
        f"cache disabled: {path} is another program's file, not newscli's index cache: "
        "left as it is (give --cache-dir a folder of its own)"
    )


class NotNewscli(Exception):
    """The database is another program's (see the module's text): never dropped."""
