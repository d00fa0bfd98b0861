"""Safe front-matter parsing: python-frontmatter with an explicit, hardened YAML handler.

The handler uses PyYAML's C loader (falling back to the pure one) and refuses what a
news feed never needs and an attacker loves: anchors and aliases (alias bombs), tags
(object construction), duplicate keys, absurd nesting and oversized front matter.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import frontmatter
import yaml
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from newscli.errors import InvalidArticleError
from newscli.yaml_fast import fast_load

try:
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader

MAX_FRONT_MATTER_CHARS = 1 << 20
MAX_DEPTH = 20

# Anchors, aliases and tags can only start after a line start, blank or flow/quote
# character. Front matter without such a spot skips the (slower) event scan.
_MARKERS = re.compile(r"[&*!]")
_BEFORE_MARKER = frozenset(" \t\r\n[]{},:\"'")


def _suspect(text: str) -> bool:
    for match in _MARKERS.finditer(text):
        start = match.start()
        if start == 0 or text[start - 1] in _BEFORE_MARKER:
            return True
    return False


class _YAMLProblem(Exception):
    def __init__(self, reason: str, mark: Any = None):
        super().__init__(reason)
        self.reason = reason
        self.mark = mark


_T = "tag:yaml.org,2002:"
_STR, _MAP, _SEQ, _MERGE = _T + "str", _T + "map", _T + "seq", _T + "merge"
_UTC = timezone.utc


def _decimal(value: str) -> int | None:
    """A plain decimal integer (no sign other than one + or -, no leading zero)."""
    digits = value[1:] if value[:1] in "+-" else value
    if digits.isdigit() and digits.isascii() and (digits[0] != "0" or digits == "0"):
        return int(value)
    return None


def _utc_z(value: str) -> datetime | None:
    """The usual ``2023-12-21T07:34:00Z``, or None for every other form."""
    if len(value) == 20 and value[10] == "T" and value[19] == "Z" and value[:4].isdigit():
        try:
            return datetime.fromisoformat(value[:19]).replace(tzinfo=_UTC)
        except ValueError:
            pass
    return None


def _int(loader: Any, node: Any) -> Any:
    """Plain decimal integers directly; other forms (0x1F, 1_000, 1:30) as PyYAML does."""
    value = _decimal(node.value)
    return SafeConstructor.construct_yaml_int(loader, node) if value is None else value


def _timestamp(loader: Any, node: Any) -> Any:
    """The usual ``2023-12-21T07:34:00Z`` directly; every other form as PyYAML does."""
    value = _utc_z(node.value)
    return SafeConstructor.construct_yaml_timestamp(loader, node) if value is None else value


_SCALARS: dict[str, Any] = {
    _T + "null": SafeConstructor.construct_yaml_null,
    _T + "bool": SafeConstructor.construct_yaml_bool,
    _T + "int": _int,
    _T + "float": SafeConstructor.construct_yaml_float,
    _T + "timestamp": _timestamp,
}
_CONSTRUCTOR = SafeConstructor()


def _from_text(tag: str) -> Callable[[str], Any]:
    """A plain scalar of this tag built from its text by the constructor above."""
    construct = _SCALARS[tag]
    return lambda text: construct(_CONSTRUCTOR, ScalarNode(tag, text))


def _plain_timestamp(text: str) -> Any:
    value = _utc_z(text)
    return _from_text(_T + "timestamp")(text) if value is None else value


def _plain_int(text: str) -> Any:
    value = _decimal(text)
    return _from_text(_T + "int")(text) if value is None else value


# What the fast path (yaml_fast) calls for plain scalars: the same results as above,
# the common forms without building a node.
_PLAIN_SCALARS: dict[str, Callable[[str], Any]] = {
    _T + "null": lambda text: None,
    _T + "bool": lambda text: SafeConstructor.bool_values[text.lower()],
    _T + "int": _plain_int,
    _T + "float": _from_text(_T + "float"),
    _T + "timestamp": _plain_timestamp,
}

_by_first_char: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {}
_known: dict[str, str] = {}  # plain scalars seen before (keys repeat a lot)


def resolve_plain(value: str) -> str:
    """The tag PyYAML's resolver gives a plain scalar (same tables, no path resolvers)."""
    tag = _known.get(value)
    if tag is not None:
        return tag
    first = value[:1]
    resolvers = _by_first_char.get(first)
    if resolvers is None:
        table = _StrictLoader.yaml_implicit_resolvers
        resolvers = tuple(table.get(first, [])) + tuple(table.get(None, []))
        _by_first_char[first] = resolvers
    tag = _STR
    for candidate, regexp in resolvers:
        if regexp.match(value):
            tag = candidate
            break
    if len(value) <= 32 and len(_known) < 50_000:
        _known[value] = tag
    return tag


