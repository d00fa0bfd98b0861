"""The `list` table fitted to the terminal: the title keeps 40 columns, narrower
terminals drop heat, provider, topics (then the ✓) in that order, and width to spare
goes to the columns that were cut."""

import io
import re
import sys
from pathlib import Path

import pytest
from conftest import REPO, run_in_terminal
from rich.console import Console

from newscli.index.loader import load_paths
from newscli.select.query import Selection
from newscli.select.query import select as select_articles
from newscli.terminal.render import article_table

NEWSCLI = Path(sys.executable).parent / "newscli"
HEADERS = ("Date (UTC)", "Q", "Heat", "Topics", "Provider", "Title", "Pub")
DROP_ORDER = ("Heat", "Provider", "Topics", "Pub")
TITLE_MIN = 40  # as the README says


def sample_articles() -> list:
    return select_articles(load_paths([str(REPO / "sample_feeds")]).articles, Selection())


def render(width: int) -> list[str]:
    console = Console(width=width, no_color=True, record=True, file=io.StringIO())
    console.print(article_table(sample_articles(), width))
    return console.export_text().splitlines()


def layout(lines: list[str]) -> tuple[list[str], int]:
    """The column names in the header line, and the title column's width."""
    header = lines[0]
    names = [name for name in HEADERS if re.search(rf"(^| ){re.escape(name)}( |$)", header)]
    start = header.index("Title")
    end = header.index("Pub") - 1 if "Pub" in names else len(lines[1].rstrip())
    return names, end - start


def natural_title() -> int:
    return max(len(a.title) for a in sample_articles())


@pytest.mark.parametrize("width", [40, 50, 63, 64, 70, 74, 75, 80, 85, 86, 90, 91, 100, 120])
def test_columns_go_in_the_documented_order_and_the_title_keeps_its_minimum(
    width: int,
) -> None:
    lines = render(width)
    assert max(len(line) for line in lines) <= width
    names, title = layout(lines)
    dropped = [name for name in DROP_ORDER if name not in names]
    assert dropped == list(DROP_ORDER[: len(dropped)]), "dropped out of order"
    assert names[:2] == ["Date (UTC)", "Q"] and "Title" in names
    if len(dropped) < len(DROP_ORDER):  # a column is still there: the title has its minimum
        assert title >= TITLE_MIN
    if dropped:  # a column was dropped: keeping it would leave the title too short
        assert title < TITLE_MIN + 12


@pytest.mark.parametrize(
    ("width", "present"),
    [
        # The sample's minimums: date 16, quality 2, heat 4, topics 10, provider 10,
        # title 40, ✓ 3, and a space between columns.
        (91, set(HEADERS)),
        (90, set(HEADERS) - {"Heat"}),
        (86, set(HEADERS) - {"Heat"}),
        (85, set(HEADERS) - {"Heat", "Provider"}),
        (75, set(HEADERS) - {"Heat", "Provider"}),
        (74, {"Date (UTC)", "Q", "Title", "Pub"}),
        (64, {"Date (UTC)", "Q", "Title", "Pub"}),
        (63, {"Date (UTC)", "Q", "Title"}),
    ],
)
def test_a_column_goes_exactly_when_its_minimum_no_longer_fits(
    width: int, present: set[str]
) -> None:
    names, title = layout(render(width))
    assert set(names) == present
    assert title >= TITLE_MIN


def test_spare_width_goes_to_what_was_cut() -> None:
    wide = render(200)
    names, title = layout(wide)
    assert names == list(HEADERS)
    assert not any("…" in line for line in wide), "something was cut with room to spare"
    assert title == natural_title()
    assert "Meridian Health News" in "\n".join(wide)
    # 112 columns leave 21 above the minimums: 10 take the title to 50, 10 give the
    # provider its whole 20 before the title grows on, the last one goes to the topics.
    lines = render(112)
    names, title = layout(lines)
    assert names == list(HEADERS) and title == 50
    assert "Meridian Health News" in "\n".join(lines)
    assert lines[0].index("Provider") - lines[0].index("Topics") == 12  # 11 wide, a space


def in_terminal(columns: int, *args: str) -> list[str]:
    code, screen = run_in_terminal(
        "list",
        "sample_feeds",
        *args,
        env={"COLUMNS": str(columns), "TERM": "xterm", "NO_COLOR": "1"},
    )
    assert code == 0
    return re.sub(r"\x1b\[[0-9;]*m", "", screen).splitlines()


def test_the_installed_command_fits_80_and_200_columns() -> None:
    narrow = in_terminal(80)
    names, title = layout(narrow)
    assert names == ["Date (UTC)", "Q", "Topics", "Title", "Pub"]
    assert title >= 44
    assert max(len(line) for line in narrow) <= 80
    wide = in_terminal(200)
    names, title = layout(wide)
    assert names == list(HEADERS)
    assert title == natural_title()
    assert not any("…" in line for line in wide)


@pytest.mark.parametrize("width", [8, 10, 20, 23, 30, 36, 39, 45])
def test_on_a_very_narrow_terminal_the_title_stays(width: int) -> None:
    """Too narrow for the date, quality and 40 columns of title: the title gives way to
    20 columns, then the date to the day, then the date and quality go."""
    lines = render(width)
    assert max(len(line) for line in lines) <= width
    names, title = layout(lines)
    assert "Title" in names and title >= min(20, width), lines[:3]
    row = lines[2]  # the first article's row
    if "Date (UTC)" in names:
        assert re.match(r"\d{4}-\d\d-\d\d( |$)", row), row
    if width >= 23:  # quality and 20 columns of title fit
        assert "Q" in names
