"""Finding article files: recursive, sorted, hidden entries skipped, links followed
without looping, each file once (by device and inode).

Files come in groups: a Folder per folder walked (its files listed by name with their
stamps, which is what the index cache compares), a FileRef per file named directly.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from operator import attrgetter
from stat import S_ISDIR, S_ISREG
from typing import NamedTuple

from newscli.cache import Listed, Stamp
from newscli.errors import PathNotFoundError

ARTICLE_SUFFIXES = (".md", ".markdown")
_NAME = attrgetter("name")


@dataclass(frozen=True, slots=True)
class Problem:
    """Why one file was left out."""

    path: str
    reason: str
    line: int | None = None
    field: str | None = None


class FileRef(NamedTuple):
    """A file to load: ``path`` as shown to the user, ``key`` resolved for the cache."""

    path: str
    key: str
    stamp: Stamp


class Folder(NamedTuple):
    """The article files of one folder: ``shown`` (the folder as the user wrote it) and
    ``key`` (resolved, for the cache) end in a separator; ``files`` are (name, size,
    mtime_ns, inode), sorted by name."""

    shown: str
    key: str
    files: list[Listed]

    def refs(self, names: Sequence[str] | None = None) -> list[FileRef]:
        """FileRefs of these files (of the named ones only, if given)."""
        wanted = None if names is None else set(names)
        return [
            FileRef(self.shown + name, self.key + name, Stamp(size, mtime, inode))
            for name, size, mtime, inode in self.files
            if wanted is None or name in wanted
        ]


Group = Folder | FileRef


# Where the platform allows, a folder is opened once and its files are looked up from
# it (shorter lookups than whole paths).
_BY_FD = os.scandir in os.supports_fd and os.stat in os.supports_dir_fd
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)


class Seen(NamedTuple):
    """The files found so far, by (device, inode); inodes on ``device`` (the first
    path's) are kept bare, which is cheaper (an int never equals a pair)."""

    device: int
    ids: set[int | tuple[int, int]]

    def first(self, info: os.stat_result) -> bool:
        """True the first time a file is seen (then it is remembered)."""
        dev = info.st_dev
        identity = info.st_ino if dev == self.device else (dev, info.st_ino)
        if identity in self.ids:
            return False
        self.ids.add(identity)
        return True


def _walk(root: str, seen: Seen, problems: list[Problem]) -> Iterator[tuple[str, list[Listed]]]:
    """(folder, its article files not seen before) below root, depth first in name
    order; follows links, never loops."""
    visited: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        fd = None
        try:
            if _BY_FD:
                fd = os.open(folder, _DIR_FLAGS)
            info = os.stat(folder) if fd is None else os.fstat(fd)
            if (info.st_dev, info.st_ino) in visited:
                continue
            visited.add((info.st_dev, info.st_ino))
            with os.scandir(folder if fd is None else fd) as it:
                entries = sorted(it, key=_NAME)  # name order: the first of two links wins
            files, subfolders = _read_folder(folder, fd, entries, seen, problems)
        except OSError as exc:
            problems.append(Problem(folder, f"cannot read folder: {exc.strerror or exc}"))
            continue
        finally:
            if fd is not None:
                os.close(fd)
        if files:
            yield folder, files
        stack += [os.path.join(folder, name) for name in reversed(subfolders)]


def _read_folder(
    folder: str,
    fd: int | None,
    entries: list[os.DirEntry[str]],
    seen: Seen,
    problems: list[Problem],
) -> tuple[list[Listed], list[str]]:
    """(article files not seen before, names of subfolders) of one folder's entries."""
    device, ids = seen
    subfolders, files = [], []
    for entry in entries:
        name = entry.name
        if name[0] == ".":
            continue
        if name.endswith(ARTICLE_SUFFIXES) or name.lower().endswith(ARTICLE_SUFFIXES):
            try:  # stat tells files from folders (one call)
                info = os.stat(name, dir_fd=fd) if fd is not None else entry.stat()
            except OSError:
                if entry.is_symlink():
                    path = os.path.join(folder, name)
                    problems.append(Problem(path, "cannot read: broken symbolic link"))
                continue
            if S_ISREG(info.st_mode):
                ino = info.st_ino  # Seen.first, inline: this runs for every file
                identity = ino if info.st_dev == device else (info.st_dev, ino)
                if identity not in ids:
                    ids.add(identity)
                    files.append((name, info.st_size, info.st_mtime_ns, ino))
                continue
            if not S_ISDIR(info.st_mode):
                continue  # a FIFO or device would block or never end
        else:
            try:
                if not entry.is_dir():
                    continue
            except OSError:
                continue
        subfolders.append(name)
    return files, subfolders


def folder_key(path: str) -> str:
    """The cache key prefix of the files below a folder: its resolved path and a
    separator ("feeds/" and "./feeds" agree)."""
    return os.path.join(os.path.realpath(path), "")


def scan(paths: Sequence[str], problems: list[Problem]) -> list[Group]:
    """Expand command-line paths to Folders and FileRefs, each file once, in a stable
    order.

    Raises PathNotFoundError for a path that does not exist.
    """
    for path in paths:
        if not os.path.exists(path):
            raise PathNotFoundError(path)
    groups: list[Group] = []
    seen = Seen(os.stat(paths[0]).st_dev if paths else 0, set())
    for path in paths:
        if os.path.isdir(path):
            prefix, cut = folder_key(path), len(path)
            for folder, files in _walk(path, seen, problems):
                key = os.path.join(prefix + folder[cut:].lstrip(os.sep), "")
                groups.append(Folder(os.path.join(folder, ""), key, files))
        elif os.path.isfile(path):
            info = os.stat(path)
            if seen.first(info):
                stamp = Stamp(info.st_size, info.st_mtime_ns, info.st_ino)
                groups.append(FileRef(path, os.path.realpath(path), stamp))
        else:  # a FIFO or device would block or never end
            problems.append(Problem(path, "not a regular file"))
    return groups


def discover(paths: Sequence[str], problems: list[Problem]) -> list[FileRef]:
    """Every article file below the paths, in order (see scan)."""
    refs: list[FileRef] = []
    for group in scan(paths, problems):
        refs += group.refs() if isinstance(group, Folder) else [group]
    return refs
