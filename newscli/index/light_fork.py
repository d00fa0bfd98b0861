"""Light rows of a big folder at once, from the cache alone, the walk checking them in a
forked child meanwhile (for `newscli review`'s first screen: the walk of 100,000 files
takes longer than the rest of the start).

``read_ahead`` forks the child, then reads the rows the cache holds below the folder
(best first, as ``light.light_rows`` gives them) and the invalid files it knows of:
what the folder held when the cache last saw it, not yet vouched for. The child walks
the folder and surveys the cache; should any folder have changed, it loads the folder
the usual way (its own parsing workers, which bring the cache up to date). Its answer
(``Ahead.answer``, which waits for it) is the walk and the invalid files, and whether
the rows read ahead are exactly what the walk would give (``vouched``). Until then,
nothing may be decided from the rows. No thread outlives ``read_ahead`` (its
``alongside`` one is ended before it returns): the caller may start its own (a user
interface) while the child works.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import signal
import sqlite3
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, BinaryIO

from newscli.index.cache import IndexCache
from newscli.index.cache_keys import key_range, pack, to_bytes, to_text
from newscli.index.discovery import Folder, Group, Problem, folder_key, scan
from newscli.index.forking import default_signals, detach
from newscli.index.light import _NOTHING, _ORDER, BIG_WALK, TESTED, Walked
from newscli.index.prefilter import Prefilter

__all__ = ["Ahead", "Answer", "read_ahead"]

# The child yields to the first screen (on a busy machine; with a core each, no matter).
CHILD_NICENESS = 5
# From this many files the cache remembers below the folder, its rows are read ahead.
AHEAD_FILES = BIG_WALK


@dataclass
class Answer:
    """The child's walk (groups, invalid files) and whether the rows read ahead are
    the rows of that walk (every walked folder unchanged since the cache listed it,
    shown as the given path shows it, and no row of a folder the walk did not meet)."""

    walked: Walked
    vouched: bool


class Ahead:
    """The rows read ahead (``walked``) and the child checking them."""

    def __init__(self, walked: Walked, root: str, pid: int, pipe: BinaryIO) -> None:
        self.walked = walked
        self.root = root
        self._pid = pid
        self._pipe: BinaryIO | None = pipe
        self._answer: Answer | None = None
        # (the child, to be ended while another thread waits for it and may reap it:
        # its number could then name another process, this descriptor never)
        self._pidfd: int | None = None
        self._pidfd_lock = threading.Lock()  # (one of answer() and close() closes it)
        with contextlib.suppress(AttributeError, OSError):
            self._pidfd = os.pidfd_open(pid)

    def _take_pidfd(self) -> int | None:
        with self._pidfd_lock:
            pidfd, self._pidfd = self._pidfd, None
        return pidfd

    def answer(self) -> Answer:
        """Wait for the child's answer (once; then the same). Raises OSError when the
        child failed or could not check the folder."""
        if self._answer is not None:
            return self._answer
        data, code = b"", 1
        if self._pipe is not None:
            pipe, self._pipe = self._pipe, None
            try:
                data = pipe.read()
            finally:
                pipe.close()
                _, status = os.waitpid(self._pid, 0)
                code = os.waitstatus_to_exitcode(status)
                pidfd = self._take_pidfd()
                if pidfd is not None:
                    os.close(pidfd)
        sent = marshal.loads(data) if code == 0 and data else None
        if sent is None:
            raise OSError(f"cannot check the files below {self.walked.paths[0]}")
        self._answer = self._vouch(*sent)
        # the invalid files as found: in the list the rows read ahead came with (a
        # queue holds it)
        self.walked.problems[:] = self._answer.walked.problems
        self.walked.links.update(self._answer.walked.links)  # (and the files' other names)
        return self._answer

    def close(self) -> None:
        """No answer wanted (any more): the child is ended, also while another thread
        waits for its answer (which then fails; where the kernel has no pidfd, before
        Linux 5.3, only while none does). Called before this process lets go of
        the cache: the child's connection must not outlive this one's (index.forking)."""
        pipe, self._pipe = self._pipe, None
        pidfd = self._take_pidfd()
        if pidfd is not None:
            with contextlib.suppress(OSError):
                signal.pidfd_send_signal(pidfd, signal.SIGKILL)
            os.close(pidfd)
        elif pipe is not None:  # (not reaped: answer() has not taken the pipe)
            with contextlib.suppress(OSError):
                os.kill(self._pid, signal.SIGKILL)
        if pipe is not None:
            pipe.close()
            with contextlib.suppress(OSError):
                os.waitpid(self._pid, 0)

    def _vouch(
        self,
        clean: bool,
        digest: bytes,
        sent: list[Any],
        problem_fields: list[Any],
        links: dict[str, list[str]],
    ) -> Answer:
        ahead = self.walked
        path, root = ahead.paths[0], self.root
        walked = Walked([path], [], [Problem(*p) for p in problem_fields], cache=ahead.cache)
        walked.links = links
        shown_root = os.path.join(path, "")
        for shown, key, files in sent:
            walked.groups.append(Folder(shown, key, files))
            if shown != shown_root + key[len(root) :]:  # not as the given path shows it
                clean = False
            walked.shown[to_bytes(key)] = shown
        if clean and any(folder not in walked.shown for folder in ahead.shown):
            clean = False  # rows of folders gone or hidden: the usual load prunes them
        if digest != _digest(ahead.rows):  # the cache changed between the two readings
            clean = False
        walked.rows = ahead.rows if clean else []
        return Answer(walked, clean)


def read_ahead(
    path: str,
    cache: IndexCache,
    cache_dir: str,
    prefilter: Prefilter,
    tested: bool = False,
    alongside: Callable[[], object] | None = None,
) -> Ahead | None:
    """The rows the cache holds below the folder ``path`` passing ``prefilter``, best
    first (with ``tested``, the TESTED columns too), with a child checking them; None
    when this way does not apply (not Linux, not a folder, the cache remembers fewer
    than AHEAD_FILES files below it, a cache failure): then no child runs.
    ``cache_dir`` is the cache's folder (the child opens a connection of its own).
    ``alongside`` runs in a thread while SQLite sorts the rows (it lets go of the
    interpreter meanwhile), ended before this returns."""
    if not sys.platform.startswith("linux") or not os.path.isdir(path) or cache.broken:
        return None
    root = folder_key(path)
    if cache.known_files([root]) < AHEAD_FILES:
        return None
    read, write = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: walk, check, send, leave without any exit code
        code = 1
        try:
            detach(parent)
            with contextlib.suppress(OSError):
                os.nice(CHILD_NICENESS)
            os.close(read)
            default_signals()
            answer = _check(path, cache_dir, _rows_query(root, prefilter, tested))
            with os.fdopen(write, "wb") as pipe:
                pipe.write(marshal.dumps(answer))
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    ahead = Ahead(Walked([path], [], [], cache=cache), root, pid, os.fdopen(read, "rb"))
    thread = None
    if alongside is not None:
        thread = threading.Thread(target=alongside, daemon=True, name="newscli-alongside")
        thread.start()
    try:
        _read_rows(ahead.walked, cache, root, prefilter, tested, thread)
    except (sqlite3.Error, UnicodeDecodeError):
        ahead.close()
        return None
    finally:
        if thread is not None:
            thread.join()
    return ahead


def _read_rows(
    walked: Walked,
    cache: IndexCache,
    root: str,
    prefilter: Prefilter,
    tested: bool,
    thread: threading.Thread | None,
) -> None:
    """The rows and the invalid files the cache holds below ``root``; each folder
    shown as the given path would show it without links. Both queries' first steps
    (the scans and sorts) run before the rows are fetched after ``thread`` ends (each
    row fetched lets go of the interpreter: beside a busy thread, each would wait)."""
    rows = cache.db.execute(*_rows_query(root, prefilter, tested))
    low, high = key_range(to_bytes(root))
    query = (
        "SELECT folder, name, error, error_line, error_field FROM files "
        "WHERE folder >= ? AND folder < ? AND error IS NOT NULL ORDER BY folder || name"
    )
    invalid_rows = cache.db.execute(query, (low, high))
    if thread is not None:
        thread.join()
    walked.rows, invalid = rows.fetchall(), invalid_rows.fetchall()
    folders = {row[0] for row in walked.rows}.union(row[0] for row in invalid)
    shown_root = os.path.join(walked.paths[0], "")
    for folder in folders:
        walked.shown[folder] = shown_root + to_text(folder)[len(root) :]
    walked.problems[:] = [
        Problem(walked.shown[folder] + to_text(name), *error) for folder, name, *error in invalid
    ]


def _rows_query(root: str, prefilter: Prefilter, tested: bool) -> tuple[str, list[Any]]:
    """(query, parameters) of the valid rows below ``root`` passing ``prefilter``, best
    first, then by key (the shown path's order below one root)."""
    condition, params = prefilter.sql()
    columns = ", ".join(("folder", "name", *(TESTED if tested else ())))
    query = (
        f"SELECT {columns} FROM files WHERE folder >= ? AND folder < ? "
        f"AND error IS NULL AND ({condition}) ORDER BY {_ORDER}, folder || name"
    )
    return query, [*key_range(to_bytes(root)), *params]


def _digest(rows: list[tuple[Any, ...]]) -> bytes:
    """The same rows give the same digest, in any process (marshal version 2: no
    back-references, which depend on the process)."""
    return hashlib.blake2b(marshal.dumps(rows, 2), digest_size=16).digest()


def _check(path: str, cache_dir: str, rows_query: tuple[str, list[Any]]) -> tuple[Any, ...] | None:
    """In the child: (whether every walked folder was unchanged, the digest of the rows
    the cache then gives, the walked folders as (shown, key, packed files), the invalid
    files as Problem fields, the files' other names as scan finds them); None when the
    folder cannot be checked this way."""
    cache, _ = IndexCache.open(cache_dir, rebuild=False)
    if cache is None:
        return None
    problems: list[Problem] = []
    links: dict[str, list[str]] = {}
    groups: list[Group] = scan([path], problems, others=links)
    folders = [g for g in groups if isinstance(g, Folder)]
    if len(folders) != len(groups):
        return None
    roots = [folder_key(path)]
    surveyed = cache.survey(roots, [(f.key, f.stored) for f in folders], _NOTHING)
    clean = not cache.broken and all(
        (s := surveyed.folders.get(f.key)) is not None and s.clean for f in folders
    )
    digest = b""
    if clean:
        # the rows as the cache gives them now (after the survey, as light_rows reads
        # them): the rows read ahead are vouched for only if they are the same
        try:
            digest = _digest(cache.db.execute(*rows_query).fetchall())
        except (sqlite3.Error, UnicodeDecodeError):
            clean = False
    if clean:
        for folder in folders:
            found = surveyed.folders[folder.key].found
            for name in sorted(found):
                error = found[name].error
                if error is not None:
                    problems.append(Problem(folder.shown + name, *error))
    else:  # the usual load (parsing workers of its own): the cache is brought up to date
        from newscli.index.loader import load_paths

        loaded = load_paths([path], None, cache)
        folders = [g for g in loaded.groups if isinstance(g, Folder)]
        if len(folders) != len(loaded.groups):
            return None
        problems = loaded.problems  # (the other names: those the walk above found)
    sent = [
        (f.shown, f.key, pack(f.stored) if isinstance(f.stored, list) else f.stored)
        for f in folders
    ]
    problems_sent = [(p.path, p.reason, p.line, p.field) for p in problems]
    return clean, digest, sent, problems_sent, links
