"""Room to change files before an output that must be followed by changing them.

`export --mark-published` writes its output, then marks what it exported. If the files
cannot be changed, the output has gone out and nothing is marked: the same articles
ship again at every run (h52: a feed disk already full, the outbox on another one). So
before any output, every folder holding a file to mark is checked: writable, on a
file system that is not read-only and, where it tells its free space, with room for a
new version of the folder's largest such file (the edit writes it beside the old one,
then renames it), and a block written and synced on each file system (a full disk some
file systems do not report as such).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping

from newscli.edit.atomic import temporary_name
from newscli.errors import NewscliError

PROBE_SIZE = 8192  # bytes written on each file system, at least


class NoRoomError(NewscliError):
    """A file to be changed could not be: its folder is not writable or its disk full."""


def check_room(sizes: Mapping[str, int]) -> None:
    """Raise NoRoomError (naming the folder and the reason) unless each file of
    ``sizes`` (path -> size in bytes) could be replaced by a version of that size now."""
    largest: dict[str, int] = {}
    for path, size in sizes.items():
        folder = os.path.dirname(path) or "."
        largest[folder] = max(largest.get(folder, 0), size)
    devices: dict[int, tuple[str, int]] = {}  # file system -> a folder, the largest file
    for folder, size in largest.items():
        try:
            device = os.stat(folder).st_dev
        except OSError as exc:
            raise _no_room(folder, exc.strerror) from None
        if not os.access(folder, os.W_OK | os.X_OK):
            raise _no_room(folder, "permission denied")
        held = devices.get(device)
        if held is None or size > held[1]:
            devices[device] = (folder, max(size, held[1] if held else 0))
    for folder, size in devices.values():
        _probe(folder, max(size + 1024, PROBE_SIZE))  # (a line more, at most)


def _probe(folder: str, size: int) -> None:
    """Write ``size`` bytes in the folder, synced, and remove them; then compare the
    free space the file system tells with ``size`` (free space a file takes back once
    removed)."""
    probe = temporary_name(folder)
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, bytes(size))
            os.fsync(fd)
        finally:
            os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(probe)
        room = os.statvfs(folder)
    except OSError as exc:
        raise _no_room(folder, exc.strerror) from None
    free = room.f_bavail * room.f_frsize
    if room.f_blocks and free < size:
        raise _no_room(folder, f"its file system has {free} bytes free, {size} needed")


def _no_room(folder: str, reason: str | None) -> NoRoomError:
    return NoRoomError(  # (the error line escapes what the folder's name holds)
        f"cannot mark the articles in {folder} published ({reason or 'cannot write'}); "
        "nothing was exported"
    )
