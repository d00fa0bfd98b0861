"""A fast path for the plain block YAML that aggregators write.

Front matter made only of simple ``key: value`` lines, nested mappings, ``- item``
sequences, one-line lists of words (``[a, b]``), comment lines and one-line scalars
(plain, or quoted without escapes) is parsed here, line by line, into exactly the values
the full loader gives: the same resolver decides every plain scalar's type, the same
constructors build it. Anything else (end-of-line comments, other flow collections,
anchors, tags, escapes, multi-line scalars, odd indentation, duplicate keys, deep
nesting, unusual characters) gives None, and the full loader decides, errors and their
messages included. The tests compare both on generated documents.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

__all__ = ["fast_load"]

# Characters that are ordinary in every scalar: no tabs, no carriage returns, no YAML
# line breaks (NEL, LS, PS), no BOM, nothing the YAML reader refuses.
_UNSAFE = re.compile(
    "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
# key, and its value: the text of a double-quoted scalar without escapes, or any other
_KEY_LINE = re.compile(r'([A-Za-z_][A-Za-z0-9_-]*):(?: +(?:"([^"\\]*)"|(.+)))?\Z')
_FLOW_WORD = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.+/-]*")
# A plain scalar may not start with one of these (a '-' followed by a non-space may).
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
MAX_DEPTH = 12  # deeper documents are left to the full loader


class _GiveUp(Exception):
    """The text is outside the subset: let the full loader decide."""


_GIVE_UP = _GiveUp()
_STR = "tag:yaml.org,2002:str"

Resolve = Callable[[str], str]
Scalars = dict[str, Callable[[str], Any]]


def _quoted(text: str) -> str:
    """A single-line quoted scalar without escapes, or give up."""
    inner = text[1:-1]
    if len(text) < 2 or text[-1] != text[0]:
        raise _GIVE_UP
    if text[0] == '"':
        if '"' in inner or "\\" in inner:
            raise _GIVE_UP
        return inner
    if "'" in inner.replace("''", ""):
        raise _GIVE_UP
    return inner.replace("''", "'")


_MISS = object()
_values: dict[str, Any] = {}  # short plain scalars seen before, and their (immutable) values


class _Parser:
    __slots__ = ("lines", "resolve", "scalars")

    def __init__(self, lines: list[tuple[int, str]], resolve: Resolve, scalars: Scalars):
        self.lines = lines
        self.resolve = resolve
        self.scalars = scalars

    def plain(self, text: str) -> Any:
        """A plain scalar's value: its tag as the resolver says, built as the full
        loader builds it (a tag it does not build, or a value it refuses: give up)."""
        value = _values.get(text, _MISS)
        if value is not _MISS:
            return value
        tag = self.resolve(text)
        if tag == _STR:
            value = text
        else:
            construct = self.scalars.get(tag)
            if construct is None:
                raise _GIVE_UP
            try:
                value = construct(text)
            except Exception:  # e.g. 2023-02-30: the full loader reports it
                raise _GIVE_UP from None
        if len(text) <= 40 and len(_values) < 50_000:
            _values[text] = value  # scalars are immutable: str, int, float, bool, None, dates
        return value

    def scalar(self, text: str) -> Any:
        """The value written after ``key:`` or ``-`` on the same line."""
        first = text[0]
        if first == '"' or first == "'":
            return _quoted(text)
        if first == "[" and text[-1] == "]":
            return self.flow_words(text[1:-1])
        if (first in _INDICATORS and (first != "-" or text[1:2] in ("", " "))) or (
            "#" in text or ": " in text or text[-1] == ":"
        ):
            raise _GIVE_UP
        return self.plain(text)

    def flow_words(self, inner: str) -> list[Any]:
        """``[a, b]``: a one-line flow sequence of words (no quotes, no spaces inside)."""
        if not inner.strip(" "):
            return []
        words = [word.strip(" ") for word in inner.split(",")]
        for word in words:
            if not _FLOW_WORD.fullmatch(word):
                raise _GIVE_UP
        return [self.plain(word) for word in words]

    def below(self, i: int, indent: int, depth: int) -> tuple[Any, int]:
        """The value of ``key:`` with nothing after it on its line: the block below it
        (more indented, or a sequence at the key's own indent), else null."""
        if i < len(self.lines):
            at, content = self.lines[i]
            if at > indent or (at == indent and content[:2] == "- "):
                if content[:2] == "- ":
                    return self.sequence(i, at, depth)
                return self.mapping(i, at, depth)
        return self.plain(""), i

    def line_at(self, i: int, indent: int, depth: int) -> str | None:
        """Line i's content when it is at ``indent``; None where the block ends (no more
        lines, or less indent). More indent, or too deep, is outside the subset."""
        if depth > MAX_DEPTH:
            raise _GIVE_UP
        if i >= len(self.lines):
            return None
        at, content = self.lines[i]
        if at == indent:
            return content
        if at < indent:
            return None
        raise _GIVE_UP

    def mapping(self, i: int, indent: int, depth: int) -> tuple[dict[str, Any], int]:
        result: dict[str, Any] = {}
        while (content := self.line_at(i, indent, depth)) is not None:
            match = _KEY_LINE.match(content)
            if match is None:
                raise _GIVE_UP
            key, quoted, rest = match.groups()
            if key in result or self.plain(key).__class__ is not str:
                raise _GIVE_UP  # a repeated key, or one that is not a string (yes, null)
            i += 1
            if quoted is not None:
                result[key] = quoted
            elif rest:
                result[key] = self.scalar(rest)
            else:
                result[key], i = self.below(i, indent, depth + 1)
        return result, i

    def sequence(self, i: int, indent: int, depth: int) -> tuple[list[Any], int]:
        items: list[Any] = []
        while (content := self.line_at(i, indent, depth)) is not None:
            if content[:2] != "- ":
                break  # the end of a sequence written at its key's indent
            item = content[2:]
            if item[0] == " ":
                raise _GIVE_UP
            if _KEY_LINE.match(item):  # "- key: value" opens a mapping two columns in
                self.lines[i] = (indent + 2, item)
                value, i = self.mapping(i, indent + 2, depth + 1)
            else:
                value, i = self.scalar(item), i + 1
            items.append(value)
        return items, i


def _lines(text: str) -> list[tuple[int, str]]:
    """(indent, content) of every line but blank and comment lines, trailing spaces cut
    (no scalar spans lines here, so a line that starts with # is always a comment)."""
    result = []
    for raw in text.split("\n"):
        stripped = raw.lstrip(" ")
        if stripped and stripped[0] != "#":
            result.append((len(raw) - len(stripped), stripped.rstrip(" ")))
    return result


def fast_load(text: str, resolve: Resolve, scalars: Scalars) -> dict[str, Any] | None:
    """The mapping the full loader would give for ``text``, or None when the text is
    outside the fast subset. ``resolve(plain)`` gives a plain scalar's tag and
    ``scalars[tag](plain)`` its value, both exactly as the full loader does."""
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    if _UNSAFE.search(text):
        return None
    try:
        lines = _lines(text)
        if not lines:
            return None
        result, end = _Parser(lines, resolve, scalars).mapping(0, 0, 1)
    except _GiveUp:
        return None
    return result if end == len(lines) else None
