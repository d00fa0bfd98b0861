"""newscli import: feeds, aggregator JSON and OPML lists into article files."""

import os
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from newscli.cli.application import EXIT_ERROR, app, exit_codes
from newscli.cli.options import Wait, check_cache_dir, check_cache_env
from newscli.terminal.output import Output, Report

if TYPE_CHECKING:
    from newscli.config import Config
    from newscli.ingest.fetch import Limits
    from newscli.ingest.importer import Outcome
    from newscli.ingest.known import Known
    from newscli.ingest.sources import Read, Source
    from newscli.ingest.state import ImportState

# `Optional[...]` rather than `X | None`: typer reads these at run time on Python 3.10.
# ruff: noqa: UP045

BACKOFF_ENV = "NEWSCLI_IMPORT_BACKOFF"  # seconds before the first retry (tests: tiny)

IMPORT_EPILOG = """\b
Examples:
  newscli import https://news.example/rss.xml --into feeds --topic World
  newscli import aggregator-export.json feeds.opml --into feeds --dry-run
  newscli import --quiet --wait 300 # the config's sources, to its first feed
Exit 0 when every source was read, 1 when one failed (the others are imported)."""


def _sources(
    given: list[str] | None,
    loaded: "Config",
    topics: list[str] | None,
    quality: int | None,
    category: str | None,
    provider: str | None,
) -> "list[Source]":
    from newscli.ingest.sources import Source
    from newscli.sanitize import name_fault

    for topic in topics or ():  # (h31: `--topic ''` wrote topics: [""] into every file)
        if not topic.strip() or len(topic.splitlines()) > 1 or "\r" in topic:
            raise typer.BadParameter(
                f"{topic!r} is no topic (a topic is a word or words on one line)",
                param_hint="--topic",
            )
    named = [("--topic", t) for t in topics or ()] + [
        ("--category", category),
        ("--provider", provider),
    ]
    for option, value in named:  # (h129 3: an escape or a bell was written into files)
        if value is not None and not value.strip():  # (h154: '' was taken as no value)
            raise typer.BadParameter("an empty name (a script's unset variable?)",
                                     param_hint=option)  # fmt: skip
        fault = name_fault(value) if value is not None else None
        if fault is not None:
            raise typer.BadParameter(f"{value!a} {fault}", param_hint=option)
    if given:
        _stdin_once(given, "SOURCE")
        return [Source(s, tuple(topics or ()), quality, category, provider) for s in given]
    if not loaded.sources:
        raise typer.BadParameter(
            "name the sources to import, or list them under sources: in the config file",
            param_hint="SOURCE",
        )
    _stdin_once([s.url for s in loaded.sources], "sources")  # (h121: in the config too)
    return [
        Source(
            s.url,
            (*s.topics, *(topics or ())),
            s.quality if quality is None else quality,
            category or s.category,
            provider or s.provider,
        )
        for s in loaded.sources
    ]


def _stdin_once(locations: "list[str]", hint: str) -> None:
    """Standard input (-) is one source at most (h119, h120: the second read nothing)."""
    if locations.count("-") > 1:
        raise typer.BadParameter("standard input (-) can be given once", param_hint=hint)


MAX_TIMEOUT = 86_400  # seconds: --timeout at most
MAX_SIZE_MIB = 4096  # --max-size at most (a source is held in memory whole)


def _limits(timeout: float, max_size: float, retries: int) -> "Limits":
    import math

    from newscli.ingest.fetch import Limits

    if not math.isfinite(timeout) or timeout <= 0:
        raise typer.BadParameter(f"{timeout} is not a number of seconds", param_hint="--timeout")
    if timeout > MAX_TIMEOUT:  # (h45: 1e10 was an internal error from the socket)
        raise typer.BadParameter(f"at most {MAX_TIMEOUT:,} seconds (a day)",
                                 param_hint="--timeout")  # fmt: skip
    if not math.isfinite(max_size) or max_size <= 0:
        raise typer.BadParameter(f"{max_size} is not a size in MiB", param_hint="--max-size")
    if max_size > MAX_SIZE_MIB:
        raise typer.BadParameter(f"at most {MAX_SIZE_MIB:,} MiB", param_hint="--max-size")
    try:
        backoff = float(os.environ.get(BACKOFF_ENV, "1"))
    except ValueError:
        backoff = 1.0
    if not math.isfinite(backoff) or backoff < 0:
        backoff = 1.0
    return Limits(timeout, int(max_size * 1024 * 1024), retries, backoff)


