"""Loading article files into Articles, collecting problems on the way.

Unchanged files come from the index cache; the rest are parsed, in worker processes
when there are many, and stored back. The result is the same with or without either.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from newscli.cache import Entry, IndexCache
from newscli.discovery import Problem, discover
from newscli.errors import InvalidArticleError
from newscli.frontmatter_yaml import parse_front_matter
from newscli.model import Article, article_from_mapping
from newscli.record import LazyData, from_record, to_record

__all__ = ["LoadResult", "Problem", "discover", "load_file", "load_paths", "read_text"]

MAX_FILE_BYTES = 16 << 20
PARALLEL_MIN_FILES = 1000
CHUNK_FILES = 100

Progress = Callable[[int, int], None]
Outcome = tuple[Entry, "str | None"]  # the entry and, when valid, the export JSON


@dataclass(slots=True)
class LoadResult:
    articles: list[Article] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


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


def parse_one(path: str) -> Outcome:
    """Parse and validate one file into a cacheable outcome (never raises for bad input)."""
    from newscli.formats import front_matter_json

    try:
        article = load_file(path)
    except InvalidArticleError as exc:
        return Entry(None, (exc.reason, exc.line, exc.field)), None
    text = front_matter_json(article.data, article.published_at, article.updated_at)
    return Entry(to_record(article), None), text


def parse_chunk(paths: Sequence[str]) -> list[Outcome]:
    """Worker-process entry point."""
    return [parse_one(path) for path in paths]


def _parse_all(paths: Sequence[str], progress: Progress | None, jobs: int) -> list[Outcome]:
    """Outcomes in the order of ``paths``; in worker processes when it pays."""
    total = len(paths)
    if jobs > 1 and total >= PARALLEL_MIN_FILES:
        from newscli.parallel import map_chunks

        return map_chunks(parse_chunk, paths, CHUNK_FILES, jobs, progress)
    outcomes = []
    for done, path in enumerate(paths):
        if progress is not None and done % 256 == 0:
            progress(done, total)
        outcomes.append(parse_one(path))
    return outcomes


def default_jobs() -> int:
    """Worker processes for cold loads: NEWSCLI_JOBS, else every available core."""
    configured = os.environ.get("NEWSCLI_JOBS", "")
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _reparse(path: str) -> Mapping[str, Any]:
    """The typed front matter of a file already validated (empty if it went bad)."""
    try:
        return load_file(path).data
    except InvalidArticleError:
        return {}


def load_paths(
    paths: Sequence[str],
    progress: Progress | None = None,
    cache: IndexCache | None = None,
    jobs: int | None = None,
) -> LoadResult:
    """Load every article below the given paths; invalid files become Problems.
    ``progress(done, total)`` is called now and then while files are parsed.

    Articles carry their export JSON (from the cache, or kept from parsing when there
    is no cache) and parse their file again only if the typed front matter is asked for.
    """
    result = LoadResult()
    refs = discover(paths, result.problems)
    cached = cache.lookup([r.key for r in refs], [r.stamp for r in refs]) if cache else {}
    todo = [r for r in refs if r.key not in cached]
    outcomes = _parse_all([r.path for r in todo], progress, jobs or default_jobs())
    fresh = dict(zip((r.key for r in todo), outcomes, strict=True))
    if cache is not None and todo:
        cache.store((r.key, r.stamp, *fresh[r.key]) for r in todo)
    if progress is not None:
        progress(len(todo), len(todo))
    for ref in refs:
        entry, text = fresh.get(ref.key) or (cached[ref.key], None)
        if entry.error is not None:
            reason, line, field_name = entry.error
            result.problems.append(Problem(ref.path, reason, line, field_name))
            continue
        assert entry.record is not None
        if cache is not None:
            export = lambda key=ref.key: cache.export(key)  # noqa: E731
        else:
            export = lambda text=text: text  # noqa: E731
        data = LazyData(lambda path=ref.path: _reparse(path))
        result.articles.append(from_record(ref.path, entry.record, data, export))
    return result
