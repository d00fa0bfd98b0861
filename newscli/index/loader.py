"""Loading article files into Articles, collecting problems on the way.

Unchanged files come from the index cache; the rest are parsed, in worker processes
when there are many, and stored back. The result is the same with or without either.
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import NamedTuple

from newscli.article.field_map import field_map
from newscli.article.model import Article, article_from_mapping
from newscli.article.reading import read_text
from newscli.article.record import from_record, front_matter_json, to_record
from newscli.errors import DamagedRecordError, InvalidArticleError, SettingError, WorkerError
from newscli.index import problems
from newscli.index.cache import FILTERED, Entry, Fetched, IndexCache, Stamp, Survey
from newscli.index.cache_keys import Listed, sound_error, split_key, versioned
from newscli.index.discovery import (
    FileRef,
    Folder,
    Group,
    Problem,
    folder_key,
    gone_since,
    scan,
    stamps_of,
)
from newscli.index.file_data import NO_STORE, FileData
from newscli.index.parallel import free_core, start_workers, stop_workers
from newscli.index.prefilter import Prefilter

__all__ = ["LoadResult", "load_paths"]

PARALLEL_MIN_FILES = 1000
PARALLEL_WALK_FILES = 5000  # a walk this big (as the cache remembers it) takes two processes
CHUNK_FILES = 100
STORE_BATCH = 2000
MAX_JOBS = 64  # NEWSCLI_JOBS at most (or the cores, if more): each worker is a process
_WHOLE = re.compile(r"\s*[0-9]{1,9}\s*")
STORED = "\x00stored"  # a worker already put this file's export JSON in the cache

Progress = Callable[[int, int], None]
Outcome = tuple[Entry, "str | None"]  # the entry and, when valid, the export JSON


@dataclass(slots=True)
class LoadResult:
    articles: list[Article] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: int = 0  # article files found
    parsed: int = 0  # of which read and parsed (the others came from the cache)
    passed_over: int = 0  # valid cached files left out by the prefilter
    # where they are: keys of folders (ending in a separator) and of single files
    passed_over_in: list[str] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list, repr=False)  # the files as found
    # the other names (hard links) found of a file found by more than one name, by the
    # path it was found by (its article's): paths as shown (discovery.scan)
    links: dict[str, list[str]] = field(default_factory=dict, repr=False)
    walk_problems: int = 0  # how many of the problems the walk met (they come first)
    # every problem of an invalid file that has more than its first error (as JSON, see
    # problems.to_json), by path as shown
    all_problems: dict[str, str] = field(default_factory=dict, repr=False)

    def stamps(self) -> dict[str, Stamp]:
        """Each file's stamp (cache_keys.Stamp) when it was found, by path as shown:
        the version the articles were loaded from (cached entries are kept by it)."""
        return stamps_of(self.groups)


def parse_one(path: str) -> Outcome:
    """Parse and validate one file into a cacheable outcome (never raises for bad input):
    a valid file's record and field map, or an invalid one's first error and, when its
    front matter parsed, all of its problems."""
    from newscli.article.frontmatter_yaml import parse_front_matter  # not on warm runs

    data = text = None
    try:
        text = read_text(path)
        data, _ = parse_front_matter(text)
        article = article_from_mapping(path, data)
    except InvalidArticleError as exc:
        error = (exc.reason, exc.line, exc.field)
        if text is not None and data is None and exc.field:  # an impossible plain date
            from newscli.article.frontmatter_yaml import dates_as_text

            data = dates_as_text(text)
            if data is not None:  # its other problems too, the date's as first said
                found = [p for p in problems.all_problems(text, data) if p[2] != exc.field]
                found.append(error)
                found.sort(key=lambda p: -1 if p[1] is None else p[1])
                return Entry(None, error, problems.to_json(found)), None
        if text is None or data is None:
            return Entry(None, error), None
        return Entry(None, error, problems.to_json(problems.all_problems(text, data))), None
    export = front_matter_json(article.data, article.published_at, article.updated_at)
    return Entry(to_record(article), None, None, field_map(article.data, export)), export


_worker_cache: IndexCache | None = None


def parse_chunk(job: tuple[Sequence[FileRef], str | None, Prefilter | None]) -> list[Outcome]:
    """Worker-process entry point: parse files; with a cache folder, store the results
    there too and send back only the small records (FILTERED for those the prefilter
    leaves out: what a warm run would not load)."""
    global _worker_cache
    refs, cache_folder, prefilter = job
    outcomes = [parse_one(ref.path) for ref in refs]
    if cache_folder is None:
        return outcomes
    if _worker_cache is None or _worker_cache.folder != cache_folder:
        _worker_cache, _ = IndexCache.open(cache_folder, rebuild=False)
    pairs = zip(refs, outcomes, strict=True)
    rows = [(ref.key, ref.stamp, versioned(entry, text), text) for ref, (entry, text) in pairs]
    if _worker_cache is None or not _worker_cache.store(rows):
        return outcomes  # the main process keeps (or stores) the texts
    return [(_kept(entry, prefilter), STORED) for _, _, entry, _ in rows]


def _kept(entry: Entry, prefilter: Prefilter | None) -> Entry:
    """The entry of a stored file, or FILTERED when it cannot match the prefilter."""
    if prefilter is None or entry.record is None or prefilter.admits(entry.record):
        return entry
    return FILTERED


def _parse_all(
    refs: Iterable[FileRef],
    total: int,
    progress: Progress | None,
    jobs: int,
    cache: IndexCache | None,
    prefilter: Prefilter | None = None,
) -> Generator[tuple[FileRef, Outcome], None, None]:
    """Each of the ``total`` refs with its outcome, in order, as they come; in worker
    processes when it pays (then the workers also fill the cache, and the text comes
    back as STORED). The refs are taken a chunk at a time, as the chunks are sent."""
    if jobs > 1 and total >= PARALLEL_MIN_FILES:
        import newscli.article.frontmatter_yaml  # noqa: F401  (imported once, before the fork)
        from newscli.index.parallel import map_chunks

        folder = cache.folder if cache is not None else None
        chunks = ((chunk, folder, prefilter) for chunk in _chunks(refs))
        done = 0
        # (closed here however this ends, so its workers are ended: see map_chunks)
        doing = "loading the articles"
        try:
            with contextlib.closing(map_chunks(parse_chunk, chunks, jobs, doing)) as parsed:
                for (chunk, _, _), outcomes in parsed:
                    yield from zip(chunk, outcomes, strict=True)
                    done += len(chunk)
                    if progress is not None:
                        progress(done, total)
        except WorkerError as exc:  # (loading comes before any change a command makes)
            raise WorkerError(f"{exc}; nothing was changed", exc.how) from exc.__cause__
        return
    for done, ref in enumerate(refs):
        if progress is not None and done % 256 == 0:
            progress(done, total)
        yield ref, parse_one(ref.path)


def _chunks(refs: Iterable[FileRef]) -> Iterator[list[FileRef]]:
    """The refs in lists of CHUNK_FILES, made as they are taken."""
    left = iter(refs)
    while chunk := list(islice(left, CHUNK_FILES)):
        yield chunk


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def default_jobs() -> int:
    """Worker processes for cold loads: NEWSCLI_JOBS, else every available core. A value
    that is not a whole number from 1 to MAX_JOBS (or the cores, if more) is a usage
    error (SettingError), said whether or not this run would start workers: a cron job
    must not work warm and fail on the day its cache is cold (h28: 0, -1 and abc were
    taken for "every core", and 1000 forked 1000 workers)."""
    configured = os.environ.get("NEWSCLI_JOBS", "")
    cores = _cores()
    if not configured:  # (unset or empty; blanks are no number, h122, as for the cache)
        return cores
    highest = max(MAX_JOBS, cores)
    if not _WHOLE.fullmatch(configured) or not 1 <= int(configured) <= highest:
        raise SettingError(
            f"NEWSCLI_JOBS={configured[:40]!r}: expected a number of worker processes"
            f" from 1 to {highest}"
        )
    return int(configured)


def load_paths(
    paths: Sequence[str],
    progress: Progress | None = None,
    cache: IndexCache | None = None,
    jobs: int | None = None,
    prefilter: Prefilter | None = None,
    exports: bool = False,
) -> LoadResult:
    """Load every article below the given paths (see _load_paths). ``jobs``: worker
    processes for parsing (default_jobs(), checked whether or not they are needed).
    ``exports``: the articles' export JSON will be written (a warm walk in two processes
    reads it from the cache meanwhile: IndexCache.fetch)."""
    if jobs is None:
        jobs = default_jobs()
    # Loading makes a few objects per file and no reference cycles; the cyclic garbage
    # collector would walk them all again and again (about half the warm run time).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load_paths(paths, progress, cache, jobs, prefilter, exports)
    finally:
        if enabled:
            gc.enable()


def _walked(folders: Sequence[Folder], singles: Sequence[FileRef]) -> dict[str, list[Listed]]:
    """The files walked, by folder key: the folders' and the files named alone (a file
    named before its own folder is walked is not among that folder's files)."""
    walked = {f.key: f.files for f in folders}
    named: dict[str, list[Listed]] = {}
    for single in singles:
        folder, name = split_key(single.key)
        named.setdefault(folder, []).append((name, *single.stamp))
    for folder, files in named.items():
        walked[folder] = [*walked.get(folder, []), *files]
    return walked