class _StrictLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader with a lean resolver (same results, no path resolvers)."""

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """No path resolvers are registered, so there is nothing to track."""

    def ascend_resolver(self) -> None:
        """See descend_resolver."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is ScalarNode:
            return resolve_plain(value) if implicit[0] else _STR
        return _MAP if kind is MappingNode else _SEQ


def _build(loader: Any, node: Any, depth: int, seen: set[int]) -> Any:
    """Python values from a composed node: like SafeConstructor, but refusing duplicate
    keys, nesting deeper than MAX_DEPTH and reused nodes (aliases), and much faster."""
    kind = node.__class__
    if kind is ScalarNode:
        if node.tag == _STR:
            return node.value
        construct = _SCALARS.get(node.tag)
        if construct is None:
            raise _YAMLProblem(f"unsupported YAML value {node.value!r}", node.start_mark)
        return construct(loader, node)
    if depth > MAX_DEPTH:
        raise _YAMLProblem(f"front matter nests deeper than {MAX_DEPTH} levels", node.start_mark)
    if id(node) in seen:
        raise _YAMLProblem("YAML aliases are not allowed", node.start_mark)
    seen.add(id(node))
    if node.tag not in (_MAP, _SEQ):
        raise _YAMLProblem(f"YAML tags are not allowed ({node.tag})", node.start_mark)
    if kind is SequenceNode:
        return [_build(loader, child, depth + 1, seen) for child in node.value]
    result: dict[Any, Any] = {}
    merges = []
    for key_node, value_node in node.value:
        tag = key_node.tag
        if tag == _MERGE:
            merges.append(value_node)
            continue
        # Plain string keys and values are by far the most common: no call for them.
        key = key_node.value if tag == _STR else _build(loader, key_node, depth + 1, seen)
        try:
            duplicate = key in result
        except TypeError:
            raise _YAMLProblem("a mapping key must be a plain value", key_node.start_mark) from None
        if duplicate:
            raise _YAMLProblem(f"duplicate key {key_node.value!r}", key_node.start_mark)
        if value_node.tag == _STR and value_node.__class__ is ScalarNode:
            result[key] = value_node.value
        else:
            result[key] = _build(loader, value_node, depth + 1, seen)
    for merge in merges:  # `<<: {...}` (or a list of mappings): keys not already set
        merged = _build(loader, merge, depth + 1, seen)
        for part in merged if isinstance(merged, list) else [merged]:
            if not isinstance(part, dict):
                raise _YAMLProblem("a << merge needs mappings", merge.start_mark)
            for key, value in part.items():
                result.setdefault(key, value)
    return result


def _scan_events(text: str) -> None:
    loader = _StrictLoader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, AliasEvent):
                raise _YAMLProblem(
                    f"YAML aliases are not allowed (*{event.anchor})", event.start_mark
                )
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                raise _YAMLProblem(f"YAML anchors are not allowed (&{anchor})", event.start_mark)
            tag = getattr(event, "tag", None)
            if tag is not None:
                raise _YAMLProblem(f"YAML tags are not allowed ({tag})", event.start_mark)
    finally:
        loader.dispose()


def load_yaml(text: str) -> Any:
    """Parse one YAML document safely. Raises _YAMLProblem or yaml.YAMLError.

    Plain block front matter takes the fast path (same values); the rest, libyaml."""
    if len(text) > MAX_FRONT_MATTER_CHARS:
        raise _YAMLProblem(f"front matter is larger than {MAX_FRONT_MATTER_CHARS // 1024} KiB")
    fast = fast_load_yaml(text)
    return load_yaml_full(text) if fast is None else fast


