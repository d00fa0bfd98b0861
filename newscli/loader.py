"""Finding article files and loading them into Articles, collecting problems on the way."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from newscli.errors import InvalidArticleError, PathNotFoundError
from newscli.frontmatter_yaml import parse_front_matter
from newscli.model import Article, article_from_mapping

ARTICLE_SUFFIXES = (".md", ".markdown")
MAX_FILE_BYTES = 16 << 20


@dataclass(frozen=True, slots=True)
class Problem:
    """Why one file was left out."""

    path: str
    reason: str
    line: int | None = None
    field: str | None = None


@dataclass(slots=True)
class LoadResult:
    articles: list[Article] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _is_article_name(name: str) -> bool:
    return not name.startswith(".") and name.lower().endswith(ARTICLE_SUFFIXES)


def _walk(root: str, problems: list[Problem]) -> Iterator[str]:
    """Article files below root, depth first in name order; follows links, never loops."""
    visited: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            info = os.stat(folder)
            key = (info.st_dev, info.st_ino)
            if key in visited:
                continue
            visited.add(key)
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            problems.append(Problem(folder, f"cannot read folder: {exc.strerror or exc}"))
            continue
        subfolders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()
                is_file = not is_dir and entry.is_file()
            except OSError:
                is_dir = is_file = False
            if is_dir:
                subfolders.append(entry.path)
            elif _is_article_name(entry.name):
                if is_file:
                    yield entry.path
                elif entry.is_symlink():
                    problems.append(Problem(entry.path, "cannot read: broken symbolic link"))
        stack.extend(reversed(subfolders))


def discover(paths: Sequence[str], problems: list[Problem]) -> list[str]:
    """Expand command-line paths to article files, each once, in a stable order.

    Raises PathNotFoundError for a path that does not exist.
    """
    for path in paths:
        if not os.path.exists(path):
            raise PathNotFoundError(path)
    files: list[str] = []
    seen: set[str] = set()
    for path in paths:
        if os.path.isdir(path):
            found: Iterator[str] = _walk(path, problems)
        elif os.path.isfile(path):
            found = iter([path])
        else:  # a FIFO or device would block or never end
            problems.append(Problem(path, "not a regular file"))
            continue
        for file in found:
            real = os.path.realpath(file)
            if real not in seen:
                seen.add(real)
                files.append(file)
    return files


def read_text(path: str) -> str:
    """A file's text as UTF-8 (a BOM is accepted). Raises InvalidArticleError."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise InvalidArticleError(f"cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise InvalidArticleError(f"file is larger than {MAX_FILE_BYTES >> 20} MiB")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidArticleError(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        ) from None


def load_with_body(path: str) -> tuple[Article, str]:
    """Load and validate one article file, with its Markdown body. Raises
    InvalidArticleError."""
    data, body = parse_front_matter(read_text(path))
    return article_from_mapping(path, data), body


def load_file(path: str) -> Article:
    """Load and validate one article file. Raises InvalidArticleError."""
    return load_with_body(path)[0]


Progress = Callable[[int, int], None]


def load_paths(paths: Sequence[str], progress: Progress | None = None) -> LoadResult:
    """Load every article below the given paths; invalid files become Problems.
    ``progress(done, total)`` is called now and then while files are parsed."""
    result = LoadResult()
    files = discover(paths, result.problems)
    for done, path in enumerate(files):
        if progress is not None and done % 256 == 0:
            progress(done, len(files))
        try:
            result.articles.append(load_file(path))
        except InvalidArticleError as exc:
            result.problems.append(Problem(path, exc.reason, exc.line, exc.field))
    if progress is not None:
        progress(len(files), len(files))
    return result
