"""COLUMNS=0 (a shell or a service that sets it from an unknown size) is not a width:
rich would take it as none and draw nothing; newscli uses the terminal's width, else
80 (found by the day's new-user pass: `list`, `clusters`, `stats`, `show` printed
nothing on a terminal)."""

from __future__ import annotations

import re

import pytest
from conftest import run_in_terminal

ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\]8;[^\x1b\x07]*(?:\x1b\\|\x07)")


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize(
    ("command", "shown"),
    [
        (["list", "sample_feeds"], "Title"),
        (["clusters", "sample_feeds"], "stories"),
        (["stats", "sample_feeds"], "articles"),
        (["show", "sample_feeds/rate-decision.md"], "Central bank"),
    ],
)
@pytest.mark.parametrize("columns", ["0", "00"])
def test_columns_zero_on_a_terminal_draws_at_80(
    command: list[str], shown: str, columns: str
) -> None:
    code, screen = run_in_terminal(*command, env={"COLUMNS": columns, "NO_COLOR": "1"})
    assert code == 0
    lines = ESCAPES.sub("", screen).splitlines()
    assert shown in "\n".join(lines), screen  # the pseudo-terminal reports no size: 80
    assert max(len(line) for line in lines) <= 80
    assert max(len(line) for line in lines) > 40


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize("columns", ["10", "24", "30", "40"])
def test_a_narrow_clusters_table_keeps_the_story_number_and_the_kept_mark(columns: str) -> None:
    """Below 50 columns the story number and the kept article's mark were dropped, and
    the why column with them (h10): the date, provider and quality give way first."""
    code, screen = run_in_terminal(
        "clusters", "sample_feeds", env={"COLUMNS": columns, "NO_COLOR": "1"}
    )
    assert code == 0
    lines = ESCAPES.sub("", screen).splitlines()
    assert max(len(line) for line in lines) <= int(columns), screen
    kept = [line for line in lines if "★" in line]
    assert kept and all(re.match(r"\s*\d+\s+★ ", line) for line in kept), screen
