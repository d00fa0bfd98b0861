"""What a forked child process (a parsing worker, the walk helper) does first: let go
of what only its parent may hold, and end as soon as the parent is gone.

A forked child inherits every descriptor of its parent. A folder lock (``flock``)
stays held as long as any copy of its descriptor is open, so a child that outlives a
killed parent would keep the folder locked; the index cache's database must not be
used across a fork either. The parent registers both here; ``detach`` closes the
child's copies (which leaves the parent's locks alone) and starts a watch that ends
the child when its parent has died.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time

WATCH_INTERVAL = 0.1  # seconds between two looks at the parent

_private_fds: set[int] = set()
_private_files: set[str] = set()
_SQLITE_SUFFIXES = ("", "-wal", "-shm", "-journal")


def keep_private(fd: int) -> None:
    """Forked children close their copy of this descriptor (a held lock)."""
    _private_fds.add(fd)


def release(fd: int) -> None:
    """The descriptor is about to be closed by its owner."""
    _private_fds.discard(fd)


def keep_file_private(path: str) -> None:
    """Forked children close their descriptors of this SQLite database (and its -wal,
    -shm and -journal files)."""
    real = os.path.realpath(path)
    _private_files.update(real + suffix for suffix in _SQLITE_SUFFIXES)


def _file_descriptors() -> list[tuple[int, str]]:
    """(descriptor, the file it is open on) for this process (Linux: /proc)."""
    found = []
    with contextlib.suppress(OSError):
        for name in os.listdir("/proc/self/fd"):
            with contextlib.suppress(OSError, ValueError):
                found.append((int(name), os.readlink(f"/proc/self/fd/{name}")))
    return found


def _close_private() -> None:
    for fd in sorted(_private_fds):
        with contextlib.suppress(OSError):
            os.close(fd)  # only this copy: the parent's lock stays
    _private_fds.clear()
    if _private_files:
        for fd, target in _file_descriptors():
            if target in _private_files:
                with contextlib.suppress(OSError):
                    os.close(fd)


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_INTERVAL)
    os._exit(1)  # the parent is gone: nobody wants the result


def detach(parent: int) -> None:
    """Run first in a child forked by process ``parent``."""
    _close_private()
    if os.getppid() != parent:  # it died before the watch could start
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), daemon=True, name="newscli-parent").start()
