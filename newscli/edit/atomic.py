"""Atomic file replacement: readers see the old file or the new one, never a partial one.

Temporary files are named ``.newscli-PID-RANDOM.tmp`` after the process that writes
them. A run killed mid-write (SIGKILL cannot be caught) leaves one behind; the next
run that writes into that folder, or takes its lock, removes the temporary files whose
process no longer exists.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import time
from collections.abc import Callable, Iterable

from newscli.errors import OutputError

TEMP_PREFIX = ".newscli-"
_TEMP_NAME = re.compile(r"\.newscli-(?:(\d+)-)?[0-9a-f]{16}\.tmp")
LEGACY_MAX_AGE = 3600  # seconds: a temporary file named without its process (older runs)
_swept: set[str] = set()  # folders already cleaned by this process


def _fsync_folder(folder: str) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def alive(pid: int, since: float | None = None) -> bool:
    """Whether process ``pid`` runs (and, with ``since``, began by that time: a process
    that started later has only its number). A zombie runs no more (h40: a killed
    edit's batch, its process not yet reaped, was taken for one still being written,
    and `undo` reverted the batch before it)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process (EPERM): it exists
        pass
    started = _started(pid)
    if started is None:  # (no /proc: as it says)
        return True
    state, began = started
    return state != "Z" and (since is None or began <= since + 1.0)


def _started(pid: int) -> tuple[str, float] | None:
    """(state, start time in POSIX seconds) from /proc (Linux); None elsewhere."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
        with open("/proc/stat", "rb") as system:
            boot = next(int(line.split()[1]) for line in system if line.startswith(b"btime"))
        return fields[0].decode(), boot + int(fields[19]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return None


def _is_stale(folder: str, name: str) -> bool:
    """A temporary file of a newscli process that no longer exists (or, named the old
    way without its process, not touched for LEGACY_MAX_AGE)."""
    match = _TEMP_NAME.fullmatch(name)
    if match is None:
        return False
    if match[1] is not None:
        pid = int(match[1])
        return pid != os.getpid() and not alive(pid)
    try:
        return os.lstat(os.path.join(folder, name)).st_mtime < time.time() - LEGACY_MAX_AGE
    except OSError:
        return False


def remove_stale_temporaries(folder: str) -> int:
    """Remove the temporary files that killed newscli runs left in folder (once per
    folder and process; failures are ignored). Returns how many were removed."""
    key = os.path.abspath(folder)
    if key in _swept:
        return 0
    _swept.add(key)
    removed = 0
    with contextlib.suppress(OSError), os.scandir(key) as entries:
        for entry in entries:
            if entry.name.startswith(TEMP_PREFIX) and _is_stale(key, entry.name):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                    removed += 1
    return removed


def temporary_name(folder: str) -> str:
    """A fresh temporary file name in folder, naming this process."""
    return os.path.join(folder, f"{TEMP_PREFIX}{os.getpid()}-{os.urandom(8).hex()}.tmp")


def read_only(path: str) -> bool:
    """No write permission bit set, or no write access for this user: the atomic rename
    could still replace such a file, but its owner asked for it to be left alone."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not mode & 0o222 or not os.access(path, os.W_OK)


def _create(path: str, fresh: bool = False) -> int:
    """Create path as a new, empty file: private (as tempfile.mkstemp does, without the
    cost of importing it), or, ``fresh`` (the file it becomes is new), as any program
    makes a new file: mode 0666 less the umask, or, in a folder with a default ACL, that
    ACL (h90: a chmod after it widened the folder's ACL to 0644: others could read)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    return os.open(path, flags, 0o666 if fresh else 0o600)


def _fresh(path: str) -> bool:
    """Whether path is no regular file (the file written there will be a new one)."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return True


