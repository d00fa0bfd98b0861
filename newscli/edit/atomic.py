"""Atomic file replacement: readers see the old file or the new one, never a partial one."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable

from newscli.errors import OutputError


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


def _temporary_file(folder: str) -> tuple[int, str]:
    """A new, empty, private file in folder (as tempfile.mkstemp makes, without the
    cost of importing it): (descriptor, path)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        path = os.path.join(folder, f".newscli-{os.urandom(8).hex()}.tmp")
        try:
            return os.open(path, flags, 0o600), path
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {folder}")


def _copy_metadata(path: str, tmp: str) -> None:
    """Give tmp the mode (and, where allowed, owner) of path, or the default new-file mode."""
    try:
        info = os.stat(path)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        return
    with contextlib.suppress(OSError):
        os.chown(tmp, info.st_uid, info.st_gid)
    os.chmod(tmp, info.st_mode & 0o7777)


def write_atomic(path: str, data: bytes, before_replace: Callable[[], None] | None = None) -> None:
    """Write data to path through a temporary file in the same folder, fsync, rename.

    A new file gets the usual mode (0666 less umask); an existing file keeps its mode
    and owner. ``before_replace`` runs just before the rename and may raise to abort.
    On any failure the target is untouched, no temporary file remains, and OutputError
    (or the error before_replace raised) is raised.
    """
    write_chunks_atomic(path, [data], before_replace)


def write_chunks_atomic(
    path: str, chunks: Iterable[bytes], before_replace: Callable[[], None] | None = None
) -> None:
    """write_atomic for content produced piece by piece (memory stays flat)."""
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = _temporary_file(folder)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        _copy_metadata(path, tmp)
        if before_replace is not None:
            before_replace()
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
        raise
    _fsync_folder(folder)
