"""Finding article files: recursive, sorted, hidden entries skipped, links followed
without looping, each file once (by device and inode).

Files come in groups: a Folder per folder walked (its files listed by name with their
stamps, which is what the index cache compares), a FileRef per file named directly.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from operator import attrgetter
from stat import S_ISREG
from typing import NamedTuple

from newscli.cache_keys import Listed, Stamp
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
_BY_FD = os.stat in os.supports_dir_fd
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
PARALLEL_STAT_FILES = 20_000  # from this many files on, two processes look them up

Identity = int | tuple[int, int]  # a file's inode, or (device, inode) off the main device


class Seen(NamedTuple):
    """The files found so far, by (device, inode); inodes on ``device`` (the first
    path's) are kept bare, which is cheaper (an int never equals a pair)."""

    device: int
    ids: set[Identity]

    def identity(self, device: int, inode: int) -> Identity:
        return inode if device == self.device else (device, inode)

    def first(self, identity: Identity) -> bool:
        """True the first time a file is seen (then it is remembered)."""
        if identity in self.ids:
            return False
        self.ids.add(identity)
        return True


def _folders(root: str, problems: list[Problem]) -> list[tuple[str, list[str]]]:
    """(folder, names that may be article files) below root, depth first in name
    order; follows links, never loops. Nothing is looked up but the folders."""
    found: list[tuple[str, list[str]]] = []
    visited: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            info = os.stat(folder)
            if (info.st_dev, info.st_ino) in visited:
                continue
            visited.add((info.st_dev, info.st_ino))
            with os.scandir(folder) as it:
                entries = sorted(it, key=_NAME)  # name order: the first of two links wins
        except OSError as exc:
            problems.append(Problem(folder, f"cannot read folder: {exc.strerror or exc}"))
            continue
        names, subfolders = [], []
        for entry in entries:
            name = entry.name
            if name[0] == ".":
                continue
            try:
                is_dir = entry.is_dir()  # the entry's type: no call unless it is a link
            except OSError:
                is_dir = False
            if is_dir:
                subfolders.append(name)
            elif name.endswith(ARTICLE_SUFFIXES) or name.lower().endswith(ARTICLE_SUFFIXES):
                names.append(name)
        found.append((folder, names))
        stack += [os.path.join(folder, name) for name in reversed(subfolders)]
    return found


Looked = tuple[list[Listed], list[Identity], list[str]]  # files, their identities, failed


def _look_up(device: int, folders: Sequence[tuple[str, list[str]]]) -> list[Looked]:
    """For each (folder, names): the regular files among the names (name, size,
    mtime_ns, inode), their identities (see Seen) and the names that could not be
    looked up. A FIFO or device is left out: it would block or never end."""
    result: list[Looked] = []
    for folder, names in folders:
        files: list[Listed] = []
        identities: list[Identity] = []
        failed: list[str] = []
        try:
            fd = os.open(folder, _DIR_FLAGS) if _BY_FD else None
        except OSError:  # the folder went away meanwhile
            result.append((files, identities, list(names)))
            continue
        try:
            for name in names:
                try:
                    st = (
                        os.stat(name, dir_fd=fd)
                        if fd is not None
                        else os.stat(os.path.join(folder, name))
                    )
                except OSError:
                    failed.append(name)
                    continue
                if S_ISREG(st.st_mode):
                    inode = st.st_ino
                    files.append((name, st.st_size, st.st_mtime_ns, inode))
                    identities.append(inode if st.st_dev == device else (st.st_dev, inode))
        finally:
            if fd is not None:
                os.close(fd)
        result.append((files, identities, failed))
    return result


def _walk(root: str, seen: Seen, problems: list[Problem]) -> Iterator[tuple[str, list[Listed]]]:
    """(folder, its article files not seen before) below root, depth first in name
    order. The files are looked up in two processes when there are many."""
    folders = _folders(root, problems)
    look_up = partial(_look_up, seen.device)
    if sum(len(names) for _, names in folders) >= PARALLEL_STAT_FILES:
        from newscli.parallel import split_map

        looked = split_map(look_up, folders)
    else:
        looked = look_up(folders)
    for (folder, _), (files, identities, failed) in zip(folders, looked, strict=True):
        for name in failed:
            path = os.path.join(folder, name)
            if os.path.islink(path):
                problems.append(Problem(path, "cannot read: broken symbolic link"))
        unique = set(identities)
        if len(unique) == len(identities) and seen.ids.isdisjoint(unique):
            seen.ids.update(unique)  # the usual case: all new, in one step
        else:
            files = [f for f, i in zip(files, identities, strict=True) if seen.first(i)]
        if files:
            yield folder, files


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
            if seen.first(seen.identity(info.st_dev, info.st_ino)):
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
