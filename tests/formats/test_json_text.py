"""The fast indented JSON writer against the standard library's own text: every value
hypothesis makes (strings with controls and surrogates, every kind of key, deep
nesting), the array written in pieces, and what json.dumps refuses."""

from __future__ import annotations

import enum
import json
import math
from collections import OrderedDict
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newscli.formats.json_text import indented, indented_array

_FLOATS = st.floats(allow_nan=False, allow_infinity=False)
_SCALARS = st.none() | st.booleans() | st.integers() | _FLOATS | st.text()
_KEYS = st.text() | st.integers() | st.booleans() | st.none() | _FLOATS
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner) | st.tuples(inner, inner) | st.dictionaries(_KEYS, inner),
    max_leaves=40,
)


def _standard(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False)


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@settings(max_examples=150, deadline=None)
@given(_VALUES)
def test_same_text_as_the_standard_library(value: Any) -> None:
    assert indented(value) == _standard(value)


_LONG = st.text(min_size=1, max_size=20).map(lambda text: text * 400)  # (past a piece)


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@settings(max_examples=60, deadline=None)
@given(st.lists(_VALUES | _LONG, max_size=40))
def test_array_in_pieces_is_the_same_text(values: list[Any]) -> None:
    pieces = list(indented_array(iter(values)))
    assert "".join(pieces) == _standard(values)
    assert all(pieces)


def test_large_array_comes_in_several_pieces() -> None:
    values = [{"path": f"a/{n}.md", "title": "x" * 50, "joined": None} for n in range(5000)]
    pieces = list(indented_array(values))
    assert len(pieces) > 3
    assert "".join(pieces) == _standard(values)
    assert json.loads("".join(pieces)) == values


def test_empty_containers() -> None:
    empties: list[Any] = [[], {}, [[]], {"a": {}}, [{}, []], ()]
    for value in empties:
        assert indented(value) == _standard(value)
    assert "".join(indented_array([])) == "[]"


class _Colour(enum.IntEnum):
    RED = 1


class _Name(str):
    pass


def test_subclasses_are_written_as_json_writes_them() -> None:
    ordered = OrderedDict([("b", [1, 2]), ("a", {"x": _Name("y")})])
    value = {"c": _Colour.RED, "n": _Name("x\u2028y"), "k": [_Colour.RED, {"d": ordered}]}
    assert indented(value) == _standard(value)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, [1, {"x": math.nan}]])
def test_non_finite_numbers_are_refused(bad: Any) -> None:
    with pytest.raises(ValueError):
        indented(bad)


def test_what_json_refuses_is_refused() -> None:
    with pytest.raises(TypeError):
        indented({"x": object()})
    with pytest.raises(TypeError):
        indented({(1, 2): "tuple key"})
