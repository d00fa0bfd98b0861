"""The command-line interface: the only package that imports typer.

It parses options, calls the core, sends everything through one Output, and maps the
core's exceptions to the documented exit codes in one place (`application.exit_codes`).
Heavy modules (YAML, rich) are imported inside commands to keep start-up fast.

May import: every stage and config (the top of the import graph).
"""

import atexit
import contextlib
import gc
import importlib
import os
import signal
import sys
from collections.abc import Iterable
from functools import cache
from typing import Any, NoReturn

__all__ = ["app", "main"]

# The module that registers each command, in the order help lists them. A run imports
# only the module of its command (Click builds every registered command's options
# before it parses anything, which costs more than most runs).
COMMAND_MODULES = {
    "list": "read_commands",
    "export": "read_commands",
    "clusters": "read_commands",
    "fields": "read_commands",
    "show": "report_commands",
    "stats": "report_commands",
    "presets": "report_commands",
    "publish": "write_commands",
    "unpublish": "write_commands",
    "validate": "write_commands",
    "import": "import_commands",
    "set": "curation_commands",
    "unset": "curation_commands",
    "tag": "curation_commands",
    "reject": "curation_commands",
    "unreject": "curation_commands",
    "rules": "curation_commands",
    "undo": "journal_commands",
    "history": "journal_commands",
    "templates": "template_commands",
    "review": "review_commands",
    "help": "help_commands",
}


def register(names: Iterable[str]) -> None:
    """Import the modules of these commands, which registers them on ``app``."""
    importlib.import_module("newscli.cli.application")
    for module in dict.fromkeys(COMMAND_MODULES[name] for name in names):
        importlib.import_module(f"newscli.cli.{module}")


@cache
def every_command() -> dict[str, Any]:
    """Every command, built as Click builds it (name -> command), whichever ones this run
    built. Presets need it: an option of another command is ignored, not an error. Only a
    preset with such an option pays for building them."""
    from typer.main import get_command_from_info

    from newscli.cli import application

    app = application.app
    current, app.registered_commands = app.registered_commands, application.REGISTERED
    try:
        register(COMMAND_MODULES)  # an import registers on the whole list
    finally:
        app.registered_commands = current
    return {
        info.name or "": get_command_from_info(
            info,
            pretty_exceptions_short=app.pretty_exceptions_short,
            rich_markup_mode=app.rich_markup_mode,
        )
        for info in application.REGISTERED
    }


def __getattr__(name: str) -> Any:
    """``newscli.cli.app``: the Typer app with every command registered (for tests and
    tools; a run registers only what it needs)."""
    if name == "app":
        from newscli.cli import application

        register(COMMAND_MODULES)
        return application.app
    raise AttributeError(name)


def needed(args: list[str]) -> list[str] | None:
    """The commands this command line needs: the one it names, none for --version
    alone, or None (all of them) for help, shell completion or a name that is no
    command (the error lists them)."""
    if any(name.startswith("_NEWSCLI_COMPLETE") for name in os.environ):
        return None
    value_of_option = False
    for arg in args:
        if value_of_option:  # FILE of `newscli --config FILE COMMAND`
            value_of_option = False
            continue
        if arg in ("-h", "--help"):
            return None
        if arg == "--version":
            return []
        if arg == "--config":
            value_of_option = True
            continue
        if not arg.startswith("-"):
            return [arg] if arg in COMMAND_MODULES else None
    return None


def shell_named(args: list[str]) -> bool:
    """True when --show-completion or --install-completion is given a shell name."""
    for index, arg in enumerate(args):
        if arg.startswith(("--show-completion=", "--install-completion=")):
            return True
        if arg in ("--show-completion", "--install-completion"):
            following = args[index + 1 : index + 2]
            return bool(following) and not following[0].startswith("-")
    return False


def _built(names: list[str] | None) -> list[Any]:
    """The registered commands to build, in help order."""
    from newscli.cli import application

    register(COMMAND_MODULES if names is None else names)
    order = list(COMMAND_MODULES)
    chosen = [c for c in application.app.registered_commands if names is None or c.name in names]
    for command in chosen:
        command.epilog = _prose_apart(command.epilog)
    return sorted(chosen, key=lambda command: order.index(command.name))


