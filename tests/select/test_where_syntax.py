"""newscli.select.where_syntax: tokens, the syntax tree, and errors with their positions."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from newscli.select.where_syntax import (
    MAX_NESTING,
    NULL,
    BoolOp,
    Compare,
    Field,
    InList,
    Literal,
    Not,
    Truthy,
    WhereError,
    parse,
    tokenize,
)


def kinds(expression: str) -> list[tuple[str, str, int]]:
    return [(t.kind, t.text, t.pos) for t in tokenize(expression)]


def test_tokens() -> None:
    assert kinds("a.b>=-1.5 AND x=~'y\\'z'") == [
        ("word", "a.b", 0),
        ("op", ">=", 3),
        ("number", "-1.5", 5),
        ("keyword", "and", 10),
        ("word", "x", 14),
        ("op", "=~", 15),
        ("string", "'y\\'z'", 17),
        ("end", "", 23),
    ]
    assert [k for k, _, _ in kinds("2025-01-01 2025-01-01T08:00:00Z 90m 2w 7 -7e2")] == [
        "date", "date", "duration", "duration", "number", "number", "end"
    ]  # fmt: skip
    with pytest.raises(WhereError, match="not a number, duration or date: '7x'"):
        tokenize("a = 7x")  # a number glued to a word is neither


def test_parse_tree_and_precedence() -> None:
    node = parse("not a or b and c == 'x'")
    assert node == BoolOp(
        "or",
        (
            Not(Truthy(Field("a", 4))),
            BoolOp(
                "and",
                (
                    Truthy(Field("b", 9)),
                    Compare("=", Field("c", 15), Literal("x", "string", 20), 17),
                ),
            ),
        ),
    )


def test_literals() -> None:
    def right(expression: str) -> Literal:
        node = parse(expression)
        assert isinstance(node, Compare) and isinstance(node.right, Literal)
        return node.right

    assert right("a = 3").value == 3 and right("a = 3").type == "number"
    assert right("a = 3.5").value == 3.5
    assert right("a = 1e3").value == 1000.0
    assert right("a = TRUE").value is True and right("a = false").type == "boolean"
    assert right("a = Null").type == NULL
    assert right("a = 2025-03-20").value == datetime(2025, 3, 20, tzinfo=timezone.utc)
    assert right("a = 2w").value == timedelta(days=14)
    assert right(r'a = "\d+ \"q\" \\"').value == r'\d+ "q" \ '.rstrip()
    listed = parse("a in [1, 'b', null]")
    assert isinstance(listed, InList) and [i.value for i in listed.items] == [1, "b", None]
    assert parse("a in []") == InList(Field("a", 0), (), 2)


@pytest.mark.parametrize(
    ("expression", "message", "position"),
    [
        ("", "empty expression", 0),
        ("a = 'open", "unterminated string", 4),
        ("a $ b", "unexpected character '$'", 2),
        ("(a = 1", "expected ')' but found end of expression", 6),
        ("a = 1 b", "unexpected 'b'", 6),
        ("a in 1", "expected '[' after 'in'", 5),
        ("a in [b]", "a list holds values, not fields", 6),
        ("a in [1 2]", "expected ',' or ']' but found '2'", 8),
        ("a = and", "expected a field or a value but found 'and'", 4),
        ("a = 2025-02-30", "day is out of range", 4),
        # (h129 2: "unexpected character '7'", though the 7 was right)
        ("age < 7days", "not a number, duration or date: '7days' (a duration is a number", 6),
        ("age < 1y", "not a number, duration or date: '1y'", 6),
        ("quality > 0x10", "not a number, duration or date: '0x10'", 10),
        ("quality > 5abc and x", "not a number, duration or date: '5abc'", 10),
    ],
)
def test_errors_point_at_the_problem(expression: str, message: str, position: int) -> None:
    with pytest.raises(WhereError) as caught:
        parse(expression)
    assert message in caught.value.message
    assert caught.value.position == position
    assert str(caught.value).splitlines() == [
        f"--where: {caught.value.message}",
        f"  {expression}",
        "  " + " " * position + "^",
    ]


def test_nesting_is_limited() -> None:
    assert parse("(" * MAX_NESTING + "a" + ")" * MAX_NESTING) == Truthy(Field("a", MAX_NESTING))
    with pytest.raises(WhereError, match="nests deeper"):
        parse("(" * (MAX_NESTING + 1) + "a" + ")" * (MAX_NESTING + 1))
    with pytest.raises(WhereError, match="nests deeper"):
        parse("not " * (MAX_NESTING + 1) + "a")
