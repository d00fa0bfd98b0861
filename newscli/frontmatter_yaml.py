"""Safe front-matter parsing: python-frontmatter with an explicit, hardened YAML handler.

The handler uses PyYAML's C loader (falling back to the pure one) and refuses what a
news feed never needs and an attacker loves: anchors and aliases (alias bombs), tags
(object construction), duplicate keys, absurd nesting and oversized front matter.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any, ClassVar

import frontmatter
import yaml
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from newscli.errors import InvalidArticleError

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


def _int(loader: Any, node: Any) -> Any:
    """Plain decimal integers directly; other forms (0x1F, 1_000, 1:30) as PyYAML does."""
    value = node.value
    digits = value[1:] if value[:1] in "+-" else value
    if digits.isdigit() and digits.isascii() and (digits[0] != "0" or digits == "0"):
        return int(value)
    return SafeConstructor.construct_yaml_int(loader, node)


def _timestamp(loader: Any, node: Any) -> Any:
    """The usual ``2023-12-21T07:34:00Z`` directly; every other form as PyYAML does."""
    value = node.value
    if len(value) == 20 and value[10] == "T" and value[19] == "Z" and value[:4].isdigit():
        try:
            return datetime.fromisoformat(value[:19]).replace(tzinfo=_UTC)
        except ValueError:
            pass
    return SafeConstructor.construct_yaml_timestamp(loader, node)


_SCALARS: dict[str, Any] = {
    _T + "null": SafeConstructor.construct_yaml_null,
    _T + "bool": SafeConstructor.construct_yaml_bool,
    _T + "int": _int,
    _T + "float": SafeConstructor.construct_yaml_float,
    _T + "timestamp": _timestamp,
}


class _StrictLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader with a lean resolver (same results, no path resolvers)."""

    _by_first_char: ClassVar[dict[str, tuple[tuple[str, re.Pattern[str]], ...]]] = {}
    _known: ClassVar[dict[str, str]] = {}  # plain scalars seen before (keys repeat a lot)

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """No path resolvers are registered, so there is nothing to track."""

    def ascend_resolver(self) -> None:
        """See descend_resolver."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is ScalarNode:
            if implicit[0]:
                tag = self._known.get(value)
                if tag is None:
                    tag = self._resolve_plain(value)
                    if len(value) <= 32 and len(self._known) < 50_000:
                        self._known[value] = tag
                return tag
            return _STR
        return _MAP if kind is MappingNode else _SEQ

    def _resolve_plain(self, value: str) -> str:
        first = value[:1]
        resolvers = self._by_first_char.get(first)
        if resolvers is None:
            table = self.yaml_implicit_resolvers
            resolvers = tuple(table.get(first, [])) + tuple(table.get(None, []))
            self._by_first_char[first] = resolvers
        for tag, regexp in resolvers:
            if regexp.match(value):
                return tag
        return _STR


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
    """Parse one YAML document safely. Raises _YAMLProblem or yaml.YAMLError."""
    if len(text) > MAX_FRONT_MATTER_CHARS:
        raise _YAMLProblem(f"front matter is larger than {MAX_FRONT_MATTER_CHARS // 1024} KiB")
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


def parse_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Split and parse an article's text. Returns (metadata, body).

    Raises InvalidArticleError with a one-line reason (and a line number when known).
    """
    stripped = text.strip()
    if not HANDLER.detect(stripped):
        raise InvalidArticleError("no front matter (the file must start with a --- line)")
    try:
        fm, body = HANDLER.split(stripped)
    except ValueError:
        raise InvalidArticleError("front matter is not terminated (no closing --- line)") from None
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