def _prose_apart(epilog: str | None) -> str | None:
    """An epilog's examples kept as written (Click's ``\b``), the prose after them a
    paragraph of its own, which Click wraps to the terminal (h50: it was laid out as
    written, wider than 80 columns)."""
    if not epilog or not epilog.startswith("\b\n"):
        return epilog
    lines = epilog.split("\n")
    for at in range(2, len(lines)):
        if lines[at] and not lines[at].startswith(" ") and lines[at - 1].startswith("  "):
            return "\n".join(lines[:at]) + "\n\n" + "\n".join(lines[at:])
    return epilog


_QUITTING: list[int] = []
# Handled signals: SIGHUP (a closed terminal or SSH session) as SIGTERM, its own code.
HANDLED = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)
_QUIT_AS: dict[int, tuple[str, int]] = {signal.SIGINT: ("interrupted", 130)}
if hasattr(signal, "SIGHUP"):
    _QUIT_AS[signal.SIGHUP] = ("hung up", 129)


def _quit_while_starting(signum: int, frame: object) -> None:
    """Ctrl-C or SIGTERM while newscli starts: nothing is open yet, so just leave
    (no traceback from the middle of an import). A second signal that comes while the
    first one's handler runs (the process, then its group) runs this again inside it:
    it leaves the first one to say why."""
    if _QUITTING:
        return
    _QUITTING.append(signum)
    name, code = _QUIT_AS.get(signum, ("terminated", 143))
    with contextlib.suppress(OSError):  # (a terminal that hung up takes nothing)
        os.write(2, f"newscli: error: {name}\n".encode())
    os._exit(code)


def _quit_at_exit(signum: int, frame: object) -> None:
    """Ctrl-C or SIGTERM once the command has ended (Python shutting down)."""
    from newscli.cli import application

    if _QUITTING:  # (the first one's message being written: it exits after)
        return
    if application.reported:
        os._exit(application.reported[0])
    _quit_while_starting(signum, frame)


def _on_signals(on_int: Any, on_term: Any = None) -> None:
    """Handle SIGINT so, SIGTERM and SIGHUP with ``on_term`` (else so too), unless they
    are ignored (``cmd &`` in a script, ``nohup cmd``)."""
    for signum in HANDLED:
        if signal.getsignal(signum) is not signal.SIG_IGN:
            signal.signal(signum, on_int if signum == signal.SIGINT else on_term or on_int)


def _hold_signals_to_the_end() -> None:
    """The last thing before Python takes its handlers away (run last of the exit
    handlers: registered first): SIGINT and SIGTERM are ignored from here on. Without
    it, one that came while the interpreter was torn down (the run done, its output
    whole) ended the process by the signal itself (-15 for a caller, neither the run's
    code nor 143; 12 of 100 runs signalled while their output was read)."""
    for signum in HANDLED:
        with contextlib.suppress(OSError, ValueError):
            signal.signal(signum, signal.SIG_IGN)


def _lost_quietly(unraisable: Any) -> None:
    """The exception of a SIGINT or SIGTERM raised where Python cannot raise it (a
    weakref callback, as while a module is imported, or a __del__) would be lost: the
    run went on and ended 0. It is raised again at the next Python call of the run
    (no traceback for the lost one). Anything else is reported as Python does."""
    exc = unraisable.exc_value
    if not isinstance(exc, KeyboardInterrupt):
        sys.__unraisablehook__(unraisable)
        return
    before = sys.gettrace()

    def again(frame: object, event: str, arg: object) -> None:
        from newscli.cli import application

        sys.settrace(before)
        if not application.quitting():  # (not while an earlier one is said)
            raise type(exc)()

    sys.settrace(again)


def _say_interrupted(exc: KeyboardInterrupt) -> NoReturn:
    """Exit 130 or 143, saying why once: a second signal after the command said it
    (two signals a few milliseconds apart: a process and then its group) is silent."""
    from newscli.cli import application

    if application.reported:
        sys.exit(application.reported[0])
    message, code = application.interrupted(exc)
    # A signal from here on is not raised (reported) and does not leave before the
    # message is written (_QUITTING: CI, stop 46, exit 143 and nothing said).
    _QUITTING.append(code)
    application.reported.append(code)
    with contextlib.suppress(OSError, ValueError):  # (a terminal that hung up takes nothing)
        sys.stderr.write(f"newscli: error: {message}\n")
        sys.stderr.flush()
    sys.exit(code)


