"""What an edit command selects beyond the query: the stories of named files (--story),
why a named file was left out, and the locks of the folders that hold the selected files.

Used by write_commands.run_edit (every edit) and export --mark-published.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newscli.article.model import Article
    from newscli.select.query import Query, QueryResult


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def story_scope(paths: Sequence[str]) -> tuple[list[str], Callable[[Article], bool] | None]:
    """--story with named files: a story is found among the articles of each named
    file's folder (and its subfolders), so those folders are loaded too; only the named
    files and the articles of named folders may be selected. Returns (the paths to load,
    the test of what may be selected), or (paths, None) when every path is a folder."""
    files = [p for p in paths if not os.path.isdir(p)]
    if not files:
        return list(paths), None
    folders = [os.path.abspath(p) for p in paths if os.path.isdir(p)]
    named = {os.path.realpath(p) for p in files}
    extra = [os.path.dirname(p) or "." for p in files]
    loaded = list(dict.fromkeys([*paths, *extra]))

    def within(article: Article) -> bool:
        if os.path.realpath(article.path) in named:
            return True
        where = os.path.abspath(article.path)
        return any(_inside(where, folder) for folder in folders)

    return loaded, within


def left_out_reason(
    article: Article, query: Query, articles: Sequence[Article], now: datetime
) -> str | None:
    """Why a named file that passes the user's own filters was not selected: it is
    rejected, or a config rule excludes it (None: the filters left it out)."""
    from newscli.select.query import selection_filter, where_filter

    selection = query.selection
    if selection.rejected is False and article.rejected:
        unrejected = replace(selection, rejected=None, exclude=())
        if selection_filter(unrejected, articles, now)(article):
            return "rejected; left alone (--include-rejected edits it)"
        return None
    if not selection.exclude:
        return None
    if not selection_filter(replace(selection, exclude=()), articles, now)(article):
        return None
    for index, rule in enumerate(selection.exclude):
        if where_filter(rule, articles, now)(article):
            return (
                f"left out by the config's rules.exclude[{index}]; left alone (--no-rules edits it)"
            )
    return None


def held_back(
    query: Query,
    result: QueryResult,
    articles: Sequence[Article],
    now: datetime,
    note: Callable[[str], None] | None,
    *,
    named: set[str] | frozenset[str] = frozenset(),
    keep_rejected: bool = False,
) -> Callable[[Article], bool]:
    """The test of an article of a selected story, not selected itself, that an edit of
    the story (--story, --mark-published after --dedupe) leaves alone: one the selection
    leaves out as rejected (not with --include-rejected) or by a config rule (not with
    --no-rules): a curator's decision that no story overrides. Each one is said once
    (``note``; None: --quiet), but a file named on the command line (``named``: real paths), whose
    refusal says it. ``keep_rejected`` (reject): a rejected one is left alone whatever
    the selection (its reason is the curator's, kept)."""
    from newscli.select.query import where_filter

    selection = query.selection
    rules = [where_filter(rule, articles, now) for rule in selection.exclude]
    said: set[str] = set()
    kept = {a.path for a in result.articles}

    def held(article: Article) -> bool:
        if article.path in kept:
            return False
        if keep_rejected and article.rejected:
            why = "already rejected; left alone, its reason kept"
        elif selection.rejected is False and article.rejected:
            why = "rejected; left alone (--include-rejected edits it)"
        elif any(rule(article) for rule in rules):
            why = "left out by the config's rules; left alone (--no-rules edits it)"
        else:
            return False
        if article.path not in said:
            said.add(article.path)
            if note is not None and os.path.realpath(article.path) not in named:
                note(f"note: {article.path}, of a selected story: {why}")
        return True

    return held


def lock_own_folders(
    stack: contextlib.ExitStack,
    articles: Iterable[Article],
    wait: float,
    links: Mapping[str, Sequence[str]] | None = None,
) -> None:
    """Also hold the lock of the folder that holds each article file, where this run
    holds no lock of it yet: a subfolder of a named folder, or a folder reached
    through a symbolic link; and of the folder of each other name of it (``links``:
    hard links, made names of the edited file too). A file is only ever edited under
    its own folder's lock, so a run on ``feeds/`` and one on ``feeds/sub/`` cannot both
    edit ``feeds/sub/x.md``. Each file is edited only if it is still the version loaded,
    so taking these locks after loading is safe."""
    from newscli.edit.locking import folder_locks, held

    # (the locks this run holds, not the folders it meant to lock as they are now: one
    # removed before its lock was taken has none, and if made again, its files are
    # locked here, h137)
    holding = held()
    real_dirs: dict[str, str] = {}
    own: dict[str, str] = {}  # a folder to lock -> one of its files
    for article in articles:
        names = links.get(article.path, ()) if links else ()
        for path in (article.path, *names):
            if os.path.islink(path):
                real = os.path.realpath(path)
                folder = os.path.dirname(real)
            else:
                parent = os.path.dirname(path) or "."
                folder = real_dirs.get(parent) or real_dirs.setdefault(
                    parent, os.path.realpath(parent)
                )
                real = os.path.join(folder, os.path.basename(path))
            if folder not in holding and os.access(folder, os.W_OK | os.X_OK):  # (else: refused)
                own.setdefault(folder, real)
    if own:
        stack.enter_context(folder_locks(sorted(own.values()), wait))
