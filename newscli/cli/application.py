"""The Typer application, its exit codes, and the one place that maps errors to them."""

import contextlib
import os
import re
import signal
import sys
from collections.abc import Iterator
from typing import Annotated, Any, NoReturn, Optional

import typer
from typer.core import TyperGroup

from newscli import __version__
from newscli.errors import NewscliError, QueryError
from newscli.terminal.output import Output, silence_stdout

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_LOCKED = 3
EXIT_EMPTY = 4
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143  # 128 + SIGTERM
EXIT_HUNG_UP = 129  # 128 + SIGHUP
EXIT_BROKEN_PIPE = 141


def debugging() -> bool:
    """NEWSCLI_DEBUG set to anything but "", "0", "false", "no" or "off" (h50: `=0` turned
    tracebacks on)."""
    value = os.environ.get("NEWSCLI_DEBUG", "").strip().lower()
    return value not in ("", "0", "false", "no", "off")


def usage_message(exc: typer.TyperException) -> str:
    """A usage error of the command-line parser as the one line after ``newscli: error:``
    (Click would print a usage block and ``Error: ...``)."""
    param = getattr(exc, "param", None)
    hint = getattr(exc, "param_hint", None)
    if isinstance(exc, typer.BadParameter) and type(exc).__name__ != "MissingParameter":
        if hint is None and param is not None:
            hint = (param.opts or [param.human_readable_name])[0]
        if isinstance(hint, (list, tuple)):
            hint = hint[0]
        text = exc.message if hint is None else f"{hint}: {exc.message}"
    else:
        if getattr(exc, "possibilities", None):  # an unknown option, with close names
            close = " or ".join(sorted(exc.possibilities))  # type: ignore[attr-defined]
            text = f"{exc.message}; did you mean {close}?"
        else:
            text = exc.format_message()
        # Click's "No such option" (not a metavar such as PATH, nor a hint: a path the
        # user typed, h98: `MyFeeds: a folder with no filter` was said as `myFeeds`)
        if text[1:2].islower():
            text = text[:1].lower() + text[1:]
        name = getattr(exc, "option_name", None)
        if type(exc).__name__ == "NoSuchOption" and name and not name.startswith("--"):
            text += _short_option_hint(name, getattr(exc, "ctx", None))
    text = text.replace("is not a valid int range", "is not a valid integer")
    # (Click lays a choice list out over lines: "Choose from:\n\tadd,\n\tremove", which
    # the one error line showed as escapes, h50)
    text = re.sub(r":?\n\t", lambda m: ": " if m.group().startswith(":") else " ", text)
    text = text.replace(". Did you mean", "; did you mean")
    # a value quoted back is cut to its first 60 characters (h99: a 5,000-digit --min-heat
    # made a line of 5,050)
    text = re.sub(r"(['\"])((?:(?!\1).){60})(?:(?!\1).)+\1", r"\1\2...\1", text, flags=re.S)
    return from_preset(text[:-1] if text.endswith(".") and not text.endswith("..") else text)


def _short_option_hint(name: str, ctx: Any) -> str:
    """After "no such option: -x": a long option typed with one dash (``-where``: did you
    mean --where?), else, for a command that takes values, how to give one beginning
    with a dash (h143: `tag add "- x"` said only "no such option: -"; h146: not for a
    command that takes none)."""
    command = getattr(ctx, "command", None)
    if command is None:
        return ""
    longs = {o for p in command.params for o in p.opts if o.startswith("--")}
    typed = next((a for a in sys.argv[1:] if a.startswith(name) and len(a) > 2), None)
    if typed is not None and "-" + typed.partition("=")[0] in longs:
        return f"; did you mean -{typed.partition('=')[0]}?"
    if any(p.param_type_name == "argument" for p in command.params):
        return "; if it is a value, not an option, put -- before it"
    return ""


def from_preset(message: str, options: tuple[str, ...] = (), path: str | None = None) -> str:
    """An error about an option's value that the --preset gave names the preset's key
    (cli.presets.named; ``options``: those an error of several is about), else is as it
    is."""
    presets = sys.modules.get("newscli.cli.presets")  # (not imported: no preset applied)
    return message if presets is None else presets.named(message, options, path)


