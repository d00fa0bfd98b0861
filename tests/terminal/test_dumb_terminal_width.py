"""On a dumb terminal (TERM=dumb or unknown: Emacs's shell, some IDE consoles) rich
takes neither COLUMNS nor the terminal's size but 80x25: a table on a terminal of 20 or
40 columns was drawn 80 wide, every line wrapped (found by h22's new-user pass). newscli
gives rich the size: COLUMNS, else the terminal's, else 80."""

from __future__ import annotations

import pytest
from conftest import run_in_terminal


def run_on_screen(*args: str, columns: int, env: dict[str, str]) -> tuple[int, list[str]]:
    """The installed `newscli` with stdout on a pseudo-terminal of ``columns`` x 24;
    COLUMNS and LINES only as ``env`` sets them. Returns (code, the lines shown)."""
    code, text = run_in_terminal(*args, columns=columns, env={"NO_COLOR": "1", **env})
    return code, [line for line in text.splitlines() if "\x1b" not in line]


COMMANDS = [
    ["list", "sample_feeds"],
    ["clusters", "sample_feeds"],
    ["stats", "sample_feeds"],
    ["fields", "sample_feeds"],
]


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize("term", ["dumb", "unknown"])
def test_a_dumb_terminal_gets_tables_as_wide_as_it_is(command: list[str], term: str) -> None:
    code, lines = run_on_screen(*command, columns=40, env={"TERM": term})
    assert code == 0
    assert lines and max(len(line) for line in lines) <= 40, "\n".join(lines)
    assert max(len(line) for line in lines) > 20


def test_a_dumb_terminal_takes_columns_and_falls_back_to_80() -> None:
    code, lines = run_on_screen(
        "list", "sample_feeds", columns=100, env={"TERM": "dumb", "COLUMNS": "30"}
    )
    assert code == 0 and max(len(line) for line in lines) <= 30, "\n".join(lines)
    code, lines = run_on_screen("list", "sample_feeds", columns=0, env={"TERM": "dumb"})
    assert code == 0 and 40 < max(len(line) for line in lines) <= 80, "\n".join(lines)
