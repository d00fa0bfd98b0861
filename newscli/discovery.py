"""Finding article files: recursive, sorted, hidden entries skipped, links followed
without looping, each file once (by device and inode)."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from operator import attrgetter
from stat import S_ISREG
from typing import NamedTuple

from newscli.cache import Stamp
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
    device: int


def _is_article_name(name: str) -> bool:
    """.md or .markdown in any case (hidden names are left out before this)."""
    # endswith first: the common case, without lower()
    return name.endswith(ARTICLE_SUFFIXES) or name.lower().endswith(ARTICLE_SUFFIXES)


Found = list[tuple[str, str, os.stat_result]]  # (path, name, stat) of one folder's files


def _walk(root: str, problems: list[Problem]) -> Iterator[tuple[str, Found]]:
    """(folder, its article files) below root, depth first in name order; follows
    links, never loops."""
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
                entries = sorted(it, key=_NAME)
        except OSError as exc:
            problems.append(Problem(folder, f"cannot read folder: {exc.strerror or exc}"))
            continue
        subfolders, files = [], []
        for entry in entries:
            name = entry.name
            if name[0] == ".":
                continue
            try:
                is_dir = entry.is_dir()
                stat = None if is_dir else entry.stat()
            except OSError:
                is_dir, stat = False, None
            if is_dir:
                subfolders.append(entry.path)
            elif _is_article_name(name):
                if stat is not None and S_ISREG(stat.st_mode):
                    files.append((entry.path, name, stat))
                elif entry.is_symlink():
                    problems.append(Problem(entry.path, "cannot read: broken symbolic link"))
        if files:
            yield folder, files
        stack.extend(reversed(subfolders))


def folder_key(path: str) -> str:
    """The cache key prefix of the files below a folder: its resolved path and a
    separator ("feeds/" and "./feeds" agree)."""
    return os.path.join(os.path.realpath(path), "")


def _found(path: str, problems: list[Problem]) -> Iterator[tuple[str, Found]]:
    """(cache key prefix, files) for each folder below a command-line path."""
    if os.path.isdir(path):
        prefix, cut = folder_key(path), len(path)
        for folder, files in _walk(path, problems):
            yield os.path.join(prefix + folder[cut:].lstrip(os.sep), ""), files
    elif os.path.isfile(path):
        real = os.path.realpath(path)
        yield "", [(path, real, os.stat(path))]
    else:  # a FIFO or device would block or never end
        problems.append(Problem(path, "not a regular file"))


def discover(paths: Sequence[str], problems: list[Problem]) -> list[FileRef]:
    """Expand command-line paths to article files, each once, in a stable order.

    Raises PathNotFoundError for a path that does not exist.
    """
    for path in paths:
        if not os.path.exists(path):
            raise PathNotFoundError(path)
    refs: list[FileRef] = []
    seen: set[tuple[int, int]] = set()
    make_ref, make_stamp = FileRef._make, Stamp._make
    for path in paths:
        for prefix, files in _found(path, problems):
            for shown, name, st in files:
                identity = (st.st_dev, st.st_ino)
                if identity not in seen:
                    seen.add(identity)
                    stamp = make_stamp((st.st_size, st.st_mtime_ns, st.st_ino))
                    refs.append(make_ref((shown, prefix + name, stamp, st.st_dev)))
    return refs
