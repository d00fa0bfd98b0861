"""Finding article files: recursive, sorted, hidden entries skipped, links followed
without looping, each file once (by device and inode), under the first path it is found
by; of a file with more than one name (hard links), the other names found are kept, so
that an edit keeps them names of the file (see scan).

Files come in groups: a Folder per folder walked (its files listed by name with their
stamps, which is what the index cache compares), a FileRef per file named directly.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from stat import S_ISREG
from typing import Any, NamedTuple

from newscli.errors import PathNotFoundError
from newscli.index.cache_keys import Files, Listed, Stamp, count_of, stamp_of, unpack
from newscli.index.walk import (
    ARTICLE_SUFFIXES,
    Identity,
    Scanned,
    Walked,
    can_read,
    identity,
    is_article_name,
    walk,
)

UNREADABLE = "cannot read: Permission denied"  # as reading it would say

__all__ = [
    "ARTICLE_SUFFIXES",
    "FileRef",
    "Folder",
    "Group",
    "Problem",
    "discover",
    "found_as",
    "scan",
]


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


class Folder:
    """The article files of one folder: ``shown`` (the folder as the user wrote it) and
    ``key`` (resolved, for the cache) end in a separator; ``files`` are (name, size,
    mtime_ns, ctime_ns, inode), sorted by name. ``stored``: the files as found, listed or packed
    (cache_keys.Files; the walk helper's come packed, and are listed when first asked)."""

    __slots__ = ("key", "shown", "stored")

    def __init__(self, shown: str, key: str, files: Files) -> None:
        self.shown = shown
        self.key = key
        self.stored = files

    @property
    def files(self) -> list[Listed]:
        if not isinstance(self.stored, list):
            self.stored = unpack(self.stored)
        return self.stored

    @property
    def count(self) -> int:
        """How many files (without listing packed ones)."""
        return count_of(self.stored)

    def __iter__(self) -> Iterator[Any]:  # shown, key, files = folder
        return iter((self.shown, self.key, self.files))

    def __repr__(self) -> str:
        return f"Folder({self.shown!r}, {self.key!r}, {self.files!r})"

    def refs(self, names: Sequence[str] | None = None) -> list[FileRef]:
        """FileRefs of these files (of the named ones only, if given)."""
        return list(self.iter_refs(names))

    def iter_refs(self, names: Sequence[str] | None = None) -> Iterator[FileRef]:
        """refs(), made one at a time as they are taken."""
        wanted = None if names is None else set(names)
        shown, key = self.shown, self.key
        for name, size, mtime, ctime, inode in self.files:
            if wanted is None or name in wanted:
                yield FileRef(shown + name, key + name, Stamp(size, mtime, ctime, inode))


Group = Folder | FileRef


class Seen(NamedTuple):
    """The files found so far, by identity (see walk.Identity: inodes on ``device``,
    the first path's, are kept bare, which is cheaper; an int never equals a pair).
    Of a file with more than one name (hard links) only, the path it was first found by
    (``firsts``) and, by that path, its other names found (``others``, see scan)."""

    device: int
    ids: set[Identity]
    firsts: dict[Identity, str]
    others: dict[str, list[str]]

    def first(self, identity: Identity) -> bool:
        """True the first time a file is seen (then it is remembered)."""
        if identity in self.ids:
            return False
        self.ids.add(identity)
        return True

    def first_name(self, identity: Identity, path: str, own: bool) -> bool:
        """first() for a file with more than one name, found by ``path``: the first
        path is remembered; a later one that is another name of the file is one of its
        other names: the path itself (``own``), or for a symbolic link (not ``own``) the
        name it leads to (h98: a link met after a hard link of its file was left out,
        and the edit of the hard link split the two, the link's article unedited).
        (The edit leaves out the file it edits and a name spelt twice: engine.)"""
        if identity in self.ids:
            first = self.firsts.get(identity)
            if first is not None and first != path:
                name = path if own else os.path.realpath(path)
                names = self.others.setdefault(first, [])
                if name not in names:
                    names.append(name)
            return False
        self.ids.add(identity)
        self.firsts[identity] = path
        return True


def _files(
    scanned: list[Scanned], seen: Seen | None, problems: list[Problem]
) -> Iterator[tuple[str, Files]]:
    """(folder, its article files not seen before) of a walk, in walk order; the
    problems met on the way are noted in the same order. Without ``seen``, every file
    is taken as new (a walk of plain files alone cannot meet one twice)."""
    for folder, _, files, identities, failed, error, linked in scanned:
        if error is not None and _first_problem(seen, folder):
            problems.append(Problem(folder, error))
        for name in failed:
            path = os.path.join(folder, name)
            reason = _why_not_read(path)
            if reason is not None and _first_problem(seen, path):
                problems.append(Problem(path, reason))
        if seen is not None:
            if identities is None:  # plain files: identified by their inodes
                identities = [inode for *_, inode in unpack(files)]
            unique = set(identities)
            if linked is None and len(unique) == len(identities) and seen.ids.isdisjoint(unique):
                seen.ids.update(unique)  # the usual case: all new, in one step
            elif linked is None:
                pairs = zip(unpack(files), identities, strict=True)
                files = [f for f, i in pairs if seen.first(i)]
            else:  # files with more than one name: the paths they are found by count
                kept = []
                for file, ident in zip(unpack(files), identities, strict=True):
                    name = file[0]
                    own = linked.get(name)
                    if (
                        seen.first(ident)
                        if own is None
                        else seen.first_name(ident, os.path.join(folder, name), own)
                    ):
                        kept.append(file)
                files = kept
        if count_of(files):
            yield folder, files


def _names_beside(
    seen: Seen,
    ident: Identity,
    path: str,
    info: os.stat_result,
    listed: dict[str, dict[int, list[str]]],
) -> None:
    """The other names, in its own folder, of a file named alone that has more than one
    (its hard links beside it: a feed folder's): found as a walk of the folder would
    find them (article names, not hidden, not symbolic links), so that an edit keeps
    them names of one file. Names in other folders (a ``cp -al`` snapshot) are not
    looked for. Each folder is listed once a run (``listed``: its names by inode; h27:
    5,000 files named, each listing the folder, took 10 s)."""
    folder, own = os.path.split(path)
    by_inode = listed.get(folder)
    if by_inode is None:
        by_inode = listed[folder] = {}
        try:
            with os.scandir(folder or ".") as entries:
                for entry in entries:
                    name = entry.name
                    if name.startswith(".") or not is_article_name(name) or entry.is_symlink():
                        continue
                    by_inode.setdefault(entry.inode(), []).append(name)
        except OSError:  # a folder one may not list: no other name is known
            return
    for name in sorted(by_inode.get(info.st_ino, ())):
        if name == own:
            continue
        other = os.path.join(folder, name)
        try:
            same = os.lstat(other)
        except OSError:
            continue
        if (same.st_dev, same.st_ino) == (info.st_dev, info.st_ino):
            seen.first_name(ident, other, True)


def _first_problem(seen: Seen | None, path: str) -> bool:
    """Whether a file or folder left out is met for the first time (a broken link in a
    folder given twice, or through a link to it, is one problem, said once): known by
    the identity of the entry itself (not followed), kept apart from files' identities."""
    if seen is None:
        return True
    try:
        info = os.lstat(path)
    except OSError:
        return True
    return seen.first(("left out", info.st_dev, info.st_ino))  # type: ignore[arg-type]


GONE = "cannot read: No such file or directory"


def gone_since(path: str, reason: str) -> bool:
    """Whether a file the walk listed was deleted or renamed before it was read: then it
    is simply not there, not an invalid file (h37: an editor's renames during a run gave
    hundreds of lines, and --strict failed the run); also where one of the name is there
    again by now (h137: a folder removed and made again, as an aggregator may, gave the
    lines: the next run reads it). A link to nothing stays a problem."""
    return reason == GONE and not os.path.islink(path)


def _stat_reason(exc: OSError) -> str:
    """The problem line of a path that cannot be looked at."""
    return UNREADABLE if isinstance(exc, PermissionError) else f"cannot read: {exc.strerror or exc}"


def _why_not_read(path: str) -> str | None:
    """Why a file the walk could not take is left out (None: it is gone since, or
    readable now): unreadable (as a folder one may list but not enter makes each of its
    files), not a regular file (a FIFO, device or socket: reading would block), a broken
    link."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return "cannot read: broken symbolic link" if os.path.islink(path) else None
    except OSError as exc:
        return _stat_reason(exc)
    if not S_ISREG(info.st_mode):
        return "not a regular file"
    return None if can_read(path) else UNREADABLE


def folder_key(path: str) -> str:
    """The cache key prefix of the files below a folder: its resolved path and a
    separator ("feeds/" and "./feeds" agree)."""
    return os.path.join(os.path.realpath(path), "")


def stamps_of(groups: Sequence[Group]) -> dict[str, Stamp]:
    """Each file's stamp when it was found, by path as shown."""
    stamps: dict[str, Stamp] = {}
    for group in groups:
        if isinstance(group, Folder):
            for name, size, mtime, ctime, inode in group.files:
                stamps[group.shown + name] = Stamp(size, mtime, ctime, inode)
        else:
            stamps[group.path] = group.stamp
    return stamps


def found_as(groups: Sequence[Group], path: str) -> str | None:
    """The article file found (its path as shown) that ``path`` is the same file as (by
    device and inode: a link, another spelling), if any: a file that is written must
    not be one the run read (`export feeds -o feeds/a.md` would replace an article)."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    if not S_ISREG(info.st_mode):
        return None
    inode = info.st_ino
    for group in groups:
        if isinstance(group, Folder):
            same = [group.shown + file[0] for file in group.files if file[4] == inode]
        else:
            same = [group.path] if group.stamp.inode == inode else []
        for shown in same:
            try:
                if os.path.samefile(shown, path):
                    return shown
            except OSError:
                continue
    return None


def scan(
    paths: Sequence[str],
    problems: list[Problem],
    parallel: bool = False,
    meanwhile: Callable[[], object] | None = None,
    walked: Walked | None = None,
    others: dict[str, list[str]] | None = None,
) -> list[Group]:
    """Expand command-line paths to Folders and FileRefs, each file once, in a stable
    order. ``parallel``: walk big folders in two processes (the result is the same);
    ``meanwhile`` is called once while the helper process of the first walks, if any;
    ``walked(n)`` after each folder a walk in this process reads (n: its article files,
    links to files met before included). ``others`` is filled in with the other names
    found of each file found by more than one name (hard links, not symbolic links),
    by the path it is found by (the first): paths as shown, in the order met.

    Raises PathNotFoundError for a path that does not exist.
    """
    reachable = []
    for path in paths:
        try:
            os.stat(path)
        except FileNotFoundError:
            raise PathNotFoundError(path) from None
        except OSError as exc:  # in a folder one may list but not enter, say
            problems.append(Problem(path, _stat_reason(exc)))
            continue
        reachable.append(path)
    paths = reachable
    groups: list[Group] = []
    device = os.stat(paths[0]).st_dev if paths else 0
    seen = Seen(device, set(), {}, others if others is not None else {})
    listed: dict[str, dict[int, list[str]]] = {}  # a folder's linked article names
    for path in paths:
        if os.path.isdir(path):
            prefix, cut = folder_key(path), len(path)
            scanned = walk(path, seen.device, parallel, meanwhile, walked)
            meanwhile = None
            # Files are tracked by identity only where one can be met twice: through
            # more than one path, a link or a second name (the cost of a set of them all).
            plain = len(paths) == 1 and all(s[3] is None for s in scanned)
            for folder, files in _files(scanned, None if plain else seen, problems):
                key = os.path.join(prefix + folder[cut:].lstrip(os.sep), "")
                groups.append(Folder(os.path.join(folder, ""), key, files))
        elif os.path.isfile(path):
            info = os.stat(path)
            if not can_read(path):  # the cache holds it, but the file says no
                problems.append(Problem(path, UNREADABLE))
            else:
                ident = identity(seen.device, info.st_dev, info.st_ino)
                if (
                    seen.first(ident)
                    if info.st_nlink == 1
                    else seen.first_name(ident, path, not os.path.islink(path))
                ):
                    groups.append(FileRef(path, os.path.realpath(path), stamp_of(info)))
                    if info.st_nlink != 1 and not os.path.islink(path):
                        _names_beside(seen, ident, path, info, listed)
        elif _first_problem(seen, path):  # a FIFO or device would block or never end
            problems.append(Problem(path, "not a regular file"))  # (once, if named twice)
    return groups


def discover(paths: Sequence[str], problems: list[Problem]) -> list[FileRef]:
    """Every article file below the paths, in order (see scan)."""
    refs: list[FileRef] = []
    for group in scan(paths, problems):
        refs += group.refs() if isinstance(group, Folder) else [group]
    return refs
