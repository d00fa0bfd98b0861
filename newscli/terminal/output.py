"""The one output path: results to stdout (or a file), diagnostics to stderr."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from newscli.index.discovery import Problem


# Plain (piped) renderings are this wide: in practice no line is wrapped or cut.
PLAIN_WIDTH = 1_000_000


class Output:
    """Where everything the CLI shows goes. Diagnostics are always one sanitised line."""

    def __init__(self, stdout: TextIO | None = None, stderr: TextIO | None = None):
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr

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

    def console(self) -> Console:
        """A rich console on stdout: colour only on a terminal, no markup, no emoji."""
        from rich.console import Console

        return Console(
            file=self.stdout,
            markup=False,
            emoji=False,
            highlight=False,
            no_color=not self.color,
            force_terminal=self.is_terminal,
            soft_wrap=False,
        )

    def render(self, renderable: RenderableType, console: Console | None = None) -> None:
        """Print a rich renderable to stdout."""
        (console or self.console()).print(renderable)
        self.stdout.flush()

    def render_plain(self, renderable: RenderableType) -> None:
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
        self.result("".join(line + "\n" for line in lines))

    def emit(self, chunks: Iterable[str], path: str | None = None) -> None:
        """Stream text chunks to stdout, or atomically to ``path`` (raises OutputError)."""
        if path and path != "-":
            from newscli.edit.atomic import write_chunks_atomic

            write_chunks_atomic(path, _encoded_batches(chunks))
            return
        for chunk in chunks:
            self.stdout.write(chunk)
        self.stdout.flush()

    @staticmethod
    def line(text: str) -> str:
        """Untrusted text as one inert output line."""
        from newscli.sanitize import clean

        return clean(text) + "\n"

    def problem(self, problem: Problem) -> None:
        """One line on stderr: ``PATH: reason``."""
        self.problem_line(problem.path, problem.reason)

    def problem_line(self, path: str, reason: str) -> None:
        from newscli.sanitize import clean

        self.stderr.write(f"{clean(path)}: {clean(reason)}\n")

    def error(self, message: str) -> None:
        """``newscli: error: ...``; each line of a multi-line message kept inert."""
        from newscli.sanitize import clean

        first, *rest = message.split("\n")
        self.stderr.write(f"newscli: error: {clean(first)}\n")
        for line in rest:
            self.stderr.write(clean(line) + "\n")
        self.stderr.flush()

    def note(self, message: str) -> None:
        from newscli.sanitize import clean

        self.stderr.write(f"newscli: {clean(message)}\n")


def _encoded_batches(chunks: Iterable[str], size: int = 256) -> Iterator[bytes]:
    """The chunks joined a few hundred at a time and encoded (fewer, larger writes)."""
    batch: list[str] = []
    for chunk in chunks:
        batch.append(chunk)
        if len(batch) >= size:
            yield "".join(batch).encode("utf-8", "surrogateescape")
            batch.clear()
    if batch:
        yield "".join(batch).encode("utf-8", "surrogateescape")
