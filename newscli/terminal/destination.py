"""Where ``-o FILE`` writes, and how.

- A regular file, or a name where nothing is yet, is replaced atomically (a temporary
  file in the same folder, fsync, rename); missing parent folders are created first. A
  file without write permission is refused, as the shell's ``>`` refuses it.
  If it already holds exactly the bytes to write it is left untouched (same inode, same
  mtime), so HTTP caches and rsync see no change.
- A symbolic link is followed to its final target, which is replaced (the link stays a
  link); a dangling link gets its target created, in a folder that exists (no folder
  is made where a link points).
- Anything else (a character device such as /dev/null, a FIFO, a socket, /dev/stdout
  and the other descriptors under /proc) is opened and written to as a stream.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from io import BufferedReader

from newscli.errors import OutputError

_MAX_LINKS = 40


def _fail(path: str, exc: OSError) -> OutputError:
    return OutputError(f"cannot write {path}: {exc.strerror or exc}")


def resolve(path: str) -> tuple[str, bool]:
    """(the name path finally stands for, with every symbolic link followed; whether
    it is a descriptor's magic link under /proc, such as /dev/stdout, to be opened as
    it is rather than replaced)."""
    current = os.path.abspath(path)
    for _ in range(_MAX_LINKS):
        folder = os.path.realpath(os.path.dirname(current))
        current = os.path.join(folder, os.path.basename(current))
        if folder == "/proc" or folder.startswith("/proc/"):
            return current, True
        try:
            link = os.readlink(current)
        except OSError:  # not a link (or nothing there)
            return current, False
        current = os.path.join(folder, link)
    raise OutputError(f"cannot write {path}: too many levels of symbolic links")


def own_descriptor(path: str) -> int | None:
    """The descriptor number of this process that path names (/dev/stdout is 1,
    /dev/fd/3 is 3), or None."""
    target, magic = resolve(path)
    if magic:
        parts = target.split("/")  # "", "proc", PID, "fd", N (or PID, "task", TID, "fd", N:
        # /proc/thread-self/fd/N, h126: taken for a file and opened, the cache written)
        if len(parts) == 7 and parts[3] == "task":
            parts = parts[:3] + parts[5:]
        if len(parts) == 5 and parts[2] in ("self", str(os.getpid())) and parts[3] == "fd":
            return int(parts[4]) if parts[4].isdigit() else None
    return None


def given_descriptor(path: str) -> int | None:
    """own_descriptor(path), when it is a descriptor newscli was started with. Raises
    OutputError for one not open, or one this process opened itself: Python opens
    every file close-on-exec (PEP 446), SQLite too, and a descriptor handed down by the
    caller cannot be (exec would have closed it). h125 HIGH: `-o /dev/fd/5` with no 5
    given wrote the export into the index cache's database, exit 0, and
    --mark-published marked every article for it; one not open at first could be
    opened by the run before the write."""
    fd = own_descriptor(path)
    if fd is None:
        return None
    import fcntl

    try:
        opened_here = fcntl.fcntl(fd, fcntl.F_GETFD) & fcntl.FD_CLOEXEC
    except OSError as exc:
        raise _fail(path, exc) from None
    if opened_here:
        raise _fail(
            path, OSError(errno.EBADF, f"{os.strerror(errno.EBADF)} (not given to newscli)")
        )
    return fd


def write_output(
    path: str, chunks: Iterable[bytes], on_written: Callable[[], None] | None = None
) -> None:
    """Write the chunks to path as the module docstring says. Raises OutputError.
    ``on_written`` runs once path holds the whole output: for a file replaced, right
    after the rename with SIGINT and SIGTERM held (a signal is raised after it)."""
    written = on_written or (lambda: None)
    fd = given_descriptor(path)
    if fd is not None:  # written where it points, as it is (appending, say)
        _write_descriptor(path, fd, chunks, drain=on_written is not None)
        written()
        return
    target, magic = resolve(path)
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise _fail(path, exc) from None
    if magic or (info is not None and not stat.S_ISREG(info.st_mode)):
        if info is not None and stat.S_ISDIR(info.st_mode):
            raise OutputError(f"cannot write {path}: it is a folder")
        _write_stream(path, target if not magic else path, chunks, on_written is not None)
        written()
        return
    from newscli.edit.atomic import read_only, write_chunks_atomic

    name = target if os.path.islink(path) else path  # errors name what the user wrote
    if os.path.basename(name) in ("", ".", ".."):  # (`-o new/`: no folder made for it)
        raise OutputError(f"cannot write {path}: it names a folder, not a file")
    folder = os.path.dirname(name)
    if name is target and folder and not os.path.isdir(folder):  # (a dangling link's)
        # The folders of the name the user wrote are made, never those a link names:
        # a link may point anywhere (as the shell's > through it, refused).
        raise OutputError(
            f"cannot write {path}: it is a link to {target}, whose folder does not exist"
        )
    made = missing_folders(folder) if folder else []
    try:
        if folder:
            os.makedirs(folder, exist_ok=True)
    except OSError as exc:
        from newscli.wording import cannot_create

        remove_folders(made)
        raise OutputError(f"cannot write {path}: {cannot_create(folder, exc)}") from None
    changed = _unless_same(name, iter(chunks)) if info is not None else chunks
    if changed is None:  # it holds exactly the output already
        written()
        return
    if info is not None and read_only(name):  # as the shell's > refuses it
        raise OutputError(f"cannot write {path}: {_why_read_only(name)}")
    try:
        write_chunks_atomic(name, changed, after_replace=on_written)
    except BaseException:
        remove_folders(made)  # (h89: a full disk left the empty folders made for it)
        raise


def _why_read_only(name: str) -> str:
    """h125: a file on a read-only file system was said to have no write permission."""
    try:
        mounted_read_only = bool(os.statvfs(name).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        mounted_read_only = False
    return os.strerror(errno.EROFS) if mounted_read_only else "read-only (no write permission)"


def missing_folders(folder: str) -> list[str]:
    """The folders making ``folder`` will make (os.makedirs), the deepest first, each
    by its real path: those of its names whose real path does not exist yet (``a/..``
    of ``a/../b`` is no folder of its own, h90; and ``b`` of ``new/../b`` one that
    exists, h91: it was removed with ``new``)."""
    found: list[str] = []
    while folder and not os.path.lexists(folder):
        real = os.path.realpath(folder)  # (a name not there yet: taken as written)
        if not os.path.lexists(real) and real not in found:
            found.append(real)
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    return sorted(found, key=lambda path: path.count(os.sep), reverse=True)


def remove_folders(folders: list[str]) -> None:
    """Remove the folders a run made (missing_folders, before), where still empty."""
    for folder in folders:
        with contextlib.suppress(OSError):
            os.rmdir(folder)


def _write_stream(path: str, name: str, chunks: Iterable[bytes], drain: bool = False) -> None:
    """Open name (not a regular file) and write to it as it is. A FIFO waits for
    its reader, as the shell's ``>`` does. ``drain``: then wait until the reader has
    read it all (drain.wait_until_read)."""
    flags = os.O_WRONLY | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(name, flags)
    except OSError as exc:
        if not stat.S_ISSOCK(_mode(name)):
            raise _fail(path, exc) from None
        _write_socket(path, name, chunks, drain)
        return
    try:
        _write_descriptor(path, fd, chunks, drain)
    finally:
        os.close(fd)


def _write_descriptor(path: str, fd: int, chunks: Iterable[bytes], drain: bool = False) -> None:
    """Write the chunks to fd; ``drain``: then wait until a pipe's reader read them all."""
    from newscli.terminal.output import write_all

    try:
        for chunk in chunks:
            write_all(fd, chunk)
        if drain:
            from newscli.terminal.drain import wait_until_read

            wait_until_read(fd)
    except OSError as exc:
        raise _fail(path, exc) from None


