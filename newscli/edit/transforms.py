"""The edits newscli makes, as pure transforms for engine.edit_file: text and parsed
front matter in, an engine.Plan out. No file access here."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from newscli.edit.engine import ABSENT, EditRefusedError, FieldChange, Plan, Transform
from newscli.edit.text_edit import list_add, list_remove, set_value, unset
from newscli.edit.text_verify import REMOVED, Change, list_after_add, list_after_remove

if TYPE_CHECKING:
    from newscli.edit.field_values import Assignment

__all__ = ["EditRefusedError", "rewrite_published"]

_BOM = b"\xef\xbb\xbf"
_BOUNDARY = re.compile(rb"-{3,}[ \t]*(\r\n|\r|\n)?")
_PUBLISHED_LINE = re.compile(
    rb"""(?P<key>(?P<q>["']?)published(?P=q)[ \t]*:[ \t]*)
         (?P<value>[A-Za-z]+)
         (?P<rest>[ \t]*(?:\#[^\r\n]*)?(?:\r\n|\r|\n)?)\Z""",
    re.VERBOSE,
)


def _front_matter_lines(raw: bytes) -> tuple[list[bytes], int, int]:
    """The file's lines (ends kept) and the indexes of the opening and closing boundary."""
    lines = raw.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None or not _BOUNDARY.fullmatch(lines[start]):
        raise EditRefusedError("no front matter")
    for end in range(start + 1, len(lines)):
        if _BOUNDARY.fullmatch(lines[end]):
            return lines, start, end
    raise EditRefusedError("front matter is not terminated")


def rewrite_published(raw: bytes, value: bool, present: bool) -> bytes:
    """Return raw with the top-level `published` set to value, every other byte kept.
    ``present``: whether the parsed front matter has the key: if it has, its line is
    rewritten (never one added beside it); if not, one is added, whatever line inside
    another value reads `published: ...` (h91: a quoted excerpt's line was rewritten,
    to the same text, and the article never marked)."""
    bom = _BOM if raw.startswith(_BOM) else b""
    lines, start, end = _front_matter_lines(raw[len(bom) :])
    new_value = b"true" if value else b"false"
    matches = [i for i in range(start + 1, end) if _PUBLISHED_LINE.match(lines[i])]
    if not present:
        matches = []
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


REJECTED, REJECTED_REASON = "rejected", "rejectedReason"


def _get(data: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = data
    for key in path:
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
        raw = rewrite_published(text.encode("utf-8"), value, "published" in data)
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
