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
    (not hidden; through links too, each real folder once) that holds an article file
    and that this user may write in (nothing in another can be edited): locked before
    loading, so a run on a folder waits for one on its subfolder (or on a folder linked
    into it) instead of selecting files that run is about to change."""
    # (a named file in a folder this user may not write in is refused at its edit, alone,
    # not locked: its lock could not be made, and stopped the whole run, h142)
    found = [p for p in paths if not _unwritable_file(p)]
    seen: set[str] = set()
    for path in list(found):
        if not os.path.isdir(path):
            continue
        for top, folders, names in os.walk(path, followlinks=True):
            real = os.path.realpath(top)
            if real in seen:  # a link loop, or a folder met twice
                folders[:] = []
                continue
            seen.add(real)
            folders[:] = sorted(f for f in folders if not f.startswith("."))
            articles = any(n.lower().endswith((".md", ".markdown")) for n in names)
            if top != path and articles and os.access(top, os.W_OK | os.X_OK):
                found.append(top)
            if articles:
                found += _linked_articles(top)
    return found


def _linked_articles(folder: str) -> list[str]:
    """The article files of ``folder`` that are symbolic links: their targets' folders
    are locked before loading too (h141: locked only after loading, while the folder's
    own lock was held, two runs each on a folder with a link into the other's waited
    for each other until --wait ran out, and an export waiting there shipped what
    another run had shipped meanwhile)."""
    try:
        with os.scandir(folder) as entries:
            links = [
                entry.path
                for entry in entries
                if entry.name.lower().endswith((".md", ".markdown")) and entry.is_symlink()
            ]
    except OSError:
        return []
    # (only links to a regular file, in a folder this user may write in: one to a folder,
    # to nothing, or into a folder not writable is refused at its edit or never read, and
    # no lock is made there, h142)
    return [p for p in links if os.path.isfile(p) and _in_writable_folder(p)]


def _unwritable_file(path: str) -> bool:
    """Whether ``path`` is a regular file (through links) whose folder this user may not
    write in."""
    return os.path.isfile(path) and not _in_writable_folder(path)


def _in_writable_folder(path: str) -> bool:
    return _writable(os.path.dirname(os.path.realpath(path)))


def _writable(folder: str) -> bool:
    return unwritable(folder) is None


def unwritable(folder: str) -> str | None:
    """Why this user may not make files in ``folder`` ("a read-only file system",
    "permission denied"); None where they may. (access() says EROFS too.)"""
    if os.access(folder, os.W_OK | os.X_OK):
        return None
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return "a read-only file system"
    except OSError:
        pass
    return "permission denied"


def _room_for(count: int) -> None:
    """Raise this process's open-file limit to hold ``count`` locks (up to the hard
    limit): a tree of a few thousand dated folders needs more than the usual 1,024."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = count + 256  # the rest of the run's files, sockets and pipes
    if soft != resource.RLIM_INFINITY and soft < wanted:
        top = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (top, hard))
        if top < wanted:
            raise LockError(
                f"{count} folders to lock, but at most {hard} files may be open "
                "(ulimit -n): name fewer folders"
            )


_HELD: dict[str, int] = {}  # folder -> the lock this process holds of it (folder_locks)
_OWN: dict[tuple[int, int], int] = {}  # each lock file held (device, inode) -> its descriptor


def _ours(folder: str, fd: int) -> bool:
    """Whether the folder's lock file is still the one ``fd`` holds: not where the
    folder was removed (and made again) or its lock file replaced since."""
    try:
        here = os.stat(os.path.join(folder, LOCK_NAME), follow_symlinks=False)
        mine = os.fstat(fd)
    except OSError:
        return False
    return (here.st_dev, here.st_ino) == (mine.st_dev, mine.st_ino)


# Why a file is not written where guarded() is False (h146: a lock file removed by a
# clean-up script was said to be a folder replaced)
NOT_HELD = (
    "its folder was replaced, or its lock file removed, while it was being edited (this "
    "run does not hold the folder's lock now)"
)


def guarded(folder: str) -> bool:
    """Whether this process holds the lock of ``folder`` as it is now: its lock file one
    this run holds, by device and inode (h141: a folder replaced by a copy after its
    lock was taken has a lock file of its own, which another run may hold)."""
    try:
        info = os.stat(os.path.join(folder, LOCK_NAME), follow_symlinks=False)
    except OSError:
        return False
    return (info.st_dev, info.st_ino) in _OWN


def held() -> frozenset[str]:
    """The folders (real paths) whose locks this process holds now: each one's lock
    file still the one held (h139: a folder removed and made again after its lock was
    taken counted as held, and its files were edited under no lock)."""
    return frozenset(folder for folder, fd in _HELD.items() if _ours(folder, fd))


