"""review: the interactive review queue (newscli/review, a Textual app)."""

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from newscli.cli.application import app, exit_codes
from newscli.cli.options import Paths, Strict, check_empty, load_query, seconds, selecting
from newscli.errors import QueryError
from newscli.terminal.output import Output

if TYPE_CHECKING:
    from newscli.review.queue import Queue
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
    if not all(stream.isatty() for stream in (sys.stdin, sys.stdout, sys.stderr)):
        raise QueryError(
            "review needs a terminal (standard input, output and error); in scripts "
            "use `newscli list` and publish/reject/set"
        )


def build_queue(
    out: Output, paths: "list[str] | None", query: "Query", strict: bool, wait: float
) -> "Queue":
    """Load as `list --dedupe` does (invalid files counted, not printed: the app lists
    them), the stories best first, then paged."""
    from dataclasses import replace

    from newscli.review.queue import Item, Queue, best_first

    selection = query.selection
    if selection.published is None:  # by default: what still needs a decision
        selection = replace(selection, published=False)
    everything = replace(query, selection=selection, dedupe=True, limit=None, offset=0, verbosity=0)
    result, loaded = load_query(out, paths, everything, strict)
    kept = result.articles if query.sort else best_first(result.articles)
    end = None if query.limit is None else query.offset + query.limit
    items = [Item(a, result.others.get(a.path, ())) for a in kept[query.offset : end]]
    return Queue(items, loaded.stamps(), loaded.problems, query.now, wait, loaded.articles)


@app.command("review", epilog=REVIEW_EPILOG)
@selecting
def review_command(
    query: "Query",
    paths: Paths = None,
    strict: Strict = False,
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
    with exit_codes(out):
        _needs_terminal()
        queue = build_queue(out, paths, query, strict, wait)
        check_empty(query, len(queue.items))
        from newscli.review.app import ReviewApp

        ReviewApp(queue).run()
        counts = queue.counts()
        if query.verbosity > 0:
            out.note(
                "review: "
                + ", ".join(f"{state} {n}" for state, n in counts.items())
                + (f"; {len(queue.problems)} invalid files skipped" if queue.problems else "")
            )