def _summary(reads: "list[Read]", outcomes: "list[Outcome]", failed: int, dry_run: bool) -> str:
    from newscli.wording import count

    verb = "would import" if dry_run else "imported"
    written = sum(o.written for o in outcomes)
    parts = [f"{sum(o.skipped for o in outcomes)} already there"]
    undated = sum(o.undated for o in outcomes)
    if undated:
        parts.append(f"{undated} without a date it could read, filed under today")
    not_modified = sum(1 for r in reads if r.not_modified)
    if not_modified:
        parts.append(f"{not_modified} not modified")
    left_out = sum(r.left_out for r in reads)
    if left_out:
        # (each needs a title, and a URL or an id to be known by on the next run)
        parts.append(f"{count(left_out, 'item')} left out (no title, or no URL and no id)")
    if failed:
        parts.append(f"{failed} failed")
    sources = count(len(reads), "source")
    return f"{verb} {count(written, 'new article')} from {sources} ({', '.join(parts)})"


@app.command("import", epilog=IMPORT_EPILOG)
def import_command(
    sources: Annotated[
        Optional[list[str]],
        typer.Argument(
            help="Files, http(s) URLs or - (standard input): RSS, Atom, JSON Feed, "
            "aggregator JSON or OPML (told apart by their content). Default: the config "
            "file's sources.",
            show_default=False,
            metavar="SOURCE...",
        ),
    ] = None,
    into: Annotated[
        Optional[str],
        typer.Option(
            "--into",
            "-i",
            metavar="FOLDER",
            show_default=False,
            help="Where the article files go. Default: the config file's first feed.",
        ),
    ] = None,
    topic: Annotated[
        Optional[list[str]],
        typer.Option(
            "--topic",
            "-t",
            metavar="TOPIC",
            show_default=False,
            help="Add this topic to every imported article; repeatable.",
        ),
    ] = None,
    quality: Annotated[
        Optional[int],
        typer.Option(
            "--quality",
            min=0,
            max=100,
            metavar="N",
            show_default=False,
            help="The quality of items that have none of their own.",
        ),
    ] = None,
    category: Annotated[
        Optional[str],
        typer.Option(
            "--category",
            metavar="C",
            show_default=False,
            help="The category of items that have none of their own.",
        ),
    ] = None,
    provider: Annotated[
        Optional[str],
        typer.Option(
            "--provider",
            metavar="NAME",
            show_default=False,
            help="The provider name of items that give none (default: the feed's title).",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", "-n", help="List what would be written; write nothing.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Only errors on stderr (no summary).")
    ] = False,
    wait: Wait = 0.0,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            metavar="SECONDS",
            help="Give up on a source after this long (connecting and downloading).",
        ),
    ] = 30.0,
    max_size: Annotated[
        float,
        typer.Option(
            "--max-size",
            metavar="MIB",
            help="Refuse a source larger than this many MiB (after decompression).",
        ),
    ] = 32.0,
    retries: Annotated[
        int,
        typer.Option(
            "--retries",
            min=0,
            max=10,
            metavar="N",
            help="Try again this many times after a 5xx or 429 answer.",
        ),
    ] = 2,
    config_file: Annotated[
        Optional[str],
        typer.Option(
            "--config",
            metavar="FILE",
            show_default=False,
            help="The config file (sources:, feeds:).",
        ),
    ] = None,
    cache_dir: Annotated[
        Optional[str],
        typer.Option(
            "--cache-dir",
            metavar="DIR",
            show_default=False,
            help="Where the index cache lives (it tells which articles exist).",
        ),
    ] = None,
) -> None:
    """Import feeds (RSS, Atom, JSON Feed), aggregator JSON and OPML lists: one new
    article file per new item."""
    out = Output()
    with exit_codes(out):
        from newscli import config

        loaded = config.load(config.find(config_file))
        chosen = _sources(sources, loaded, topic, quality, category, provider)
        folder = into or (loaded.feeds[0] if loaded.feeds else None)
        if folder is None:
            raise typer.BadParameter(
                "name the folder to import into (or list feeds: in the config file)",
                param_hint="--into",
            )
        limits = _limits(timeout, max_size, retries)
        failed = _run(
            out,
            chosen,
            folder,
            limits,
            dry_run=dry_run,
            quiet=quiet,
            wait=wait,
            cache_dir=cache_dir,
        )
        if failed:
            raise typer.Exit(EXIT_ERROR)


