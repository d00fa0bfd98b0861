"""Goldens of the outputs for people (html, email, jsonfeed) on sample_feeds; they are
checked against the JSON golden in tests/formats/test_people_golden_consistency.py."""

from pathlib import Path

import pytest
from conftest import check_golden
from typer.testing import CliRunner

from newscli.cli import app

NOW = "2025-03-20T00:00:00Z"
COMMON = ["export", "sample_feeds", "--feed-title", "Sample picks", "--now", NOW]
COMMON += ["--feed-link", "https://news.example/"]
CASES = {
    "export.html": ["--format", "html"],
    "export.story.html": ["--format", "html", "--group-by", "story"],
    "export.eml": [
        *("--format", "email", "--to", "Reader <reader@example.org>"),
        *("--from", "Sample picks <picks@news.example>"),
    ],
    "export.jsonfeed.json": [
        "--format",
        "jsonfeed",
        "--feed-url",
        "https://news.example/feed.json",
    ],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_output_for_each_people_format(in_repo: Path, name: str) -> None:
    result = CliRunner().invoke(app, [*COMMON, *CASES[name]], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    check_golden(name, result.stdout_bytes.decode("utf-8"))
