"""Walking a folder tree: each folder's article files with their stamps, depth first in
name order, following links without looping. A big tree is walked by two processes.

Only what the index cache compares is looked up: per file one ``stat`` (from the
opened folder where the platform allows), nothing else.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from operator import attrgetter
from stat import S_ISREG

from newscli.index.cache_keys import Listed

ARTICLE_SUFFIXES = (".md", ".markdown")
# Where the platform allows, a folder is opened once and its files are looked up from
# it (shorter lookups than whole paths).
_BY_FD = os.scandir in os.supports_fd and os.stat in os.supports_dir_fd
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
_NAME = attrgetter("name")

Identity = int | tuple[int, int]  # a file's inode, or (device, inode) off the main device
Place = tuple[int, int]  # a folder's (device, inode)
# One folder as walked, a plain tuple (so that another process can send it back):
# (folder path, its Place or None, files as (name, size, mtime_ns, inode) in name order,
# the files' identities, names that could not be looked up or are not regular files,
# why the folder could not be read or None).
Scanned = tuple[str, "Place | None", list[Listed], list[Identity], list[str], "str | None"]


def identity(main_device: int, device: int, inode: int) -> Identity:
    """How a file is told apart: its inode on the main device, else (device, inode)."""
    return inode if device == main_device else (device, inode)


def is_article_name(name: str) -> bool:
    """.md or .markdown in any case (hidden names are left out before this)."""
    # endswith first: the common case, without lower()
    return name.endswith(ARTICLE_SUFFIXES) or name.lower().endswith(ARTICLE_SUFFIXES)


def _entries(folder: str, fd: int | None) -> tuple[list[str], list[str]]:
    """(names that may be article files, subfolder names) of a folder, in name order."""
    with os.scandir(folder if fd is None else fd) as it:
        entries = sorted(it, key=_NAME)  # name order: the first of two links wins
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
        elif is_article_name(name):
            names.append(name)
    return names, subfolders


def can_read(path: str, fd: int | None = None) -> bool:
    """Whether this process may open the file for reading (the true answer: ACLs,
    root and capabilities included)."""
    try:
        os.close(os.open(path, os.O_RDONLY | os.O_NONBLOCK, dir_fd=fd))
    except PermissionError:
        return False
    except OSError:
        pass  # gone or odd: reading it will tell
    return True


def _look_up(
    folder: str, fd: int | None, names: list[str], device: int
) -> tuple[list[Listed], list[Identity], list[str]]:
    """(regular files, their identities, names that could not be looked up or read, or
    are not regular files). A FIFO or device is never read: it would block or never end.
    A file this process may not read is among the failed names, cached or not (a chmod
    leaves its mtime alone)."""
    files: list[Listed] = []
    identities: list[Identity] = []
    failed: list[str] = []
    for name in names:
        try:
            st = os.stat(name, dir_fd=fd) if fd is not None else os.stat(os.path.join(folder, name))
        except OSError:
            failed.append(name)
            continue
        if S_ISREG(st.st_mode):
            # Readable by everyone (the usual case, one test), else ask the system.
            if st.st_mode & 0o444 != 0o444 and not can_read(
                name if fd is not None else os.path.join(folder, name), fd
            ):
                failed.append(name)
                continue
            inode = st.st_ino
            files.append((name, st.st_size, st.st_mtime_ns, inode))
            # identity(), inline: this runs for every file
            identities.append(inode if st.st_dev == device else (st.st_dev, inode))
        else:
            failed.append(name)
    return files, identities, failed


def _read(folder: str, device: int, visited: set[Place]) -> tuple[Scanned | None, list[str]]:
    """(the Scanned tuple of one folder, or None if it was visited before; the paths
    of its subfolders)."""
    fd = None
    try:
        fd = os.open(folder, _DIR_FLAGS) if _BY_FD else None
        info = os.stat(folder) if fd is None else os.fstat(fd)
        place = (info.st_dev, info.st_ino)
        if place in visited:
            return None, []
        visited.add(place)
        names, subfolders = _entries(folder, fd)
        files, identities, failed = _look_up(folder, fd, names, device)
    except OSError as exc:
        return (folder, None, [], [], [], f"cannot read folder: {exc.strerror or exc}"), []
    finally:
        if fd is not None:
            os.close(fd)
    paths = [os.path.join(folder, name) for name in subfolders]
    return (folder, place, files, identities, failed, None), paths


def walk_trees(starts: Sequence[str], device: int, visited: set[Place]) -> list[Scanned]:
    """The Scanned tuples of the folders below each of ``starts`` in turn, depth first
    in name order; ``visited`` (folders' device and inode) cuts loops."""
    result: list[Scanned] = []
    stack = list(reversed(starts))
    while stack:
        scanned, subfolders = _read(stack.pop(), device, visited)
        if scanned is not None:
            result.append(scanned)
        stack += reversed(subfolders)
    return result


def walk(root: str, device: int, parallel: bool = False) -> list[Scanned]:
    """walk_trees from root; with ``parallel`` (on Linux), a forked helper walks the
    second half of root's subfolders meanwhile. Should its walk meet a folder this
    process met too (links between the halves), or fail, that half is walked here
    again: the result is always the one-process result."""
    visited: set[Place] = set()
    if not parallel:
        return walk_trees([root], device, visited)
    head, subfolders = _read(root, device, visited)
    found = [head] if head is not None else []
    half = len(subfolders) // 2
    if half == 0:
        return found + walk_trees(subfolders, device, visited)
    from newscli.index.parallel import fork_halves

    first, second = fork_halves(lambda part: walk_trees(part, device, visited), subfolders)
    if second is None or any(s[1] is not None and tuple(s[1]) in visited for s in second):
        second = walk_trees(subfolders[half:], device, visited)
    return found + first + second
