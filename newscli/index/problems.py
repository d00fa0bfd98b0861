"""Every problem of a file whose front matter parsed, as `validate` reports them: each
wrong field with the line of its key, in line order (one without a line first)."""

from __future__ import annotations

import json
import re
from typing import Any

from newscli.article.model import field_problems

Found = tuple[str, int | None, str | None]  # (reason, line, field)


def key_line(text: str, field: str | None) -> int | None:
    """1-based line of the top-level key a field belongs to, if it is written plainly."""
    if not field:
        return None
    key = re.escape(field.split(".")[0])
    match = re.search(rf"^[\"']?{key}[\"']?[ \t]*:", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def all_problems(text: str, data: dict[str, Any]) -> list[Found]:
    """The problems of a parsed front matter (empty when it is valid)."""
    found = [(p.reason, key_line(text, p.field), p.field) for p in field_problems(data)]
    # In line order; a problem without a line (a missing title) concerns the whole file
    # and comes first.
    found.sort(key=lambda p: -1 if p[1] is None else p[1])
    return found


def to_json(found: list[Found]) -> str:
    return json.dumps(found)


def from_json(text: str) -> list[Found]:
    return [(reason, line, field) for reason, line, field in json.loads(text)]
