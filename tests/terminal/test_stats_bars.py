"""`newscli stats` on a terminal: a bar is the row's share of all the selected
articles (like its percentage), not of the section's biggest row."""

import io
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import article_text, run_in_terminal, write
from rich.console import Console

from newscli.formats import stats
from newscli.index.loader import load_paths
from newscli.terminal.charts import BAR_WIDTH, stats_view

NEWSCLI = Path(sys.executable).parent / "newscli"


def corpus(folder: Path) -> Path:
    """Five articles, all on AI, one also on Space, one published; qualities 10-50."""
    for i in range(5):
        topics = "AI, Space" if i == 0 else "AI"
        write(
            folder / f"a{i}.md",
            article_text(title=f"A{i}", quality=10 * (i + 1), published=i == 0, topics=topics),
        )
    return folder


def draw(summary: dict[str, Any]) -> str:
    console = Console(width=100, no_color=True, record=True, file=io.StringIO())
    console.print(stats_view(summary))
    return console.export_text()


def bars(screen: str) -> dict[str, int]:
    """Row name -> the length of its bar."""
    found = {}
    for line in screen.splitlines():
        match = re.match(r"\s*(\S.*?)\s+(\d+)\s+(█*)\s*(\d+%)?\s*$", line)
        if match:
            found[match[1]] = len(match[3])
    return found


def test_bars_are_shares_of_all_articles(tmp_path: Path) -> None:
    screen = draw(stats.compute(load_paths([str(corpus(tmp_path))]).articles))
    assert screen.startswith("5 articles")
    found = bars(screen)
    assert found["published"] == BAR_WIDTH // 5 == 6  # one in five: a fifth, not a full bar
    assert found["unpublished"] == 24
    assert found["AI"] == BAR_WIDTH  # every article
    assert found["Space"] == 6
    assert found["40-49"] == 6 and found["0-9"] == 0
    assert found["(none)"] == BAR_WIDTH  # no provider and no type: all five


def test_a_small_share_still_shows_and_one_article_is_singular(tmp_path: Path) -> None:
    write(tmp_path / "one.md", article_text(published=True))
    summary = stats.compute(load_paths([str(tmp_path)]).articles)
    one = draw(summary)
    assert one.splitlines()[0].strip() == "1 article"
    assert bars(one)["published"] == BAR_WIDTH
    # 1 of 100 is under half a cell: it is still drawn, as one cell.
    hundred = draw({**summary, "total": 100})
    assert hundred.splitlines()[0].strip() == "100 articles"
    assert bars(hundred)["published"] == 1


def test_the_installed_command_draws_shares_on_a_terminal(tmp_path: Path) -> None:
    corpus(tmp_path / "feeds")
    plain = {"COLUMNS": "100", "TERM": "xterm", "NO_COLOR": "1"}
    code, screen = run_in_terminal("stats", "feeds", "--no-cache", cwd=tmp_path, env=plain)
    assert code == 0
    screen = re.sub(r"\x1b\[[0-9;]*m", "", screen)
    found = bars(screen)
    assert found["published"] == 6 and found["unpublished"] == 24
    assert found["Space"] == 6 and found["AI"] == BAR_WIDTH


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_a_narrow_terminal_shrinks_the_bars_then_the_names_never_the_counts(
    tmp_path: Path,
) -> None:
    """h35: at 45 columns the counts were dropped, at 20 the names and percentages."""
    corpus(tmp_path / "feeds")
    row = re.compile(r"  (\S+) +(\d+) (█*) ?(\d+%)$")
    wide: list[tuple[str, str, str]] = []
    for columns in (100, 45, 30, 20, 14):
        env = {"TERM": "xterm", "NO_COLOR": "1", "COLUMNS": str(columns)}
        code, screen = run_in_terminal("stats", "feeds", "--no-cache", cwd=tmp_path, env=env)
        assert code == 0
        lines = re.sub(r"\x1b\[[0-9;]*m", "", screen).splitlines()
        assert all(len(line.rstrip()) <= columns for line in lines), (columns, screen)
        rows = [match.groups() for match in map(row.match, lines) if match]
        # published, unpublished; AI, Space; no provider; no type; the 11 quality rows
        assert len(rows) == 17, (columns, screen)
        counts = [(count, share) for _, count, _, share in rows]
        assert counts[:6] == [("1", "20%"), ("4", "80%"), ("5", "100%"), ("1", "20%"),
                              ("5", "100%"), ("5", "100%")], (columns, screen)  # fmt: skip
        if columns == 100:
            wide = [(name, count, share) for name, count, _, share in rows]
            assert len(rows[2][2]) == BAR_WIDTH  # AI: every article, a whole bar
        else:  # the names kept, or cut with an ellipsis
            for (name, *_), (full, *_) in zip(rows, wide, strict=True):
                assert name == full or (name.endswith("…") and full.startswith(name[:-1]))


def test_an_empty_selection_says_none_not_lines_of_spaces() -> None:
    """h35: with no articles, each section was a table of blank, full-width lines."""
    screen = draw(stats.compute([]))
    lines = screen.splitlines()
    assert lines[0].strip() == "0 articles"
    assert all(line.strip() or not line for line in lines)  # no line of spaces alone
    for section in ("Topics", "Providers", "Types"):
        assert lines[lines.index(section) + 1].strip() == "none"