def fast_load_yaml(text: str) -> dict[str, Any] | None:
    """The fast path alone: what load_yaml gives, or None where it cannot tell."""
    return fast_load(text, resolve_plain, _PLAIN_SCALARS)


def load_yaml_full(text: str) -> Any:
    """The full loader alone (libyaml with our checks); load_yaml without the fast path."""
    if _suspect(text):
        _scan_events(text)
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
        return None if node is None else _build(loader, node, 1, set())
    finally:
        loader.dispose()


class SafeYAMLHandler(frontmatter.YAMLHandler):
    """python-frontmatter handler whose load() is the hardened loader above."""

    def load(self, fm: str, **kwargs: object) -> Any:
        return load_yaml(fm)


HANDLER = SafeYAMLHandler()


def _mark_line(mark: Any, fm: str, text: str) -> tuple[int | None, int | None]:
    """1-based line and column in the whole file for a mark inside the front matter."""
    if mark is None:
        return None, None
    base = text.count("\n", 0, max(text.find(fm), 0))
    line = getattr(mark, "line", None)
    if line is None and getattr(mark, "index", None) is not None:
        line = fm.count("\n", 0, mark.index)
    if line is None:
        return None, None
    column = getattr(mark, "column", None)
    return base + line + 1, (column + 1 if column is not None else None)


def _yaml_reason(exc: Exception) -> tuple[str, Any]:
    if isinstance(exc, _YAMLProblem):
        return exc.reason, exc.mark
    if isinstance(exc, yaml.MarkedYAMLError):
        parts = [p for p in (exc.context, exc.problem) if p]
        return "invalid YAML: " + ", ".join(parts), exc.problem_mark or exc.context_mark
    if isinstance(exc, yaml.reader.ReaderError):
        return f"invalid YAML: unacceptable character #x{exc.character:04x}", _Index(exc.position)
    if isinstance(exc, (ValueError, OverflowError)):  # e.g. a timestamp like 2023-02-30
        return f"invalid value: {exc}", None
    return f"invalid YAML: {exc}", None


def describe_yaml_error(exc: Exception) -> str:
    """One line for an error raised by load_yaml (with the line number when known)."""
    reason, mark = _yaml_reason(exc)
    line = getattr(mark, "line", None)
    return f"{reason} (line {line + 1})" if line is not None else reason


class _Index:
    def __init__(self, index: int):
        self.index = index


def split_front_matter(text: str) -> tuple[str, str]:
    """(front matter, rest) exactly as python-frontmatter's YAML handler splits them
    (its boundary pattern), without running that pattern at every character.

    Raises InvalidArticleError when there is no front matter or it is not terminated.
    """
    boundary = HANDLER.FM_BOUNDARY
    assert boundary is not None
    first = boundary.match(text)
    if first is None:
        raise InvalidArticleError("no front matter (the file must start with a --- line)")
    start = pos = first.end()
    # The closing boundary starts a line with ---: only such lines are tried.
    while (pos := text.find("\n---", pos - 1) + 1) > 0:
        closing = boundary.match(text, pos)
        if closing is not None:
            return text[start:pos], text[closing.end() :]
        pos += 1
    raise InvalidArticleError("front matter is not terminated (no closing --- line)")


def parse_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Split and parse an article's text. Returns (metadata, body).

    Raises InvalidArticleError with a one-line reason (and a line number when known).
    """
    fm, body = split_front_matter(text.strip())
    try:
        data = HANDLER.load(fm)
    except RecursionError:
        raise InvalidArticleError(f"front matter nests deeper than {MAX_DEPTH} levels") from None
    except Exception as exc:  # PyYAML raises ValueError etc. for bad dates too
        reason, mark = _yaml_reason(exc)
        line, column = _mark_line(mark, fm, text)
        if line is not None:
            where = f"line {line}" + (f", column {column}" if column else "")
            reason = f"{reason} ({where})"
        raise InvalidArticleError(reason, line=line) from None
    if data is None:
        raise InvalidArticleError("front matter is empty")
    if not isinstance(data, dict):
        raise InvalidArticleError("front matter is not a mapping of field names to values")
    return data, body.strip()
