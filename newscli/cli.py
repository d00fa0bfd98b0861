"""The command-line interface: the only module that imports typer.

It parses options, calls the core, sends everything through one Output, and maps the
core's exceptions to the documented exit codes in one place (`_exit_codes`).
Heavy modules (YAML, rich) are imported inside commands to keep start-up fast.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from newscli import __version__
from newscli.errors import NewscliError, StrictModeError
from newscli.output import Output

if TYPE_CHECKING:
    from newscli.loader import LoadResult
    from newscli.model import Article
    from newscli.query import Selection

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141

app = typer.Typer(
    name="newscli",
    help="Curate folders of news article files: list, filter and export them.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@contextlib.contextmanager
def _exit_codes(out: Output) -> Iterator[None]:
    """The single place where failures become messages and exit codes."""
    try:
        yield
    except NewscliError as exc:
        out.error(str(exc))
        raise typer.Exit(EXIT_ERROR) from None
    except BrokenPipeError:
        _silence_stdout()
        raise typer.Exit(EXIT_BROKEN_PIPE) from None
    except KeyboardInterrupt:
        out.error("interrupted")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except (typer.Exit, typer.Abort, typer.BadParameter):
        raise
    except Exception as exc:
        if os.environ.get("NEWSCLI_DEBUG"):
            raise
        out.error(f"internal error: {type(exc).__name__}: {exc} (NEWSCLI_DEBUG=1 shows details)")
        raise typer.Exit(EXIT_ERROR) from None


def _silence_stdout() -> None:
    """After a closed pipe, point stdout at /dev/null so the exit flush cannot fail."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


# --- options shared by every selecting command (defined once) ---------------------------

Paths = Annotated[
    Optional[list[str]],  # noqa: UP045 - typer needs Optional at runtime on 3.10
    typer.Argument(
        help="Article files or folders (searched recursively for *.md, *.markdown). "
        "Default: the current folder.",
        show_default=False,
        metavar="PATH",
    ),
]
Topic = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option(
        "--topic",
        "-t",
        help="Keep articles with this topic (case-insensitive); repeat for any of several.",
        show_default=False,
        metavar="TOPIC",
    ),
]
MinQuality = Annotated[
    Optional[int],  # noqa: UP045
    typer.Option("--min-quality", min=0, max=100, metavar="N", help="Keep quality >= N (0-100)."),
]
MaxQuality = Annotated[
    Optional[int],  # noqa: UP045
    typer.Option("--max-quality", min=0, max=100, metavar="N", help="Keep quality <= N (0-100)."),
]
Published = Annotated[
    Optional[bool],  # noqa: UP045
    typer.Option(
        "--published/--unpublished",
        help="Keep only published or only unpublished articles. Default: both.",
        show_default=False,
    ),
]
Strict = Annotated[
    bool,
    typer.Option("--strict", help="If any file is invalid, write no output and exit 1."),
]


def _selection(
    topic: list[str] | None,
    min_quality: int | None,
    max_quality: int | None,
    published: bool | None,
) -> Selection:
    from newscli.query import Selection

    if min_quality is not None and max_quality is not None and min_quality > max_quality:
        raise typer.BadParameter(
            f"--min-quality {min_quality} is greater than --max-quality {max_quality}"
        )
    return Selection(tuple(topic or ()), min_quality, max_quality, published)


def _load_selected(
    out: Output, paths: list[str] | None, selection: Selection, strict: bool
) -> tuple[list[Article], LoadResult]:
    """Load, report every invalid file on stderr, apply --strict, select."""
    from newscli.loader import load_paths
    from newscli.query import select

    result = load_paths(paths or ["."])
    for problem in result.problems:
        out.problem(problem)
    if strict and result.problems:
        count = len(result.problems)
        raise StrictModeError(f"{count} invalid file(s); nothing written (--strict)")
    return select(result.articles, selection), result


def _version(value: bool) -> None:
    if value:
        typer.echo(f"newscli {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Curate folders of news article files: list, filter and export them.

    Exit codes: 0 success (also when nothing matched), 1 runtime error (missing path,
    unwritable output, --strict with invalid files), 2 usage error.
    """


class ListFormat(str, Enum):
    auto = "auto"
    table = "table"
    tsv = "tsv"


LIST_EPILOG = """\b
Examples:
  newscli list sample_feeds
  newscli list sample_feeds --topic AI --topic Climate --min-quality 60
  newscli list sample_feeds --unpublished | cut -f1,7
On a terminal: a table, newest first. Piped: tab-separated values with a header row."""


@app.command("list", epilog=LIST_EPILOG)
def list_command(
    paths: Paths = None,
    topic: Topic = None,
    min_quality: MinQuality = None,
    max_quality: MaxQuality = None,
    published: Published = None,
    strict: Strict = False,
    output_format: Annotated[
        ListFormat,
        typer.Option(
            "--format",
            help="table, tsv, or auto: a table on a terminal, tsv otherwise.",
            case_sensitive=False,
            metavar="auto|table|tsv",
        ),
    ] = ListFormat.auto,
) -> None:
    """Show the selected articles, newest first."""
    out = Output()
    selection = _selection(topic, min_quality, max_quality, published)
    with _exit_codes(out):
        articles, result = _load_selected(out, paths, selection, strict)
        as_table = output_format == ListFormat.table or (
            output_format == ListFormat.auto and out.is_terminal
        )
        if as_table:
            from newscli.render import article_table

            console = out.console()
            table = article_table(articles, console.width, skipped=len(result.problems))
            out.render(table, console)
        else:
            from newscli.formats import to_tsv

            out.result(to_tsv(articles))


EXPORT_EPILOG = """\b
Examples:
  newscli export sample_feeds > articles.json
  newscli export sample_feeds --topic AI --min-quality 70 -o ai.json
  newscli export sample_feeds --unpublished --strict | jq '.[].title'
Each item holds the front-matter fields under their original names (unknown fields
included), dates as RFC 3339 UTC, plus "path"."""


@app.command("export", epilog=EXPORT_EPILOG)
def export_command(
    paths: Paths = None,
    topic: Topic = None,
    min_quality: MinQuality = None,
    max_quality: MaxQuality = None,
    published: Published = None,
    strict: Strict = False,
    output: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--output",
            "-o",
            help="Write to FILE atomically instead of stdout ('-' is stdout).",
            metavar="FILE",
        ),
    ] = None,
) -> None:
    """Export the selected articles as a JSON array, newest first."""
    out = Output()
    selection = _selection(topic, min_quality, max_quality, published)
    with _exit_codes(out):
        articles, _ = _load_selected(out, paths, selection, strict)
        from newscli.formats import to_json

        text = to_json(articles)
        if output and output != "-":
            out.to_file(output, text)
        else:
            out.result(text)


def main() -> None:
    """Console-script entry point."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[union-attr]
    try:
        app(prog_name="newscli")
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(EXIT_BROKEN_PIPE)
    except KeyboardInterrupt:
        sys.stderr.write("newscli: error: interrupted\n")
        sys.exit(EXIT_INTERRUPTED)
