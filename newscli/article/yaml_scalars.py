"""YAML scalars as PyYAML makes them: the resolver that gives a plain scalar its type
(same tables, no path resolvers) and the constructors that build its value, shared
by the full loader and the fast path (yaml_fast), so both give the same values.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, ScalarNode

try:
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader

_T = "tag:yaml.org,2002:"
STR, MAP, SEQ, MERGE = _T + "str", _T + "map", _T + "seq", _T + "merge"
_TIMESTAMP = _T + "timestamp"
_UTC = timezone.utc
# An integer must be writable in decimal (JSON, CSV, the cache's export JSON): at most
# this many digits (Python's own default limit for int <-> str). Longer texts are
# refused before they are converted (a base-60 `1:2:...` of 1 MiB takes minutes).
MAX_INT_DIGITS = 4300
_TOO_BIG = 10**MAX_INT_DIGITS


def _too_big() -> ValueError:
    return ValueError(f"integer with more than {MAX_INT_DIGITS} digits")


def _decimal(value: str) -> int | None:
    """A plain decimal integer (no sign other than one + or -, no leading zero)."""
    digits = value[1:] if value[:1] in "+-" else value
    if digits.isdigit() and digits.isascii() and (digits[0] != "0" or digits == "0"):
        if len(digits) > MAX_INT_DIGITS:
            raise _too_big()
        return int(value)
    return None


class Yaml11Int(int):
    """An integer YAML 1.1 reads from a form that YAML 1.2 reads otherwise (``1:30`` is
    90 here and text there, ``017`` 15 here and 17 there, ``1_000``, ``0b101``,
    ``-0x1F``), with ``written``, the form: a known number field refuses it (h136:
    ``quality: 1:30`` was taken as 90); elsewhere it is that integer."""

    written: str


def _only_yaml11(text: str) -> bool:
    """Whether YAML 1.2's core schema reads this YAML 1.1 integer otherwise."""
    digits = text[1:] if text[:1] in "+-" else text
    return (
        ":" in digits
        or "_" in digits
        or digits[:2] in ("0b", "0B")
        or (len(digits) > 1 and digits[0] == "0" and digits.isdigit() and _octal(digits))
        or (digits[:2] in ("0x", "0X") and digits != text)
    )


def _octal(digits: str) -> bool:
    """Whether YAML 1.1's octal reading of ``0...`` differs from 1.2's decimal one (``017``
    is 15 and 17; ``007`` is 7 in both)."""
    return int(digits, 8) != int(digits, 10)


def _other_int(construct: Callable[[], int], text: str) -> int:
    """0x1F, 0b101, 017, 1_000, 1:30 as PyYAML builds them, within MAX_INT_DIGITS (a
    Yaml11Int where YAML 1.2 reads the form otherwise)."""
    if len(text) > MAX_INT_DIGITS:
        raise _too_big()
    value = construct()
    if abs(value) >= _TOO_BIG:
        raise _too_big()
    if _only_yaml11(text):
        marked = Yaml11Int(value)
        marked.written = text
        return marked
    return value


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
    if value is None:
        return _other_int(lambda: SafeConstructor.construct_yaml_int(loader, node), node.value)
    return value


def _timestamp(loader: Any, node: Any) -> Any:
    """The usual ``2023-12-21T07:34:00Z`` directly; every other form as PyYAML does.
    A timestamp whose offset takes it outside datetime's range in UTC (0001-01-01T00:30
    at +01:00) raises OverflowError: every date is written out in UTC."""
    fast = _utc_z(node.value)
    if fast is not None:
        return fast
    value = SafeConstructor.construct_yaml_timestamp(loader, node)
    if isinstance(value, datetime) and value.tzinfo is not None:
        value.astimezone(_UTC)  # (raises OverflowError out of range)
    return value


SCALARS: dict[str, Any] = {
    _T + "null": SafeConstructor.construct_yaml_null,
    _T + "bool": SafeConstructor.construct_yaml_bool,
    _T + "int": _int,
    _T + "float": SafeConstructor.construct_yaml_float,
    _T + "timestamp": _timestamp,
}
_CONSTRUCTOR = SafeConstructor()


def _from_text(tag: str) -> Callable[[str], Any]:
    """A plain scalar of this tag built from its text by the constructor above."""
    construct = SCALARS[tag]
    return lambda text: construct(_CONSTRUCTOR, ScalarNode(tag, text))


def _plain_timestamp(text: str) -> Any:
    value = _utc_z(text)
    return _from_text(_T + "timestamp")(text) if value is None else value


def _plain_int(text: str) -> Any:
    value = _decimal(text)
    return _from_text(_T + "int")(text) if value is None else value


# What the fast path (yaml_fast) calls for plain scalars: the same results as above,
# the common forms without building a node.
PLAIN_SCALARS: dict[str, Callable[[str], Any]] = {
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
        table = StrictLoader.yaml_implicit_resolvers
        resolvers = tuple(table.get(first, [])) + tuple(table.get(None, []))
        _by_first_char[first] = resolvers
    tag = STR
    for candidate, regexp in resolvers:
        if regexp.match(value):
            tag = candidate
            break
    if len(value) <= 32 and len(_known) < 50_000 and tag != _TIMESTAMP:  # nearly each is new
        _known[value] = tag
    return tag


class StrictLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader with a lean resolver (same results, no path resolvers)."""

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """No path resolvers are registered, so there is nothing to track."""

    def ascend_resolver(self) -> None:
        """See descend_resolver."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is ScalarNode:
            return resolve_plain(value) if implicit[0] else STR
        return MAP if kind is MappingNode else SEQ