def _load_paths(
    paths: Sequence[str],
    progress: Progress | None,
    cache: IndexCache | None,
    jobs: int | None,
    prefilter: Prefilter | None,
    exports: bool = False,
) -> LoadResult:
    """Load every article below the given paths; invalid files become Problems.
    ``progress(done, total)`` is called now and then while files are parsed. With a
    prefilter, unchanged cached files that cannot match it are left out (only the
    cache can tell without reading them; everything else is still loaded).

    Articles carry their export JSON (from the cache, or kept from parsing when there
    is no cache) and parse their file again only if the typed front matter is asked for.
    """
    result = LoadResult()
    roots = [folder_key(path) for path in paths if os.path.isdir(path)]
    known = cache.known_files(roots) if cache is not None else 0
    big = known >= PARALLEL_WALK_FILES and free_core()
    # The survey's reads that need no walk are done while the walk helper walks.
    fetched: list[Fetched | None] = []

    def fetch() -> None:
        assert cache is not None
        fetched.append(cache.fetch(roots, prefilter or Prefilter(), exports))

    meanwhile = fetch if big and cache is not None else None
    try:
        walked = _WorkersWhileWalking(known, jobs)
        found = result.problems
        groups = scan(paths, found, parallel=big, meanwhile=meanwhile, walked=walked,
                      others=result.links)  # fmt: skip
        result.groups = groups
        _workers_ahead(groups, known, jobs)
        result.walk_problems = len(result.problems)
        folders = [g for g in groups if isinstance(g, Folder)]
        singles = [g for g in groups if not isinstance(g, Folder)]
        ahead = fetched[0] if fetched else None
        plan = _plan(folders, singles, roots, cache, prefilter or Prefilter(), ahead)
        if ahead is not None and cache is not None:  # (texts of unchanged folders only)
            cache.keep_ahead([key for key, survey in plan.surveys.items() if _clean(survey)])
        result.files = sum(f.count for f in folders) + len(singles)
        result.parsed = len(plan.todo)
        fresh = _parse_and_store(plan.todo, progress, jobs, cache, prefilter)
    finally:
        stop_workers()  # started ahead and not needed after all, or interrupted
    if cache is not None:
        if not plan.unchanged:  # something changed: forget what is gone, list anew
            for root in roots:
                cache.prune(root, _walked(folders, singles))
        cache.refresh([f.key for f in folders if not _clean(plan.surveys.get(f.key))])
    if progress is not None:
        progress(len(plan.todo), len(plan.todo))
    for group in groups:
        if isinstance(group, Folder):
            _collect_folder(result, group, plan.surveys.get(group.key), fresh, cache)
        else:
            # (neither just parsed nor cached: parsed and left out by the prefilter)
            outcome = fresh.pop(group.key, None) or (plan.cached.get(group.key, FILTERED), None)
            _collect(result, group.path, group.key, outcome, cache)
    return result


