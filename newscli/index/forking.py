"""What a forked child process (a parsing worker, the walk helper) does first: let go
of what only its parent may hold, and end as soon as the parent is gone.

A forked child inherits every descriptor of its parent. A folder lock (``flock``)
stays held as long as any copy of its descriptor is open, so a child that outlives a
killed parent would keep the folder locked. The parent registers its lock descriptors
here; ``detach`` closes the child's copies (which leaves the parent's locks alone) and
starts a watch that ends the child when its parent has died.

The index cache's descriptors are left alone: SQLite's locks are POSIX record locks,
which a child never inherits, and SQLite keeps per-process state about every file it
has open; closing those descriptors under it made a worker's own new connection to the
cache wait for locks until it gave up (every run then parsed every file again).

That per-process state is also why a child must never outlive its parent. A worker's
connection, opened beside the parent's, takes none of the locks by which SQLite tells
that a database is in use (the parent's, inherited as state, stand for them): once the
parent is gone, a run starting then took itself for the only user, reset the WAL the
orphan was writing to and removed it at its close (the orphan died of SIGBUS, or the
cache was left damaged). The watch below polls, and cannot run while the child is in a
long call holding the interpreter; on Linux the kernel kills the child the moment its
parent dies (``PR_SET_PDEATHSIG``).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time

WATCH_INTERVAL = 0.1  # seconds between two looks at the parent
# The signals the run handles (SIGHUP, a closed terminal or session, as SIGTERM)
HANDLED = frozenset(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


def default_signals() -> None:
    """In a forked child that reports to its parent: the handled signals end it (the
    parent's handlers, copied, would raise its exceptions here)."""
    for signum in HANDLED:
        signal.signal(signum, signal.SIG_DFL)


_private_fds: set[int] = set()


def keep_private(fd: int) -> None:
    """Forked children close their copy of this descriptor (a held lock)."""
    _private_fds.add(fd)


def release(fd: int) -> None:
    """The descriptor is about to be closed by its owner."""
    _private_fds.discard(fd)


def _close_private() -> None:
    for fd in sorted(_private_fds):
        with contextlib.suppress(OSError):
            os.close(fd)  # only this copy: the parent's lock stays
    _private_fds.clear()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_INTERVAL)
    os._exit(1)  # the parent is gone: nobody wants the result


def _die_with_parent() -> None:
    """Linux: SIGKILL to this process when its parent dies (set before the parent is
    looked at: it may be dead already). Elsewhere, or should it fail (prctl's -1), the
    watch alone. The kernel sends it when the thread that forked this process ends: every
    fork of newscli's is made by the main thread, which lives as long as the run."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


PR_SET_PDEATHSIG = 1  # (linux/prctl.h)


def detach(parent: int, with_cache: bool = True) -> None:
    """Run first in a child forked by process ``parent``. ``with_cache``: it may open
    the index cache (then it dies with its parent at once, not at the watch's next look:
    a few ms of ctypes more; the walk's helper never opens it)."""
    _close_private()
    if with_cache:
        _die_with_parent()
    if os.getppid() != parent:  # it died before the watch could start
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), daemon=True, name="newscli-parent").start()
