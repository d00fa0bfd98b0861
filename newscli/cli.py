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
from newscli.errors import EditsRefusedError, NewscliError, StrictModeError
from newscli.output import Output

if TYPE_CHECKING:
    from newscli.loader import LoadResult
    from newscli.model import Article
    from newscli.query import Selection

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_LOCKED = 3
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
    from newscli.locking import LockBusyError

    try:
        yield
    except NewscliError as exc:
        out.error(str(exc))
        raise typer.Exit(EXIT_LOCKED if isinstance(exc, LockBusyError) else EXIT_ERROR) from None
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


Wait = Annotated[
    float,
    typer.Option(
        "--wait",
        min=0,
        metavar="SECONDS",
        help="If another newscli run is editing the same folder, wait this long for it "
        "(then exit 3).",
    ),
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
    mark_published: Annotated[
        bool,
        typer.Option(
            "--mark-published",
            help="After the output is written, mark exactly the exported articles published.",
        ),
    ] = False,
    wait: Wait = 0.0,
) -> None:
    """Export the selected articles as a JSON array, newest first."""
    out = Output()
    selection = _selection(topic, min_quality, max_quality, published)
    with _exit_codes(out):
        from newscli.locking import folder_locks

        locks = folder_locks(paths or ["."], wait) if mark_published else contextlib.nullcontext()
        with locks:
            articles, _ = _load_selected(out, paths, selection, strict)
            from newscli.formats import to_json

            text = to_json(articles)
            if output and output != "-":
                out.to_file(output, text)
            else:
                out.result(text)
            if mark_published:
                _apply_published(out, [a.path for a in articles], True, list_changes=False)


def _apply_published(
    out: Output, files: list[str], value: bool, *, dry_run: bool = False, list_changes: bool = True
) -> None:
    """Set `published` on files; a stdout line per change (if list_changes), a summary on
    stderr. Raises EditsRefusedError after the others are done if any file was refused."""
    from newscli.editing import EditRefusedError, set_published

    changed = same = refused = 0
    state = "true" if value else "false"
    for path in files:
        try:
            result = set_published(path, value, dry_run=dry_run)
        except EditRefusedError as exc:
            refused += 1
            out.problem_line(path, exc.reason)
            continue
        if result.changed:
            changed += 1
            if list_changes:
                out.result(out.line(f"{path}: published {str(result.old).lower()} -> {state}"))
        else:
            same += 1
    verb = "would change" if dry_run else "changed"
    out.note(f"{verb} {changed}, already {state} {same}, refused {refused}")
    if refused:
        raise EditsRefusedError(f"{refused} file(s) could not be edited")


DryRun = Annotated[
    bool, typer.Option("--dry-run", "-n", help="Show what would change; change nothing.")
]
All = Annotated[
    bool,
    typer.Option("--all", help="Allow a folder with no filter: edit every article in it."),
]


def _edit_command(
    value: bool,
    paths: list[str] | None,
    selection: Selection,
    *,
    allow_all: bool,
    dry_run: bool,
    wait: float,
) -> None:
    import os

    from newscli.locking import folder_locks
    from newscli.query import Selection

    out = Output()
    if not paths:
        raise typer.BadParameter("name the article files or folders to edit", param_hint="PATH")
    if any(os.path.isdir(p) for p in paths) and selection == Selection() and not allow_all:
        raise typer.BadParameter(
            "a folder with no filter would edit every article in it; "
            "add --topic/--min-quality/... or --all",
            param_hint="PATH",
        )
    with _exit_codes(out):
        locks = contextlib.nullcontext() if dry_run else folder_locks(paths, wait)
        with locks:
            articles, result = _load_selected(out, paths, selection, strict=False)
            explicit = {os.path.realpath(p) for p in paths if not os.path.isdir(p)}
            invalid_named = [p for p in result.problems if os.path.realpath(p.path) in explicit]
            _apply_published(out, [a.path for a in articles], value, dry_run=dry_run)
            if invalid_named:
                raise EditsRefusedError(f"{len(invalid_named)} named file(s) are invalid")


EDIT_EPILOG = """\b
Examples:
  newscli {name} sample_feeds/rate-decision.md
  newscli {name} sample_feeds --topic AI --min-quality 70 --dry-run
  newscli {name} feeds --unpublished --all --wait 30
Only the value of `published` changes; every other byte of the file is kept."""


@app.command("publish", epilog=EDIT_EPILOG.format(name="publish"))
def publish_command(
    paths: Paths = None,
    topic: Topic = None,
    min_quality: MinQuality = None,
    max_quality: MaxQuality = None,
    published: Published = None,
    dry_run: DryRun = False,
    allow_all: All = False,
    wait: Wait = 0.0,
) -> None:
    """Mark articles published (files, or the selected articles of folders)."""
    selection = _selection(topic, min_quality, max_quality, published)
    _edit_command(True, paths, selection, allow_all=allow_all, dry_run=dry_run, wait=wait)


@app.command("unpublish", epilog=EDIT_EPILOG.format(name="unpublish"))
def unpublish_command(
    paths: Paths = None,
    topic: Topic = None,
    min_quality: MinQuality = None,
    max_quality: MaxQuality = None,
    published: Published = None,
    dry_run: DryRun = False,
    allow_all: All = False,
    wait: Wait = 0.0,
) -> None:
    """Mark articles unpublished (files, or the selected articles of folders)."""
    selection = _selection(topic, min_quality, max_quality, published)
    _edit_command(False, paths, selection, allow_all=allow_all, dry_run=dry_run, wait=wait)


class ReportFormat(str, Enum):
    text = "text"
    json = "json"


VALIDATE_EPILOG = """\b
Examples:
  newscli validate sample_feeds
  newscli validate feeds --format json | jq '.summary'
Exit 0 when every file is valid, 1 otherwise."""


@app.command("validate", epilog=VALIDATE_EPILOG)
def validate_command(
    paths: Paths = None,
    report_format: Annotated[
        ReportFormat,
        typer.Option("--format", case_sensitive=False, metavar="text|json", help="Report format."),
    ] = ReportFormat.text,
) -> None:
    """Check article files: every problem of every file, with field and line."""
    out = Output()
    with _exit_codes(out):
        from newscli import validation

        reports = validation.validate_paths(paths or ["."])
        if report_format == ReportFormat.json:
            out.result(validation.to_json(reports))
        else:
            out.result("".join(out.line(line) for line in validation.to_text(reports)))
        if not all(r.valid for r in reports):
            raise typer.Exit(EXIT_ERROR)


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
