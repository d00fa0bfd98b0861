"""`--where`: a small, safe expression language over article fields (a parser, no eval).

Grammar::

    expr    := and ("or" and)*
    and     := unary ("and" unary)*
    unary   := "not" unary | primary
    primary := "(" expr ")" | operand [cmp operand | "in" list | "contains" operand]
    cmp     := "=" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "=~" | "!~"
    list    := "[" [literal ("," literal)*] "]"
    operand := FIELD | literal
    literal := NUMBER | STRING | DATE | DURATION | true | false | null

Semantics: strings compare case-insensitively; a list field ``= x`` (``< x``, ...) when
any element does; a missing value, or an empty list, satisfies no comparison (only ``=
null`` / ``!= null``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime
from typing import Any

from newscli.article.folding import fold
from newscli.article.model import Article
from newscli.article.timeparse import parse_duration, parse_timestamp
from newscli.select.fields import (
    ANY,
    DATETIME,
    DURATION,
    INTEGER,
    KNOWN,
    LIST,
    MAPPING,
    NUMBER,
    STRING,
    STRINGS,
    field_value,
    unknown_field,
)
from newscli.select.regex import RegexError, compile_regex
from newscli.select.where_syntax import (
    NULL,
    BoolOp,
    Compare,
    InList,
    Literal,
    Node,
    Not,
    Operand,
    Truthy,
    WhereError,
    parse,
)

__all__ = ["WhereError", "compile_where", "parse"]

# --- type checking and compilation ---------------------------------------------------

_NUMERIC = {INTEGER, NUMBER}
_ORDERED = {INTEGER, NUMBER, STRING, DATETIME, DURATION}
Predicate = Callable[[Article, datetime], bool]


def _scalar_eq(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return fold(a) == fold(b)
    if isinstance(a, bool) != isinstance(b, bool):
        return False
    try:
        return bool(a == b)
    except TypeError:
        return False


def _eq(a: Any, b: Any) -> bool:
    if isinstance(a, list):
        return any(_scalar_eq(x, b) for x in a)
    return _scalar_eq(a, b)


def _order(op: str, a: Any, b: Any) -> bool:
    # a list field when one element compares so, as `=` and `contains` (h136: `images.width
    # >= 800` matched nothing where `images.width = 800` matched)
    if isinstance(a, list):
        return any(_order(op, x, b) for x in a if not isinstance(x, list))
    if isinstance(b, list):
        return any(_order(op, a, y) for y in b if not isinstance(y, list))
    if a is None or b is None or isinstance(a, bool) or isinstance(b, bool):
        return False
    if isinstance(a, str) and isinstance(b, str):
        a, b = fold(a), fold(b)
    try:
        if op == "<":
            return bool(a < b)
        if op == "<=":
            return bool(a <= b)
        if op == ">":
            return bool(a > b)
        return bool(a >= b)
    except TypeError:
        return False


def _contains(a: Any, b: Any) -> bool:
    if isinstance(a, list):
        return any(_scalar_eq(x, b) for x in a)
    if isinstance(a, str) and isinstance(b, str):
        return fold(b) in fold(a)
    return False


class _Compiler:
    def __init__(self, expression: str, fields: Collection[str], types: dict[str, str]):
        self.expression = expression
        self.fields = fields
        self.types = types

    def error(self, message: str, pos: int) -> WhereError:
        return WhereError(message, self.expression, pos)

    def type_of(self, operand: Operand) -> str:
        if isinstance(operand, Literal):
            return operand.type
        if operand.name not in self.fields:
            raise self.error(unknown_field(operand.name, self.fields), operand.pos)
        return self.types.get(operand.name, ANY)

    def coerce(self, literal: Operand, want: str) -> Operand:
        """A quoted string compared with a date or duration field becomes that type."""
        if not isinstance(literal, Literal) or literal.type != STRING:
            return literal
        try:
            if want == DATETIME:
                return Literal(parse_timestamp(literal.value), DATETIME, literal.pos)
            if want == DURATION:
                return Literal(parse_duration(literal.value), DURATION, literal.pos)
        except ValueError as exc:
            raise self.error(str(exc), literal.pos) from None
        return literal

    def check_pair(
        self, op: str, left: Operand, right: Operand, pos: int, said: str = ""
    ) -> tuple[Any, Any]:
        """The operands, checked for ``op`` (``said``: the operator as written, `in`)."""
        lt, rt = self.type_of(left), self.type_of(right)
        left, right = self.coerce(left, rt), self.coerce(right, lt)
        lt, rt = self.type_of(left), self.type_of(right)
        if op in ("=~", "!~"):
            if not (isinstance(right, Literal) and rt == STRING):
                raise self.error(f"'{op}' needs a quoted regular expression", right.pos)
            if lt not in (STRING, STRINGS, ANY):
                raise self.error(f"'{op}' needs a text field, not {lt}", pos)
            return left, right
        if op == "contains" and lt not in (STRINGS, LIST, STRING, ANY):
            raise self.error(f"'contains' needs a list or text field, not {lt}", pos)
        if NULL in (lt, rt):
            if op in ("=", "!="):
                return left, right
            raise self.error(f"'{op}' cannot be used with null", pos)
        if ANY in (lt, rt):
            return left, right
        scalar = {STRINGS: STRING, LIST: ANY}  # (a list by its elements: h139, `topics > "m"`)
        a, b = scalar.get(lt, lt), scalar.get(rt, rt)
        alike = ANY in (a, b) or a == b or {a, b} <= _NUMERIC
        if alike and (op in ("=", "!=", "contains") or ANY in (a, b) or a in _ORDERED):
            return left, right
        raise self.error(f"cannot compare {lt} with {rt} using '{said or op}'", pos)

    def value(self, operand: Operand) -> Callable[[Article, datetime], Any]:
        if isinstance(operand, Literal):
            constant = operand.value
            return lambda _a, _n: constant
        name = operand.name
        return lambda a, now: field_value(a, name, now)

    def compile(self, node: Node) -> Predicate:
        if isinstance(node, BoolOp):
            parts = [self.compile(p) for p in node.parts]
            if node.op == "and":
                return lambda a, now: all(p(a, now) for p in parts)
            return lambda a, now: any(p(a, now) for p in parts)
        if isinstance(node, Not):
            inner = self.compile(node.inner)
            return lambda a, now: not inner(a, now)
        if isinstance(node, Truthy):
            self.type_of(node.operand)
            get = self.value(node.operand)
            return lambda a, now: bool(get(a, now))
        if isinstance(node, InList):
            for item in node.items:
                self.check_pair("=", node.left, item, item.pos, said="in")
            get = self.value(node.left)
            lt = self.type_of(node.left)
            items = [self.coerce(i, lt).value for i in node.items]  # type: ignore[union-attr]

            def in_list(a: Article, now: datetime) -> bool:
                value = get(a, now)
                return value is not None and any(_eq(value, item) for item in items)

            return in_list
        return self.compare(node)

    def compare(self, node: Compare) -> Predicate:
        left, right = self.check_pair(node.op, node.left, node.right, node.pos)
        get_l, get_r, op = self.value(left), self.value(right), node.op
        if op in ("=~", "!~"):
            try:
                pattern = compile_regex(right.value)
            except RegexError as exc:
                raise self.error(f"invalid regular expression: {exc}", right.pos) from None
            want = op == "=~"

            def matches(a: Article, now: datetime) -> bool:
                value = get_l(a, now)
                values = value if isinstance(value, list) else [value]
                texts = [v for v in values if isinstance(v, str)]
                if value is None or value == []:  # (an empty list is none, as for `!=`)
                    return False
                return any(pattern.search(t) for t in texts) == want

            return matches
        if op in ("=", "!="):
            want_equal = op == "="

            null_test = (isinstance(left, Literal) and left.type == NULL) or (
                isinstance(right, Literal) and right.type == NULL
            )

            def equals(a: Article, now: datetime) -> bool:
                x, y = get_l(a, now), get_r(a, now)
                # an empty list is none (h48: a file without topics has [], and `topics
                # = null` missed it; h136: so `topics != "x"` matched it, as a missing
                # `tags` does not)
                x = None if x == [] else x
                y = None if y == [] else y
                if x is None or y is None:
                    both = x is None and y is None
                    return null_test and both == want_equal
                return _eq(x, y) == want_equal

            return equals
        if op == "contains":
            return lambda a, now: _contains(get_l(a, now), get_r(a, now))
        return lambda a, now: _order(op, get_l(a, now), get_r(a, now))


def compile_where(
    expression: str, extra_fields: dict[str, str] | None = None
) -> Callable[[Article, datetime], bool]:
    """Parse and type-check an expression into a predicate ``(article, now) -> bool``.

    ``extra_fields`` are field paths found in the data (name -> type) beyond the
    catalogue. Raises WhereError.
    """
    types = {name: spec.type for name, spec in KNOWN.items()}
    for name, kind in (extra_fields or {}).items():
        types.setdefault(name, kind if kind not in (MAPPING,) else ANY)
    node = parse(expression)
    return _Compiler(expression, types.keys(), types).compile(node)
