"""validate: problems in line order, counts in proper English, and impossible dates
reported with their field and line in the words used for any other bad date."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import article_text, run_cli, write

from newscli.article.frontmatter_yaml import parse_front_matter
from newscli.article.timeparse import parse_moment, parse_timestamp
from newscli.errors import InvalidArticleError
from newscli.index.validation import to_text, validate_paths

NEWSCLI = Path(sys.executable).parent / "newscli"


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, cwd=cwd)


# Checked in the order title, topics, dates, quality, published, provider; written in
# another order.
SCRAMBLED = """---
published: "no"
quality: high
topics: AI
title: 5
provider: Outlet
publishedDateTime: "yesterday"
---
"""


def test_problems_come_in_line_order(tmp_path: Path) -> None:
    write(tmp_path / "a.md", SCRAMBLED)
    result = run(tmp_path, "validate", "a.md")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert [int(line.split(":")[1]) for line in lines[:-1]] == [2, 3, 4, 5, 6, 7]
    assert lines[0] == "a.md:2: published: expected true or false, got string 'no'"
    report = json.loads(run(tmp_path, "validate", "a.md", "--format", "json").stdout)
    problems = report["files"][0]["problems"]
    assert [p["line"] for p in problems] == [2, 3, 4, 5, 6, 7]
    assert [p["field"] for p in problems] == [
        "published", "quality", "topics", "title", "provider", "publishedDateTime",
    ]  # fmt: skip


def test_a_problem_without_a_line_comes_first(tmp_path: Path) -> None:
    write(tmp_path / "a.md", "---\nquality: high\nheat: x\n---\n")
    lines = to_text(validate_paths([str(tmp_path / "a.md")]))
    assert lines[:3] == [
        f"{tmp_path}/a.md: title: missing (required)",
        f"{tmp_path}/a.md:2: quality: expected an integer, got string 'high'",
        f"{tmp_path}/a.md:3: heat: expected an integer, got string 'x'",
    ]


def test_summaries_say_1_file_and_1_problem(tmp_path: Path) -> None:
    write(tmp_path / "one.md", "---\ntitle: t\nquality: high\n---\n")
    result = run(tmp_path, "validate", "one.md")
    assert result.stdout.splitlines()[-1] == "1 file checked: 0 valid, 1 invalid (1 problem)"
    write(tmp_path / "two.md", article_text())
    both = run(tmp_path, "validate", "one.md", "two.md")
    assert both.stdout.splitlines()[-1] == "2 files checked: 1 valid, 1 invalid (1 problem)"
    good = run(tmp_path, "validate", "two.md")
    assert good.returncode == 0
    assert good.stdout == "1 file checked: 1 valid, 0 invalid (0 problems)\n"
    write(tmp_path / "many.md", SCRAMBLED)
    many = run(tmp_path, "validate", "many.md", "two.md")
    assert many.stdout.splitlines()[-1] == "2 files checked: 1 valid, 1 invalid (6 problems)"


def test_verbose_and_strict_say_1_file(tmp_path: Path) -> None:
    write(tmp_path / "one.md", article_text())
    verbose = run(tmp_path, "list", "one.md", "-v", "--no-cache")
    assert verbose.returncode == 0
    assert "newscli: 1 file: 0 from the cache, 1 parsed, 0 invalid; 1 selected" in verbose.stderr
    write(tmp_path / "bad.md", "---\ntitle: t\nquality: high\n---\n")
    strict = run(tmp_path, "list", "bad.md", "one.md", "--strict", "-q", "--no-cache")
    assert strict.returncode == 1
    assert strict.stderr == "newscli: error: 1 invalid file; nothing written (--strict)\n"


IMPOSSIBLE = {
    "2023-02-30": "day is out of range for month",
    "2023-13-01": "month must be in 1..12",
    "2023-01-01T24:00:00Z": "hour must be in 0..23",
    "2023-01-01T23:59:60Z": "second must be in 0..59",
    "2023-01-01T10:00:00+24:00": "UTC offset hours must be in 0..23",
    "2023-01-01T10:00:00-25:00": "UTC offset hours must be in 0..23",
}


@pytest.mark.parametrize("quoted", [False, True], ids=["plain", "quoted"])
def test_impossible_dates_have_field_line_and_the_same_words(tmp_path: Path, quoted: bool) -> None:
    for i, text in enumerate(IMPOSSIBLE):
        value = f'"{text}"' if quoted else text
        write(tmp_path / f"d{i}.md", f"---\ntitle: t\nheat: 3\npublishedDateTime: {value}\n---\n")
    reason = "publishedDateTime: impossible date or time: '{}' ({})"
    expected = [
        f"d{i}.md:4: " + reason.format(text, detail)
        for i, (text, detail) in enumerate(IMPOSSIBLE.items())
    ]
    files = [f"d{i}.md" for i in range(len(IMPOSSIBLE))]
    result = run(tmp_path, "validate", *files)
    assert result.stdout.splitlines()[:-1] == expected
    report = json.loads(run(tmp_path, "validate", *files, "--format", "json").stdout)
    for item in report["files"]:
        assert [(p["field"], p["line"]) for p in item["problems"]] == [("publishedDateTime", 4)]
    listed = run(tmp_path, "list", *files, "--no-cache")
    assert listed.returncode == 0
    assert listed.stderr.splitlines() == [line.replace(":4:", ":") for line in expected]


def test_an_impossible_date_deeper_down_names_its_path_and_line(tmp_path: Path) -> None:
    text = "---\ntitle: t\nrelated:\n  - title: r\n    updatedDateTime: 2024-02-30\n---\n"
    with pytest.raises(InvalidArticleError) as caught:
        parse_front_matter(text)
    assert caught.value.field == "related.updatedDateTime"
    assert caught.value.line == 5
    assert caught.value.reason == (
        "related.updatedDateTime: impossible date or time: '2024-02-30' "
        "(day is out of range for month)"
    )
    write(tmp_path / "n.md", text)
    result = run(tmp_path, "validate", "n.md")
    assert result.stdout.splitlines()[0] == f"n.md:5: {caught.value.reason}"


def test_other_yaml_errors_keep_their_line_in_the_reason() -> None:
    with pytest.raises(InvalidArticleError) as caught:
        parse_front_matter("---\ntitle: t\nquality: [\n---\n")
    assert caught.value.field is None
    assert "(line " in caught.value.reason


def test_timestamps_name_the_impossible_part() -> None:
    assert parse_timestamp("2024-02-29T23:59:59+23:59").isoformat() == "2024-02-29T00:00:59+00:00"
    for text, detail in IMPOSSIBLE.items():
        with pytest.raises(ValueError, match=r"impossible date or time: .* \(") as caught:
            parse_timestamp(text)
        assert str(caught.value) == f"impossible date or time: {text!r} ({detail})"
    with pytest.raises(ValueError, match="UTC offset minutes"):
        parse_timestamp("2023-01-01T10:00:00+05:60")
    with pytest.raises(ValueError, match="out of range in UTC"):
        parse_timestamp("9999-12-31T23:00:00-05:00")
    with pytest.raises(ValueError, match="out of range in UTC"):  # never an OverflowError
        parse_moment("0001-01-01T00:00:00+01:00", parse_timestamp("2025-01-01"))


@pytest.mark.parametrize("cache", [[], ["--no-cache"]])
def test_an_unquoted_impossible_date_hides_no_other_problem(tmp_path: Path, cache: list) -> None:
    """h42: `publishedDateTime: 2023-02-30` unquoted stopped the YAML build, so the
    file's other problems were not listed (quoted, they were); also in another field."""
    for name, date in (("a.md", "2023-02-30"), ("b.md", '"2023-02-30"')):
        text = f"---\ntitle: t\nquality: high\npublishedDateTime: {date}\ntopics: AI\n---\n"
        write(tmp_path / name, text)
    write(tmp_path / "c.md", "---\ntitle: t\nx: 2023-02-30\nquality: high\n---\n")
    for _ in range(2):  # (cold, then warm)
        result = run(tmp_path, "validate", ".", *cache)
        assert result.returncode == 1
        lines = result.stdout.splitlines()
        for name in ("a.md", "b.md"):
            mine = [line.split(":", 3)[1:3] for line in lines if line.startswith(f"./{name}:")]
            assert mine == [["3", " quality"], ["4", " publishedDateTime"], ["5", " topics"]]
        assert [line.split(":", 3)[1:3] for line in lines if line.startswith("./c.md:")] == [
            ["3", " x"], ["4", " quality"],
        ]  # fmt: skip
