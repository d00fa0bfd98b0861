"""The one output path: results to stdout (or a file), diagnostics to stderr."""

from __future__ import annotations

import contextlib
import io
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TextIO

from newscli.errors import OutputError

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from newscli.index.discovery import Problem


# Plain (piped) renderings are this wide: in practice no line is wrapped or cut.
PLAIN_WIDTH = 1_000_000


def _screen_size(stream: TextIO) -> tuple[int | None, int | None]:
    """(width, height) for rich, None where rich finds it (COLUMNS, else the terminal's
    width). COLUMNS=0 (or 00), which rich would take as a width of nothing (no output at
    all), is not a width: the terminal's is used, else 80. On a dumb terminal (TERM=dumb
    or unknown: Emacs's shell, some IDE consoles) rich takes neither COLUMNS nor the
    terminal's size but 80x25, so the size is given it: COLUMNS and LINES, else the
    terminal's, else 80x25."""
    columns = os.environ.get("COLUMNS", "")
    if os.environ.get("TERM", "").lower() in ("dumb", "unknown"):
        lines = os.environ.get("LINES", "")
        screen = _terminal_size(stream)
        return (
            int(columns) if columns.isdigit() and int(columns) else screen[0] or 80,
            int(lines) if lines.isdigit() and int(lines) else screen[1] or 25,
        )
    if not columns.isdigit() or int(columns) > 0:
        return None, None
    return _terminal_size(stream)[0] or 80, None


def _terminal_size(stream: TextIO) -> tuple[int, int]:
    """The terminal's columns and lines, (0, 0) when ``stream`` is not a terminal."""
    try:
        return tuple(os.get_terminal_size(stream.fileno()))  # type: ignore[return-value]
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        return 0, 0


