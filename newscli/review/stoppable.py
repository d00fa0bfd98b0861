"""Work on the app's own thread that a key or a signal can stop: a `/` filter whose
regular expression backtracks without end (`^(a+)+$` on a long title) holds the thread,
so the loop reads no key and a signal handler that only schedules the exit never sees
it run (h29: Ctrl-C and SIGTERM did nothing; only SIGKILL ended it). Python's regular
expression engine checks for signals as it goes, and a handler that raises ends the
match; so, while the work runs, the terminal turns Ctrl-C into SIGINT (its ISIG flag,
which the app's raw mode clears) and the app's handlers raise Stopped."""

from __future__ import annotations

import contextlib
import termios
from collections.abc import Iterator

DISABLED = b"\x00"  # _POSIX_VDISABLE: a control character that sends nothing


class Stopped(BaseException):  # (not an Exception: no `except Exception` swallows it)
    """The work was stopped by a signal; ``code`` is the exit code the signal means."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


@contextlib.contextmanager
def ctrl_c_signals(fd: int = 0) -> Iterator[None]:
    """Inside: Ctrl-C on the terminal at ``fd`` sends SIGINT (Ctrl-\\ and Ctrl-Z stay
    keys: no core dump, no stop with the terminal raw); the terminal's modes as they
    were after. Nothing changes where ``fd`` is not a terminal."""
    try:
        before = termios.tcgetattr(fd)
    except (termios.error, OSError):
        yield
        return
    during = [*before[:6], list(before[6])]
    during[3] |= termios.ISIG
    for key in (termios.VQUIT, termios.VSUSP):
        during[6][key] = DISABLED
    with contextlib.suppress(termios.error, OSError):
        termios.tcsetattr(fd, termios.TCSANOW, during)
    try:
        yield
    finally:
        with contextlib.suppress(termios.error, OSError):
            termios.tcsetattr(fd, termios.TCSANOW, before)


def output_written(driver: object) -> bool:
    """Whether everything the app has drawn is on the terminal: Textual hands its output
    to a writer thread, and a match holds the interpreter's lock without letting go
    (the regular expression engine never releases it), so a screen drawn just before
    the work starts may not reach the terminal until the work ends (a loaded machine:
    "filtering… Ctrl-C stops it" never shown). Written means the writer's queue is empty
    and the writer waits on it (it flushes before it waits). True where that cannot be
    told (another driver, another Textual)."""
    writer = getattr(driver, "_writer_thread", None)
    queue = getattr(writer, "_queue", None)
    waiting = getattr(getattr(queue, "not_empty", None), "_waiters", None)
    if queue is None or waiting is None:
        return True
    with queue.mutex:
        return not queue.queue and bool(waiting)  # (qsize() takes the lock held here)