def _acquire(folder: str, deadline: float) -> tuple[int, bool] | None:
    """(the held lock's descriptor, whether taken now: False where this process holds
    that lock file already, under another folder name: a folder moved while the run
    held its lock, h140, whose flock of its own would wait for itself); None where the
    folder is gone (removed since it was found: nothing in it to edit, h137: the whole
    run stopped). A lock file removed or replaced while it was waited for is opened
    again: the lock held is always the one the folder has."""
    lock_path = os.path.join(folder, LOCK_NAME)
    # Never through a symbolic link: one planted in a shared folder would make a run
    # (root's, from cron) create its target anywhere, or lock an article's inode that
    # the edit then replaces (the next run would lock another: no exclusion)
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    while True:
        try:
            fd = os.open(lock_path, flags, 0o644)
        except (FileNotFoundError, NotADirectoryError):
            if not os.path.isdir(folder):  # (removed, or made a file or a dangling link)
                return None
            gone = "No such file or directory"
            raise LockError(f"cannot create lock file {lock_path}: {gone}") from None
        except OSError as exc:
            reason = "it is a symbolic link" if os.path.islink(lock_path) else exc.strerror or exc
            raise LockError(f"cannot create lock file {lock_path}: {reason}") from None
        info = os.fstat(fd)
        mine = _OWN.get((info.st_dev, info.st_ino))
        if mine is not None:
            os.close(fd)
            return mine, False
        _wait_for(fd, folder, lock_path, deadline)
        if _ours(folder, fd):
            forking.keep_private(fd)  # a forked worker must not keep the folder locked
            from newscli.edit.atomic import remove_stale_temporaries

            remove_stale_temporaries(folder)  # what killed runs left (their process is gone)
            return fd, True
        os.close(fd)


def _wait_for(fd: int, folder: str, lock_path: str, deadline: float) -> None:
    """flock ``fd``, waiting until ``deadline``; LockBusyError (``fd`` closed) after."""
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise LockBusyError(
                    f"another newscli run is editing {folder} (lock {lock_path}); "
                    "try again or pass --wait SECONDS"
                ) from None
            time.sleep(0.02)


def _in_order(folders: Iterable[str]) -> list[str]:
    """The folders in the order every run takes their locks: by device and inode, one
    name each (h141: by name, one folder reached by two names, a bind mount, sorted
    apart in two runs, which then waited for each other until --wait ran out)."""
    keyed: dict[tuple[int, int, str], str] = {}
    seen: set[tuple[int, int]] = set()
    for folder in sorted(folders):
        try:
            info = os.stat(folder)
        except OSError:
            keyed[(-1, -1, folder)] = folder  # (gone, or not one: _acquire says so)
            continue
        place = (info.st_dev, info.st_ino)
        if place not in seen:
            seen.add(place)
            keyed[(place[0], place[1], folder)] = folder
    return [keyed[key] for key in sorted(keyed)]


@contextlib.contextmanager
def folder_locks(
    paths: Iterable[str], wait: float = 0.0, *, required: bool = False
) -> Iterator[None]:
    """Hold the locks of the folders of ``paths`` (taken in a fixed order, no deadlock);
    a folder removed meanwhile is passed over, unless ``required`` (LockError: a folder
    the caller is about to write in, h139).

    Waits up to ``wait`` seconds in all; raises LockBusyError after that. Lock files are
    left in place: deleting them would let two processes lock different files.
    """
    folders = _in_order({f for f in map(lock_folder_for, paths) if f is not None})
    if len(folders) > 256:
        _room_for(len(folders))
    deadline = time.monotonic() + max(wait, 0.0)
    # (folder, its lock, the one held before under that name, the lock file's place when
    # taken now: released on the way out)
    taken: list[tuple[str, int, int | None, tuple[int, int] | None]] = []
    try:
        for folder in folders:
            before = _HELD.get(folder)  # (an outer folder_locks': its lock file is met
            got = _acquire(folder, deadline)  # in _OWN, and not locked a second time)
            if got is None:
                if required:
                    lock_path = os.path.join(folder, LOCK_NAME)
                    raise LockError(f"cannot create lock file {lock_path}: the folder is gone")
                continue
            fd, now = got
            place = None
            if now:
                info = os.fstat(fd)
                place = (info.st_dev, info.st_ino)
                _OWN[place] = fd
            taken.append((folder, fd, before, place))
            _HELD[folder] = fd
        yield
    finally:
        for folder, fd, before, place in reversed(taken):
            if before is None:
                _HELD.pop(folder, None)
            else:
                _HELD[folder] = before
            if place is None:
                continue  # (held by another entry: released by it)
            _OWN.pop(place, None)
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_UN)
            forking.release(fd)
            os.close(fd)