class Output:
    """Where everything the CLI shows goes. Diagnostics are always one sanitised line."""

    def __init__(self, stdout: TextIO | None = None, stderr: TextIO | None = None):
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        # notes known only once the command has done its work (a cache that failed while
        # the output was written: h100), each asked at its end (cli.application)
        self.later: list[Callable[[], str | None]] = []
        # Articles left out as changed since the run selected them (each said): the run
        # exits 1 once the rest is done (cli.application.exit_codes).
        self.left_out: list[str] = []

    @property
    def is_terminal(self) -> bool:
        isatty = getattr(self.stdout, "isatty", None)
        return bool(isatty and isatty())

    def wants_table(self, output_format: str) -> bool:
        """``table``, or ``auto`` on a terminal (a pipe gets tab-separated text)."""
        return output_format == "table" or (output_format == "auto" and self.is_terminal)

    @property
    def color(self) -> bool:
        return self.is_terminal and not os.environ.get("NO_COLOR")

    def result(self, text: str) -> None:
        """Write a result (already inert text) to stdout."""
        self.stdout.write(text)
        self.stdout.flush()

    def results(self, texts: Iterable[str], size: int = 0) -> None:
        """Write a result made in pieces (each already inert text) to stdout, each write
        ending at the end of a line (what follows a piece's last line end goes with the
        next one): a run stopped between two writes leaves its reader whole lines.
        ``size``: pieces joined up to that many characters a write."""
        write = self.stdout.write
        for text in _whole_lines(texts, size):
            write(text)
        self.stdout.flush()

    def console(self) -> Console:
        """A rich console on stdout: colour only on a terminal, no markup, no emoji."""
        width, height = _screen_size(self.stdout)
        return _console_class()(
            file=self.stdout,
            markup=False,
            emoji=False,
            highlight=False,
            no_color=not self.color,
            force_terminal=self.is_terminal,
            soft_wrap=False,
            width=width,
            height=height,
        )

    def render(self, renderable: RenderableType, console: Console | None = None) -> None:
        """Print a rich renderable to stdout."""
        (console or self.console()).print(renderable)
        self.stdout.flush()

    def render_plain(self, renderable: RenderableType) -> None:
        """A rich renderable as plain text for a pipe or a file (plain_text)."""
        self.result(plain_text(renderable))

    def emit(
        self,
        chunks: Iterable[str],
        path: str | None = None,
        on_written: Callable[[], None] | None = None,
    ) -> None:
        """Stream text chunks to stdout, or to ``path`` (see destination.write_output;
        raises OutputError). ``on_written`` runs once the output is whole where it goes
        (for a file replaced, with SIGINT and SIGTERM held from its rename on: a signal
        cannot come between the two)."""
        if path and path != "-":
            from newscli.terminal.destination import own_descriptor, write_output

            if own_descriptor(path) != 1:  # /dev/stdout is written as "-" is
                if _is_terminal(path):  # -o /dev/tty: a screen too
                    from newscli.sanitize import clean_lines

                    chunks = map(clean_lines, chunks)
                write_output(path, _encoded_batches(chunks), on_written)
                return
        if self.is_terminal:  # a person's screen: no escape sequence of the data acts on it
            from newscli.sanitize import clean_lines

            chunks = map(clean_lines, chunks)
        self.results(chunks, 1 << 16)
        if on_written is not None:
            _wait_until_read(self.stdout)  # (h74: the pipe's last part, unread by a reader gone)
            on_written()

    @staticmethod
    def line(text: str) -> str:
        """Untrusted text as one inert output line."""
        from newscli.sanitize import clean

        return clean(text) + "\n"

    def problem(self, problem: Problem) -> None:
        """One line on stderr: ``PATH: reason``."""
        self.problem_line(problem.path, problem.reason)

    def problem_line(self, path: str, reason: str) -> None:
        """``PATH: reason`` on stderr, each written as error lines are (sanitize.escaped:
        h32, a folder holding an escape sequence was shown as another path)."""
        from newscli.sanitize import escaped, escaped_path

        self._diagnostic(f"{escaped_path(path)}: {escaped(reason)}\n")

    def error(self, message: str) -> None:
        """``newscli: error: ...``, one inert line (sanitize.escaped: a line break or
        an escape sequence in a path or a value named in it is written as an escape:
        h30, a file name holding a line break split the error in two; h31, one holding
        an escape sequence was named as another file), followed by the two lines of a
        caret, if it ends with one (a --where expression's error: the text shown and a
        ``^`` under the offending place)."""
        import re

        from newscli.sanitize import clean, escaped

        # (where_syntax.WhereError's last two lines: the text shown, the caret under it)
        caret = re.search(r"\n(  [^\n]*)\n(  *\^)\Z", message)
        first, rest = (message, []) if caret is None else (message[: caret.start()], caret.groups())
        lines = [f"newscli: error: {escaped(first)}\n", *(clean(line) + "\n" for line in rest)]
        self._diagnostic("".join(lines))

    def note(self, message: str) -> None:
        """``newscli: ...`` on stderr, written as error lines are (sanitize.escaped)."""
        from newscli.sanitize import escaped

        self._diagnostic(f"newscli: {escaped(message)}\n")

    def _diagnostic(self, text: str) -> None:
        """Write lines to stderr. One that cannot be written (`2>/dev/full`, a closed
        pipe) is lost, and so is the rest of stderr: it changes neither what the run did
        nor its exit status (h75 2: a summary that could not be written after every
        article was written and marked made the run exit 141 or 1, which says none was)."""
        try:
            self.stderr.write(text)
            self.stderr.flush()
        except (OSError, ValueError):
            self._lose_stderr()

    def _lose_stderr(self) -> None:
        """From now on, this output's diagnostics go nowhere."""
        self.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (to the end)

    def transient(self, message: str) -> Callable[[], None]:
        """``newscli: ...`` on a terminal's stderr while work goes on, before it begins
        (a regular expression holds the interpreter: no thread could write it later);
        the call returned erases it. Nothing when stderr is not a terminal (cron mail)."""
        from newscli.sanitize import escaped

        isatty = getattr(self.stderr, "isatty", None)
        if not (isatty and isatty()):
            return lambda: None
        width = _terminal_size(self.stderr)[0] or 80
        line = f"newscli: {escaped(message)}"[: max(width - 1, 0)]  # never wrapped
        try:
            self.stderr.write(line)
            self.stderr.flush()
        except OSError:
            return lambda: None

        def erase() -> None:
            with contextlib.suppress(OSError):
                self.stderr.write("\r\x1b[K")
                self.stderr.flush()

        return erase


