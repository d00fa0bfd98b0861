"""--until with a date alone includes that whole day; --since stays at its midnight;
a --where date literal is an instant (midnight UTC). Through the installed command,
with the index cache cold and warm (the prefilter tests the same bound in SQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import article_text, write
from conftest import run_cli as newscli

from newscli.article.timeparse import is_date_only, parse_moment, parse_timestamp

DATES = {
    "a-before": "2025-03-05T23:59:59.999999Z",
    "b-midnight": "2025-03-06T00:00:00Z",
    "c-morning": "2025-03-06T09:00:00Z",
    "d-last": "2025-03-06T23:59:59.999999Z",
    "e-next": "2025-03-07T00:00:00Z",
}


@pytest.fixture
def days(tmp_path: Path) -> Path:
    folder = tmp_path / "days"
    for name, date in DATES.items():
        write(folder / f"{name}.md", article_text(title=name, date=date))
    return folder


def titles(folder: Path, *args: str, cache: Path) -> list[str]:
    """The selected titles, twice (cold, then warm cache), which must agree."""
    runs = []
    for _ in range(2):
        result = newscli(
            "list", str(folder), "--columns", "title", "--sort", "date:asc",
            "--cache-dir", str(cache), *args,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        runs.append(result.stdout.splitlines()[1:])
    assert runs[0] == runs[1]
    return runs[0]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--until", "2025-03-06"], ["a-before", "b-midnight", "c-morning", "d-last"]),
        (["--until", "2025-03-05"], ["a-before"]),
        (["--since", "2025-03-06"], ["b-midnight", "c-morning", "d-last", "e-next"]),
        (["--since", "2025-03-06", "--until", "2025-03-06"], ["b-midnight", "c-morning", "d-last"]),
        (["--until", "2025-03-06T00:00:00Z"], ["a-before", "b-midnight"]),
        (["--until", "2025-03-06T09:00:00Z"], ["a-before", "b-midnight", "c-morning"]),
        (["--where", "date <= 2025-03-06"], ["a-before", "b-midnight"]),
        (["--where", "date < 2025-03-07"], ["a-before", "b-midnight", "c-morning", "d-last"]),
    ],
)
def test_date_bounds(days: Path, tmp_path: Path, args: list[str], expected: list[str]) -> None:
    assert titles(days, *args, cache=tmp_path / "cache") == expected


def test_parse_moment_end_of_day() -> None:
    now = parse_timestamp("2025-03-20T00:00:00Z")
    end = parse_moment("2025-03-06", now, end_of_day=True)
    assert end == parse_timestamp("2025-03-06T23:59:59.999999Z")
    assert parse_moment("2025-03-06", now) == parse_timestamp("2025-03-06T00:00:00Z")
    stamp = parse_moment("2025-03-06T12:00:00+02:00", now, end_of_day=True)
    assert stamp == parse_timestamp("2025-03-06T10:00:00Z")
    assert parse_moment("2d", now, end_of_day=True) == parse_timestamp("2025-03-18T00:00:00Z")
    assert is_date_only(" 2025-03-06 ") and not is_date_only("2025-03-06T00:00Z")
