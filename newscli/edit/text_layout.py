"""The line layout of an article's front matter, for byte-preserving edits.

An article's text is cut into lines (their ends kept); the front matter is the lines
between the opening and the closing ``---`` line. Inside it, the entries of a block
mapping at one indentation are found from the lines alone: a key line and the lines
that belong to its value (deeper lines, ``- item`` lines at the key's own indentation,
the rest of a quoted or flow value that spans lines). Blank lines and comments that
follow an entry at its own indentation or less are not part of it.

Nothing here decides what a value is; the YAML parser does that, and the editor
re-parses every result (text_verify). Layouts this module does not understand raise
TextEditError, so the file is left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from newscli.errors import NewscliError

BOM = "\ufeff"
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
BOUNDARY = re.compile(r"-{3,}\s*")  # a front matter's boundary line (its end left out)
_KEY = re.compile(
    r"""(?P<key>"(?:[^"\\]|\\.)*"
    |'(?:[^']|'')*'
    |(?![-?:,\[\]{}\#&*!|>'"%@`\s])[^\r\n]*?
    |[-?:](?=\S)[^\r\n]*?)
    (?P<sep>[ \t]*:)(?=[ \t]|\Z)(?P<ws>[ \t]*)(?P<rest>.*)\Z""",
    re.VERBOSE | re.DOTALL,
)
_DASH = re.compile(r"-(?=[ \t]|\Z)")
_COMMENT = re.compile(r"[ \t]#")

# Kinds of values, as far as the key line (and the lines after it) tell.
NULL = "null"  # `key:` and nothing under it
SCALAR = "scalar"  # a one-line plain or quoted scalar on the key line
MULTILINE = "value over several lines"  # a plain, quoted or flow value that goes on over more lines
BLOCK_SCALAR = "block scalar"  # `key: |` or `key: >`
FLOW_SEQ = "flow list"  # `key: [a, b]` on one line
FLOW_MAP = "flow mapping"  # `key: {a: b}` on one line
BLOCK_MAP = "block mapping"  # `key:` and deeper `k: v` lines
BLOCK_SEQ = "block list"  # `key:` and `- item` lines
SPECIAL = "anchor, alias or tag"


class TextEditError(NewscliError):
    """The text cannot be edited safely; ``reason`` says why. Nothing was changed."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def body(line: str) -> str:
    """A line without its end."""
    return line.rstrip("\r\n")


def line_end(line: str) -> str:
    return line[len(body(line)) :]


def indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def is_blank_or_comment(line: str) -> bool:
    stripped = body(line).lstrip(" \t")
    return not stripped or stripped.startswith("#")


@dataclass(slots=True)
class Document:
    """An article's text as lines; ``start``/``end`` index the boundary lines."""

    bom: str
    lines: list[str]
    start: int
    end: int

    @property
    def eol(self) -> str:
        return line_end(self.lines[self.start]) or "\n"

    def text(self) -> str:
        return self.bom + "".join(self.lines)


def split_document(text: str) -> Document:
    """Cut text into lines and find the front matter, as parse_front_matter does."""
    bom = BOM if text.startswith(BOM) else ""
    lines = _LINE.findall(text[len(bom) :])
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None or not BOUNDARY.fullmatch(body(lines[start])):
        raise TextEditError("no front matter")
    for end in range(start + 1, len(lines)):
        if BOUNDARY.fullmatch(body(lines[end])):
            if any("\r" in body(line) for line in lines[start:end]):
                raise TextEditError("a line of the front matter ends in a lone CR")
            return Document(bom, lines, start, end)
    raise TextEditError("front matter is not terminated")


@dataclass(slots=True)
class Value:
    kind: str
    style: str = ""  # for SCALAR: "plain", '"' or "'"
    start: int = 0  # for SCALAR, FLOW_*: the value's columns in the key line's body
    stop: int = 0


@dataclass(slots=True)
class Entry:
    """One key of a block mapping: lines ``line`` (the key line) to ``stop`` (exclusive)."""

    key: str
    raw_key: str
    line: int
    stop: int
    indent: int
    value: Value
    head: str  # the key line's body up to the colon: indent, key, colon
    gap: str  # the blanks after the colon
    comment: str  # the key line's end-of-line comment, with the blanks before it


def decode_key(raw: str) -> str:
    if raw.startswith('"'):
        try:
            value = yaml.safe_load(raw)
        except yaml.YAMLError:
            raise TextEditError(f"cannot read the key {raw}") from None
        return str(value)
    if raw.startswith("'"):
        return raw[1:-1].replace("''", "'")
    return raw


# The rest of a quoted scalar on one line, up to its closing quote: escapes skipped
# (a backslash ending the line continues it), '' inside single quotes.
_QUOTED_REST = {
    '"': re.compile(r'(?:[^"\\]|\\.)*"'),
    "'": re.compile(r"(?:[^']|'')*'(?!')"),
}


def _scan_quoted(lines: list[str], i: int, col: int) -> tuple[int, int]:
    """(line, column after the closing quote) of the quoted scalar at lines[i][col]."""
    rest = _QUOTED_REST[lines[i][col]]
    pos = col + 1
    while i < len(lines):
        found = rest.match(body(lines[i]), pos)
        if found is not None:
            return i, found.end()
        i, pos = i + 1, 0
    raise TextEditError("a quoted value is not closed")


BLANK = ("", " ", "\t")


def _scan_flow(lines: list[str], i: int, col: int) -> tuple[int, int]:
    """(line, column after the closing bracket) of the flow collection at lines[i][col]."""
    depth, pos = 0, col
    # A quote opens a quoted scalar only where a node starts (after "[", "{", ",", ":"
    # or "?", blanks between): inside a plain scalar (Women's health) it is text.
    node_start, quoted = True, False  # (quoted: the last node was a quoted scalar)
    while i < len(lines):
        text = body(lines[i])
        while pos < len(text):
            char = text[pos]
            if char in "\"'" and node_start:
                j, pos = _scan_quoted(lines, i, pos)
                if j != i:
                    i, text = j, body(lines[j])
                node_start, quoted = False, True
                continue
            if char == "#" and (pos == 0 or text[pos - 1] in " \t"):
                break
            if char in "[{":
                depth += 1
            elif char in "]}":
                depth -= 1
                if depth == 0:
                    return i, pos + 1
            # (`{"a":"b"}`: after a quoted key, ":" needs no blank after it)
            if char in "[{,?" or (char == ":" and (quoted or text[pos + 1 : pos + 2] in BLANK)):
                node_start = True
            elif char not in " \t":
                node_start = quoted = False
            pos += 1
        i, pos = i + 1, 0
    raise TextEditError("a flow list or mapping is not closed")


def _rest_of_line(text: str, pos: int) -> str:
    """What follows a value on its line: blanks and a comment, or raise."""
    rest = text[pos:]
    stripped = rest.lstrip(" \t")
    if stripped and not (stripped.startswith("#") and stripped != rest):
        raise TextEditError(f"unexpected text after a value: {stripped!r}")
    return rest


def read_value(lines: list[str], i: int, col: int) -> tuple[Value, int, str]:
    """The value starting at lines[i][col]: (value, its last line, the blanks and comment
    after it on that line)."""
    text = body(lines[i])
    first = text[col : col + 1]
    if not first or first == "#":
        return Value(NULL), i, ""
    if first in "&*!":
        return Value(SPECIAL), i, ""
    if first in "|>":
        return Value(BLOCK_SCALAR), i, ""
    if first in "\"'[{":
        scan = _scan_quoted if first in "\"'" else _scan_flow
        j, stop = scan(lines, i, col)
        if j != i:
            return Value(MULTILINE), j, ""
        kind = SCALAR if first in "\"'" else FLOW_SEQ if first == "[" else FLOW_MAP
        return Value(kind, first, col, stop), i, _rest_of_line(text, stop)
    match = _COMMENT.search(text, col)
    stop = match.start() if match else len(text)
    stop = len(text[:stop].rstrip(" \t"))
    return Value(SCALAR, "plain", col, stop), i, text[stop:]


def _deeper_content(value: Value, stripped: str, j: int) -> Value:
    """What a value is, given that a deeper (non-comment) line follows it."""
    if value.kind == NULL:
        if _DASH.match(stripped):
            return Value(BLOCK_SEQ)
        return Value(BLOCK_MAP if _KEY.match(stripped) else MULTILINE)
    if value.kind == SCALAR and value.style == "plain":
        return Value(MULTILINE)
    if value.kind in (BLOCK_SCALAR, BLOCK_SEQ, BLOCK_MAP, MULTILINE, SPECIAL):
        return value
    raise TextEditError(f"line {j + 1}: unexpected indented line after a value")


def entries(lines: list[str], lo: int, hi: int) -> list[Entry]:
    """The entries of the block mapping in lines[lo:hi] (its keys all at one indent)."""
    found: list[Entry] = []
    indent = None
    i = lo
    while i < hi:
        line = lines[i]
        if is_blank_or_comment(line):
            i += 1
            continue
        text = body(line)
        if text.startswith("\t"):
            raise TextEditError(f"line {i + 1}: a tab indents a key")
        here = indent_of(text)
        if indent is None:
            indent = here
        match = _KEY.match(text, here) if here == indent else None
        if match is None:
            raise TextEditError(f"line {i + 1}: not a 'key: value' line where one was expected")
        col = match.start("rest")
        value, last, comment = read_value(lines, i, col)
        if value.kind == NULL and match["rest"]:
            comment = match["ws"] + match["rest"]
        stop = j = last + 1
        while j < hi:
            later = body(lines[j])
            stripped = later.lstrip(" \t")
            deeper = later.startswith("\t") or indent_of(later) > indent
            if not stripped or (not deeper and stripped.startswith("#")):
                j += 1  # blank lines and shallow comments: part of it only if more follows
                continue
            dash = not deeper and value.kind in (NULL, BLOCK_SEQ) and _DASH.match(later, indent)
            if not (deeper or dash):
                break
            if dash:
                value = Value(BLOCK_SEQ)
            elif not stripped.startswith("#"):
                value = _deeper_content(value, stripped, j)
            j += 1
            stop = j
        raw_key = match["key"]
        found.append(
            Entry(
                key=decode_key(raw_key),
                raw_key=raw_key,
                line=i,
                stop=stop,
                indent=indent,
                value=value,
                head=text[: match.end("sep")],
                gap=match["ws"],
                comment=comment,
            )
        )
        i = stop
    return found


def find(found: list[Entry], key: str) -> Entry | None:
    matches = [entry for entry in found if entry.key == key]
    if len(matches) > 1:
        raise TextEditError(f"the key {key!r} appears more than once")
    return matches[0] if matches else None


def top_entries(doc: Document) -> list[Entry]:
    return entries(doc.lines, doc.start + 1, doc.end)


def children(doc: Document, entry: Entry) -> list[Entry]:
    """The entries of a block mapping value."""
    return entries(doc.lines, entry.line + 1, entry.stop)
