"""Running a function over chunks of work in worker processes, results in order."""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def _context() -> multiprocessing.context.BaseContext:
    # fork starts workers in milliseconds with every module already imported.
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def map_chunks(
    func: Callable[[Sequence[T]], list[R]],
    items: Sequence[T],
    chunk: int,
    jobs: int,
    progress: Callable[[int, int], None] | None = None,
) -> list[R]:
    """``func`` over consecutive chunks of ``items`` in ``jobs`` processes; the
    concatenated results keep the order of ``items``."""
    chunks = [items[i : i + chunk] for i in range(0, len(items), chunk)]
    results: list[R] = []
    with ProcessPoolExecutor(max_workers=jobs, mp_context=_context()) as pool:
        for part in pool.map(func, chunks):
            results.extend(part)
            if progress is not None:
                progress(len(results), len(items))
    return results
