"""Running a function over chunks of work in worker processes, results in order."""

from __future__ import annotations

import multiprocessing
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def _ignore_interrupts() -> None:
    """Workers leave Ctrl-C to the main process (no traceback from every worker)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _context() -> multiprocessing.context.BaseContext:
    # fork starts workers in milliseconds with every module already imported.
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def map_jobs(
    func: Callable[[T], list[R]],
    jobs_: Sequence[T],
    workers: int,
    total: int,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[R]:
    """``func`` over each job in ``workers`` processes; the items of the returned lists
    come as soon as they are ready, in job order. ``progress(done, total)`` counts them."""
    done = 0
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=_context(), initializer=_ignore_interrupts
    ) as pool:
        for part in pool.map(func, jobs_):
            yield from part
            done += len(part)
            if progress is not None:
                progress(done, total)
