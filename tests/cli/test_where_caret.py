"""The caret of a --where error sits under the offending character as the expression
is shown (new-user pass: it drifted after an escape sequence, a bidi control, a
combining accent or a wide character, and a line break in the expression broke the
display in two). Characters a terminal would act on or not show are written as escapes
(\\t, \\x1b, \\u0301) and counted as such; wide characters take two cells. Run through
the installed command."""

from __future__ import annotations

import pytest
from conftest import SAMPLES, run_cli

from newscli.sanitize import shown_at

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
