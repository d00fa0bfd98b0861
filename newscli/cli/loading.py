"""Loading the articles a command selects, with what a run says of them on stderr:
each invalid file, a cache that failed, --strict, the --topic and --provider values no
article has, and (--verbose) what the load cost."""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from newscli.cli.options import check_cache_dir, check_cache_env

if TYPE_CHECKING:
    from newscli.article.model import Article
    from newscli.index.cache import IndexCache
    from newscli.index.discovery import Problem
    from newscli.index.loader import LoadResult
    from newscli.index.prefilter import Prefilter
    from newscli.select.query import Query, QueryResult
    from newscli.select.stories import Story
    from newscli.terminal.output import Output


def open_cache(
    out: Output, cache_dir: str | None, use_cache: bool, verbosity: int
) -> IndexCache | None:
    """The index cache to load with (None: without one)."""
    check_cache_dir(cache_dir)
    if not use_cache:
        return None
    check_cache_env(cache_dir)
    from newscli.index.cache import IndexCache
    from newscli.index.cache_owner import default_folder

    cache, warning = IndexCache.open(cache_dir or default_folder())
    # A default cache that cannot be used is not the user's problem (a read-only home:
    # said with --verbose); one the user named (--cache-dir, NEWSCLI_CACHE_DIR) is, and
    # so is one that had to be rebuilt: one line each.
    named = cache_dir is not None or bool(os.environ.get("NEWSCLI_CACHE_DIR"))
    if warning and (verbosity > 1 or ((cache is not None or named) and verbosity > 0)):
        out.note(warning)
    return cache


def load_query(
    out: Output,
    paths: list[str] | None,
    query: Query,
    strict: bool,
    names: Sequence[str] = (),
    names_option: str = "--fields",
    within: Callable[[Article], bool] | None = None,
    load_rejected: bool = False,
    exports: bool = False,
) -> tuple[QueryResult, LoadResult]:
    """Load, report every invalid file on stderr, apply --strict, run the query.
    ``names``: the fields the command will show, given with ``names_option``; each must
    be known or found in some article (QueryError otherwise). ``within``: only such
    articles may be selected (select.query.run_query). ``load_rejected``: the cache
    passes over no rejected file (an edit says why it left a named file out).
    ``exports``: the selected articles' export JSON will be written (loader.load_paths)."""
    from dataclasses import replace

    from newscli.select.query import cache_prefilter, known_prefilter, needs_stories, run_query
    from newscli.wording import count

    cache = open_cache(out, query.cache_dir, query.use_cache, query.verbosity)
    started = time.monotonic()
    prefilter = cache_prefilter(query, names) if cache is not None else None
    if prefilter is not None and load_rejected:
        prefilter = replace(prefilter, rejected=None)
    # --dedupe, warm: the articles the filters may select, and the other articles of
    # their stories, not every article (select.story_light), when the cache can tell.
    # (Not when the output shows stories: then every article's story is shown.)
    light = None
    dedupe = query.dedupe and not query.shows_stories
    if cache is not None and dedupe and within is None and not load_rejected:
        light = known_prefilter(query, names)
    # A story.* field, warm: only the articles whose story values may let them pass
    # (select.story_select), built after grouping from the cache.
    story = False
    if cache is not None and within is None and not load_rejected and needs_stories(query, names):
        from newscli.select import story_select

        story = story_select.light(query, names)
    version = None
    if story:
        from newscli.index import story_cache
        from newscli.index.prefilter import NOTHING

        light, version = NOTHING, story_cache.data_version(cache)
    loaded = _load_reported(out, paths, query, strict, cache, light or prefilter, exports)
    now = query.now or datetime.now(timezone.utc)
    result = None
    if story and cache is not None and not cache.broken:
        result = story_select.from_cache(loaded, cache, query, now, names, version)
    elif light is not None and cache is not None and not cache.broken:
        from newscli.select.story_light import query_from_cache

        result = query_from_cache(loaded, cache, query, now, names)
    if result is None:
        if light is not None:  # the cache could not tell: every article after all
            from newscli.index.loader import load_paths

            said = loaded
            loaded = load_paths(paths or ["."], None, cache)
            _said_since(out, query, strict, said, loaded)
        result = run_query(loaded.articles, query, now, within, names)
    said_changed(out, result.changed)
    if names:
        from newscli.select.fields import check_names

        check_names(names, loaded.articles, names_option)
    if query.verbosity > 1:
        seconds = time.monotonic() - started
        out.note(
            f"{count(loaded.files, 'file')}: {loaded.files - loaded.parsed} from the cache, "
            f"{loaded.parsed} parsed, {len(loaded.problems)} invalid; "
            f"{len(result.articles)} selected in {seconds:.2f} s" + ("" if cache else " (no cache)")
        )
    return result, loaded


def _load_reported(
    out: Output,
    paths: list[str] | None,
    query: Query,
    strict: bool,
    cache: IndexCache | None,
    prefilter: Prefilter | None,
    exports: bool = False,
) -> LoadResult:
    """Load, report every invalid file on stderr (and a cache failure), apply --strict,
    note the --topic/--provider values no article has."""
    from newscli.cli.progress import LoadProgress
    from newscli.index.loader import load_paths

    progress = LoadProgress(out, enabled=query.verbosity > 0)
    try:
        loaded = load_paths(paths or ["."], progress, cache, prefilter=prefilter, exports=exports)
        # What a load makes holds no reference cycles: kept out of the collector's way,
        # the first collection after it need not walk every object it made (0.1 s at
        # 100,000 files). A run is one process; the objects are still freed as usual.
        gc.freeze()
    finally:
        progress.close()
    _said(out, query, strict, loaded.problems)
    if query.verbosity > 0:
        if cache is not None and cache.broken and cache.warning:
            out.note(cache.warning)  # it failed during this run (a full disk, say)
        elif cache is not None:  # (it may fail as the output is written: said at the end)
            late = cache
            out.later.append(lambda: late.warning if late.broken else None)
    selection = query.selection
    if query.verbosity > 0 and (selection.topics or selection.providers or query.stories.asked):
        _note_unmatched(out, query, loaded, cache)
    return loaded


