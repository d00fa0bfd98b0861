"""Checking an edit before it is written: the new text must parse (with the project's
own parser) to the old mapping with exactly the intended changes, and every line
outside the lines of the changed keys must be byte-identical."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from newscli.article.folding import fold, unique
from newscli.article.frontmatter_yaml import parse_front_matter
from newscli.edit.text_layout import (
    BLOCK_MAP,
    BOM,
    Document,
    Entry,
    TextEditError,
    children,
    find,
    split_document,
    top_entries,
)
from newscli.errors import InvalidArticleError

__all__ = [
    "REMOVED",
    "Change",
    "EditVerificationError",
    "apply_changes",
    "list_after_add",
    "list_after_remove",
    "parse_mapping",
    "verify_edit",
]


class _Removed:
    def __repr__(self) -> str:
        return "REMOVED"


REMOVED: Any = _Removed()


class EditVerificationError(TextEditError):
    """The edited text is not the old text with exactly the intended change."""


@dataclass(frozen=True, slots=True)
class Change:
    """The intended change of one key: its new value, or REMOVED."""

    path: tuple[str, ...]
    value: Any = REMOVED


def parse_mapping(text: str) -> dict[str, Any]:
    """The front matter of an article's text (a BOM allowed), by the project's parser."""
    data, _ = parse_front_matter(text[1:] if text.startswith(BOM) else text)
    return data


def list_after_add(old: Sequence[str] | None, items: Iterable[str]) -> list[str]:
    """The list that list_add should leave: old, then each new item (case-insensitively)."""
    result = list(old or [])
    seen = {fold(item) for item in result if isinstance(item, str)}
    return result + [item for item in unique(items) if fold(item) not in seen]


def list_after_remove(old: Sequence[str] | None, items: Iterable[str]) -> list[str]:
    unwanted = {fold(item) for item in items}
    return [item for item in old or [] if fold(str(item)) not in unwanted]


def field_key(mapping: Mapping[Any, Any], name: str) -> Any:
    """The key of ``mapping`` a field name names: the text itself, else a key whose
    name in the export it is (h123: `1:` and `true:` are the keys 1 and True, which
    `set 1=...` and `unset 1` name as "1": set stopped with an internal error and unset
    left the line); ``name`` where there is none."""
    if name in mapping or all(type(key) is str for key in mapping):
        return name
    from newscli.article.record import key_name

    return next((key for key in mapping if key_name(key) == name), name)


def apply_changes(data: Mapping[str, Any], changes: Iterable[Change]) -> dict[str, Any]:
    """A copy of data with the changes made (the mappings on a changed path copied)."""
    result = dict(data)
    for change in changes:
        target = result
        for name in change.path[:-1]:
            key = field_key(target, name)
            inner = target.get(key)
            if not isinstance(inner, dict):
                raise EditVerificationError(f"{'.'.join(change.path)}: no such mapping")
            target[key] = target = dict(inner)
        last = field_key(target, change.path[-1])
        if change.value is REMOVED:
            target.pop(last, None)
        else:
            target[last] = change.value
    return result


def same(a: Any, b: Any) -> bool:
    """Equal values of the same types (True is not 1; NaN equals NaN)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[key], b[key]) for key in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def _chain(
    doc: Document, path: tuple[str, ...], extend: bool, top: list[Entry] | None = None
) -> list[range]:
    """The lines of the entries along path, as far as they exist (through block
    mappings); with extend, each up to the next key of its mapping (with the blank and
    comment lines after it)."""
    chain: list[range] = []
    found, end = (top_entries(doc) if top is None else top), doc.end
    for key in path:
        entry = find(found, key)
        if entry is None:
            break
        later = [other.line for other in found if other.line > entry.line]
        chain.append(range(entry.line, min(later, default=end) if extend else entry.stop))
        if entry.value.kind != BLOCK_MAP:
            break
        found, end = children(doc, entry), entry.stop
    return chain


def _spans(
    old: Document,
    new: Document,
    changes: Sequence[Change],
    extend: bool,
    tops: tuple[list[Entry], list[Entry]] | None = None,
) -> tuple[list[range], ...]:
    """For each change, the lines of its key in the old and in the new text: the entry
    of the path where both have it, else the first entry only one of them has."""
    old_spans: list[range] = []
    new_spans: list[range] = []
    for change in changes:
        old_chain = _chain(old, change.path, extend, tops[0] if tops else None)
        new_chain = _chain(new, change.path, extend, tops[1] if tops else None)
        depth = min(len(old_chain), len(new_chain))
        if depth == len(change.path):
            depth -= 1
        for chain, spans in ((old_chain, old_spans), (new_chain, new_spans)):
            if len(chain) > depth:
                spans.append(chain[depth])
    return old_spans, new_spans


def _check_lines(old: Document, new: Document, changes: Sequence[Change]) -> None:
    if (
        old.bom != new.bom
        or old.lines[: old.start + 1] != new.lines[: new.start + 1]
        or old.lines[old.end :] != new.lines[new.end :]
    ):
        raise EditVerificationError("the edit changed text outside the front matter")
    # A comment after a key's last line is its own in one text and not in the other
    # when the key's last item goes: the lines may belong to the key either way.
    tops = (top_entries(old), top_entries(new))  # read each layout once
    for extend in (False, True):
        old_spans, new_spans = _spans(old, new, changes, extend, tops)
        kept_old, kept_new = _outside(old, old_spans), _outside(new, new_spans)
        if [line for _, line in kept_old] == [line for _, line in kept_new]:
            return
    for (i, line), (_, other) in zip(kept_old, kept_new, strict=False):
        if line != other:
            raise EditVerificationError(f"the edit would change line {i + 1}")
    raise EditVerificationError("the edit would add or remove other lines")


def _outside(doc: Document, spans: list[range]) -> list[tuple[int, str]]:
    """The lines of doc outside the spans, with their indexes."""
    inside = {i for span in spans for i in span}
    return [(i, line) for i, line in enumerate(doc.lines) if i not in inside]


def verify_edit(
    old_text: str,
    new_text: str,
    expected_change: Change | Sequence[Change],
    old_mapping: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Check new_text against old_text and the intended changes; return the new mapping.
    ``old_mapping``: old_text's front matter, when the caller has just parsed it.

    Raises EditVerificationError (a TextEditError) naming what is wrong.
    """
    changes = [expected_change] if isinstance(expected_change, Change) else list(expected_change)
    if old_mapping is not None:
        old = dict(old_mapping)
    else:
        try:
            old = parse_mapping(old_text)
        except InvalidArticleError as exc:
            raise EditVerificationError(f"invalid, not edited: {exc.reason}") from None
    try:
        new = parse_mapping(new_text)
    except InvalidArticleError as exc:
        raise EditVerificationError(f"the edited text does not parse: {exc.reason}") from None
    expected = apply_changes(old, changes)
    if not same(new, expected):
        wrong = sorted(
            {*new, *expected} - {k for k in new if same(new.get(k), expected.get(k))}, key=str
        )
        raise EditVerificationError(f"the edit would change {', '.join(map(str, wrong))}")
    _check_lines(split_document(old_text), split_document(new_text), changes)
    return new
