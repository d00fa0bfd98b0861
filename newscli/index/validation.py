"""`validate`: every problem of every file, with field and line where known."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from newscli.article.frontmatter_yaml import parse_front_matter
from newscli.article.model import field_problems
from newscli.article.reading import read_text
from newscli.errors import InvalidArticleError
from newscli.index.discovery import Problem, discover
from newscli.sanitize import escape_json_text
from newscli.wording import count


@dataclass(frozen=True, slots=True)
class FileReport:
    path: str
    problems: tuple[Problem, ...]

    @property
    def valid(self) -> bool:
        return not self.problems


def _key_line(text: str, field: str | None) -> int | None:
    """1-based line of the top-level key a field belongs to, if it is written plainly."""
    if not field:
        return None
    key = re.escape(field.split(".")[0])
    match = re.search(rf"^[\"']?{key}[\"']?[ \t]*:", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def validate_file(path: str) -> FileReport:
    try:
        text = read_text(path)
        data, _ = parse_front_matter(text)
    except InvalidArticleError as exc:
        return FileReport(path, (Problem(path, exc.reason, exc.line, exc.field),))
    problems = [
        Problem(path, p.reason, _key_line(text, p.field), p.field) for p in field_problems(data)
    ]
    # In line order; a problem without a line (a missing title) concerns the whole file
    # and comes first.
    problems.sort(key=lambda p: -1 if p.line is None else p.line)
    return FileReport(path, tuple(problems))


def validate_paths(paths: Sequence[str]) -> list[FileReport]:
    """A report per file found (and per unreadable folder), in discovery order."""
    folder_problems: list[Problem] = []
    reports = [validate_file(ref.path) for ref in discover(paths, folder_problems)]
    return [FileReport(p.path, (p,)) for p in folder_problems] + reports


def summary(reports: Sequence[FileReport]) -> dict[str, int]:
    invalid = sum(1 for r in reports if not r.valid)
    return {
        "files": len(reports),
        "valid": len(reports) - invalid,
        "invalid": invalid,
        "problems": sum(len(r.problems) for r in reports),
    }


def to_text(reports: Sequence[FileReport]) -> list[str]:
    """One line per problem (``PATH:LINE: reason``), then a summary line. Not sanitised."""
    lines = []
    for report in reports:
        for p in report.problems:
            lines.append(f"{p.path}:{p.line}: {p.reason}" if p.line else f"{p.path}: {p.reason}")
    s = summary(reports)
    lines.append(
        f"{count(s['files'], 'file')} checked: {s['valid']} valid, {s['invalid']} invalid "
        f"({count(s['problems'], 'problem')})"
    )
    return lines


def _file_items(reports: Sequence[FileReport]) -> list[dict[str, object]]:
    return [
        {
            "path": r.path,
            "valid": r.valid,
            "problems": [
                {"field": p.field, "line": p.line, "reason": p.reason} for p in r.problems
            ],
        }
        for r in reports
    ]


def to_json(reports: Sequence[FileReport]) -> str:
    files = _file_items(reports)
    text = json.dumps({"files": files, "summary": summary(reports)}, ensure_ascii=False, indent=2)
    return escape_json_text(text) + "\n"


def to_jsonl(reports: Sequence[FileReport]) -> str:
    """One compact ``{"path", "valid", "problems"}`` object per file and line."""
    return "".join(
        escape_json_text(json.dumps(item, ensure_ascii=False, separators=(",", ":"))) + "\n"
        for item in _file_items(reports)
    )


TSV_COLUMNS = ("path", "line", "field", "reason")


def tsv_rows(reports: Sequence[FileReport]) -> list[tuple[str, str, str, str]]:
    """One row per problem (valid files have none). Not sanitised."""
    return [
        (p.path, "" if p.line is None else str(p.line), p.field or "", p.reason)
        for r in reports
        for p in r.problems
    ]
