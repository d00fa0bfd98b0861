"""newscli.article.yaml_scalars: plain scalars typed and built exactly as PyYAML's safe loader
does (checked against PyYAML itself, not against the fast path that shares this code)."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

import pytest
import yaml
from conftest import kind
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from newscli.article.yaml_scalars import (
    PLAIN_SCALARS,
    SCALARS,
    STR,
    StrictLoader,
    resolve_plain,
)

PLAIN = [
    "x", "54", "-1", "+5", "0", "-0", "007", "010", "-010", "09", "0_7", "0x1F", "0o17", "0b101",
    "1_000", "1:30", "190:20:30",
    "1.5", "-.5", "1e3", "6.02e+23", ".inf", "-.Inf", ".NaN", "1.", "yes", "No", "ON", "off",
    "True", "FALSE", "y", "n", "~", "null", "Null", "NULL", "", "2023-12-21",
    "2023-12-21T07:34:00Z",
    "2023-12-21t07:34:00.5z", "2023-12-21 07:34:00 -5", "2023-12-21T07:34:00+02:00",
    "2001-12-14 21:59:43.10", "2023-1-2", "2023-12-21T7:34:00", "<<", "=", "1,000", "0.1.2",
    "\u0663", "\uff11\uff12", "12abc", "https://a.example/x", "café",
]  # fmt: skip


@pytest.mark.parametrize("text", PLAIN)
def test_resolve_plain_is_pyyamls_resolver(text: str) -> None:
    assert resolve_plain(text) == Resolver().resolve(ScalarNode, text, (True, False))
    assert resolve_plain(text) == resolve_plain(text)  # the memo gives the same again


def same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    return (
        kind(a) is kind(b) and a == b and getattr(a, "tzinfo", None) == getattr(b, "tzinfo", None)
    )


@pytest.mark.parametrize("text", [t for t in PLAIN if t not in ("<<", "=")])
def test_plain_scalars_are_built_as_pyyaml_builds_them(text: str) -> None:
    expected = yaml.load(f"k: {text}\n", Loader=yaml.CSafeLoader)["k"]
    tag = resolve_plain(text)
    built = text if tag == STR else PLAIN_SCALARS[tag](text)
    assert same(built, expected), (text, built, expected)


def test_the_full_loaders_constructors_agree_too() -> None:
    for text in ("42", "-0x1F", "1:30", "2023-12-21T07:34:00Z", "2023-12-21", ".nan", "yes", "~"):
        loader = StrictLoader(f"k: {text}\n")
        try:
            node = loader.get_single_node().value[0][1]
            built = SCALARS[node.tag](loader, node)
        finally:
            loader.dispose()
        assert same(built, yaml.load(f"k: {text}\n", Loader=yaml.CSafeLoader)["k"]), text


def test_the_common_forms_take_the_short_cuts() -> None:
    assert (
        type(PLAIN_SCALARS[resolve_plain("2023-12-21T07:34:00Z")]("2023-12-21T07:34:00Z"))
        is datetime
    )
    assert type(PLAIN_SCALARS[resolve_plain("2023-12-21")]("2023-12-21")) is date
    assert PLAIN_SCALARS[resolve_plain("-12")]("-12") == -12
    with pytest.raises(ValueError):
        PLAIN_SCALARS[resolve_plain("2023-02-30")]("2023-02-30")
