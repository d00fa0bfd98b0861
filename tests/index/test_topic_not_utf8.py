"""h117 MED: `--topic` with a byte that is no UTF-8 (a Latin-1 terminal, cron's C
locale) stopped with "internal error: UnicodeEncodeError" once the cache was warm,
while `--no-cache` said "no article has topic ..." and went on: the cache's query
could not take the topic. Such a topic is now tested on the articles only. Through
the installed command, warm and without the cache."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import REPO, run_cli

LATIN1 = "caf\udce9"  # the byte 0xE9 as Python reads a command line


@pytest.mark.parametrize(
    "options",
    [
        ["--topic", LATIN1],
        ["--topic", LATIN1, "--topic", "AI"],
        ["--topic", "AI", "--topic", LATIN1, "--all-topics"],
        ["--exclude-topic", LATIN1],
    ],
    ids=["alone", "or", "and", "exclude"],
)
@pytest.mark.parametrize("command", ["list", "stats", "export"])
def test_a_topic_that_is_no_utf8_selects_alike_warm_or_not(
    tmp_path: Path, command: str, options: list[str]
) -> None:
    shutil.copytree(REPO / "sample_feeds", tmp_path / "feeds")
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    assert run_cli("list", "feeds", cwd=tmp_path, env=env).returncode == 0  # warm
    fmt = ["--format", "tsv"] if command != "export" else ["--format", "jsonl"]
    warm = run_cli(command, "feeds", *options, *fmt, cwd=tmp_path, env=env)
    cold = run_cli(command, "feeds", *options, *fmt, "--no-cache", cwd=tmp_path, env=env)
    assert warm.returncode == 0, warm.stderr
    assert "internal error" not in warm.stderr
    assert (warm.returncode, warm.stdout, warm.stderr) == (
        cold.returncode,
        cold.stdout,
        cold.stderr,
    )
    if "AI" in options and "--all-topics" not in options:
        assert "AI" in warm.stdout  # the other topic still selects