def main() -> None:
    """Console-script entry point."""
    try:
        _main()
    except KeyboardInterrupt as exc:
        # A signal as the run ended (its clean-up running, the exit-time handlers not
        # yet in place): a traceback, exit 1 (9 of 30 runs signalled as their output
        # was read to its end). Said as any interrupt is; a later one leaves at once.
        _on_signals(_quit_at_exit)
        _say_interrupted(exc)


def _stderr_held() -> None:
    """A run started with stderr closed (`2>&-`): Python gives no sys.stderr, and the
    first message ended the run (h50: exit 1, nothing exported, for one invalid file).
    Messages go to the null device then; and file descriptor 2 is taken by it, so that
    no file the run opens (a lock, an output) gets that number and what is written to
    it as stderr."""
    if sys.stderr is not None:
        return
    try:
        os.fstat(2)
    except OSError:
        null = os.open(os.devnull, os.O_WRONLY)
        if null != 2:
            os.dup2(null, 2)
            os.close(null)
    sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)  # noqa: SIM115


def _main() -> None:
    _stderr_held()
    # A run is short and makes few reference cycles: collect them rarely (loading
    # hundreds of thousands of objects would otherwise trigger a collection every
    # 700 allocations, each walking the young objects again).
    gc.set_threshold(50_000, 20, 20)
    _on_signals(_quit_while_starting)
    atexit.register(_hold_signals_to_the_end)
    from newscli.cli import application
    from newscli.cli.application import (
        EXIT_BROKEN_PIPE,
        EXIT_ERROR,
        on_sigint,
        on_sigterm,
    )
    from newscli.errors import NewscliError
    from newscli.terminal.output import install_stdout, silence_stdout

    # From here on, Ctrl-C and SIGTERM raise, so that clean-up runs (exit 130, 143).
    _on_signals(on_sigint, on_sigterm)
    sys.unraisablehook = _lost_quietly
    install_stdout()  # every write whole, or an error: a closed pipe is never success
    with contextlib.suppress(AttributeError, ValueError):
        sys.stderr.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[union-attr]
    if shell_named(sys.argv[1:]):
        # typer makes --show-completion a flag when it can detect the shell, so the
        # `zsh` of `--show-completion zsh` would be ignored (the detected shell's script
        # printed). Without detection the option takes the shell name (and checks it).
        os.environ["_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION"] = "1"
    app = application.app
    registered = app.registered_commands
    try:
        app.registered_commands = _built(needed(sys.argv[1:]))
        app(prog_name="newscli")
    except BrokenPipeError:
        silence_stdout()
        sys.exit(EXIT_BROKEN_PIPE)
    except NewscliError as exc:  # writing help or a usage message failed (a full disk)
        sys.stderr.write(f"newscli: error: {exc}\n")
        sys.exit(application.exit_code(exc))
    except KeyboardInterrupt as exc:
        _say_interrupted(exc)
    except SystemExit as exc:
        # SIGTERM outside a command's own handling (while options are parsed, say):
        # typer made it a silent exit 130. (A second signal after the command's own
        # handling said why: said once, with its code.)
        if exc.code == application.EXIT_INTERRUPTED and (
            application.reported or application.terminated
        ):
            kinds = application.terminated
            _say_interrupted(kinds[0]() if kinds else application.Terminated())
        raise
    except Exception as exc:  # the last safety net: never a traceback for a user
        signal_exc = application.interrupt_within(exc)
        if signal_exc is not None:  # a signal while a class was made (an import)
            _say_interrupted(signal_exc)
        if application.debugging():
            raise
        message = f"{type(exc).__name__}: {exc}".replace("\n", " ")
        sys.stderr.write(
            f"newscli: error: internal error: {message} (NEWSCLI_DEBUG=1 shows details)\n"
        )
        sys.exit(EXIT_ERROR)
    finally:
        app.registered_commands = registered
        # A signal while Python shuts down would raise where nothing catches it
        # ("Exception ignored ... lost sys.stderr"): leave at once, saying why once.
        _on_signals(_quit_at_exit)
        if application.reported:  # interrupted and said: leave now, not through Python's
            # shutdown, which puts the default handlers back (a second signal then ended
            # the process by the signal itself: -15 for a caller, not 143)
            _leave(application.reported[0])


def _leave(code: int) -> NoReturn:
    """Exit with ``code`` at once, what was written flushed."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)
