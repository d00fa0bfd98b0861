"""terminal.grid draws the house table as rich's Table does (box SIMPLE_HEAD, no edge,
no padding, no wrap), byte for byte: random tables of hostile cells (wide letters,
emoji, combining marks, blanks at the ends, cells far too long) drawn both ways."""

from __future__ import annotations

import io
import random
import re

import pytest
from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from newscli.terminal.grid import Cell, Column, Grid, fitted

PIECES = ["a", "B", " ", "  ", "漢", "字", "한", "ﾊ", "é", "e\u0301", "😀", "👍🏽", "🇫🇷", "—", "…"]
STYLES = [None, None, "cyan", "green", "yellow", "dim", "bold red"]


def _console(width: int) -> Console:
    return Console(file=io.StringIO(), force_terminal=True, width=width, color_system="standard")


def _rich(columns: list[Column], rows: list[list[Cell]], header: bool, ends: list[bool]) -> str:
    """The table as rich's Table draws it (render.py's code before terminal.grid)."""
    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        padding=(0, 0),
        collapse_padding=True,
        show_header=header,
    )
    for column in columns:
        table.add_column(
            column.header,
            justify=column.justify,
            no_wrap=True,
            overflow="crop" if column.crop else "ellipsis",
            width=column.width,
        )
    for row, end in zip(rows, ends, strict=True):
        table.add_row(*(Text(text, style=style or "") for text, style in row), end_section=end)
    console = _console(sum(c.width for c in columns) + len(columns) - 1)
    console.print(table)
    return console.file.getvalue()  # type: ignore[attr-defined]


def _ours(columns: list[Column], rows: list[list[Cell]], header: bool, ends: list[bool]) -> str:
    console = _console(sum(c.width for c in columns) + len(columns) - 1)
    console.print(Grid(columns, rows, header=header, ends=ends))
    return console.file.getvalue()  # type: ignore[attr-defined]


def _text(rng: random.Random) -> str:
    """A cell's text, but one rich measures wrongly with the padding after it (a
    zero-width joiner at its end: the module's docstring)."""
    while True:
        text = "".join(rng.choice(PIECES) for _ in range(rng.choice([0, 1, 3, 8, 30])))
        if cell_len(text + " ") == cell_len(text) + 1:
            return text


@pytest.mark.parametrize("seed", range(40))
def test_random_tables_are_drawn_as_rich_draws_them(seed: int) -> None:
    rng = random.Random(seed)
    columns = [
        Column(
            _text(rng) or "h",
            rng.choice([1, 2, 3, 5, 12, 40]),
            rng.choice(["left", "right", "center"]),
            crop=rng.random() < 0.2,
        )
        for _ in range(rng.randint(1, 7))
    ]
    rows = [[(_text(rng), rng.choice(STYLES)) for _ in columns] for _ in range(rng.randint(0, 12))]
    ends = [rng.random() < 0.3 for _ in rows]
    header = rng.random() < 0.8
    assert _ours(columns, rows, header, ends) == _rich(columns, rows, header, ends)


def test_a_cell_ending_in_a_zero_width_joiner_keeps_its_column() -> None:
    """rich pads such a cell once more (its row one column too wide); each line here is
    as wide as the table."""
    columns = [Column("A", 4), Column("B", 3, "right")]
    rows: list[list[Cell]] = [[("漢\u200d", None), ("1", "green")], [("x", None), ("22", None)]]
    console = Console(file=io.StringIO(), width=8, color_system=None)
    console.print(Grid(columns, rows))
    lines = console.file.getvalue().splitlines()  # type: ignore[attr-defined]
    assert lines == ["A      B", "────────", "漢\u200d     1", "x     22"]
    # (as a terminal draws them, a character at a time: the joiner takes no column)
    assert [sum(map(cell_len, line)) for line in lines] == [8, 8, 8, 8]
    theirs = re.sub(r"\x1b\[[0-9;]*m", "", _rich(columns, rows, True, [False, False]))
    assert theirs.splitlines()[2] == "漢\u200d      1"  # (rich's: 9 columns)


@pytest.mark.parametrize(
    ("text", "width", "justify", "crop", "shown"),
    [
        ("abcdef", 4, "left", False, "abc…"),
        ("abcdef", 4, "left", True, "abcd"),
        ("ab  ", 4, "right", False, "  ab"),  # (right and center drop trailing blanks)
        ("ab", 5, "center", False, " ab  "),
        ("漢字漢", 4, "left", False, "漢 …"),  # (a wide letter never cut in half)
        ("", 3, "left", False, "   "),
    ],
)
def test_fitted(text: str, width: int, justify: str, crop: bool, shown: str) -> None:
    assert fitted(text, width, justify, crop) == shown  # type: ignore[arg-type]
