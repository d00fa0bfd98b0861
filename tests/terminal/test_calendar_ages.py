"""h111 LOW: ages counted years of 365 days and months of 30, so 0001-01-01 was "2027
years ago" in 2026, 9999-12-31 "in 7978 years", and a date a year less an hour before
"1 year ago". They are the calendar's now. Through the installed command."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli


@pytest.mark.parametrize(
    ("published", "updated", "shown"),
    [
        ("0001-01-01T00:00:00Z", "9999-12-31T00:00:00Z", ["(2025 years ago)", "(in 7973 years)"]),
        ("2025-12-06T13:00:00Z", "2025-12-06T12:00:00Z", ["(11 months ago)", "(1 year ago)"]),
        ("2026-11-07T00:00:00Z", "2026-11-06T12:00:00Z", ["(4 weeks ago)", "(1 month ago)"]),
        ("2027-02-06T12:00:00Z", "2026-12-06T11:00:00Z", ["(in 2 months)", "(1 hour ago)"]),
    ],
)
def test_ages_are_the_calendars(
    tmp_path: Path, published: str, updated: str, shown: list[str]
) -> None:
    article = tmp_path / "a.md"
    article.write_text(
        f"---\ntitle: Old\npublishedDateTime: {published}\nupdatedDateTime: {updated}\n---\n",
        encoding="utf-8",
    )
    done = run_cli("show", str(article), "--now", "2026-12-06T12:00:00Z")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    published_line = next(line for line in lines if line.startswith("Published"))
    updated_line = next(line for line in lines if line.startswith("Updated"))
    assert published_line.endswith(shown[0]) and updated_line.endswith(shown[1])