def _workers_ahead(groups: Sequence[Group], known: int, jobs: int | None) -> None:
    """At least PARALLEL_MIN_FILES more files than the cache knows: start the parsing
    workers now, before the plan's per-file work, while this process is smaller (each
    worker begins as a copy of it). (Usually done already, while walking.)"""
    count = sum(g.count if isinstance(g, Folder) else 1 for g in groups)
    if count - known >= PARALLEL_MIN_FILES:
        _start_parsers(jobs)


def _start_parsers(jobs: int | None) -> None:
    if (jobs or default_jobs()) > 1:
        import newscli.article.frontmatter_yaml  # noqa: F401  (imported once, before the fork)

        start_workers(jobs or default_jobs())


class _WorkersWhileWalking:
    """The walk's ``walked``: starts the parsing workers as soon as the walk has found
    PARALLEL_MIN_FILES more files than the cache knows, rather than after it. A worker
    begins as a copy of this process, and the tree's memory counts the pages they share
    once per process: forked after a walk of 100,000 files, each began at 45 MB, and
    at 22 MB when forked after the first thousand."""

    __slots__ = ("count", "jobs")

    def __init__(self, known: int, jobs: int | None) -> None:
        self.count = -known
        self.jobs = jobs

    def __call__(self, files: int) -> None:
        if self.count < PARALLEL_MIN_FILES:
            self.count += files
            if self.count >= PARALLEL_MIN_FILES:
                _start_parsers(self.jobs)


