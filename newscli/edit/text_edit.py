"""Byte-preserving edits of an article's front matter: text in, text out.

Only the lines of the key being edited change: a value is replaced in place (its
quoting kept where it can hold the new value, its comment kept), a missing key is added
as one line at the end of the front matter (or of its nested mapping) in the file's
line-ending style, a list item is added or removed as one line (block lists) or inside
the brackets (flow lists). BOM, CRLF, comments, blank lines, key order, the body and a
missing final newline all stay. Anything this module cannot edit safely raises
TextEditError (with the reason) and nothing is changed. The caller checks the result
with text_verify.verify_edit before writing it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from newscli.article.folding import fold, unique
from newscli.edit.text_layout import (
    BLOCK_MAP,
    BLOCK_SCALAR,
    BLOCK_SEQ,
    FLOW_SEQ,
    MULTILINE,
    NULL,
    SCALAR,
    Document,
    Entry,
    TextEditError,
    body,
    children,
    find,
    indent_of,
    is_blank_or_comment,
    line_end,
    read_value,
    split_document,
    top_entries,
)
from newscli.edit.yaml_render import DOUBLE, PLAIN, SINGLE, render_key, render_scalar, render_string

__all__ = ["TextEditError", "field_path", "list_add", "list_remove", "set_value", "unset"]

_HEADER_COMMENT = re.compile(r"[ \t]+#.*")
_NULLS = frozenset(("~", "null", "Null", "NULL"))


def field_path(path: str | Sequence[str]) -> tuple[str, ...]:
    """``"provider.name"`` or ``("provider", "name")`` -> ``("provider", "name")``."""
    keys = tuple(path.split(".")) if isinstance(path, str) else tuple(path)
    if not keys or not all(keys):
        raise TextEditError(f"not a field name: {'.'.join(keys)!r}")
    return keys


def _locate(doc: Document, keys: tuple[str, ...]) -> tuple[list[Entry], Entry | None, int]:
    """The entries of the mapping holding the last key, the key's entry (or None), and
    where a new key of that mapping goes (a line index)."""
    found = top_entries(doc)
    insert_at = doc.end
    for depth, key in enumerate(keys[:-1]):
        entry = find(found, key)
        name = ".".join(keys[: depth + 1])
        if entry is None:
            raise TextEditError(f"{name} is missing; only keys of an existing mapping are set")
        if entry.value.kind != BLOCK_MAP:
            raise TextEditError(f"{name} is a {entry.value.kind}, not a block mapping")
        found, insert_at = children(doc, entry), entry.stop
    return found, find(found, keys[-1]), insert_at


def _new_line(doc: Document, indent: int, key: str, value: str, near: int) -> str:
    eol = line_end(doc.lines[near - 1]) if near > doc.start + 1 else doc.eol
    return " " * indent + render_key(key) + ": " + value + (eol or doc.eol)


def _key_line(doc: Document, entry: Entry, value: str | None) -> str:
    """The entry's key line with a new one-line value (None: no value), comment kept."""
    line = doc.lines[entry.line]
    comment = entry.comment
    if entry.value.kind not in (NULL, SCALAR):  # block scalar header, multi-line value
        text = body(line)
        match = _HEADER_COMMENT.search(text, len(entry.head))
        comment = match.group() if entry.value.kind == BLOCK_SCALAR and match else ""
    if value is None:
        return entry.head + comment + line_end(line)
    gap = " " if comment and entry.value.kind == NULL else entry.gap or " "
    return entry.head + gap + value + comment + line_end(line)


def set_value(text: str, path: str | Sequence[str], value: object) -> str:
    """Set a scalar at path (a top-level key, or a key of an existing nested block
    mapping). Raises TextEditError when the key holds a list or mapping, or cannot be
    edited safely."""
    keys = field_path(path)
    doc = split_document(text)
    found, entry, insert_at = _locate(doc, keys)
    if entry is None:
        indent = found[0].indent if found and len(keys) > 1 else 0
        if len(keys) > 1 and not found:
            raise TextEditError(f"{'.'.join(keys[:-1])} has no keys to add to")
        doc.lines.insert(
            insert_at, _new_line(doc, indent, keys[-1], render_scalar(value), insert_at)
        )
        return doc.text()
    kind = entry.value.kind
    name = ".".join(keys)
    if kind == SCALAR:
        style = entry.value.style
        line = doc.lines[entry.line]
        text_body = body(line)
        new = render_scalar(value, style if style in (SINGLE, DOUBLE) else PLAIN)
        doc.lines[entry.line] = (
            text_body[: entry.value.start] + new + text_body[entry.value.stop :] + line_end(line)
        )
        return doc.text()
    if kind == NULL:
        if entry.stop > entry.line + 1:
            raise TextEditError(f"{name}: comments under the key; edit it by hand")
        doc.lines[entry.line] = _key_line(doc, entry, render_scalar(value))
        return doc.text()
    if kind in (BLOCK_SCALAR, MULTILINE) and _first_char(doc, entry) not in "[{\n":
        doc.lines[entry.line : entry.stop] = [_key_line(doc, entry, render_scalar(value))]
        return doc.text()
    raise TextEditError(f"{name} holds a {kind}; only scalars are set (unset it first)")


