"""bench/run.py runs outside newscli's environment and copies two of its thresholds:
they must stay newscli's (h38: the review step waited 600 s for a screen that a folder
under them never shows)."""

from __future__ import annotations

import importlib.util

from conftest import REPO

from newscli.cli.review_commands import GROUP_FIRST
from newscli.index.light_fork import AHEAD_FILES


def test_the_bench_knows_when_review_groups_before_its_first_screen() -> None:
    spec = importlib.util.spec_from_file_location("bench_run", REPO / "bench" / "run.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert (bench.AHEAD_FILES, bench.GROUP_FIRST) == (AHEAD_FILES, GROUP_FIRST)
