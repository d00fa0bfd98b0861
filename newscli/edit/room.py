"""Room to change files before an output that must be followed by changing them.

`export --mark-published` writes its output, then marks what it exported. If the files
cannot be changed, the output has gone out and nothing is marked: the same articles
ship again at every run (h52: a feed disk already full, the outbox on another one). So
before any output, every folder holding a file to mark is checked: writable, on a file
system that is not read-only and, where it tells its free space, with room for all
that the marking keeps there at once (h57): a new version of the largest file (the edit
writes it beside the old one, then renames it), the old version of every file that has
another name (a `cp -al` snapshot keeps it), and the undo journal's old versions when
the journal is on the same disk. A block is written and synced on each file system (a
full disk some file systems do not report as such).
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Mapping

from newscli.edit.atomic import read_only, temporary_name
from newscli.errors import NewscliError

PROBE_SIZE = 8192  # bytes written on each file system, at least
MARGIN = 1024  # bytes a marked file may grow by (a `published: true` line), at most


class NoRoomError(NewscliError):
    """A file to be changed could not be: its folder is not writable or its disk full."""


def unmarkable(path: str) -> str | None:
    """Why an edit could not replace this file, known before trying (None: it could),
    for a symbolic link the file it names (h91: the link's folder was looked at):
    read-only (the edits leave it alone); append-only or immutable, or in such a folder
    (chattr: h91, shipped at every run); another user's in a folder with the sticky
    bit (/tmp's kind), where only its owner may replace it (h59); an attribute a new
    version could not have; or an edit of its `published:` that would be refused."""
    target = os.path.realpath(path)
    try:
        info = os.stat(target)
    except OSError:
        return None  # (the marking says why)
    if read_only(target):
        return "read-only"
    folder_name = os.path.dirname(target) or "."
    if _flags(target) & (_APPEND | _IMMUTABLE):
        return "append-only or immutable (chattr)"
    if _flags(folder_name) & (_APPEND | _IMMUTABLE):
        return "in an append-only or immutable folder (chattr)"
    try:
        folder = os.stat(folder_name)
    except OSError:
        return None
    me = os.geteuid()
    if folder.st_mode & stat.S_ISVTX and me not in (0, info.st_uid, folder.st_uid):
        return "another user's, in a sticky folder"
    if found := _attributes_lost(target):
        return found
    key = (target, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
    if key not in _judged:  # (asked twice a run: tried once)
        _judged[key] = _unpublishable(path)
    return _judged[key]


_judged: dict[tuple[str, int, int, int, int], str | None] = {}
_APPEND, _IMMUTABLE = 0x20, 0x10  # (FS_APPEND_FL, FS_IMMUTABLE_FL: chattr +a, +i)


def _flags(path: str) -> int:
    """The file's inode flags (FS_IOC_GETFLAGS; 0 where unknown)."""
    try:
        import fcntl
        import struct

        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except (ImportError, OSError):
        return 0
    try:
        size = struct.calcsize("l")
        request = 0x80006601 | (size << 16)  # (_IOR('f', 1, long))
        found = fcntl.ioctl(fd, request, bytes(size))
        return int(struct.unpack("l", found)[0])
    except OSError:
        return 0
    finally:
        os.close(fd)


_EVERYONE_S = ("user.", "system.posix_acl_access")  # (the owner may set these)


def _attributes_lost(path: str) -> str | None:
    """Which extended attribute of the file a new version of it could not have (the
    edit then leaves it alone: h90, it shipped at every run): those a user other than
    root may not set (a file capability, a security label) are tried on a probe file in
    its folder."""
    if os.geteuid() == 0 or not hasattr(os, "listxattr"):
        return None
    try:
        names = [n for n in os.listxattr(path) if not n.startswith(_EVERYONE_S)]
        values = {name: os.getxattr(path, name) for name in names}
    except OSError:
        return None  # (the marking says why)
    if not values:
        return None
    probe = temporary_name(os.path.dirname(path) or ".")
    try:
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        for name, value in values.items():
            try:
                if os.getxattr(probe, name) == value:
                    continue  # (a label the system gives it)
            except OSError:
                pass
            try:
                os.setxattr(probe, name, value)
            except OSError as exc:
                return f"its extended attribute {name} cannot be kept ({exc.strerror})"
    except OSError:
        return None  # (no probe: the room check says why)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(probe)
    return None


def _unpublishable(path: str) -> str | None:
    """Why publish's edit of the file would be refused: the edit tried without writing
    (h90: a value on the next line was exported, then refused, at every run; h91: so
    were keys a line test cannot see, an escape in a quoted key, a NEL line break)."""
    from newscli.edit.engine import EditRefusedError, edit_file
    from newscli.edit.transforms import publish

    try:
        edit_file(path, publish(True), dry_run=True)
    except EditRefusedError as exc:
        return str(exc).removesuffix("; left alone").removesuffix("; left alone: edit it by hand")
    except (OSError, NewscliError):
        return None  # (the marking says why)
    return None


class _Disk:
    """What the marking needs on one file system."""

    def __init__(self, folder: str) -> None:
        self.folder = folder  # one of its folders (the probe is written there)
        self.largest = 0  # the largest file to mark
        self.kept = 0  # old versions kept: files with other names, the journal's
        self.folders: set[str] = set()  # every folder of files to mark on it


def check_room(sizes: Mapping[str, int], journal: str | None = None, journal_need: int = 0) -> None:
    """Raise NoRoomError (naming the folder and the reason) unless each file of
    ``sizes`` (path -> size in bytes) could be replaced now, with ``journal_need`` bytes
    written in the ``journal`` folder meanwhile."""
    disks: dict[int, _Disk] = {}
    devices: dict[str, int] = {}  # folder -> its file system (each folder looked at once)
    for path, size in sizes.items():
        folder = os.path.dirname(os.path.realpath(path)) or "."  # (a link's file's)
        try:
            device = devices.get(folder)
            if device is None:
                device = devices[folder] = os.stat(folder).st_dev
                if not os.access(folder, os.W_OK | os.X_OK):
                    raise _no_room(folder, "permission denied")
            found = os.stat(path)
        except FileNotFoundError:  # (removed since it was read: its marking says so, h95;
            continue  # its folder too, h137: the whole export stopped)
        except OSError as exc:
            raise _no_room(folder, exc.strerror) from None
        linked = found.st_nlink > 1  # its old version stays: another name keeps it
        if linked:  # (what it takes on the disk: blocks, not bytes, h59)
            size = max(size, found.st_blocks * 512)
        disk = disks.setdefault(device, _Disk(folder))
        disk.folders.add(folder)
        if size > disk.largest:
            disk.folder, disk.largest = folder, size
        if linked:
            disk.kept += size
    if journal is not None and journal_need:
        with contextlib.suppress(OSError):
            shared = disks.get(os.stat(journal).st_dev)
            if shared is not None:
                shared.kept += journal_need
    for disk in disks.values():
        size = max(disk.largest + MARGIN, PROBE_SIZE)
        # (a folder removed meanwhile: its files are not marked, and another of the disk's
        # folders is probed, h137; none left, nothing there to mark)
        for folder in (disk.folder, *sorted(disk.folders - {disk.folder})):
            try:
                _probe(folder, size, disk.kept)
                break
            except NoRoomError:
                if os.path.isdir(folder):
                    raise  # (gone meanwhile, even after a look: the next one, h139)


def _probe(folder: str, size: int, kept: int) -> None:
    """Write ``size`` bytes in the folder, synced, and remove them; then compare the
    free space the file system tells with ``size`` and ``kept`` together (free space a
    file takes back once removed)."""
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
    block = max(room.f_frsize, 1)
    need = -(-size // block) * block + kept  # (a new version takes whole blocks)
    if room.f_blocks and free < need:
        raise _no_room(folder, f"its file system has {free} bytes free, {need} needed")


def _no_room(folder: str, reason: str | None) -> NoRoomError:
    return NoRoomError(  # (the error line escapes what the folder's name holds)
        f"cannot mark the articles in {folder} published ({reason or 'cannot write'}); "
        "nothing was exported"
    )
