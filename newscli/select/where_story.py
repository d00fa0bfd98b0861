"""The story part of a `--where` expression, decided before any article is built.

A query naming story.* fields (select/story_select) knows each file's story values from
the grouping alone, not its other fields. ``story_test`` compiles an expression into a
test of those values that answers True or False where they decide it, whatever the
other fields hold, and None where they do not (Kleene's three-valued logic: ``and`` is
False once a part is, ``or`` True once a part is, ``not`` of None is None). A comparison
of story fields (and literals) alone is compiled exactly as `compile_where` compiles it,
reading the values instead of an article; any other comparison is None. So a file whose
test is False can never pass the expression, and need not be built.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from newscli.select.fields import KNOWN
from newscli.select.where import _Compiler
from newscli.select.where_syntax import (
    BoolOp,
    Compare,
    Field,
    InList,
    Literal,
    Node,
    Not,
    Operand,
    Truthy,
    parse,
)

__all__ = ["STORY", "StoryTest", "story_fields", "story_test"]

STORY = "story."
Values = Mapping[str, Any]  # a file's story values, by name without "story."
StoryTest = Callable[[Values, datetime], "bool | None"]


def _operands(node: Node) -> list[Operand]:
    if isinstance(node, Compare):
        return [node.left, node.right]
    if isinstance(node, InList):
        return [node.left]
    if isinstance(node, Truthy):
        return [node.operand]
    if isinstance(node, Not):
        return _operands(node.inner)
    return [o for part in node.parts for o in _operands(part)]


def story_fields(expression: str) -> set[str]:
    """The story.* fields the expression names (without "story."). Raises WhereError."""
    return {
        o.name[len(STORY) :]
        for o in _operands(parse(expression))
        if isinstance(o, Field) and o.name.startswith(STORY)
    }


class _Values(_Compiler):
    """compile_where's compiler, reading a field from the story values."""

    def value(self, operand: Operand) -> Callable[[Any, datetime], Any]:
        if isinstance(operand, Literal):
            return super().value(operand)
        name = operand.name[len(STORY) :]
        return lambda values, _now: values.get(name)

    def decide(self, node: Node) -> StoryTest:
        if isinstance(node, BoolOp):
            parts = [self.decide(part) for part in node.parts]
            settles = node.op == "or"  # the value that decides: True for or, False for and

            def combined(values: Values, now: datetime) -> bool | None:
                unknown = False
                for part in parts:
                    found = part(values, now)
                    if found is settles:
                        return settles
                    unknown = unknown or found is None
                return None if unknown else not settles

            return combined
        if isinstance(node, Not):
            inner = self.decide(node.inner)

            def negated(values: Values, now: datetime) -> bool | None:
                found = inner(values, now)
                return None if found is None else not found

            return negated
        fields = [o for o in _operands(node) if isinstance(o, Field)]
        if not all(o.name.startswith(STORY) for o in fields):
            return lambda _values, _now: None  # another field: only the article can tell
        exact = self.compile(node)
        return lambda values, now: exact(values, now)  # type: ignore[arg-type]


def story_test(expression: str) -> StoryTest:
    """The three-valued test of an expression's story part (see the module). The
    expression must compile with the known fields alone. Raises WhereError."""
    types = {name: spec.type for name, spec in KNOWN.items()}
    return _Values(expression, types.keys(), types).decide(parse(expression))