def _write_socket(path: str, name: str, chunks: Iterable[bytes], drain: bool = False) -> None:
    """A Unix stream socket cannot be opened: connect to it. ``drain``: then wait until
    its peer has read it all (drain.wait_until_read)."""
    import socket

    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.connect(name)
            for chunk in chunks:
                sock.sendall(chunk)
            if drain:
                from newscli.terminal.drain import wait_until_read

                wait_until_read(sock.fileno())
    except OSError as exc:
        raise _fail(path, exc) from None


def _mode(name: str) -> int:
    try:
        return os.stat(name).st_mode
    except OSError:
        return 0


def _unless_same(target: str, chunks: Iterator[bytes]) -> Iterator[bytes] | None:
    """The chunks to write to target, or None when target already holds exactly
    them. The existing file is compared as the chunks come (memory stays flat); at the
    first difference the chunks are handed on, after the equal prefix (read back from
    the old file)."""
    try:
        old = open(target, "rb")  # noqa: SIM115 (closed below, or by the generator)
    except OSError:
        return chunks
    same = 0
    for chunk in chunks:
        part = old.read(len(chunk))
        if part != chunk:
            return _then(old, same, itertools.chain([chunk], chunks))
        same += len(chunk)
    if old.read(1):  # the old file is longer
        return _then(old, same, iter(()))
    old.close()
    return None


def _then(old: BufferedReader, length: int, rest: Iterator[bytes]) -> Iterator[bytes]:
    """length bytes from the start of the old file, then rest."""
    with old:
        old.seek(0)
        while length > 0:
            piece = old.read(min(length, 1 << 20))
            if not piece:  # the old file shrank meanwhile: it cannot be the prefix
                raise OutputError(f"{old.name} changed while it was being compared")
            yield piece
            length -= len(piece)
    yield from rest
