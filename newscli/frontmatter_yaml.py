"""Safe front-matter parsing: python-frontmatter with an explicit, hardened YAML handler.

The handler uses PyYAML's C loader (falling back to the pure one) and refuses what a
news feed never needs and an attacker loves: anchors and aliases (alias bombs), tags
(object construction), duplicate keys, absurd nesting and oversized front matter.
"""

from __future__ import annotations

import re
from typing import Any

import frontmatter
import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, ScalarNode

from newscli.errors import InvalidArticleError

try:
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader

MAX_FRONT_MATTER_CHARS = 1 << 20
MAX_DEPTH = 20

# Anchors, aliases and tags can only start after a line start, blank or flow/quote
# character. Front matter without such a spot skips the (slower) event scan.
_SUSPECT = re.compile(r"(?:^|[\s\[\]{},:\"'])[&*!]")


class _YAMLProblem(Exception):
    def __init__(self, reason: str, mark: Any = None):
        super().__init__(reason)
        self.reason = reason
        self.mark = mark


class _StrictLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader, refusing duplicate keys."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if isinstance(node, MappingNode):
            seen: set[tuple[str, str]] = set()
            for key_node, _ in node.value:
                if isinstance(key_node, ScalarNode):
                    key = (key_node.tag, key_node.value)
                    if key in seen:
                        raise _YAMLProblem(f"duplicate key {key_node.value!r}", key_node.start_mark)
                    seen.add(key)
        return super().construct_mapping(node, deep)


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


def _check_structure(value: Any) -> None:
    """Refuse nesting deeper than MAX_DEPTH and containers reachable twice."""
    seen: set[int] = set()
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > MAX_DEPTH:
                raise _YAMLProblem(f"front matter nests deeper than {MAX_DEPTH} levels")
            if id(item) in seen:
                raise _YAMLProblem("YAML aliases are not allowed")
            seen.add(id(item))
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)


def load_yaml(text: str) -> Any:
    """Parse one YAML document safely. Raises _YAMLProblem or yaml.YAMLError."""
    if len(text) > MAX_FRONT_MATTER_CHARS:
        raise _YAMLProblem(f"front matter is larger than {MAX_FRONT_MATTER_CHARS // 1024} KiB")
    if _SUSPECT.search(text):
        _scan_events(text)
    value = yaml.load(text, Loader=_StrictLoader)  # a SafeLoader subclass
    _check_structure(value)
    return value


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
