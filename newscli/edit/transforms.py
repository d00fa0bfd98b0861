"""The edits newscli makes, as pure transforms for engine.edit_file: text and parsed
front matter in, an engine.Plan out. No file access here."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from newscli.edit.engine import ABSENT, EditRefusedError, FieldChange, Plan, Transform
from newscli.edit.text_edit import list_add, list_remove, set_value, unset
from newscli.edit.text_layout import BOUNDARY
from newscli.edit.text_verify import (
    REMOVED,
    Change,
    field_key,
    list_after_add,
    list_after_remove,
)
from newscli.errors import NewscliError

if TYPE_CHECKING:
    from newscli.edit.field_values import Assignment

__all__ = ["EditRefusedError", "rewrite_published"]

_BOM = b"\xef\xbb\xbf"


def _text_line(line: bytes) -> str | None:
    """A line as text (its end left out), None for one that is no UTF-8."""
    try:
        return line.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError:
        return None


def _is_boundary(line: bytes) -> bool:
    """A boundary line as the loader and the text edits take it (text_layout.BOUNDARY:
    h110 MED, a form feed, NEL or no-break space after "---" was one to them and none
    here, so `publish` and `--mark-published` refused a file `validate` and `set` took)."""
    text = _text_line(line) if line.startswith(b"---") else None
    return text is not None and BOUNDARY.fullmatch(text) is not None


def _blank(line: bytes) -> bool:
    """A line of whitespace only, as text_layout takes it (a no-break space too)."""
    text = _text_line(line)
    return text is not None and not text.strip()


_PUBLISHED_LINE = re.compile(
    rb"""(?P<key>(?P<q>["']?)published(?P=q)[ \t]*:[ \t]*)
         (?P<value>[A-Za-z]+)
         (?P<rest>[ \t]*(?:\#[^\r\n]*)?(?:\r\n|\r|\n)?)\Z""",
    re.VERBOSE,
)


def _front_matter_lines(raw: bytes) -> tuple[list[bytes], int, int]:
    """The file's lines (ends kept) and the indexes of the opening and closing boundary."""
    lines = raw.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if not _blank(line)), None)
    if start is None or not _is_boundary(lines[start]):
        raise EditRefusedError("no front matter")
    for end in range(start + 1, len(lines)):
        if _is_boundary(lines[end]):
            return lines, start, end
    raise EditRefusedError("front matter is not terminated")


def rewrite_published(raw: bytes, value: bool, present: bool, choice: int | None = None) -> bytes:
    """Return raw with the top-level `published` set to value, every other byte kept.
    ``present``: whether the parsed front matter has the key: if it has, its line is
    rewritten (never one added beside it); if not, one is added, whatever line inside
    another value reads `published: ...` (h91: a quoted excerpt's line was rewritten,
    to the same text, and the article never marked). ``choice``: of several such lines,
    the one rewritten (_key_line)."""
    bom = _BOM if raw.startswith(_BOM) else b""
    lines, start, end = _front_matter_lines(raw[len(bom) :])
    new_value = b"true" if value else b"false"
    matches = [i for i in range(start + 1, end) if _PUBLISHED_LINE.match(lines[i])]
    if not present:
        matches = []
    if choice is not None and len(matches) > 1:
        matches = matches[choice : choice + 1]
    if len(matches) > 1:
        raise EditRefusedError("more than one published line")
    if not matches and present:  # (h89: a line added beside it made a duplicate key,
        # and that was the reason given)
        raise EditRefusedError(
            "its published key is not written `published: WORD` on a line of its own (its"
            " value on the next line, an explicit key, a flow mapping); left alone: edit it"
            " by hand"
        )
    if matches:
        i = matches[0]
        m = _PUBLISHED_LINE.match(lines[i])
        assert m is not None
        lines[i] = m["key"] + new_value + m["rest"]
    else:
        first = lines[start]
        eol = b"\r\n" if first.endswith(b"\r\n") else b"\r" if first.endswith(b"\r") else b"\n"
        lines.insert(end, b"published: " + new_value + eol)
    return bom + b"".join(lines)


def _key_line(text: str, value: bool, data: dict[str, Any]) -> bytes:
    """Of several lines reading `published: WORD`, the rewrite of the one that is the key
    (the others are lines of other values: h92, a quoted excerpt's line at column 0, and
    the file was left out of every cron run): the one rewrite that parses to the same
    front matter but for `published`. Raises the first refusal when none or several do."""
    from newscli.article.frontmatter_yaml import parse_front_matter

    raw = text.encode("utf-8")
    lines, start, end = _front_matter_lines(raw.removeprefix(_BOM))
    found = sum(1 for line in lines[start + 1 : end] if _PUBLISHED_LINE.match(line))
    wanted = {**data, "published": value}
    fits: list[bytes] = []
    for choice in range(found if found <= KEY_LINES else 0):  # (each a parse: a few)
        try:
            new = rewrite_published(raw, value, True, choice)
            parsed, _ = parse_front_matter(new.decode("utf-8").removeprefix("\ufeff"))
        except (EditRefusedError, NewscliError, ValueError):
            continue
        if parsed == wanted and new not in fits:
            fits.append(new)
    if len(fits) != 1:
        return rewrite_published(raw, value, True)  # (raises)
    return fits[0]


KEY_LINES = 8  # lines reading `published: WORD` tried, at most (_key_line)
REJECTED, REJECTED_REASON = "rejected", "rejectedReason"


def _get(data: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = data
    for name in path:
        key = field_key(value, name) if isinstance(value, dict) else name
        if not isinstance(value, dict) or key not in value:
            return ABSENT
        value = value[key]
    return value


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def set_fields(assignments: Sequence[tuple[tuple[str, ...], Any]]) -> Transform:
    """Set each (path, value); a key already holding that value is left alone."""

    def transform(text: str, data: dict[str, Any]) -> Plan:
        changes, report = [], []
        for path, value in assignments:
            old = _get(data, path)
            if _same(old, value):
                continue
            text = set_value(text, path, value)
            changes.append(Change(path, value))
            report.append(FieldChange(".".join(path), old, value))
        return Plan(text, tuple(changes), tuple(report))

    return transform


def assign(assignments: Sequence[Assignment]) -> Transform:
    return set_fields([(a.path, a.value) for a in assignments])


def publish(value: bool) -> Transform:
    """`published`: a missing key counts as false."""

    def transform(text: str, data: dict[str, Any]) -> Plan:
        old = data.get("published", False)
        if old == value:
            return Plan(text)
        # publish's own rewrite (refuses what it cannot see safely, as it always did)
        try:
            raw = rewrite_published(text.encode("utf-8"), value, "published" in data)
        except EditRefusedError:
            raw = _key_line(text, value, data)
        new = raw.decode("utf-8")
        return Plan(new, (Change(("published",), value),), (FieldChange("published", old, value),))

    return transform


def unset_fields(paths: Sequence[tuple[str, ...]]) -> Transform:
    """Remove each key (its line or its whole block); a missing key: no change."""

    def transform(text: str, data: dict[str, Any]) -> Plan:
        changes, report = [], []
        for path in paths:
            old = _get(data, path)
            if old is ABSENT:
                continue
            text = unset(text, path)
            changes.append(Change(path, REMOVED))
            report.append(FieldChange(".".join(path), old, ABSENT))
        return Plan(text, tuple(changes), tuple(report))

    return transform


def tag_add(field: str, items: Sequence[str]) -> Transform:
    def transform(text: str, data: dict[str, Any]) -> Plan:
        old = data.get(field, ABSENT)
        new_list = list_after_add(old if isinstance(old, list) else None, items)
        if isinstance(old, list) and new_list == old:
            return Plan(text)
        new = list_add(text, field, items)
        return Plan(new, (Change((field,), new_list),), (FieldChange(field, old, new_list),))

    return transform


def tag_remove(field: str, items: Sequence[str], *, prune: bool = False) -> Transform:
    def transform(text: str, data: dict[str, Any]) -> Plan:
        old = data.get(field)
        if not isinstance(old, list):
            return Plan(text)
        new_list = list_after_remove(old, items)
        if new_list == old:
            return Plan(text)
        new = list_remove(text, field, items, prune=prune)
        value = REMOVED if prune and not new_list else new_list
        reported = ABSENT if value is REMOVED else new_list
        return Plan(new, (Change((field,), value),), (FieldChange(field, old, reported),))

    return transform


def reject(reason: str | None) -> Transform:
    """``rejected: true`` (and ``rejectedReason``, when given)."""
    pairs: list[tuple[tuple[str, ...], Any]] = [((REJECTED,), True)]
    if reason is not None:
        pairs.append(((REJECTED_REASON,), reason))
    return set_fields(pairs)


def unreject() -> Transform:
    return unset_fields([(REJECTED,), (REJECTED_REASON,)])