def _said_since(
    out: Output, query: Query, strict: bool, said: LoadResult, loaded: LoadResult
) -> None:
    """The invalid files of a second load that the first did not report (h159: a file
    another run stored invalid while this one grouped its stories from the cache was
    left out with nothing said), and --strict over them."""
    known = {p.path for p in said.problems}
    _said(out, query, strict, [p for p in loaded.problems if p.path not in known])


def _said(out: Output, query: Query, strict: bool, problems: Sequence[Problem]) -> None:
    """Each invalid file on stderr (--quiet: errors only), then --strict over them."""
    from newscli.errors import StrictModeError
    from newscli.wording import count

    if query.verbosity > 0:
        for problem in problems:
            out.problem(problem)
    if strict and problems:
        invalid = count(len(problems), "invalid file")
        raise StrictModeError(f"{invalid}; nothing written (--strict)")


def load_clusters(out: Output, paths: list[str] | None, query: Query, strict: bool) -> list[Story]:
    """The stories `clusters` shows (``query``: with --dedupe, unpaged). Warm, when the
    cache can test the selection, from the cache without loading every article
    (select.story_light); otherwise, or if that fails, from every article loaded."""

    from newscli.select.query import known_prefilter
    from newscli.select.stories import clusters

    if query.use_cache and known_prefilter(query) is not None:
        cache = open_cache(out, query.cache_dir, query.use_cache, query.verbosity)
        if cache is not None:
            from newscli.index.loader import load_paths
            from newscli.index.prefilter import NOTHING
            from newscli.select.query import run_query
            from newscli.select.story_light import clusters_from_cache

            started = time.monotonic()
            loaded = _load_reported(out, paths, query, strict, cache, NOTHING)
            now = query.now or datetime.now(timezone.utc)
            if not cache.broken and not loaded.articles:
                shown = clusters_from_cache(loaded, cache, query, now)
                if shown is not None:
                    if query.verbosity > 1:
                        _note_loaded(out, loaded, sum(len(s.articles) for s in shown), started)
                    return shown
            # The cache could not tell (a file changed meanwhile, a failure): load every
            # article (the problems not reported already are said now).
            said = loaded
            loaded = load_paths(paths or ["."], None, cache)
            _said_since(out, query, strict, said, loaded)
            result = run_query(loaded.articles, query, now)
            return clusters((), query.sort, grouped=result.chosen or [])
        from dataclasses import replace

        query = replace(query, use_cache=False)  # (it could not open: said once, h80 7)
    result, _ = load_query(out, paths, query, strict)
    return clusters((), query.sort, grouped=result.chosen or [])


def _note_loaded(out: Output, loaded: LoadResult, selected: int, started: float) -> None:
    """--verbose: what the load found and how long it took."""
    from newscli.wording import count

    seconds = time.monotonic() - started
    out.note(
        f"{count(loaded.files, 'file')}: {loaded.files - loaded.parsed} from the cache, "
        f"{loaded.parsed} parsed, {len(loaded.problems)} invalid; "
        f"{selected} selected in {seconds:.2f} s"
    )


def note_unmatched_in(out: Output, paths: list[str] | None, query: Query) -> None:
    """The notes of _note_unmatched for a command that selected nothing without loading
    every article (review, h47: `review --topic Spcae` said only "Nothing to review
    here"): the articles loaded now (from the cache, where it has them), quietly."""
    from newscli.index.loader import load_paths

    selection = query.selection
    if query.verbosity <= 0 or not (selection.topics or selection.providers):
        return
    cache = open_cache(out, query.cache_dir, query.use_cache, 0)
    try:
        _note_unmatched(out, query, load_paths(paths or ["."], None, cache), cache)
    finally:
        if cache is not None:
            cache.close()


def _note_unmatched(
    out: Output, query: Query, loaded: LoadResult, cache: IndexCache | None
) -> None:
    """A note for each --topic/--provider/--prefer-provider value that no article read
    has (a typo?).
    Files the cache passed over are looked up in it (only when a value is still unseen)."""
    from newscli.select.unmatched import Unmatched

    unmatched = Unmatched(query.selection, query.stories.asked)
    for article in loaded.articles:
        unmatched.see(article.topics, article.provider_name, article.provider_domain)
        if not unmatched:
            return
    if loaded.passed_over:
        if cache is None:
            return

        def see(topics: tuple[str, ...], name: str | None, domain: str | None) -> bool:
            unmatched.see(topics, name, domain)
            return not unmatched

        if not cache.known_values(loaded.passed_over_in, see):
            return  # the cache could not tell: say nothing rather than something wrong
    for note in unmatched.notes():
        out.note(note)


def said_changed(out: Output, paths: Sequence[str], *, marked: bool = False) -> None:
    """One line on stderr for each article left out as changed since the run selected
    it (kept for the run's exit code: cli.application.exit_codes)."""
    also = " and not marked published" if marked else ""
    for path in paths:
        out.problem_line(path, f"changed since this run selected it; left out{also} (run again)")
    out.left_out.extend(paths)