class _Todo:
    """The files to parse, in order: whole folders, some files of folders, and files
    named alone. Iterating makes their FileRefs as they are needed (a list of them all
    took 43 MB at 100,000 files, for the whole of the parsing)."""

    __slots__ = ("count", "parts")

    def __init__(self) -> None:
        self.parts: list[tuple[Folder, Sequence[str] | None] | FileRef] = []
        self.count = 0

    def add(self, folder: Folder, names: Sequence[str] | None = None) -> None:
        """The folder's files (only the named ones, if given)."""
        self.parts.append((folder, names))
        self.count += folder.count if names is None else len(names)

    def add_file(self, ref: FileRef) -> None:
        self.parts.append(ref)
        self.count += 1

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[FileRef]:
        for part in self.parts:
            if isinstance(part, FileRef):
                yield part
            else:
                yield from part[0].iter_refs(part[1])


class _Plan(NamedTuple):
    surveys: dict[str, Survey]  # walked folders (by key) the cache could tell about
    cached: dict[str, Entry]  # files named directly (by key) found in the cache
    todo: _Todo  # what must be parsed
    unchanged: bool  # nothing below the folders changed since the cache saw them


def _plan(
    folders: Sequence[Folder],
    singles: Sequence[FileRef],
    roots: Sequence[str],
    cache: IndexCache | None,
    prefilter: Prefilter,
    fetched: Fetched | None = None,
) -> _Plan:
    """What the cache holds and what must be parsed (``fetched``: read ahead)."""
    todo = _Todo()
    if cache is None:
        for folder in folders:
            todo.add(folder)
        for ref in singles:
            todo.add_file(ref)
        return _Plan({}, {}, todo, False)
    surveyed = cache.survey(roots, [(f.key, f.stored) for f in folders], prefilter, fetched)
    keys, stamps = [r.key for r in singles], [r.stamp for r in singles]
    cached = cache.lookup(keys, stamps, prefilter)
    for folder in folders:
        survey = surveyed.folders.get(folder.key)
        if survey is None:
            todo.add(folder)
        elif survey.todo:
            todo.add(folder, survey.todo)
    for ref in singles:
        if ref.key not in cached:
            todo.add_file(ref)
    return _Plan(surveyed.folders, cached, todo, surveyed.unchanged)


