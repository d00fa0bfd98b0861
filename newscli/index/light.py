"""Light rows: a few small columns of the articles that pass a prefilter, straight from
the index cache, without building an Article per file (for a screen that must show its
first rows before everything is loaded: `newscli review`).

Only when the cache can vouch for every file: the folders are walked (as loading walks
them), and every walked folder must be unchanged since the cache listed it. Otherwise
``light_rows`` gives None and the caller loads as usual. ``load_walked`` then makes
the Articles of that same walk (no second walk, no worker process: it may run in a
thread beside a user interface).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, NamedTuple

from newscli.article.model import Article
from newscli.article.reading import load_file
from newscli.article.record import LazyData, StoredText, from_record, front_matter_json
from newscli.errors import DamagedRecordError, InvalidArticleError
from newscli.index import discovery
from newscli.index.cache import IndexCache, Stamp
from newscli.index.cache_keys import key_range, outermost, sound_error, to_bytes, to_text
from newscli.index.discovery import Folder, Group, Problem, folder_key, scan, stamps_of
from newscli.index.prefilter import NOTHING, Prefilter

__all__ = ["TESTED", "LightRow", "Walked", "light_rows", "load_walked"]

BIG_WALK = 5000  # files the cache remembers below the roots: the walk takes two processes
# A prefilter no valid row passes: a survey then reads the invalid files' rows only.
_NOTHING = NOTHING
# best first (queue.best_first): quality, heat, newest, missing values lowest (a heat of
# -1 is unknown: below any known one, -5 too, h54)
_ORDER = (
    "coalesce(-quality, 1), (heat IS NULL OR heat = -1), coalesce(-nullif(heat, -1), 0), "
    f"coalesce(-published_at, {2**63 - 1})"
)
_ORDER_COLUMNS = 4
_MAX_GONE = 500  # folders below a root the cache holds but the walk did not meet
# What a selection may test again (a prefilter lets through more than it stands for).
TESTED = ("topics", "heat", "quality", "published_at", "published", "rejected")
_SHOWN = (
    "published_at, quality, heat, provider_name, provider_domain, title, "
    "coalesce(topics, ''), published = 1, rejected = 1"
)


class LightRow(NamedTuple):
    """One article as a queue shows it; ``published_at`` in microseconds since 1970
    (UTC), ``topics`` as the cache stores them (record.split_list reads them). Read
    for one row when it is shown (Walked.row): a first screen shows 20 of 100,000."""

    path: str
    published_at: int | None
    quality: int | None
    heat: int | None
    provider_name: str | None
    provider_domain: str | None
    title: str
    topics: str
    published: bool
    rejected: bool


@dataclass
class Walked:
    """The files as walked, with what the cache said of them."""

    paths: list[str]
    groups: list[Group]
    problems: list[Problem] = field(default_factory=list)
    # (folder key, name) as the cache stores them, best first; then the TESTED columns
    # when asked for
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    cache: IndexCache | None = None
    shown: dict[bytes, str] = field(default_factory=dict)  # folder key -> as shown
    links: dict[str, list[str]] = field(default_factory=dict)  # see loader.LoadResult

    def path(self, row: tuple[Any, ...]) -> str:
        return self.shown[row[0]] + to_text(row[1])

    def row(self, row: tuple[Any, ...]) -> LightRow:
        """The columns a queue shows of one of ``rows`` (read now, in this thread)."""
        path = self.path(row)
        # (an invalid row: the file was made invalid since the rows were read)
        query = f"SELECT {_SHOWN} FROM files WHERE folder = ? AND name = ? AND error IS NULL"
        found = None
        if self.cache is not None and not self.cache.broken:
            with contextlib.suppress(sqlite3.Error):
                found = self.cache.db.execute(query, row[:2]).fetchone()
        if found is None:  # gone from the cache or invalid meanwhile: read when shown
            return LightRow(
                path, None, None, None, None, None, os.path.basename(path), "", False, False
            )
        return LightRow(path, *found)

    def stamps(self) -> dict[str, Stamp]:
        """Each file's stamp when walked, by path as shown."""
        return stamps_of(self.groups)

    @property
    def folders(self) -> list[Folder]:
        return [g for g in self.groups if isinstance(g, Folder)]

    @property
    def roots(self) -> list[str]:
        return [folder_key(p) for p in self.paths if os.path.isdir(p)]


