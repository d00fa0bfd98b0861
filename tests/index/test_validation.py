"""newscli.index.validation: every problem of every file, with field and line where known."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import write

from newscli.index.discovery import Problem
from newscli.index.validation import (
    FileReport,
    summary,
    to_json,
    to_text,
    validate_file,
    validate_paths,
)

GOOD = "---\ntitle: Fine\nquality: 50\n---\nbody\n"
# Two wrong fields on lines 3 and 5; a CRLF file counts lines the same way.
TWO_WRONG = "---\ntitle: x\nquality: high\ntopics: [a]\npublished: 'no'\n---\n"


def test_a_valid_file_has_no_problems(tmp_path: Path) -> None:
    report = validate_file(str(write(tmp_path / "a.md", GOOD)))
    assert report.valid and report.problems == ()


def test_every_field_problem_with_its_line_and_field(tmp_path: Path) -> None:
    for name, text in [("lf.md", TWO_WRONG), ("crlf.md", TWO_WRONG.replace("\n", "\r\n"))]:
        path = str(write(tmp_path / name, text))
        report = validate_file(path)
        assert not report.valid
        found = {(p.field, p.line) for p in report.problems}
        assert found == {("quality", 3), ("published", 5)}, name
        assert all(p.path == path for p in report.problems)
        reasons = {p.field: p.reason for p in report.problems}
        assert reasons["quality"] == "quality: expected an integer, got string 'high'"
        assert reasons["published"].startswith("published: expected true or false")


def test_a_quoted_key_and_a_nested_field_find_their_line(tmp_path: Path) -> None:
    text = '---\ntitle: x\n"provider":\n  name: 5\n---\n'
    (problem,) = validate_file(str(write(tmp_path / "a.md", text))).problems
    assert (problem.field, problem.line) == ("provider.name", 3)


def test_yaml_errors_and_unreadable_files(tmp_path: Path) -> None:
    broken = validate_file(str(write(tmp_path / "b.md", "---\ntitle: x\nbad: [\n---\n")))
    (problem,) = broken.problems
    assert problem.reason.startswith("invalid YAML") and problem.line is not None
    missing = validate_file(str(tmp_path / "none.md"))
    assert missing.problems[0].reason.startswith("cannot read")
    no_fm = validate_file(str(write(tmp_path / "c.md", "just text\n")))
    assert no_fm.problems[0].reason.startswith("no front matter")


def test_validate_paths_reports_each_file_in_order(tmp_path: Path) -> None:
    write(tmp_path / "b.md", TWO_WRONG)
    write(tmp_path / "a.md", GOOD)
    write(tmp_path / "sub" / "c.md", GOOD)
    write(tmp_path / "notes.txt", "not an article")
    reports = validate_paths([str(tmp_path)])
    assert [Path(r.path).relative_to(tmp_path).as_posix() for r in reports] == [
        "a.md",
        "b.md",
        "sub/c.md",
    ]
    assert summary(reports) == {"files": 3, "valid": 2, "invalid": 1, "problems": 2}


def test_text_and_json_reports() -> None:
    reports = [
        FileReport("ok.md", ()),
        FileReport(
            "bad\x1b.md",
            (
                Problem("bad\x1b.md", "quality: wrong", 3, "quality"),
                Problem("bad\x1b.md", "no line known", None, None),
            ),
        ),
    ]
    lines = to_text(reports)
    # (the path's controls as escapes: not another file's name, h84 1)
    assert lines[:2] == ["bad\\x1b.md:3: quality: wrong", "bad\\x1b.md: no line known"]
    assert lines[2].startswith("2 files checked: 1 valid, 1 invalid (2 problems")
    text = to_json(reports)
    assert "\x1b" not in text and "\\u001b" in text  # escaped, the value unchanged
    data = json.loads(text)
    assert data["summary"] == {"files": 2, "valid": 1, "invalid": 1, "problems": 2}
    assert data["files"][0] == {"path": "ok.md", "valid": True, "problems": []}
    assert data["files"][1]["path"] == "bad\x1b.md"
    assert data["files"][1]["problems"][0] == {
        "field": "quality",
        "line": 3,
        "reason": "quality: wrong",
    }