def _first_char(doc: Document, entry: Entry) -> str:
    text = body(doc.lines[entry.line])[len(entry.head) + len(entry.gap) :]
    return text[:1] or "\n"


def unset(text: str, path: str | Sequence[str]) -> str:
    """Remove a key: its line, or all the lines of its value. A missing key: no change."""
    keys = field_path(path)
    doc = split_document(text)
    found, entry, _ = _locate(doc, keys)
    if entry is None:
        return text
    if len(found) == 1:
        where = ".".join(keys[:-1]) or "the front matter"
        raise TextEditError(f"{where} would be left empty; unset the whole of it instead")
    del doc.lines[entry.line : entry.stop]
    return doc.text()


# Lists ------------------------------------------------------------------------------


class _BlockList:
    """The items of a block list: their line indexes, values and styles."""

    def __init__(self, doc: Document, entry: Entry, name: str):
        self.lines: list[int] = []
        self.values: list[str] = []
        self.styles: list[str] = []
        self.indent = -1
        for j in range(entry.line + 1, entry.stop):
            text = body(doc.lines[j])
            if is_blank_or_comment(text):
                continue
            here = indent_of(text)
            if self.indent < 0:
                self.indent = here
            dash = text[here : here + 1] == "-" and text[here + 1 : here + 2] in (" ", "")
            if here != self.indent or not dash:
                raise TextEditError(f"{name}: line {j + 1} is not a one-line list item")
            col = len(text) - len(text[here + 1 :].lstrip(" "))
            value, last, _ = read_value(doc.lines, j, col)
            if value.kind != SCALAR or last != j:
                raise TextEditError(f"{name}: line {j + 1} is not a one-line list item")
            self.lines.append(j)
            self.values.append(_scalar_text(text[value.start : value.stop], value.style))
            self.styles.append(value.style)


def _scalar_text(raw: str, style: str) -> str:
    if style == SINGLE:
        return raw[1:-1].replace("''", "'")
    if style == DOUBLE:
        from newscli.edit.text_layout import decode_key

        return decode_key(raw)
    return raw


class _FlowList:
    """A one-line flow list cut at its commas: (leading blanks, item, trailing blanks)."""

    def __init__(self, inner: str, name: str):
        self.parts: list[tuple[str, str, str]] = []
        if not inner.strip(" \t"):
            self.blank = inner
            return
        self.blank = ""
        pieces: list[str] = []
        current, pos = "", 0
        while pos < len(inner):
            char = inner[pos]
            if char in "\"'" and not current.strip(" \t"):  # else text: Women's health
                end = _quote_end(inner, pos, name)
                current += inner[pos:end]
                pos = end
                continue
            if char in "[]{}" or (char == "#" and (pos == 0 or inner[pos - 1] in " \t")):
                raise TextEditError(f"{name}: a flow list with nested values or comments")
            if char == ",":
                pieces.append(current)
                current = ""
            else:
                current += char
            pos += 1
        pieces.append(current)
        if len(pieces) > 1 and not pieces[-1].strip(" \t"):
            raise TextEditError(f"{name}: a flow list with a trailing comma")
        for piece in pieces:
            item = piece.strip(" \t")
            if not item:
                raise TextEditError(f"{name}: an empty item in a flow list")
            lead = piece[: len(piece) - len(piece.lstrip(" \t"))]
            self.parts.append((lead, item, piece[len(lead) + len(item) :]))

    @property
    def values(self) -> list[str]:
        return [_scalar_text(item, _style(item)) for _, item, _ in self.parts]

    def text(self) -> str:
        if not self.parts:
            return self.blank
        return ",".join(lead + item + trail for lead, item, trail in self.parts)

    def add(self, items: list[str]) -> None:
        styles = {_style(item) for _, item, _ in self.parts}
        style = styles.pop() if len(styles) == 1 else PLAIN
        sep = self.parts[1][0] if len(self.parts) > 1 else " "
        for item in items:
            rendered = render_string(item, style, flow=True)
            if not self.parts:
                self.parts.append(("", rendered, ""))
                continue
            lead, last, trail = self.parts[-1]
            self.parts[-1] = (lead, last, "")
            self.parts.append((sep, rendered, trail))

    def remove(self, index: int) -> None:
        lead, _, trail = self.parts.pop(index)
        if index == 0 and self.parts:
            self.parts[0] = (lead, self.parts[0][1], self.parts[0][2])
        elif index == len(self.parts) and self.parts:
            self.parts[-1] = (self.parts[-1][0], self.parts[-1][1], trail)


def _style(item: str) -> str:
    return item[0] if item[0] in "\"'" else PLAIN


def _quote_end(text: str, pos: int, name: str) -> int:
    quote, i = text[pos], pos + 1
    while i < len(text):
        if quote == '"' and text[i] == "\\":
            i += 2
            continue
        if text[i] == quote:
            if quote == "'" and text[i + 1 : i + 2] == "'":
                i += 2
                continue
            return i + 1
        i += 1
    raise TextEditError(f"{name}: a quoted item is not closed")


