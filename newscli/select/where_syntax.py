"""`--where` syntax: tokens, the syntax tree and the parser (see `newscli.select.where`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from newscli.article.timeparse import parse_duration, parse_timestamp
from newscli.errors import QueryError
from newscli.select.fields import BOOLEAN, DATETIME, DURATION, NUMBER, STRING

NULL = "null"
KEYWORDS = {"and", "or", "not", "in", "contains", "true", "false", "null"}
MAX_NESTING = 64

MAX_DIGITS = 400  # a number written longer than this is refused (any value fits)


class WhereError(QueryError):
    """A syntax, type or field error, with the position in the expression."""

    def __init__(self, message: str, expression: str, position: int):
        super().__init__(message)
        self.message = message
        self.expression = expression
        self.position = position
        self.label = "--where"  # where the expression came from (a config rule's key)

    def shown(self) -> tuple[str, str]:
        """The expression as one inert line (controls written as escapes: sanitize.
        shown_at; a long one cut around the position: shown_near) and the line with the
        caret under the character at the position."""
        from newscli.sanitize import shown_near

        line, column = shown_near(self.expression, self.position)
        return line, " " * column + "^"

    def __str__(self) -> str:
        """The message, the expression, and a caret under the position."""
        line, caret = self.shown()
        return f"{self.label}: {self.message}\n  {line}\n  {caret}"


_TOKEN = re.compile(
    r"""(?P<space>\s+)
    |(?P<punct>[()\[\],])
    |(?P<op>==|=~|!=|!~|<=|>=|=|<|>)
    |(?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
    |(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[Tt][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:[Zz]|[+-][0-9]{2}:?[0-9]{2})?)?)
    |(?P<duration>[0-9]+(?:\.[0-9]+)?[smhdw](?![\w.]))
    |(?P<number>-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?(?![\w.]))
    |(?P<word>[^\W\d][\w-]*(?:\.[^\W\d][\w-]*)*)
    """,
    re.VERBOSE,
)  # (a date, duration or number of ASCII digits only, as RFC 3339 has them: h93)


_WORDLIKE = re.compile(r"[\w.:+-]+")  # (what was meant as one value: 7days, 0x10, 5abc)


@dataclass(frozen=True, slots=True)
class Token:
    kind: str
    text: str
    pos: int


def tokenize(expression: str) -> list[Token]:
    tokens, pos = [], 0
    while pos < len(expression):
        m = _TOKEN.match(expression, pos)
        if not m:
            char = expression[pos]
            if char in "\"'":
                raise WhereError("unterminated string", expression, pos)
            if char.isascii() and char.isdigit():  # (h129 2: "unexpected character '7'")
                found = _WORDLIKE.match(expression, pos)
                text = found.group() if found else char
                raise WhereError(
                    f"not a number, duration or date: {text!r} (a duration is a number "
                    "with s, m, h, d or w: 90m, 24h, 7d, 2w)",
                    expression,
                    pos,
                )
            raise WhereError(f"unexpected character {char!r}", expression, pos)
        kind = m.lastgroup or ""
        if kind != "space":
            text = m.group()
            if kind == "word" and text.lower() in KEYWORDS:
                kind, text = "keyword", text.lower()
            tokens.append(Token(kind, text, pos))
        pos = m.end()
    tokens.append(Token("end", "", len(expression)))
    return tokens


# --- syntax tree ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    pos: int


@dataclass(frozen=True, slots=True)
class Literal:
    value: Any
    type: str
    pos: int


Operand = Field | Literal


@dataclass(frozen=True, slots=True)
class Compare:
    op: str
    left: Operand
    right: Operand
    pos: int


@dataclass(frozen=True, slots=True)
class InList:
    left: Operand
    items: tuple[Literal, ...]
    pos: int


@dataclass(frozen=True, slots=True)
class Truthy:
    operand: Operand


@dataclass(frozen=True, slots=True)
class Not:
    inner: Node


@dataclass(frozen=True, slots=True)
class BoolOp:
    op: str  # "and" / "or"
    parts: tuple[Node, ...]


Node = Compare | InList | Truthy | Not | BoolOp


class _Parser:
    def __init__(self, expression: str):
        self.expression = expression
        self.tokens = tokenize(expression)
        self.i = 0
        self.depth = 0

    def error(self, message: str, token: Token | None = None) -> WhereError:
        return WhereError(message, self.expression, (token or self.peek()).pos)

    def peek(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def accept(self, kind: str, text: str | None = None) -> Token | None:
        token = self.peek()
        if token.kind == kind and (text is None or token.text == text):
            self.i += 1
            return token
        return None

    def parse(self) -> Node:
        if self.peek().kind == "end":
            raise self.error("empty expression")
        node = self.expr()
        if self.peek().kind != "end":
            raise self.error(f"unexpected {self.describe(self.peek())}")
        return node

    def describe(self, token: Token) -> str:
        return "end of expression" if token.kind == "end" else repr(token.text)

    def expr(self) -> Node:
        parts = [self.conjunction()]
        while self.accept("keyword", "or"):
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else BoolOp("or", tuple(parts))

    def conjunction(self) -> Node:
        parts = [self.unary()]
        while self.accept("keyword", "and"):
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else BoolOp("and", tuple(parts))

    def unary(self) -> Node:
        if self.accept("keyword", "not"):
            return Not(self.nested(self.unary))
        return self.primary()

    def nested(self, rule: Callable[[], Node]) -> Node:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise self.error(f"expression nests deeper than {MAX_NESTING} levels")
        try:
            return rule()
        finally:
            self.depth -= 1

    def primary(self) -> Node:
        if self.accept("punct", "("):
            node = self.nested(self.expr)
            if not self.accept("punct", ")"):
                raise self.error(f"expected ')' but found {self.describe(self.peek())}")
            return node
        left = self.operand()
        token = self.peek()
        if token.kind == "op":
            self.take()
            op = "=" if token.text == "==" else token.text
            return Compare(op, left, self.operand(), token.pos)
        if token.kind == "keyword" and token.text == "in":
            self.take()
            return InList(left, self.literal_list(), token.pos)
        if token.kind == "keyword" and token.text == "contains":
            self.take()
            return Compare("contains", left, self.operand(), token.pos)
        return Truthy(left)

    def literal_list(self) -> tuple[Literal, ...]:
        if not self.accept("punct", "["):
            raise self.error("expected '[' after 'in'")
        items: list[Literal] = []
        if self.accept("punct", "]"):
            return ()
        while True:
            operand = self.operand()
            if not isinstance(operand, Literal):
                raise self.error("a list holds values, not fields", self.tokens[self.i - 1])
            items.append(operand)
            if self.accept("punct", "]"):
                return tuple(items)
            if not self.accept("punct", ","):
                raise self.error(f"expected ',' or ']' but found {self.describe(self.peek())}")

    def operand(self) -> Operand:
        token = self.take()
        kind, text, pos = token.kind, token.text, token.pos
        try:
            if kind == "word":
                return Field(text, pos)
            if kind == "string":
                return Literal(_unquote(text), STRING, pos)
            if kind == "number":
                if len(text) > MAX_DIGITS:  # (h99: Python's advice on its int limit)
                    raise ValueError(f"a number of more than {MAX_DIGITS} digits")
                is_int = re.fullmatch(r"-?[0-9]+", text)
                return Literal(int(text) if is_int else float(text), NUMBER, pos)
            if kind == "date":
                return Literal(parse_timestamp(text), DATETIME, pos)
            if kind == "duration":
                return Literal(parse_duration(text), DURATION, pos)
        except (ValueError, OverflowError) as exc:
            raise self.error(str(exc), token) from None
        if kind == "keyword" and text in ("true", "false"):
            return Literal(text == "true", BOOLEAN, pos)
        if kind == "keyword" and text == "null":
            return Literal(None, NULL, pos)
        raise self.error(f"expected a field or a value but found {self.describe(token)}", token)


def _unquote(text: str) -> str:
    """Strip the quotes; ``\\``, ``\"`` and ``\'`` are escapes, other backslashes stay
    (so regular expressions are written as usual)."""
    return re.sub(r"\\([\\\"'])", r"\1", text[1:-1])


def parse(expression: str) -> Node:
    """Parse an expression; raises WhereError with the position of the problem."""
    return _Parser(expression).parse()
