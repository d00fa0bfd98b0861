"""The house table (a header, a rule under it, columns one space apart, no frame, one
line per row, cells cut with an ellipsis), drawn straight into rich's segments.

rich's Table draws the same lines, but lays out every cell as a paragraph: `list` at a
terminal took 9 s for 20,000 rows (stop 54's note), 45 s for 100,000, and `clusters`
and `list --columns` drew nothing before the whole table was laid out. newscli fits the
columns itself (render._fit, render._shrink), so each cell here is only cut, padded and
styled, as rich's Text would be (tests/terminal/test_grid.py draws random tables both
ways and compares the bytes). The one difference: a cell whose text ends in a zero-width
joiner, which rich measures with the padding after it and pads once more, so its row
came out one column too wide.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from rich.cells import cell_len, set_cell_size
from rich.control import strip_control_codes
from rich.segment import Segment

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult
    from rich.style import Style

Justify = Literal["left", "right", "center"]
Cell = tuple[str, "str | None"]  # the text (already made safe to show) and its style
HEADER_STYLE = "table.header"  # (rich's Table's: bold)


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    width: int
    justify: Justify = "left"
    crop: bool = False  # cut without an ellipsis (the date, cut to the day)


def fitted(text: str, width: int, justify: Justify = "left", crop: bool = False) -> str:
    """``text`` cut (with an ellipsis, unless ``crop``) and padded to ``width`` cells, as
    rich's Lines.justify does to one line of a cell that does not wrap."""
    if justify != "left":
        text = text.rstrip()
    length = cell_len(text)
    if length > width:
        text = set_cell_size(text, width) if crop else set_cell_size(text, width - 1) + "…"
        length = cell_len(text)
    if length >= width:
        return text
    if justify == "left":
        return text + " " * (width - length)
    if justify == "right":
        return " " * (width - length) + text
    left = (width - length) // 2
    return " " * left + text + " " * (width - length - left)


class Grid:
    """Rows of cells under ``columns``' headers (``header``: drawn, with the rule under
    it); ``ends``: the rows that end a section (a blank line after each, but the last)."""

    def __init__(
        self,
        columns: Sequence[Column],
        rows: Iterable[Sequence[Cell]],
        *,
        header: bool = True,
        ends: Sequence[bool] = (),
    ) -> None:
        self.columns, self.rows, self.header, self.ends = columns, rows, header, ends

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        columns = self.columns
        styles: dict[str | None, Style | None] = {None: None}

        def style_of(name: str | None) -> Style | None:
            if name not in styles:
                styles[name] = console.get_style(name) if name else None
            return styles[name]

        if self.header:
            bold = style_of(HEADER_STYLE)
            for i, column in enumerate(columns):
                if i:
                    yield Segment(" ")
                text = strip_control_codes(column.header)
                yield Segment(fitted(text, column.width, column.justify, column.crop), bold)
            yield Segment.line()
            yield Segment("─".join("─" * column.width for column in columns))
            yield Segment.line()
        blank = " " * (sum(column.width for column in columns) + len(columns) - 1)
        ends, pending = self.ends, False
        for number, row in enumerate(self.rows):
            if pending:
                yield Segment(blank)
                yield Segment.line()
            line: list[str] = []  # unstyled text, joined into one segment
            for i, (column, (text, style)) in enumerate(zip(columns, row, strict=True)):
                if i:
                    line.append(" ")
                shown = fitted(strip_control_codes(text), column.width, column.justify, column.crop)
                if style is None:
                    line.append(shown)
                    continue
                if line:
                    yield Segment("".join(line))
                    line = []
                yield Segment(shown, style_of(style))
            if line:
                yield Segment("".join(line))
            yield Segment.line()
            pending = bool(ends) and ends[number]
