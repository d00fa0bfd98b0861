"""A progress bar on stderr for long loads: only on a terminal, never in cron mail."""

import os
import time
from typing import Any

from newscli.terminal.output import Output

DELAY_SECONDS = 0.5  # NEWSCLI_PROGRESS_DELAY overrides (tests use 0)


def _delay() -> float:
    try:
        return float(os.environ.get("NEWSCLI_PROGRESS_DELAY", DELAY_SECONDS))
    except ValueError:
        return DELAY_SECONDS


class LoadProgress:
    """Callable as ``progress(done, total)``; shows a bar once loading has taken longer
    than DELAY_SECONDS, and only when stderr is a terminal."""

    def __init__(self, out: Output, enabled: bool = True):
        isatty = getattr(out.stderr, "isatty", None)
        self.enabled = enabled and bool(isatty and isatty())
        self.out = out
        self.started = time.monotonic()
        self.bar: Any = None
        self.task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            if done >= total or time.monotonic() - self.started < _delay():
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

            console = Console(file=self.out.stderr, no_color=bool(os.environ.get("NO_COLOR")))
            self.bar = Progress(
                "Loading",
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=console,
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task("load", total=total)
        self.bar.update(self.task, completed=done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