def light_rows(
    paths: Sequence[str],
    cache: IndexCache,
    prefilter: Prefilter,
    tested: bool = False,
    walked_hook: Callable[[], object] | None = None,
) -> Walked | None:
    """Walk ``paths``; the rows of the valid files passing ``prefilter`` best first
    (with ``tested``, their TESTED columns too: a prefilter lets through more than it
    stands for), and the invalid files as Problems. None when the cache cannot vouch
    for every file (a file named directly, a folder changed or new since the last run,
    a cache failure). ``walked_hook`` is called once no process will be forked."""
    problems: list[Problem] = []
    walked = Walked(list(paths), [], problems, cache=cache)
    roots = walked.roots
    big = cache.known_files(roots) >= BIG_WALK
    walked.groups = scan(paths, problems, parallel=big, others=walked.links)
    folders = walked.folders
    if len(folders) != len(walked.groups):
        return None
    surveyed = cache.survey(roots, [(f.key, f.files) for f in folders], _NOTHING)
    if cache.broken or not all(
        (s := surveyed.folders.get(f.key)) is not None and s.clean for f in folders
    ):
        return None
    for folder in folders:
        survey = surveyed.folders[folder.key]
        for name in sorted(survey.found):
            error = survey.found[name].error
            if error is not None:
                problems.append(Problem(folder.shown + name, *error))
    if walked_hook is not None:
        walked_hook()
    try:
        rows = _rows(cache, walked, folders, prefilter, tested)
    except (sqlite3.Error, UnicodeDecodeError):
        return None  # a name SQLite cannot give as text (not UTF-8): the usual load
    if rows is None:
        return None
    walked.rows = rows
    return walked


def _rows(
    cache: IndexCache, walked: Walked, folders: Sequence[Folder], prefilter: Prefilter, tested: bool
) -> list[tuple[Any, ...]] | None:
    """The rows below the roots, best first. None when the shown paths of the folders
    do not follow from one given path each (nested paths given)."""
    shown_roots: dict[str, str] = {}  # key prefix -> shown prefix
    for path in walked.paths:
        shown_roots.setdefault(folder_key(path), os.path.join(path, ""))
    for folder in folders:
        root = next((k for k in shown_roots if folder.key.startswith(k)), None)
        if root is None or folder.shown != shown_roots[root] + folder.key[len(root) :]:
            return None
        walked.shown[to_bytes(folder.key)] = folder.shown
    condition, params = prefilter.sql()
    columns = ", ".join(("folder", "name", *(TESTED if tested else ())))
    several = len(shown_roots) > 1
    if several:  # merged below, by the shown paths
        columns += f", {_ORDER}"
    rows: list[tuple[Any, ...]] = []
    for root in outermost(shown_roots):
        low, high = key_range(to_bytes(root))
        # rows of folders not walked (gone, hidden) are left out
        query = "SELECT DISTINCT folder FROM files WHERE folder >= ? AND folder < ?"
        gone = [f for (f,) in cache.db.execute(query, (low, high)) if f not in walked.shown]
        if len(gone) > _MAX_GONE:
            return None  # the usual load prunes them
        outside = f"AND folder NOT IN ({', '.join('?' * len(gone))})" if gone else ""
        # Below one root, the key's order (folder || name) is the shown path's.
        query = (
            f"SELECT {columns} FROM files WHERE folder >= ? AND folder < ? {outside} "
            f"AND error IS NULL AND ({condition}) ORDER BY {_ORDER}, folder || name"
        )
        rows += cache.db.execute(query, (low, high, *gone, *params)).fetchall()
    if several:
        rows.sort(key=lambda row: (*row[-_ORDER_COLUMNS:], walked.path(row)))
        rows = [row[:-_ORDER_COLUMNS] for row in rows]
    return rows


def _reparse(path: str) -> Mapping[str, Any]:
    try:
        return load_file(path).data
    except InvalidArticleError:
        return {}


def _export_again(path: str) -> str:
    try:
        article = load_file(path)
    except InvalidArticleError:
        return "{}"
    return front_matter_json(article.data, article.published_at, article.updated_at)


def load_walked(walked: Walked, cache: IndexCache) -> tuple[list[Article], list[Problem]]:
    """Every article of the walked folders (from ``cache``, or read again where a
    file changed since), and the invalid files, in the walk's order. No worker process
    and no second walk: safe in a thread."""
    folders = walked.folders
    surveyed = cache.survey(walked.roots, [(f.key, f.files) for f in folders], Prefilter())
    articles: list[Article] = []
    problems: list[Problem] = []
    for folder in folders:
        survey = surveyed.folders.get(folder.key)
        found = survey.found if survey is not None else {}
        for name, *_ in folder.files:
            path, key = folder.shown + name, folder.key + name
            entry = found.get(name)
            if entry is None:  # changed since the walk's survey: read it again
                _read_again(path, articles, problems)
                continue
            if entry.error is not None:
                if not sound_error(entry.error):
                    cache.damaged_now()
                    _read_again(path, articles, problems)
                else:
                    problems.append(Problem(path, *entry.error))
                continue
            assert entry.record is not None
            again = partial(_export_again, path)
            export = StoredText(cache, key, again, path, entry.version)
            data = LazyData(partial(_reparse, path))
            try:
                articles.append(from_record(path, entry.record, data, export))
            except DamagedRecordError:  # (h149: the file read instead, the next run rebuilds)
                cache.damaged_now()
                _read_again(path, articles, problems)
    return articles, problems


def _read_again(path: str, articles: list[Article], problems: list[Problem]) -> None:
    """The file's article, or its problem, read from the file itself."""
    try:
        articles.append(load_file(path))
    except InvalidArticleError as exc:
        if not discovery.gone_since(path, exc.reason):
            problems.append(Problem(path, exc.reason, exc.line, exc.field))
    except OSError as exc:
        reason = f"cannot read: {exc.strerror or exc}"
        if not discovery.gone_since(path, reason):
            problems.append(Problem(path, reason))