def _list_entry(doc: Document, field: str) -> Entry | None:
    entry = find(top_entries(doc), field)
    if entry is None:
        return None
    kind = entry.value.kind
    if kind in (NULL, BLOCK_SEQ, FLOW_SEQ):
        return entry
    if kind == SCALAR and _null_text(doc, entry):
        return entry
    if kind == MULTILINE and _opens_flow_list(doc, entry):  # (h36: "not a list", it is)
        raise TextEditError(f"{field} is a flow list over several lines: one-line ones are edited")
    raise TextEditError(f"{field} is a {kind}, not a list")


def _opens_flow_list(doc: Document, entry: Entry) -> bool:
    """Whether the key line's value begins a flow list (``[``)."""
    return body(doc.lines[entry.line])[len(entry.head) :].lstrip().startswith("[")


def _null_text(doc: Document, entry: Entry) -> bool:
    return entry.value.style == PLAIN and (
        body(doc.lines[entry.line])[entry.value.start : entry.value.stop] in _NULLS
    )


def _flow_parts(doc: Document, entry: Entry) -> tuple[str, _FlowList, str]:
    text = body(doc.lines[entry.line])
    start, stop = entry.value.start, entry.value.stop
    return text[: start + 1], _FlowList(text[start + 1 : stop - 1], entry.key), text[stop - 1 :]


def list_add(text: str, field: str, items: Iterable[str]) -> str:
    """Add items (not already there, compared case-insensitively) to a top-level list,
    creating the list (block style) when the key is missing or null."""
    doc = split_document(text)
    entry = _list_entry(doc, field)
    wanted = unique(items)
    if entry is None:
        if not wanted:
            return text
        eol = doc.eol
        new = [render_key(field) + ":" + eol]
        new += ["  - " + render_string(item) + eol for item in wanted]
        doc.lines[doc.end : doc.end] = new
        return doc.text()
    if entry.value.kind == FLOW_SEQ:
        before, flow, after = _flow_parts(doc, entry)
        present = {fold(value) for value in flow.values}
        flow.add([item for item in wanted if fold(item) not in present])
        line = doc.lines[entry.line]
        doc.lines[entry.line] = before + flow.text() + after + line_end(line)
        return doc.text()
    if entry.value.kind == BLOCK_SEQ:
        block = _BlockList(doc, entry, field)
        present = {fold(value) for value in block.values}
        new_items = [item for item in wanted if fold(item) not in present]
        last = doc.lines[block.lines[-1]]
        prefix = body(last)[: len(body(last)) - len(body(last)[block.indent + 1 :].lstrip(" "))]
        style = block.styles[-1]
        new = [prefix + render_string(item, style) + line_end(last) for item in new_items]
        doc.lines[block.lines[-1] + 1 : block.lines[-1] + 1] = new
        return doc.text()
    if entry.stop > entry.line + 1:  # `topics:` with comments under it
        raise TextEditError(f"{field}: comments under an empty key; edit it by hand")
    if not wanted:
        return text
    eol = line_end(doc.lines[entry.line]) or doc.eol
    head = " " * (entry.indent + 2) + "- "
    doc.lines[entry.line : entry.line + 1] = [
        _key_line(doc, entry, None) if entry.value.kind == NULL else _drop_value(doc, entry),
        *(head + render_string(item) + eol for item in wanted),
    ]
    return doc.text()


def _drop_value(doc: Document, entry: Entry) -> str:
    """`key: null  # c` -> `key:  # c`"""
    return entry.head + entry.comment + line_end(doc.lines[entry.line])


def list_remove(text: str, field: str, items: Iterable[str], *, prune: bool = False) -> str:
    """Remove every item equal (case-insensitively) to one of items from a top-level
    list. A list left empty stays as ``field: []``, or goes with prune=True."""
    doc = split_document(text)
    entry = _list_entry(doc, field)
    unwanted = {fold(item) for item in items}
    if entry is None or entry.value.kind not in (FLOW_SEQ, BLOCK_SEQ):
        return text
    if entry.value.kind == FLOW_SEQ:
        before, flow, after = _flow_parts(doc, entry)
        doomed = [i for i, value in enumerate(flow.values) if fold(value) in unwanted]
        if not doomed:
            return text
        if prune and len(doomed) == len(flow.parts):
            del doc.lines[entry.line : entry.stop]
            return doc.text()
        for index in reversed(doomed):
            flow.remove(index)
        line = doc.lines[entry.line]
        doc.lines[entry.line] = before + flow.text() + after + line_end(line)
        return doc.text()
    block = _BlockList(doc, entry, field)
    doomed = [
        j for j, value in zip(block.lines, block.values, strict=True) if fold(value) in unwanted
    ]
    if not doomed:
        return text
    if len(doomed) == len(block.lines):
        if prune:
            del doc.lines[entry.line : entry.stop]
            return doc.text()
        line = doc.lines[entry.line]
        doc.lines[entry.line : entry.stop] = [entry.head + " []" + entry.comment + line_end(line)]
        return doc.text()
    for j in reversed(doomed):
        del doc.lines[j]
    return doc.text()
