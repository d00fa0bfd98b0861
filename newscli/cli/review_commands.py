"""review: the interactive review queue (newscli/review, a Textual app)."""

import contextlib
import os
import sys
from contextlib import nullcontext
from typing import TYPE_CHECKING, Annotated

import typer

from newscli.cli import application
from newscli.cli.application import app, exit_codes
from newscli.cli.loading import note_unmatched_in
from newscli.cli.options import (
    Paths,
    check_empty,
    seconds,
    selecting,
    shared_help,
)
from newscli.errors import NewscliError, QueryError
from newscli.terminal.output import Output

if TYPE_CHECKING:
    from newscli.review.queue import Queue
    from newscli.review.start import Stories
    from newscli.select.query import Query

REVIEW_EPILOG = """\b
Examples:
  newscli review sample_feeds
  newscli review feeds --topic AI --min-quality 60
  newscli review --preset morning
Stories (as --dedupe groups them), by default unpublished and not rejected, best first
(quality, heat, newest; --sort orders them otherwise). Keys: p publish, r reject,
t topics, e FIELD=VALUE, s skip, u undo, o open, / --where, ? help, q quit.
Every decision is saved at once, journaled: `newscli undo` reverts the last one."""


def _needs_terminal() -> None:
    """Textual reads the keys from stdin and draws on stderr; stdout piped would be a
    mistake too (nothing is written there)."""
    streams = (sys.stdin, sys.stdout, sys.stderr)  # (None when closed: `<&-`, h40)
    if not all(stream is not None and stream.isatty() for stream in streams):
        raise QueryError(
            "review needs a terminal (standard input, output and error); in scripts "
            "use `newscli list` and publish/reject/set"
        )
    if os.environ.get("TERM", "") == "dumb":  # (h47: drawn all the same, escape codes and
        raise QueryError(  # all, where they show as text: Emacs's shell)
            "review needs a terminal that can draw a screen (TERM=dumb here); in scripts "
            "use `newscli list` and publish/reject/set"
        )


# Up to this many rows, the stories are grouped before the first screen (a fraction of
# a second); above, the app starts with one row per article and groups them meanwhile.
GROUP_FIRST = 1000


def build_queue(
    out: Output, paths: "list[str] | None", query: "Query", strict: bool, wait: float
) -> "Queue":
    """The queue with its stories grouped (what the app shows once grouping is done)."""
    queue, stories = start_queue(paths, query, strict, wait)
    queue.apply_stories(*stories.group())
    return queue


def start_queue(
    paths: "list[str] | None", query: "Query", strict: bool, wait: float
) -> "tuple[Queue, Stories]":
    """The first rows, one per selected article best first (invalid files counted, not
    printed: the app lists them), and the grouping into stories still to do
    (review.start)."""
    from newscli.review.start import open_queue

    return open_queue(paths or ["."], query, strict, wait)


@app.command("review", epilog=REVIEW_EPILOG)
@selecting
@shared_help(
    published="Review only published or only unpublished articles. Default: unpublished.",
    sort="Sort by date, quality, heat, title, provider or story.size, story.outlets, "
    "story.first, story.rank, story.id; repeat or comma-separate. Default: best first "
    "(quality, then heat, then newest).",
)
def review_command(
    query: "Query",
    paths: Paths = None,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="If any file is invalid, list them all and do not start."),
    ] = False,
    wait: Annotated[
        float,
        typer.Option(
            "--wait",
            min=0,
            callback=seconds,
            metavar="SECONDS",
            help="If another newscli run is editing the same folder, wait this long for "
            "it at each decision (then the decision is refused).",
        ),
    ] = 2.0,
) -> None:
    """Review the selected stories at a terminal: publish, reject, tag, skip, undo."""
    out = Output()
    with exit_codes(out), contextlib.ExitStack() as ending:
        _needs_terminal()
        if query.use_cache:
            from newscli.cli.options import check_cache_env

            check_cache_env(query.cache_dir)  # (h82 4)
        from newscli.index.loader import default_jobs

        default_jobs()  # NEWSCLI_JOBS checked before the screen opens, not inside it
        # (h31: a slow --match or --where left a blank terminal until the first screen)
        erase = out.transient("review: selecting the stories… (Ctrl-C stops)")
        try:
            queue, stories = start_queue(paths, query, strict, wait)
            ending.callback(stories.close)  # (a child still checking the rows ended)
            if len(queue.items) <= GROUP_FIRST:
                queue.apply_stories(*stories.group())
        finally:
            erase()
        check_empty(query, len(queue.items))
        from newscli.review.app import HUNG_UP, INTERRUPTED, TERMINATED, ReviewApp
        from newscli.review.queue import GONE

        selected_none = not queue.items
        review = ReviewApp(queue, stories=stories, signals=True)
        if application.received:  # one whose KeyboardInterrupt was lost: act on it now
            review.early_signal = application.received[0]
        review.run_interruptible()
        from newscli.wording import count

        counts = queue.counts()
        if query.verbosity > 0:
            invalid = len(queue.problems)
            # (after SIGHUP, stderr may be the terminal that is gone: EIO)
            with contextlib.suppress(OSError) if review.return_code == HUNG_UP else nullcontext():
                if selected_none and review.return_code == 0:  # a typo in --topic? (only
                    # then: another load at the end costs 1 s per 10,000 files, h60)
                    note_unmatched_in(out, paths, query)
                out.note(
                    "review: "
                    + ", ".join(f"{state} {n}" for state, n in counts.items() if n or state != GONE)
                    + (f"; {count(invalid, 'invalid file')} skipped" if invalid else "")
                )
        if queue.stopped is not None and query.verbosity > 0:  # (a decision a signal cut)
            with contextlib.suppress(OSError) if review.return_code == HUNG_UP else nullcontext():
                out.note(queue.stopped)
        if review.return_code == INTERRUPTED:  # Ctrl-C or SIGINT: the summary, then 130
            raise KeyboardInterrupt
        if review.return_code == TERMINATED:  # SIGTERM: the summary, then 143
            import signal

            from newscli.cli.application import on_sigterm

            on_sigterm(signal.SIGTERM, None)
        if review.return_code == HUNG_UP:  # SIGHUP, or the terminal went away: 129 (the
            # decisions are saved; the summary and the line go nowhere if it is gone)
            import signal

            from newscli.cli.application import on_sigterm

            on_sigterm(signal.SIGHUP, None)
        if review.return_code:  # the screen stopped on an error (Textual showed it)
            raise NewscliError(
                "review stopped on an internal error; the decisions made before it are saved"
            )