def _copy_metadata(path: str, tmp: str, fresh: bool = True) -> None:
    """Give tmp the mode (and, where allowed, owner) of path; where path is no regular
    file (any more), a new file's (``fresh``: tmp was made as one, _create): a device's or
    FIFO's mode and owner are not a file's, e.g. imports.json linked to /dev/null made a
    world-writable state."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise FileNotFoundError(path)
    except OSError:
        if not fresh:  # (it was removed meanwhile)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        return
    mode = info.st_mode & 0o7777
    try:
        os.chown(tmp, info.st_uid, info.st_gid)
    except OSError:  # another user's file (only root gives a file away): it becomes
        with contextlib.suppress(OSError):  # this user's, in its group if this user
            os.chown(tmp, -1, info.st_gid)  # belongs to it (h44: the group was lost too)
        now = os.stat(tmp)
        # a set-ID bit is the owner's or the group's: not handed to another (h90: a
        # user the ACL let write made another's set-user-ID file theirs, bit kept; a
        # write in place clears both, as the kernel does)
        mode &= ~(stat.S_ISUID if now.st_uid != info.st_uid else 0)
        if now.st_gid != info.st_gid:  # (h91: the editor's group gained the file's
            # group's read: it gets no more than others had)
            mode &= ~stat.S_ISGID & ~(0o070 & ~((mode & 0o007) << 3))
    _copy_xattrs(path, tmp)
    os.chmod(tmp, mode)  # (last: a new owner clears set-user-ID bits)


_NO_XATTRS = {errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENODATA, errno.ENOSYS}


def _copy_xattrs(path: str, tmp: str) -> None:
    """Give tmp the extended attributes of path, and no others: its POSIX ACL (who else
    may read or write it) and any a user set (h89: an edit dropped the ACL, so a user
    it let write could no longer, and the group gained the mask's write). One that
    cannot be kept raises OutputError: the file is left as it is."""
    if not hasattr(os, "listxattr"):  # (Linux only)
        return
    try:
        names = os.listxattr(path)
        found = os.listxattr(tmp)  # (a folder's default ACL gives a new file one)
    except OSError as exc:
        if exc.errno in _NO_XATTRS:
            return
        why = f"its extended attributes cannot be read ({exc.strerror})"
        raise OutputError(f"{path}: left unchanged: {why}", reason=f"{why}; left alone") from exc
    for name in found:
        if name not in names:
            _keep(path, name, os.removexattr, tmp, name)
    for name in names:
        try:
            value = os.getxattr(path, name)
        except OSError as exc:
            if exc.errno == errno.ENODATA:  # (removed meanwhile)
                continue
            why = f"its extended attribute {name} cannot be read ({exc.strerror})"
            raise OutputError(
                f"{path}: left unchanged: {why}", reason=f"{why}; left alone"
            ) from exc
        if name in found and _value(tmp, name) == value:
            continue  # (a security label the system gave it already)
        _keep(path, name, os.setxattr, tmp, name, value)


def _value(path: str, name: str) -> bytes | None:
    try:
        return os.getxattr(path, name)
    except OSError:
        return None


def _keep(path: str, name: str, change: Callable[..., None], *args: str | bytes) -> None:
    try:
        change(*args)
    except OSError as exc:
        why = f"its extended attribute {name} cannot be kept ({exc.strerror})"
        raise OutputError(f"{path}: left unchanged: {why}", reason=f"{why}; left alone") from exc


def write_atomic(
    path: str,
    data: bytes,
    before_replace: Callable[[], None] | None = None,
    prepare: Callable[[str], None] | None = None,
) -> None:
    """Write data to path through a temporary file in the same folder, fsync, rename.

    A new file gets the usual mode (0666 less umask); an existing file keeps its mode
    and owner. ``prepare`` is given the temporary file's path once it is whole (and has
    its mode), before ``before_replace``, which runs just before the rename and may
    raise to abort. On any failure the target is untouched, no temporary file remains,
    and OutputError (or the error before_replace or prepare raised) is raised.
    """
    write_chunks_atomic(path, [data], before_replace, prepare=prepare)


def write_chunks_atomic(
    path: str,
    chunks: Iterable[bytes],
    before_replace: Callable[[], None] | None = None,
    after_replace: Callable[[], None] | None = None,
    prepare: Callable[[str], None] | None = None,
) -> None:
    """write_atomic for content produced piece by piece (memory stays flat).
    ``after_replace`` runs right after the rename, with SIGINT and SIGTERM held from
    before it: the caller knows the file was replaced even when a signal comes then."""
    folder = os.path.dirname(os.path.abspath(path))
    remove_stale_temporaries(folder)
    # The name is chosen before the file exists, so that an interrupt landing just
    # after the file is made (before the descriptor is known) still removes it.
    tmp = temporary_name(folder)
    fresh = _fresh(path)
    try:
        try:
            fd = _create(tmp, fresh)
        except FileExistsError:  # 64 random bits taken by this very process: again
            tmp = temporary_name(folder)
            fd = _create(tmp, fresh)
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        _copy_metadata(path, tmp, fresh)
        if prepare is not None:
            prepare(tmp)
        if before_replace is not None:
            before_replace()
        if after_replace is None:
            os.replace(tmp, path)
        else:
            from newscli.index.parallel import signals_held

            with signals_held():
                os.replace(tmp, path)
                after_replace()
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            why = str(exc.strerror or exc)
            raise OutputError(f"cannot write {path}: {why}", reason=why) from None
        raise
    _fsync_folder(folder)


def create_new(path: str, data: bytes, *, sync_folder: bool = True) -> None:
    """Create path with data, atomically and never over an existing file: the data goes
    to a temporary file (fsynced), which is then linked under the new name (the link
    fails if the name is taken: FileExistsError) and removed. Where the file system has
    no hard links, the file is created exclusively and written in place. Raises
    FileExistsError, or OutputError for any other failure (no temporary file remains).
    ``sync_folder=False``: the caller fsyncs the folder (sync_folders), once for many files."""
    folder = os.path.dirname(os.path.abspath(path))
    remove_stale_temporaries(folder)
    tmp = temporary_name(folder)
    try:
        fd = _create(tmp, fresh=True)  # (a new file's mode, or the folder's default ACL)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise
        except OSError:  # no hard links here (some network and FUSE file systems)
            _create_in_place(path, data)
    except FileExistsError:
        raise
    except OSError as exc:
        why = str(exc.strerror or exc)
        raise OutputError(f"cannot write {path}: {why}", reason=why) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    if sync_folder:
        _fsync_folder(folder)


def sync_folders(folders: Iterable[str]) -> None:
    """fsync each folder (so the names made in it last through a crash)."""
    for folder in folders:
        _fsync_folder(folder)


def _create_in_place(path: str, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
