"""The caret of a --where error sits under the offending character as the expression
is shown (new-user pass: it drifted after an escape sequence, a bidi control, a
combining accent or a wide character, and a line break in the expression broke the
display in two). Characters a terminal would act on or not show are written as escapes
(\\t, \\x1b, \\u0301) and counted as such; wide characters take two cells. Run through
the installed command."""

from __future__ import annotations

import unicodedata

import pytest
from conftest import SAMPLES, run_cli
from hypothesis import given
from hypothesis import strategies as st

from newscli.sanitize import shown_at, shown_near

START, END = 'title == "', '" and )'  # the error: the ")" at the end


@pytest.mark.parametrize(
    ("typed", "shown", "cells"),
    [
        ("plain", "plain", 5),
        ('a\\"b\\\\', 'a\\"b\\\\', 6),  # escapes of the language itself, as typed
        ("a\tb", "a\\tb", 4),
        ("a\nb\r", "a\\nb\\r", 6),
        ("a\x1b[31mb", "a\\x1b[31mb", 10),
        ("a\x1b]0;x\x07b", "a\\x1b]0;x\\x07b", 14),
        ("a\x7fb\x9b", "a\\x7fb\\x9b", 10),
        ("a\u202eb", "a\\u202eb", 8),
        ("e\u0301", "e\\u0301", 7),
        ("a\u200bb", "a\\u200bb", 8),
        ("a\u00a0b", "a\\xa0b", 6),
        ("中文", "中文", 4),
        ("\U0001f600!", "\U0001f600!", 3),
        ("é", "é", 1),
    ],
)
def test_the_caret_is_under_the_character_as_shown(typed: str, shown: str, cells: int) -> None:
    result = run_cli("list", str(SAMPLES), "--where", START + typed + END)
    assert result.returncode == 2
    first, line, caret = result.stderr.splitlines()  # one line for the expression
    assert first == "newscli: error: --where: expected a field or a value but found ')'"
    assert line == "  " + START + shown + END
    assert caret == "  " + " " * (len(START) + cells + len(END) - 1) + "^"


def test_a_caret_inside_escapes_and_at_the_end() -> None:
    assert shown_at("a\x1bb", 1) == ("a\\x1bb", 1)  # under the escape's backslash
    assert shown_at("a\x1bb", 2) == ("a\\x1bb", 5)
    assert shown_at("中\x1b", 2) == ("中\\x1b", 6)  # past the end
    result = run_cli("list", str(SAMPLES), "--where", 'title == "中" and')
    assert result.stderr.splitlines()[1:] == ['  title == "中" and', "  " + " " * 17 + "^"]


# A long expression (one a script wrote) was echoed whole, over a caret line as long:
# 96 KB of stderr for 3,000 clauses (h22). It is cut to 100 cells around the error.
CLAUSES = ["quality > 1"] * 3000


@pytest.mark.parametrize(
    ("expression", "offending"),
    [
        (" and ".join([*CLAUSES, "qualty > 2"]), "qualty > 2"),  # at the end
        (" and ".join(["qualty > 2", *CLAUSES]), "qualty > 2"),  # at the start
        (" and ".join([*CLAUSES[:1500], "中文 ~ 1", *CLAUSES[1500:]]), "~ 1"),  # amid
        (" and ".join([*CLAUSES, "title =~ '\x1b['"]), "'\\x1b['"),
    ],
)
def test_a_long_expression_is_shown_around_the_error(expression: str, offending: str) -> None:
    result = run_cli("list", str(SAMPLES), "--where", expression)
    assert result.returncode == 2
    first, line, caret = result.stderr.splitlines()
    assert first.startswith("newscli: error: --where: ")
    shown = line[2:]
    cells = len(shown) + shown.count("中") + shown.count("文")
    assert 90 <= cells <= 100 and (shown.startswith("…") or shown.endswith("…")), line
    column = caret.index("^") - 2
    wide = shown[:column].count("中") + shown[:column].count("文")
    assert shown[column - wide :].startswith(offending), (line, caret)


@given(
    text=st.text(alphabet=["a", " ", "中", "\x1b", "\t", "\u0301", "\U0001f600"], max_size=300),
    data=st.data(),
    width=st.sampled_from([12, 20, 100]),
)
def test_shown_near_keeps_the_caret_under_its_character(
    text: str, data: st.DataObject, width: int
) -> None:
    position = data.draw(st.integers(0, len(text)))
    line, column = shown_near(text, position, width)
    whole, whole_column = shown_at(text, position)
    cells = [2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line]
    if sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in whole) <= width:
        assert (line, column) == (whole, whole_column)
        return
    assert width - 8 <= sum(cells) <= width  # filled but for at most one escape
    at = next((i for i in range(len(line) + 1) if sum(cells[:i]) == column), None)
    assert at is not None  # the caret starts a character
    assert line.removeprefix("…").removesuffix("…") in whole
    if position < len(text):
        own = shown_at(text[position], 0)[0]  # the character at the position, as shown
        assert line[at:].startswith(own)
