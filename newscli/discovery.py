"""Finding article files: recursive, sorted, hidden entries skipped, links followed
without looping, each file once (by device and inode)."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from operator import attrgetter
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
    if name.endswith(ARTICLE_SUFFIXES):  # the common case, without lower()
        return not name.startswith(".")
    return not name.startswith(".") and name.lower().endswith(ARTICLE_SUFFIXES)


def _walk(root: str, problems: list[Problem]) -> Iterator[tuple[str, os.stat_result]]:
    """Article files below root, depth first in name order; follows links, never loops."""
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
        subfolders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()
                stat = None if is_dir else entry.stat()
            except OSError:
                is_dir, stat = False, None
            if is_dir:
                subfolders.append(entry.path)
            elif _is_article_name(entry.name):
                if stat is not None and entry.is_file():
                    yield entry.path, stat
                elif entry.is_symlink():
                    problems.append(Problem(entry.path, "cannot read: broken symbolic link"))
        stack.extend(reversed(subfolders))


def discover(paths: Sequence[str], problems: list[Problem]) -> list[FileRef]:
    """Expand command-line paths to article files, each once, in a stable order.

    Raises PathNotFoundError for a path that does not exist.
    """
    for path in paths:
        if not os.path.exists(path):
            raise PathNotFoundError(path)
    refs: list[FileRef] = []
    seen: set[tuple[int, int]] = set()
    for path in paths:
        if os.path.isdir(path):
            # The cache key: the resolved folder and the path below it ("feeds/" and
            # "./feeds" give the same keys).
            prefix, cut = os.path.join(os.path.realpath(path), ""), len(path)
            found = ((p, prefix + p[cut:].lstrip(os.sep), st) for p, st in _walk(path, problems))
        elif os.path.isfile(path):
            found = iter([(path, os.path.realpath(path), os.stat(path))])
        else:  # a FIFO or device would block or never end
            problems.append(Problem(path, "not a regular file"))
            continue
        for shown, key, st in found:
            if (st.st_dev, st.st_ino) not in seen:
                seen.add((st.st_dev, st.st_ino))
                stamp = Stamp(st.st_size, st.st_mtime_ns, st.st_ino)
                refs.append(FileRef(shown, key, stamp, st.st_dev))
    return refs