def _whole_lines(texts: Iterable[str], size: int = 0) -> Iterator[str]:
    """The texts, joined until they hold ``size`` characters, cut so that each piece
    ends at a line end: what follows goes with the next (the rest last, as it ends).
    Every write to stdout then ends a line, and so does each of its buffers' writes to
    the descriptor: a signal that comes between two leaves the reader whole lines."""
    rest = ""
    batch: list[str] = []
    held = 0
    for text in texts:
        batch.append(text)
        held += len(text)
        if held < size:
            continue
        text = "".join(batch)
        batch.clear()
        held = 0
        end = text.rfind("\n") + 1
        if not end:
            rest += text
            continue
        yield rest + text[:end]
        rest = text[end:]
    rest += "".join(batch)
    if rest:
        yield rest


def _encoded_batches(
    chunks: Iterable[str], size: int = 256, most: int = 1 << 20
) -> Iterator[bytes]:
    """The chunks joined a few hundred at a time, or once they hold ``most`` characters,
    and encoded (fewer, larger writes; h156: 256 records of 1 MiB each were held twice,
    713 MB for `-o` where stdout took 340 MB)."""
    batch: list[str] = []
    held = 0
    for chunk in chunks:
        batch.append(chunk)
        held += len(chunk)
        if len(batch) >= size or held >= most:
            yield "".join(batch).encode("utf-8", "surrogateescape")
            batch.clear()
            held = 0
    if batch:
        yield "".join(batch).encode("utf-8", "surrogateescape")


class Report:
    """The stdout of a command for which it is only a report (an edit, undo): the lines
    say which files the work changed, so a signal must never cut a line or leave one
    out. A stdout that fails stops the lines, not the work: a reader that left
    (``| head``) makes ``close`` raise BrokenPipeError (exit 141: the report was not all
    read); any other failure (a full disk, a closed descriptor) makes it raise
    OutputError (exit 1, one error line), ``after`` saying that the work went on.

    ``add`` queues the lines of one change (cheap: call it with signals held, as the
    change is made); ``write`` writes what is queued; ``keep_up`` writes it once it
    fills a piece, a tenth of a second after the last write, or at once on a terminal
    (fewer writes for a fast run to a file or a pipe). Each piece is written with
    SIGINT and SIGTERM held, once the descriptor can take it without blocking (only the
    wait can be interrupted, when nothing of it was written), so what is queued is known
    exactly: ``finish`` (after a signal) writes the rest, waiting a bounded time for a
    reader. A piece ends at the end of a line, so a report given up on ends with a
    whole line (unless a line is longer than a piece)."""

    PIECE = 4096  # PIPE_BUF: a pipe that polls writable takes this much without blocking

    def __init__(self, out: Output, after: str = ""):
        self.out = out
        self.after = after
        self.gone = False  # the reader left: exit 141
        self.failure: OutputError | None = None
        self.queued = bytearray()  # whole lines, the first perhaps written in part
        self.last_write = 0.0
        self.screen = out.is_terminal

    def add(self, texts: Iterable[str]) -> None:
        """Queue untrusted lines, each made inert (Output.line)."""
        if self.gone or self.failure is not None:
            return
        for text in texts:
            self.queued += self.out.line(text).encode("utf-8", "replace")

    def lines(self, texts: Iterable[str]) -> None:
        """Queue the lines and write them."""
        self.add(texts)
        self.write()

    def keep_up(self) -> None:
        """Write what is queued if it fills a piece, the last write was a tenth of a
        second ago, or stdout is a terminal."""
        if self.queued and (
            self.screen
            or len(self.queued) >= self.PIECE
            or time.monotonic() - self.last_write >= 0.1
        ):
            self.write()

    def write(self, wait: float | None = None) -> bool:
        """Write what is queued (``wait``: at most that many seconds for a reader).
        Returns whether nothing is left queued."""
        if not self.queued:
            return True
        fd = self._descriptor()
        if fd is None:  # not a real descriptor (a test's captured stdout)
            self._written_by_stream()
            return True
        from newscli.index.parallel import signals_held

        deadline = None if wait is None else time.monotonic() + wait
        while self.queued:
            if not _writable(fd, deadline):
                return False
            piece = self.queued[: self.PIECE]
            whole = piece.rfind(b"\n") + 1  # whole lines, unless one is longer than a piece
            with signals_held():
                try:
                    done = os.write(fd, piece[:whole] if whole else piece)
                except BlockingIOError:
                    done = 0
                except OSError as exc:
                    self._failed(exc)
                    return True
                del self.queued[:done]
        self.last_write = time.monotonic()
        return True

    def finish(self, wait: float = 2.0) -> int:
        """After a signal: write what is queued, waiting at most ``wait`` seconds for a
        reader. Returns how many lines were left out (0 unless stdout was not read)."""
        if self.write(wait):
            return 0
        left = self.queued.count(b"\n")  # (each line is one, ended by its newline)
        self.queued.clear()
        return left

    def close(self) -> None:
        """After the work: BrokenPipeError (141) or OutputError (1) if the report failed."""
        if self.failure is not None:
            raise self.failure
        if self.gone:
            raise BrokenPipeError(32, "Broken pipe")

    def _descriptor(self) -> int | None:
        stream = self.out.stdout
        try:
            stream.flush()  # (nothing else of the command is buffered before the lines)
            return stream.fileno()
        except (AttributeError, ValueError, io.UnsupportedOperation):
            return None
        except BrokenPipeError as exc:
            self._failed(exc)
        except OutputError as exc:
            self._failed_with(exc)
        return None

    def _written_by_stream(self) -> None:
        data = self.queued.decode("utf-8", "replace")
        self.queued.clear()
        if self.gone or self.failure is not None:
            return
        try:
            self.out.result(data)
        except BrokenPipeError:
            self.gone = True
        except OutputError as exc:
            self._failed_with(exc)

    def _failed(self, exc: OSError) -> None:
        silence_stdout()  # (the exit flush cannot fail again)
        self.queued.clear()
        if isinstance(exc, BrokenPipeError):
            self.gone = True
        else:
            reason = exc.strerror or str(exc)
            self._failed_with(OutputError(f"cannot write to standard output: {reason}"))

    def _failed_with(self, exc: OutputError) -> None:
        """The report stops at ``exc``, said with what went on (``after``)."""
        self.failure = OutputError(f"{exc}{self.after}")
        self.queued.clear()