class NewscliGroup(TyperGroup):
    """The app's command group: parser errors in newscli's one error style, exit 2."""

    def main(  # type: ignore[override]
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except typer.TyperException as exc:  # Click's usage errors
            if type(exc).__name__ == "NoArgsIsHelpError":  # `newscli` alone: the help
                exc.show()  # type: ignore[attr-defined]
            else:
                Output().error(usage_message(exc))
            sys.exit(getattr(exc, "exit_code", EXIT_USAGE))
        except typer.Abort:
            Output().error("aborted")
            sys.exit(EXIT_ERROR)
        if code == EXIT_INTERRUPTED and received and not (terminated or reported):
            # Ctrl-C while options were parsed: typer's silent 130 (a command's own
            # handling says why first).
            reported.append(EXIT_INTERRUPTED)
            Output().error("interrupted")
        sys.exit(code if isinstance(code, int) else EXIT_OK)


app = typer.Typer(
    name="newscli",
    cls=NewscliGroup,
    help="Curate folders of news article files: list, filter, export and publish them.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
# The list every command registers on. A run replaces ``app.registered_commands`` with
# the few it builds; this keeps the whole list (for `cli.every_command`).
REGISTERED = app.registered_commands


class Terminated(KeyboardInterrupt):
    """SIGTERM (`timeout`, `kill`, a stopping service): handled like Ctrl-C, so the
    same clean-up runs (no temporary file is left), then exit 143."""


class HungUp(Terminated):
    """SIGHUP (the terminal or the SSH session that ran it closed): handled like SIGTERM,
    then exit 129 (a run left by its terminal once ended by the signal itself, a
    temporary file left and its list of files changed cut short)."""


# A SIGTERM or SIGHUP came (typer turns it into a silent exit 130): its exception type.
terminated: list[type[Terminated]] = []
# Every SIGINT, SIGTERM and SIGHUP of the run, in order: the exception a handler raises can be
# lost (raised inside a weakref callback or a __del__, as while modules are imported,
# Python prints it and goes on); a command about to wait for a person looks here first.
received: list[int] = []
reported: list[int] = []  # the exit codes of interrupts exit_codes reported


def quitting() -> bool:
    """Whether an earlier signal's exception is on its way out (being handled, its
    clean-up running, or reported): a second signal then is recorded, not raised, so
    it cannot cut that clean-up short or say why twice (`timeout` signals the process,
    then its group, milliseconds apart)."""
    handled = sys.exc_info()[1]
    return bool(reported) or (handled is not None and interrupt_within(handled) is not None)


def on_sigint(signum: int, frame: object) -> None:
    received.append(signum)
    if not quitting():
        raise KeyboardInterrupt


def on_sigterm(signum: int, frame: object) -> None:
    """SIGTERM, or SIGHUP (as SIGTERM, said and coded as itself)."""
    received.append(signum)
    if not quitting():
        kind = HungUp if signum == getattr(signal, "SIGHUP", None) else Terminated
        terminated.append(kind)
        raise kind()


def interrupt_within(exc: BaseException) -> KeyboardInterrupt | None:
    """The SIGINT or SIGTERM behind another exception, if one is. Python wraps what
    ``__set_name__`` raises in a RuntimeError (a signal while an import makes a class,
    as Textual's dataclasses), so Ctrl-C there would read as an internal error."""
    seen: set[int] = set()
    link: BaseException | None = exc
    while link is not None and id(link) not in seen:
        if isinstance(link, KeyboardInterrupt):
            return link
        seen.add(id(link))
        link = link.__cause__ or link.__context__
    return None


def interrupted(exc: KeyboardInterrupt) -> tuple[str, int]:
    """(message, exit code) for Ctrl-C, SIGTERM or SIGHUP."""
    if isinstance(exc, HungUp):
        return "hung up", EXIT_HUNG_UP
    if isinstance(exc, Terminated):
        return "terminated", EXIT_TERMINATED
    return "interrupted", EXIT_INTERRUPTED


def exit_code(exc: NewscliError) -> int:
    """The exit code of a failure (every place that exits on one asks here)."""
    from newscli.config import ConfigError
    from newscli.edit.locking import LockBusyError
    from newscli.edit.undo_plan import BatchBeingWrittenError
    from newscli.errors import EmptySelectionError, SettingError

    if isinstance(exc, (LockBusyError, BatchBeingWrittenError)):
        return EXIT_LOCKED
    if isinstance(exc, EmptySelectionError):
        return EXIT_EMPTY
    if isinstance(exc, (QueryError, ConfigError, SettingError)):
        return EXIT_USAGE
    return EXIT_ERROR


@contextlib.contextmanager
def exit_codes(out: Output) -> Iterator[None]:
    """The single place where failures become messages and exit codes."""
    try:
        yield
        for later in out.later:  # (the work done: what only its end knows)
            note = later()
            if note:
                out.note(note)
        if out.left_out:  # (each said where it was met)
            from newscli.errors import LeftOutError
            from newscli.wording import count

            raise LeftOutError(
                f"{count(len(out.left_out), 'article')} changed while this run ran: left out "
                "(see above); the next run writes what it selects of them"
            )
    except NewscliError as exc:
        from newscli.errors import EmptySelectionError

        if isinstance(exc, EmptySelectionError):  # an answer a script asked for, no
            if not exc.quiet:  # error (h49: cron mailed "error:" on every quiet day)
                out.note(str(exc))
        else:
            options, path = getattr(exc, "options", ()), getattr(exc, "path", None)
            out.error(from_preset(str(exc), options, path if isinstance(path, str) else None))
        raise typer.Exit(exit_code(exc)) from None
    except BrokenPipeError:
        silence_stdout()
        raise typer.Exit(EXIT_BROKEN_PIPE) from None
    except KeyboardInterrupt as exc:
        _report_interrupt(out, exc)
    except (typer.Exit, typer.Abort, typer.BadParameter):
        raise
    except Exception as exc:
        signal_exc = interrupt_within(exc)
        if signal_exc is not None:  # a signal while a class was made (an import)
            _report_interrupt(out, signal_exc)
        if debugging():
            raise
        short = out_of(exc) or damaged_cache(exc)
        if short is not None:
            out.error(short)
        else:
            out.error(
                f"internal error: {type(exc).__name__}: {exc} (NEWSCLI_DEBUG=1 shows details)"
            )
        raise typer.Exit(EXIT_ERROR) from None


def damaged_cache(exc: Exception) -> str | None:
    """JSON that does not read back, in a run that opened the index cache: a stored
    record damaged under SQLite's notice (h122: every run met it again, an internal
    error). The cache is marked (the next run rebuilds it) and the error says so. (Every
    other JSON is read where ValueError is caught: tests/cli/test_damaged_cache_blame.)"""
    import json

    cache_module = sys.modules.get("newscli.index.cache")
    if not isinstance(exc, json.JSONDecodeError) or cache_module is None:
        return None
    marked = cache_module.mark_opened_damaged()
    if not marked:
        return None
    return (
        f"cache {marked[0]}: a stored record is damaged ({exc}); it is rebuilt at the next "
        "run (--no-cache goes without it)"
    )


# What a run short of a resource of the process or the machine says: no fault of newscli
# or of a file (h28: "internal error: OSError" for a low `ulimit -n`).
_SHORT_OF = {
    "EMFILE": "raise this process's limit (ulimit -n) and run again",
    "ENFILE": "the system's table of open files is full; run again later",
    "ENOMEM": "the machine is out of memory",
    "ENOBUFS": "the machine is out of memory for buffers",
}


def out_of(exc: BaseException) -> str | None:
    """The error line for a run that ran short of descriptors or memory, or that a
    locale cannot serve, else None."""
    import errno

    if isinstance(exc, MemoryError):
        return "out of memory: the machine has too little for this run"
    if isinstance(exc, FileNotFoundError) and exc.filename is None and not _in_a_folder():
        # (a relative path, or one made absolute, in a folder deleted since the run began)
        return "the current folder was removed: run from another one, or give absolute paths"
    if isinstance(exc, UnicodeEncodeError) and exc.encoding.lower() not in ("utf-8", "utf8"):
        # (h40: a non-ASCII path from the config, Python's UTF-8 mode off in a C locale)
        return (
            f"a name this locale's encoding ({exc.encoding}) cannot write: "
            f"{exc.object!r}; run with a UTF-8 locale (LANG=C.UTF-8) or PYTHONUTF8=1"
        )
    if not isinstance(exc, OSError) or exc.errno is None:
        return None
    hint = _SHORT_OF.get(errno.errorcode.get(exc.errno, ""))
    if hint is None:
        return None
    where = f" ({exc.filename})" if exc.filename is not None else ""
    return f"{exc.strerror or exc}{where}: {hint}"


def _in_a_folder() -> bool:
    """Whether the current folder still exists."""
    try:
        os.getcwd()
    except OSError:
        return False
    return True


def _report_interrupt(out: Output, exc: KeyboardInterrupt) -> NoReturn:
    from newscli.index.parallel import signals_held

    message, code = interrupted(exc)
    with signals_held():  # (a second one meanwhile is raised after: said once, main())
        out.error(message)
        reported.append(code)
    raise typer.Exit(code) from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"newscli {__version__}")
        raise typer.Exit()


def _config(value: str | None) -> str | None:
    if value is not None:
        from newscli import config

        config.choose(value)
    return value


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    config_file: Annotated[
        Optional[str],  # noqa: UP045 (typer reads it at run time on Python 3.10)
        typer.Option(
            "--config",
            metavar="FILE",
            callback=_config,
            help="Config file for every command (a command's own --config wins).",
        ),
    ] = None,
) -> None:
    """Curate folders of news article files: list, filter, export and publish them.

    Exit codes: 0 success (also when nothing matched), 1 runtime error, 2 usage or
    config error, 3 a folder to edit is locked by another run, 4 nothing selected with
    --fail-if-empty.
    """