def _run(
    out: Output,
    sources: "list[Source]",
    folder: str,
    limits: "Limits",
    *,
    dry_run: bool,
    quiet: bool,
    wait: float,
    cache_dir: str | None,
) -> int:
    """Read every source, then (holding the folder's lock) write the new items; returns
    how many sources failed (each got its error line), plus one if the import state
    could not be saved."""
    import contextlib

    from newscli.edit.locking import folder_locks, lock_folder_for
    from newscli.errors import OutputError
    from newscli.ingest.fetch import is_url
    from newscli.ingest.importer import Outcome, write_items
    from newscli.ingest.item import Item
    from newscli.ingest.known import Known, existing
    from newscli.ingest.sources import bounded_scope, read_source
    from newscli.ingest.state import ImportState
    from newscli.wording import cannot_create, count

    check_cache_dir(cache_dir)
    check_cache_env(cache_dir)  # (h82 4: a folder named "  " where cron ran)
    if not folder.strip():  # (h31: a folder named by blanks was made)
        raise typer.BadParameter("needs a folder name", param_hint="--into")
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise typer.BadParameter(f"{folder} is not a folder", param_hint="--into")
    state = ImportState.load()
    reads = []
    for source in sources:
        for read in read_source(source, limits, lambda url: state.validators(url, folder)):
            if read.error:
                out.error(f"{_named(read.source.location)}: {read.error}")
            elif read.encoding and not quiet:
                out.note(f"{_named(read.source.location)}: {read.encoding}")
            if read.cut and not quiet:
                last = ", but the last, unfinished there," if read.unfinished else ""
                # (h102: "asked for whole next time" of a file, which is read as it is)
                later = (
                    "it is asked for whole next time"
                    if is_url(read.source.location)
                    else "the rest comes once it is given whole"
                    if read.source.location == "-"
                    else "the rest comes once the file holds it"
                )
                out.note(f"{_named(read.source.location)}: the document ends before its end "
                         f"(cut short?): its items so far{last} are imported; {later}")  # fmt: skip
            reads.append(read)
    # every source failed: nothing to write, so no folder (a typo'd --into) and no lock
    writing = not dry_run and not all(read.error for read in reads)
    if writing:
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError as exc:
            raise OutputError(cannot_create(folder, exc)) from None

    # stdout only reports what was written: a reader that left or a full disk stops
    # the lines, not the import (exit 141 or 1 after it, the summary said)
    report = Report(out, "; the list stops there, the import did not")

    def written(path: str, item: Item) -> None:
        report.add([f"{path}: {item.title}"])

    locked = lock_folder_for(folder) if writing else None  # (the folder, or its parent)
    with folder_locks([folder], wait, required=True) if writing else contextlib.nullcontext():
        known, invalid = existing(folder, cache_dir) if os.path.isdir(folder) else (Known(), 0)
        reads = _fetched_again(reads, known, folder, state, limits, out)
        if invalid and not quiet:  # (h31: a hand-edited file's item came back, unsaid)
            out.note(f"{folder}: {count(invalid, 'file')} not valid (newscli validate says "
                     "why): an item of theirs is imported again")  # fmt: skip
        outcomes: list[Outcome] = []
        try:
            write_items(reads, folder, known, written, dry_run=not writing,
                        outcomes=outcomes, between=report.keep_up, locked=locked)  # fmt: skip
            report.write()
        except KeyboardInterrupt:  # Ctrl-C, SIGTERM, SIGHUP: how far it got
            left = report.finish()  # the lines of the files already made
            if left:
                out.note(f"the list on stdout lacks the last {count(left, 'line')} "
                         "(stdout was not being read)")  # fmt: skip
            if writing and not quiet:
                made = count(sum(o.written for o in outcomes), "new article")
                out.note(f"interrupted after importing {made} (each file whole; the next "
                         "run imports the rest)")  # fmt: skip
            raise
        for outcome in outcomes:
            if outcome.error and not outcome.read.error:  # a write failed
                out.error(f"{_named(outcome.read.source.location)}: {outcome.error}")
            elif not outcome.error and not dry_run:
                location = outcome.read.source.location
                if location.lower().startswith(("http://", "https://")):
                    held = known.by_feed.get(bounded_scope(location), 0)
                    state.remember(location, folder, *outcome.read.validators, held)
        unsaved = False
        if writing:
            try:
                state.save()
            except OutputError as exc:  # the files are made: said, exit 1, not lost
                out.error(f"cannot save the import state ({exc}): the next run downloads "
                          "every source in full")  # fmt: skip
                unsaved = True
    failed = sum(1 for o in outcomes if o.error)
    if not quiet:
        out.note(_summary(reads, outcomes, failed, dry_run))
    report.close()  # (141 or 1 if the list could not be all written)
    return failed + unsaved  # (exit 1 for either)


def _fetched_again(
    reads: "list[Read]", known: "Known", folder: str, state: "ImportState", limits: "Limits",
    out: Output,
) -> "list[Read]":  # fmt: skip
    """The reads, a source that answered 304 fetched again in full if the folder holds
    fewer of its articles (their sourceFeed) than after the import that saved its
    validators (files deleted since: their items come again while the feed gives them,
    h45; counted per source, h51: another feed's new files hid the deletion)."""
    from newscli.ingest.sources import bounded_scope, read_source

    again: list[Read] = []
    for read in reads:
        location = read.source.location
        saved = state.articles(location, folder) if read.not_modified else None
        if saved is None or known.by_feed.get(bounded_scope(location), 0) >= saved:
            again.append(read)
            continue
        for fresh in read_source(read.source, limits, lambda url: (None, None)):
            if fresh.error:
                out.error(f"{_named(fresh.source.location)}: {fresh.error}")
            again.append(fresh)
    return again


def _named(location: str) -> str:
    """A source as its lines name it: an empty one as '' (not "newscli: error: : ...")."""
    return location or repr(location)
