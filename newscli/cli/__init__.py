"""The command-line interface: the only package that imports typer.

It parses options, calls the core, sends everything through one Output, and maps the
core's exceptions to the documented exit codes in one place (`app.exit_codes`).
Heavy modules (YAML, rich) are imported inside commands to keep start-up fast.
"""

import contextlib
import os
import sys

import typer

from newscli.cli import (  # noqa: F401  (importing registers the commands)
    read_commands,
    report_commands,
    write_commands,
)
from newscli.cli.app import EXIT_BROKEN_PIPE, EXIT_ERROR, EXIT_INTERRUPTED, app, silence_stdout

__all__ = ["app", "main"]


def _only_needed(args: list[str]) -> list[typer.models.CommandInfo]:
    """The registered commands that this command line needs built: Click builds every
    command's options before it parses anything, which costs more than most runs. Only
    the named command then (none for --version alone); all of them for help, shell
    completion or a name that is no command (the error lists them)."""
    commands = app.registered_commands
    if any(name.startswith("_NEWSCLI_COMPLETE") for name in os.environ):
        return commands
    for arg in args:
        if arg in ("-h", "--help"):
            return commands
        if arg == "--version":
            return []
        if not arg.startswith("-"):
            named = [c for c in commands if c.name == arg]
            return named or commands
    return commands


def main() -> None:
    """Console-script entry point."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[union-attr]
    registered = app.registered_commands
    try:
        app.registered_commands = _only_needed(sys.argv[1:])
        app(prog_name="newscli")
    except BrokenPipeError:
        silence_stdout()
        sys.exit(EXIT_BROKEN_PIPE)
    except KeyboardInterrupt:
        sys.stderr.write("newscli: error: interrupted\n")
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:  # the last safety net: never a traceback for a user
        if os.environ.get("NEWSCLI_DEBUG"):
            raise
        message = f"{type(exc).__name__}: {exc}".replace("\n", " ")
        sys.stderr.write(
            f"newscli: error: internal error: {message} (NEWSCLI_DEBUG=1 shows details)\n"
        )
        sys.exit(EXIT_ERROR)
    finally:
        app.registered_commands = registered
