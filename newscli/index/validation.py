"""`validate`: every problem of every file, with field and line where known."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from newscli.article.frontmatter_yaml import parse_front_matter
from newscli.article.reading import read_text
from newscli.errors import InvalidArticleError
from newscli.index.cache import IndexCache
from newscli.index.discovery import Folder, Problem
from newscli.index.problems import all_problems, from_json
from newscli.sanitize import escape_json_text, escaped_path
from newscli.wording import count


@dataclass(frozen=True, slots=True)
class FileReport:
    path: str
    problems: tuple[Problem, ...]

    @property
    def valid(self) -> bool:
        return not self.problems


def validate_file(path: str) -> FileReport:
    """One file's report, read now."""
    try:
        text = read_text(path)
        data, _ = parse_front_matter(text)
    except InvalidArticleError as exc:
        return FileReport(path, (Problem(path, exc.reason, exc.line, exc.field),))
    found = all_problems(text, data)
    return FileReport(path, tuple(Problem(path, *p) for p in found))


def validate_paths(
    paths: Sequence[str], cache: IndexCache | None = None, jobs: int | None = None
) -> list[FileReport]:
    """A report per file found (and per unreadable folder), in discovery order. Loaded
    as every command loads (the index cache, worker processes on a cold run): a cached
    invalid file keeps all of its problems, with their lines."""
    from newscli.index.loader import load_paths

    loaded = load_paths(paths, cache=cache, jobs=jobs)
    walked = loaded.problems[: loaded.walk_problems]
    found: dict[str, tuple[Problem, ...]] = {
        p.path: (p,) for p in loaded.problems[loaded.walk_problems :]
    }
    for path, text in loaded.all_problems.items():
        found[path] = tuple(Problem(path, *p) for p in from_json(text))
    reports = [FileReport(p.path, (p,)) for p in walked]
    for group in loaded.groups:
        if isinstance(group, Folder):
            shown = group.shown
            reports += [
                FileReport(path, found.get(path, ()))
                for path in (shown + name for name, *_ in group.files)
            ]
        else:
            reports.append(FileReport(group.path, found.get(group.path, ())))
    return reports


def summary(reports: Sequence[FileReport]) -> dict[str, int]:
    invalid = sum(1 for r in reports if not r.valid)
    return {
        "files": len(reports),
        "valid": len(reports) - invalid,
        "invalid": invalid,
        "problems": sum(len(r.problems) for r in reports),
    }


def to_text(reports: Sequence[FileReport]) -> list[str]:
    """One line per problem (``PATH:LINE: reason``), then a summary line. Not sanitised
    but for the paths (sanitize.escaped: a name holding an escape sequence is not shown
    as another file's, h84 1)."""
    lines = []
    for report in reports:
        for p in report.problems:
            path = escaped_path(p.path)
            if p.line:  # (the line once: "(line 2, column 4)" after it was "(column 4)", h153;
                # only at the end, not in a value the reason quotes, h154)
                reason = re.sub(rf" \(line {p.line}(?:, (column \d+))?\)$", r" (\1)", p.reason)
                lines.append(f"{path}:{p.line}: {reason.removesuffix(' ()')}")
            else:
                lines.append(f"{path}: {p.reason}")
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
    """One row per problem (valid files have none). Not sanitised but for the paths
    (to_text)."""
    return [
        (escaped_path(p.path), "" if p.line is None else str(p.line), p.field or "", p.reason)
        for r in reports
        for p in r.problems
    ]