def _writable(fd: int, deadline: float | None) -> bool:
    """Wait until fd can take a write (None: as long as it takes; a signal meanwhile
    raises); False at the deadline."""
    import select

    while True:
        timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
        try:
            _, ready, failed = select.select([], [fd], [fd], timeout)
        except (OSError, ValueError):
            return True  # let the write say what is wrong
        if ready or failed:
            return True
        if deadline is not None and time.monotonic() >= deadline:
            return False


def _is_terminal(path: str) -> bool:
    """Whether path is a terminal device (``-o /dev/tty``, ``-o $(tty)``)."""
    import stat

    try:
        if not stat.S_ISCHR(os.stat(path).st_mode):
            return False
        fd = os.open(path, os.O_WRONLY | os.O_NOCTTY | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        return os.isatty(fd)
    finally:
        os.close(fd)


def write_all(fd: int, data: Any) -> int:
    """Write every byte of data to the descriptor, or raise OSError.

    A pipe whose reader goes away in the middle of a large write() takes part of the
    data and reports a short count, with no error; the rest is written again here,
    which then fails with EPIPE (BrokenPipeError). A descriptor that is not blocking
    is waited for.
    """
    view = memoryview(data).cast("B")
    done = 0
    # Each count is kept by C code (list.extend over map), so that a signal raised as
    # os.write returns (a full pipe took part of it) cannot lose it: the handler runs
    # only when the bytecode resumes, after the count is in ``counts``.
    counts: list[int] = []
    try:
        while done < len(view):
            try:
                counts.extend(map(os.write, (fd,), (view[done:],)))
            except BlockingIOError:
                import select

                select.select([], [fd], [])
            done = sum(counts)  # (counts is only added to: a signal here loses nothing)
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM while a full pipe held the write
        done = sum(counts)
        if done or _ended_mid_line:
            _end_the_line(fd, view[done:])
        raise
    else:
        _ended_mid_line[:] = [True] if view and view[-1] != 10 else []
    return done


def _wait_until_read(stream: TextIO) -> None:
    """drain.wait_until_read on the stream's descriptor, if it has one."""
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return
    from newscli.terminal.drain import wait_until_read

    wait_until_read(fd)


_ended_mid_line: list[bool] = []  # the last write to stdout ended inside a line


def _end_the_line(fd: int, rest: memoryview) -> None:
    """After a signal cut a write short: write the rest of the line it was in (waiting
    at most 2 seconds for a reader, signals held), so that the output a reader got ends
    with a whole line; given up if the reader does not read or the line goes on past
    ``rest``."""
    import select

    from newscli.index.parallel import signals_held

    end = bytes(rest[: 1 << 20]).find(b"\n")
    if end < 0:
        return
    line = rest[: end + 1]
    deadline = time.monotonic() + 2.0
    with signals_held():
        while line:
            wait = deadline - time.monotonic()
            try:
                if wait <= 0 or not select.select([], [fd], [], wait)[1]:
                    return
                line = line[os.write(fd, line[:4096]) :]
            except BlockingIOError:
                continue
            except OSError:
                return


def silence_stdout() -> None:
    """Point stdout's descriptor at /dev/null, so that nothing still buffered can fail
    again (at the exit flush) after its failure was reported."""
    import contextlib

    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


class _StdoutFile(io.FileIO):
    """Standard output's descriptor, where write() returns only when every byte is
    written. BufferedWriter passes a short count on and TextIOWrapper ignores it, so a
    reader that went away used to look like success (exit 0, everything marked).

    A closed pipe raises BrokenPipeError (exit 141, nothing printed); any other failure
    (a full disk, a closed descriptor) raises OutputError. Either way the descriptor is
    then pointed at /dev/null, so the exit flush cannot fail a second time.

    A write stopped by a signal (Ctrl-C, SIGTERM) ends the line it was in (write_all),
    and nothing more is written: the buffer above does not know how much of it went
    out, and its exit flush would write it again from its start (the reader got 64 KB
    of lines twice, the second time after the line it was in).
    """

    cut = False  # a signal stopped a write: the run is leaving, nothing more is written

    def write(self, data: Any) -> int:
        if self.cut:
            return memoryview(data).nbytes
        try:
            return write_all(self.fileno(), data)
        except KeyboardInterrupt:
            self.cut = True
            raise
        except BrokenPipeError:
            silence_stdout()
            raise
        except OSError as exc:
            silence_stdout()
            reason = exc.strerror or str(exc)
            raise OutputError(f"cannot write to standard output: {reason}") from None


def install_stdout() -> None:
    """Make sys.stdout a stream over _StdoutFile (UTF-8, unknown characters replaced).

    A descriptor 1 closed before the start (``>&-``) is first taken by /dev/null opened
    read-only: no file the run opens can become standard output, and a write fails
    with EBADF, reported as a clear error."""
    try:
        os.fstat(1)
        closed = False
    except OSError:
        closed = True
    if closed:
        fd = os.open(os.devnull, os.O_RDONLY)
        if fd != 1:
            os.dup2(fd, 1)
            os.close(fd)
    elif sys.stdout is not None:
        try:
            if sys.stdout.fileno() != 1:
                return
        except (AttributeError, OSError, ValueError):
            return  # replaced by a test harness: leave it
        sys.stdout.flush()
    raw = _StdoutFile(1, "wb", closefd=False)
    buffered = io.BufferedWriter(raw, buffer_size=1 << 16)
    sys.stdout = io.TextIOWrapper(
        buffered, encoding="utf-8", errors="replace", line_buffering=raw.isatty()
    )


def _console_class() -> type[Console]:
    """rich's Console, except that a closed pipe is left to the caller (exit 141):
    rich itself would point stdout at /dev/null and exit 1."""
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            raise BrokenPipeError(32, "Broken pipe")

    return _Console


def plain_text(renderable: RenderableType) -> str:
    """A rich renderable as plain text for a pipe or a file: no colour, no links, no
    width limit (nothing wrapped or cut to a terminal's width), no trailing spaces."""
    import io

    from rich.console import Console

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=PLAIN_WIDTH,
        color_system=None,
        force_terminal=False,
        markup=False,
        emoji=False,
        highlight=False,
        soft_wrap=False,
    )
    console.print(renderable)
    lines = [line.rstrip() for line in buffer.getvalue().split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return "".join(line + "\n" for line in lines)
