"""Walking a folder tree: each folder's article files with their stamps, depth first in
name order, following links without looping. A big tree is walked by two processes.

Only what the index cache compares is looked up: per article file one ``stat`` (from
the opened folder where the platform allows), nothing else. The helper sends each of
its folders back as the bytes of its listing, which is what the cache compares: cheap
to send, and nothing to build again here unless the folder changed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from operator import itemgetter
from stat import S_IFREG, S_ISDIR, S_ISREG

from newscli.index.cache_keys import Files, Listed, pack

ARTICLE_SUFFIXES = (".md", ".markdown")
# Where the platform allows, a folder is opened once and its files are looked up from
# it (shorter lookups than whole paths).
_BY_FD = os.scandir in os.supports_fd and os.stat in os.supports_dir_fd
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
# A regular file that everyone may read: its mode's type bits (0o170000) and read bits.
_KIND_AND_READ = 0o170000 | 0o444
_PLAIN = S_IFREG | 0o444
_name = itemgetter(0)

Identity = int | tuple[int, int]  # a file's inode, or (device, inode) off the main device
Place = tuple[int, int]  # a folder's (device, inode)
# One folder as walked, a plain tuple (so that another process can send it back):
# (folder path, its Place or None, its files (cache_keys.Files: (name, size, mtime_ns,
# ctime_ns, inode) in name order, or packed as the walk helper sends them back), the files'
# identities or None when every one is plain (not a link, one name, on the main
# device: its inode is its identity, and no other path leads to it), names that could
# not be looked up or are not regular files, why the folder could not be read or None,
# the names of files with more than one name (hard links) or None when there are none:
# True for a name of the file itself, False for a symbolic link to such a file).
Scanned = tuple[
    str,
    "Place | None",
    Files,
    "list[Identity] | None",
    list[str],
    "str | None",
    "dict[str, bool] | None",
]


def identity(main_device: int, device: int, inode: int) -> Identity:
    """How a file is told apart: its inode on the main device, else (device, inode)."""
    return inode if device == main_device else (device, inode)


def is_article_name(name: str) -> bool:
    """.md or .markdown in any case (hidden names are left out before this)."""
    # endswith first: the common case, without lower()
    return name.endswith(ARTICLE_SUFFIXES) or name.lower().endswith(ARTICLE_SUFFIXES)


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


def _scan(
    folder: str, fd: int | None, device: int
) -> tuple[list[Listed], list[Identity] | None, list[str], list[str], dict[str, bool] | None]:
    """(regular article files in name order, their identities or None when all are
    plain, names that could not be looked up or read or are not regular files, subfolder
    names in name order, the files that have other names (see Scanned) or None) of one
    folder, in one pass over its entries: one ``stat`` per article name (from the opened
    folder), none for other names (the entry's type). A FIFO or device is never read: it
    would block or never end. A file this process may not read is among the failed
    names, cached or not (a chmod leaves its mtime alone)."""
    files: list[Listed] = []
    failed: list[str] = []
    subfolders: list[str] = []
    far: dict[str, Identity] | None = None  # set once a file is not plain
    linked: dict[str, bool] | None = None  # set once a file has more than one name
    with os.scandir(folder if fd is None else fd) as it:
        for entry in it:
            name = entry.name
            if name[0] == ".":
                continue
            if not (name.endswith(ARTICLE_SUFFIXES) or name.lower().endswith(ARTICLE_SUFFIXES)):
                try:
                    if entry.is_dir():  # the entry's type: no call unless it is a link
                        subfolders.append(name)
                except OSError:
                    pass
                continue
            try:
                st = entry.stat()  # follows a link, as reading it would
            except OSError:
                failed.append(name)
                continue
            mode = st.st_mode
            if mode & _KIND_AND_READ != _PLAIN:  # a regular file everyone may read skips this
                if not S_ISREG(mode):
                    if S_ISDIR(mode):  # a folder with an article's name is a folder
                        subfolders.append(name)
                    else:
                        failed.append(name)
                    continue
                # Not readable by everyone: ask the system.
                if not can_read(name if fd is not None else os.path.join(folder, name), fd):
                    failed.append(name)
                    continue
            mtime, ctime = st.st_mtime_ns, st.st_ctime_ns  # (one int when equal: less memory)
            files.append((name, st.st_size, mtime, mtime if mtime == ctime else ctime, st.st_ino))
            if st.st_nlink != 1 or st.st_dev != device or entry.is_symlink():
                far = far if far is not None else {}
                if st.st_dev != device:
                    far[name] = (st.st_dev, st.st_ino)
                if st.st_nlink != 1:  # (the entry's type: no call)
                    linked = linked if linked is not None else {}
                    linked[name] = not entry.is_symlink()
    files.sort(key=_name)  # by name (names differ: nothing else need be compared)
    subfolders.sort()
    failed.sort()
    identities = None if far is None else [far.get(f[0], f[4]) for f in files]
    return files, identities, failed, subfolders, linked


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
        files, identities, failed, subfolders, linked = _scan(folder, fd, device)
    except OSError as exc:
        if isinstance(exc, FileNotFoundError) and not os.path.lexists(folder):
            return None, []  # (removed since its parent was listed: not there, h137)
        error = f"cannot read folder: {exc.strerror or exc}"
        return (folder, None, [], None, [], error, None), []
    finally:
        if fd is not None:
            os.close(fd)
    paths = [os.path.join(folder, name) for name in subfolders]
    return (folder, place, files, identities, failed, None, linked), paths


Walked = Callable[[int], object]  # told how many article files each folder has, in turn


def walk_trees(
    starts: Sequence[str], device: int, visited: set[Place], walked: Walked | None = None
) -> list[Scanned]:
    """The Scanned tuples of the folders below each of ``starts`` in turn, depth first
    in name order; ``visited`` (folders' device and inode) cuts loops. ``walked(n)`` is
    called after each folder read (none open then) with its count of article files."""
    result: list[Scanned] = []
    stack = list(reversed(starts))
    while stack:
        scanned, subfolders = _read(stack.pop(), device, visited)
        if scanned is not None:
            result.append(scanned)
            if walked is not None:
                walked(len(scanned[2]))
        stack += reversed(subfolders)
    return result


def _packed(scanned: list[Scanned]) -> list[Scanned]:
    """Each folder's files packed: what the cache compares (cheap for the helper to
    send back, and made by each process for its own half while both walk)."""
    return [
        (name, place, pack(files) if isinstance(files, list) else files, ids, failed, why, linked)
        for name, place, files, ids, failed, why, linked in scanned
    ]


def walk(
    root: str,
    device: int,
    parallel: bool = False,
    meanwhile: Callable[[], object] | None = None,
    walked: Walked | None = None,
) -> list[Scanned]:
    """walk_trees from root; with ``parallel`` (on Linux), a forked helper walks root's
    subfolders from the last while this process walks them from the first, each taking
    the next as it is free (parallel.fork_shared), so that both end together. Should the
    helper's walk meet a folder twice, or one this process met (links between the
    parts), or fail, its part is walked here again: the result is always the
    one-process result. ``meanwhile`` is called while the helper walks (which then
    takes more), not at all without one. ``walked``: see walk_trees (a walk in one
    process only)."""
    visited = _Visited()
    if not parallel:
        return walk_trees([root], device, visited, walked)
    head, subfolders = _read(root, device, visited)
    found = [head] if head is not None else []
    if len(subfolders) < 2:
        return found + walk_trees(subfolders, device, visited)
    from newscli.index.parallel import fork_shared

    here = os.getpid()

    def part(starts: Sequence[str]) -> list[Scanned]:
        # Each run comes packed (its listings made in its own process, while both walk).
        scanned = _packed(walk_trees(starts, device, visited))
        if visited.again and os.getpid() != here:
            # The helper walks its runs last first: a folder it met twice might be
            # another one's in the one-process walk. Its part is walked here instead.
            raise _MetTwice
        return scanned

    first, cut, second = fork_shared(part, subfolders, meanwhile)
    if second is None or any(s[1] is not None and tuple(s[1]) in visited for s in second):
        second = walk_trees(subfolders[cut:], device, visited)
    return found + first + second


class _Visited(set[Place]):
    """The folders met (device, inode), and whether one was looked for again."""

    again = False

    def __contains__(self, place: object) -> bool:
        met = set.__contains__(self, place)
        if met:
            self.again = True
        return met


class _MetTwice(Exception):
    """The helper's walk met a folder twice (see walk)."""
