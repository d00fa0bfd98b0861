"""Advisory per-folder locks, so concurrent writers (cron runs) cannot lose updates."""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterable, Iterator

from newscli.errors import NewscliError
from newscli.index import forking

LOCK_NAME = ".newscli.lock"


class LockBusyError(NewscliError):
    """Another newscli process holds the lock of a feed folder."""


class LockError(NewscliError):
    """The lock file cannot be created (for example, a read-only folder)."""


def lock_folder_for(path: str) -> str | None:
    """The folder whose lock guards ``path``: itself if a folder, else its parent; None
    for something that is no regular file (a link to /dev/zero, a FIFO: never edited,
    so no lock file is made next to it)."""
    real = os.path.realpath(path)
    if os.path.isdir(real):
        return real
    if os.path.exists(real) and not os.path.isfile(real):
        return None
    return os.path.dirname(real)


def with_subfolders(paths: Iterable[str]) -> list[str]:
    """The paths, and below each folder among them every subfolder a walk would enter
    (not hidden; not through a link: a linked folder's lock is taken after loading) that
    this user may write in (nothing in another can be edited): locked before loading, so
    a run on a folder waits for one on its subfolder instead of selecting files that run
    is about to change."""
    found = list(paths)
    for path in list(found):
        if not os.path.isdir(path):
            continue
        for top, folders, _ in os.walk(path, followlinks=False):
            folders[:] = sorted(f for f in folders if not f.startswith("."))
            found.extend(
                below
                for below in (os.path.join(top, f) for f in folders)
                if os.access(below, os.W_OK) and not os.path.islink(below)
            )
    return found


def _acquire(folder: str, deadline: float) -> int:
    lock_path = os.path.join(folder, LOCK_NAME)
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise LockError(f"cannot create lock file {lock_path}: {exc.strerror or exc}") from None
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            forking.keep_private(fd)  # a forked worker must not keep the folder locked
            from newscli.edit.atomic import remove_stale_temporaries

            remove_stale_temporaries(folder)  # what killed runs left (their process is gone)
            return fd
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise LockBusyError(
                    f"another newscli run is editing {folder} (lock {lock_path}); "
                    "try again or pass --wait SECONDS"
                ) from None
            time.sleep(0.02)


@contextlib.contextmanager
def folder_locks(paths: Iterable[str], wait: float = 0.0) -> Iterator[None]:
    """Hold the locks of the folders of ``paths`` (taken in a fixed order, no deadlock).

    Waits up to ``wait`` seconds in all; raises LockBusyError after that. Lock files are
    left in place: deleting them would let two processes lock different files.
    """
    folders = sorted({f for f in map(lock_folder_for, paths) if f is not None})
    deadline = time.monotonic() + max(wait, 0.0)
    held: list[int] = []
    try:
        for folder in folders:
            held.append(_acquire(folder, deadline))
        yield
    finally:
        for fd in reversed(held):
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_UN)
            forking.release(fd)
            os.close(fd)