def _clean(survey: Survey | None) -> bool:
    return survey is not None and survey.clean


def _parse_and_store(
    todo: _Todo,
    progress: Progress | None,
    jobs: int | None,
    cache: IndexCache | None,
    prefilter: Prefilter | None = None,
) -> dict[str, Outcome]:
    """Parse these files (in worker processes when it pays) and store them in the
    cache. Returns their outcomes by key; the export JSON is kept only where the cache
    does not hold it, so memory does not grow with the number of new files, and stored
    files the prefilter leaves out (FILTERED) are not kept at all: a file parsed that
    has no outcome here was left out."""
    fresh: dict[str, Outcome] = {}
    batch: list[tuple[str, Stamp, Entry, str | None]] = []

    def flush() -> None:
        # A batch the cache could not take keeps its export JSON in memory.
        if cache is not None and not cache.store(batch):
            fresh.update((key, (entry, text)) for key, _, entry, text in batch)
        batch.clear()

    # Closed on the way out, whatever happens: on Ctrl-C or SIGTERM the worker pool
    # then cancels the chunks not started instead of parsing them all before exiting.
    outcomes = _parse_all(todo, len(todo), progress, jobs or default_jobs(), cache, prefilter)
    with contextlib.closing(outcomes):
        for ref, (entry, text) in outcomes:
            if entry.record is None and entry.error is None:  # a worker's copy of FILTERED
                continue
            if cache is None or cache.broken or text == STORED:
                fresh[ref.key] = (entry, None if text == STORED else text)
            else:
                entry = versioned(entry, text)
                kept = _kept(entry, prefilter)
                if kept is not FILTERED:
                    fresh[ref.key] = (kept, None)
                batch.append((ref.key, ref.stamp, entry, text))
                if len(batch) >= STORE_BATCH:
                    flush()
    flush()
    return fresh


def _collect_folder(
    result: LoadResult,
    folder: Folder,
    survey: Survey | None,
    fresh: dict[str, Outcome],
    cache: IndexCache | None,
) -> None:
    """A folder's articles and problems in name order, from the cache or just parsed."""
    if survey is None:
        names = [name for name, *_ in folder.files]
        found: dict[str, Entry] = {}
    else:
        skipped = survey.unchanged - len(survey.found)
        if skipped:
            result.passed_over += skipped
            result.passed_over_in.append(folder.key)
        found = survey.found
        names = sorted([*found, *survey.todo]) if survey.todo else sorted(found)
    start = len(result.passed_over_in)
    for name in names:
        key = folder.key + name
        outcome = fresh.pop(key, None) or (found.pop(name, FILTERED), None)  # (as above)
        _collect(result, folder.shown + name, key, outcome, cache)
    if len(result.passed_over_in) > start + 1:  # files just parsed and left out: say where
        del result.passed_over_in[start:]  # once (the cache holds them now)
        if result.passed_over_in[-1:] != [folder.key]:
            result.passed_over_in.append(folder.key)


def _collect(
    result: LoadResult, path: str, key: str, outcome: Outcome, cache: IndexCache | None
) -> None:
    """One file's article or problem."""
    entry, text = outcome
    if entry is FILTERED:
        result.passed_over += 1
        result.passed_over_in.append(key)
        return
    try:
        if entry.error is not None:
            reason, line, field_name = entry.error
            if not sound_error(entry.error):
                raise DamagedRecordError("a stored error is damaged")
            if gone_since(path, reason):
                return
            result.problems.append(Problem(path, reason, line, field_name))
            if entry.problems is not None:
                result.all_problems[path] = entry.problems
            return
        assert entry.record is not None
        # The export JSON: kept from parsing, else in the cache (parsed again if that fails).
        store = NO_STORE if cache is None else cache
        data = FileData(path, key, store, text, entry.field_map, entry.version)
        result.articles.append(from_record(path, entry.record, data, data))
    except DamagedRecordError:
        if cache is None:
            raise  # (not a stored one)
        cache.damaged_now()  # (said, and the next run rebuilds it)
        _collect(result, path, key, parse_one(path), None)
