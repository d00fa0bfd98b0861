"""A fast path for the plain block YAML that aggregators write.

Front matter made only of simple ``key: value`` lines, nested mappings, ``- item``
sequences, one-line lists of words (``[a, b]``), comment lines and one-line scalars
(plain, or quoted: escapes such as ``\\"``, ``\\\\`` and ``\\u00e9`` included) is parsed here
into exactly the values the full loader gives: the same resolver decides every plain
scalar's type, the same constructors build it. Anything else (end-of-line comments,
other flow collections, anchors, tags, unknown escapes, multi-line scalars, odd
indentation, duplicate keys, deep nesting, unusual characters) gives None, and the full
loader decides, errors and their messages included. The tests compare both on
generated documents.

One regular expression cuts every line into its parts at C speed; the Python that
follows only looks at indents and builds the values.
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
# Every line matches, once: (indent, "- ", key, value, text of a line that is not
# "key:"). A blank or comment line has no parts but indent. (Values end in a non-space
# and trailing spaces are matched apart: no pattern here backtracks more than linearly,
# whatever the line. A value is matched with `.*`, the engine's fastest loop; whether
# it is quoted is told afterwards, with string methods.)
_LINE = re.compile(
    r"""^(?P<indent>[ ]*)
    (?:\#.*
    |(?P<dash>-[ ](?=[^ ]))?
     (?:(?P<key>[A-Za-z_][A-Za-z0-9_-]*):
        (?:[ ]+(?P<rest>[^ \n](?:.*[^ \n])?))?
     |(?P<item>(?:[^ \n](?:.*[^ \n])?)?))
    )[ ]*$""",
    re.MULTILINE | re.VERBOSE,
)
# The same test for ASCII text (the usual case), as a byte table: what is left after
# deleting the allowed bytes is unsafe (many times faster than the pattern above).
_ASCII_SAFE = bytes([10, *range(0x20, 0x7F)])
_FLOW_WORD = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.+/-]*")
# A plain scalar may not start with one of these (a '-' followed by a non-space may).
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
MAX_DEPTH = 12  # deeper documents are left to the full loader

Line = tuple[str, str, str, str, str]  # the groups of _LINE, "" where absent
Resolve = Callable[[str], str]
Scalars = dict[str, Callable[[str], Any]]


class _GiveUp(Exception):
    """The text is outside the subset: let the full loader decide. Raised as a new
    instance each time: raising one shared instance again chains each new traceback to
    the ones before, and every frame given up in stayed alive with its locals (the
    lines, and through the callers' frames the file's whole text: 13 KB per file given
    up on, 425 MB per worker at 100,000 real headlines)."""


_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MISS = object()
_values: dict[str, Any] = {}  # short plain scalars seen before, and their (immutable) values


# The escapes of a double-quoted scalar, as libyaml (and PyYAML's pure loader) read
# them; a quote or backslash that is not part of one is matched alone: give up.
_ESCAPE = re.compile(
    r'\\([0abtnvfre "/\\N_LP]|x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})|["\\]'
)
_ESCAPED = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "n": "\n", "v": "\v", "f": "\f", "r": "\r",
    "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0",
    "L": "\u2028", "P": "\u2029",
}  # fmt: skip


def _unescape(match: re.Match[str]) -> str:
    code = match[1]
    if code is None:  # a bare quote (the scalar ended before) or an unknown escape
        raise _GiveUp
    if len(code) == 1:
        return _ESCAPED[code]
    point = int(code[1:], 16)
    if 0xD800 <= point <= 0xDFFF or point > 0x10FFFF:  # libyaml refuses them, PyYAML's
        raise _GiveUp  # pure loader does not: left to the full loader
    return chr(point)


def _double(inner: str) -> str:
    """The value of a one-line double-quoted scalar, from the text between its quotes."""
    if '"' not in inner and "\\" not in inner:
        return inner
    return _ESCAPE.sub(_unescape, inner)


def _quoted(text: str) -> str:
    """A one-line quoted scalar ('' stands for ' in single quotes, escapes are read in
    double quotes), or give up."""
    inner = text[1:-1]
    if len(text) < 2 or text[-1] != text[0]:
        raise _GiveUp
    if text[0] == '"':
        return _double(inner)
    if "'" in inner.replace("''", ""):
        raise _GiveUp
    return inner.replace("''", "'")


class _Scalars:
    """Values of one-line scalars, as the full loader builds them."""

    __slots__ = ("resolve", "scalars")

    def __init__(self, resolve: Resolve, scalars: Scalars):
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
                raise _GiveUp
            try:
                value = construct(text)
            except Exception:  # e.g. 2023-02-30: the full loader reports it
                raise _GiveUp from None
        # Scalars are immutable (str, int, float, bool, None, dates). Timestamps are left
        # out: nearly each is new (50,000 of them filled this, 7 MB a process, to no use).
        if len(text) <= 40 and len(_values) < 50_000 and tag != _TIMESTAMP:
            _values[text] = value
        return value

    def scalar(self, text: str) -> Any:
        """A value written on the line of its ``key:`` or ``-``."""
        value = _values.get(text, _MISS)  # only plain scalars get there
        if value is not _MISS:
            return value
        first = text[0]
        if first == "'" or first == '"':
            return _quoted(text)
        if first == "[" and text[-1] == "]":
            return self.flow_words(text[1:-1])
        if (first in _INDICATORS and (first != "-" or text[1:2] in ("", " "))) or (
            "#" in text or ": " in text or text[-1] == ":"
        ):
            raise _GiveUp
        return self.plain(text)

    def flow_words(self, inner: str) -> list[Any]:
        """``[a, b]``: a one-line flow sequence of words (no quotes, no spaces inside)."""
        if not inner.strip(" "):
            return []
        words = [word.strip(" ") for word in inner.split(",")]
        for word in words:
            if not _FLOW_WORD.fullmatch(word):
                raise _GiveUp
        return [self.plain(word) for word in words]

    def key(self, text: str, mapping: dict[str, Any]) -> str:
        """A new key of ``mapping`` (a repeated key, or one that is not a string, such as
        yes or null, is left to the full loader)."""
        if text in mapping or (text not in _STRING_KEYS and self.plain(text).__class__ is not str):
            raise _GiveUp
        if len(_STRING_KEYS) < 10_000:
            _STRING_KEYS.add(text)
        return text


_STRING_KEYS: set[str] = set()


def _parse(lines: list[Line], values: _Scalars) -> dict[str, Any]:
    """The mapping the lines make, built with a stack of open blocks: (indent, the
    dict or list being filled)."""
    root: dict[str, Any] = {}
    stack: list[tuple[int, Any]] = [(0, root)]
    indent, block = stack[-1]
    waiting: str | None = None  # a "key:" whose value is the block below, if any
    for spaces, dash, key, rest, item in lines:
        column = len(spaces)
        if waiting is not None:
            if column > indent or (dash and column == indent):  # the block below opens
                opened: list[Any] | dict[str, Any] = [] if dash else {}
                block[waiting] = opened
                stack.append((column, opened))
                indent, block = column, opened
                if len(stack) > MAX_DEPTH:
                    raise _GiveUp
            else:
                block[waiting] = values.plain("")  # null
            waiting = None
        while column < indent or (column == indent and not dash and block.__class__ is list):
            stack.pop()  # blocks end where the indent drops (a sequence at its key's
            indent, block = stack[-1]  # indent ends at the next key)
        if column != indent:
            raise _GiveUp
        if dash:
            if block.__class__ is not list:
                raise _GiveUp
            if not key:
                block.append(values.scalar(item))
                continue
            item_map: dict[str, Any] = {}  # "- key: value" opens a mapping two columns in
            block.append(item_map)
            indent, block = column + 2, item_map
            stack.append((indent, block))
            if len(stack) > MAX_DEPTH:
                raise _GiveUp
        elif not key or block.__class__ is list:
            raise _GiveUp
        if key in block or key not in _STRING_KEYS:
            values.key(key, block)  # a new key that is a string, or give up
        if rest:
            if rest[0] == '"':  # _quoted, inline for the usual case: no escapes
                inner = rest[1:-1]
                if rest[-1] != '"' or len(rest) < 2:
                    raise _GiveUp
                block[key] = inner if '"' not in inner and "\\" not in inner else _double(inner)
            else:  # Scalars.scalar, inline for the usual case
                value = _values.get(rest, _MISS)
                block[key] = values.scalar(rest) if value is _MISS else value
        else:
            waiting = key
    if waiting is not None:
        block[waiting] = values.plain("")
    return root


def fast_load(text: str, resolve: Resolve, scalars: Scalars) -> dict[str, Any] | None:
    """The mapping the full loader would give for ``text``, or None when the text is
    outside the fast subset. ``resolve(plain)`` gives a plain scalar's tag and
    ``scalars[tag](plain)`` its value, both exactly as the full loader does."""
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    if text.isascii():  # a flag of the string: no scan
        if text.encode("ascii").translate(None, _ASCII_SAFE):
            return None
    elif _UNSAFE.search(text):
        return None
    # Blank and comment lines have no parts (no scalar spans lines here, so a line
    # that starts with # is always a comment).
    lines = [line for line in _LINE.findall(text) if line[2] or line[1] or line[4]]
    if not lines:
        return None
    try:
        return _parse(lines, _Scalars(resolve, scalars))
    except _GiveUp:
        return None
