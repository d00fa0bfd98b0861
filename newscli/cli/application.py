"""The Typer application, its exit codes, and the one place that maps errors to them."""

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import Annotated

import typer

from newscli import __version__
from newscli.errors import NewscliError, QueryError
from newscli.output import Output

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_LOCKED = 3
EXIT_EMPTY = 4
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143  # 128 + SIGTERM
EXIT_BROKEN_PIPE = 141

app = typer.Typer(
    name="newscli",
    help="Curate folders of news article files: list, filter, export and publish them.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Terminated(KeyboardInterrupt):
    """SIGTERM (`timeout`, `kill`, a stopping service): handled like Ctrl-C, so the
    same clean-up runs (no temporary file is left), then exit 143."""


terminated: list[bool] = []  # a SIGTERM came (typer turns it into a silent exit 130)


def on_sigterm(signum: int, frame: object) -> None:
    terminated.append(True)
    raise Terminated()


def interrupted(exc: KeyboardInterrupt) -> tuple[str, int]:
    """(message, exit code) for Ctrl-C or SIGTERM."""
    if isinstance(exc, Terminated):
        return "terminated", EXIT_TERMINATED
    return "interrupted", EXIT_INTERRUPTED


def silence_stdout() -> None:
    """After a closed pipe, point stdout at /dev/null so the exit flush cannot fail."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _exit_code(exc: NewscliError) -> int:
    from newscli.config import ConfigError
    from newscli.errors import EmptySelectionError
    from newscli.locking import LockBusyError

    if isinstance(exc, LockBusyError):
        return EXIT_LOCKED
    if isinstance(exc, EmptySelectionError):
        return EXIT_EMPTY
    if isinstance(exc, (QueryError, ConfigError)):
        return EXIT_USAGE
    return EXIT_ERROR


@contextlib.contextmanager
def exit_codes(out: Output) -> Iterator[None]:
    """The single place where failures become messages and exit codes."""
    try:
        yield
    except NewscliError as exc:
        if not getattr(exc, "quiet", False):  # EmptySelectionError under --quiet
            out.error(str(exc))
        raise typer.Exit(_exit_code(exc)) from None
    except BrokenPipeError:
        silence_stdout()
        raise typer.Exit(EXIT_BROKEN_PIPE) from None
    except KeyboardInterrupt as exc:
        message, code = interrupted(exc)
        out.error(message)
        raise typer.Exit(code) from None
    except (typer.Exit, typer.Abort, typer.BadParameter):
        raise
    except Exception as exc:
        if os.environ.get("NEWSCLI_DEBUG"):
            raise
        out.error(f"internal error: {type(exc).__name__}: {exc} (NEWSCLI_DEBUG=1 shows details)")
        raise typer.Exit(EXIT_ERROR) from None


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
    """Curate folders of news article files: list, filter, export and publish them.

    Exit codes: 0 success (also when nothing matched), 1 runtime error, 2 usage or
    config error, 3 a folder to edit is locked by another run, 4 nothing selected with
    --fail-if-empty.
    """
