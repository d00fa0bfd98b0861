"""NEWSCLI_JOBS, the number of parsing workers, is a whole number from 1 to 64 (or the
cores, if more); anything else is a usage error, one line, exit 2, whether or not the
run would start workers (h28: 0, -1 and abc were taken for "every core", and 1000
forked a thousand workers). A cron job must not work warm and fail cold."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from terminal_helpers import read_until, review_in_terminal

from newscli.index.loader import MAX_JOBS
from tests.conftest import article_text, run_cli, write

HIGHEST = max(MAX_JOBS, len(os.sched_getaffinity(0)))  # (64 but on a machine of more cores)

BAD = ["abc", "0", "-1", "1000", "2.5", "+2", "٢", "1_0", "\x1b[31m3", " "]  # (" ": h122)


def _feeds(tmp_path: Path) -> Path:
    feeds = tmp_path / "feeds"
    for i in range(3):
        write(feeds / f"a{i}.md", article_text(title=f"Article {i}"))
    return feeds


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize("value", BAD)
def test_a_bad_value_is_one_usage_error_warm_or_cold(tmp_path: Path, value: str) -> None:
    feeds = _feeds(tmp_path)
    before = {p.name: p.read_bytes() for p in feeds.glob("*.md")}
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    assert run_cli("list", str(feeds), env=env).returncode == 0  # warm from here on
    for args in (
        ["list", str(feeds)],
        ["publish", "--all", str(feeds)],
        ["list", "--no-cache", str(feeds)],
    ):
        result = run_cli(*args, env={**env, "NEWSCLI_JOBS": value})
        assert result.returncode == 2, (args, result.stderr)
        assert result.stdout == ""
        lines = result.stderr.splitlines()
        assert len(lines) == 1, lines
        assert lines[0].startswith("newscli: error: NEWSCLI_JOBS="), lines
        assert lines[0].endswith(f"expected a number of worker processes from 1 to {HIGHEST}")
        assert "\x1b" not in result.stderr
    assert {p.name: p.read_bytes() for p in feeds.glob("*.md")} == before  # nothing published


@pytest.mark.parametrize("value", ["1", "2", " 2 ", "64", ""])
def test_a_good_value_is_taken(tmp_path: Path, value: str) -> None:
    feeds = _feeds(tmp_path)
    result = run_cli(
        "list", "--no-cache", "--format", "json", str(feeds), env={"NEWSCLI_JOBS": value}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.count('"title"') == 3


def test_review_says_it_before_the_screen_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    feeds = _feeds(tmp_path)
    assert run_cli("list", str(feeds)).returncode == 0  # warm: review's rows from the cache
    monkeypatch.setenv("NEWSCLI_JOBS", "0")
    with review_in_terminal(tmp_path, str(feeds)) as (proc, leader):
        shown = read_until(
            leader, lambda seen: f"worker processes from 1 to {HIGHEST}".encode() in seen
        )
        assert proc.wait(timeout=30) == 2
    assert shown.startswith(b"newscli: error: NEWSCLI_JOBS='0'"), shown
