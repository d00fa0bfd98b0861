"""h111 MED: `show` on a terminal below about 28 columns cut letters out of each folded
line of a value ("Harbor"/"Ledger"/"harbor"/"er.exa", a URL's text missing 4 characters
a line), the link's target still right. Too narrow for names and values side by side,
each name is now on a line of its own and its value folded whole under it. Through the
installed command on a pseudo-terminal of each width."""

from __future__ import annotations

import re

import pytest
from conftest import REPO, run_in_terminal

SAMPLE = str(REPO / "sample_feeds" / "ai-chip-export-rules.md")
_OSC = re.compile(r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")
_CSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")
WHOLE = [
    "Regulators draft new export rules for AI accelerator chips",
    "Harbor Ledger · harborledger.example",
    "not published",
    "https://www.harborledger.example/2025/03/ai-chip-export-rules/",
    "https://cdn.harborledger.example/img/ai-chip-export-rules.jpg?width=800&height=450",
]


@pytest.mark.parametrize("columns", [16, 20, 24, 27, 30, 38, 60])
def test_every_value_is_shown_whole_at_any_width(columns: int) -> None:
    code, screen = run_in_terminal("show", SAMPLE, columns=columns)
    assert code == 0, screen
    text = _CSI.sub("", _OSC.sub("", screen))
    lines = text.splitlines()
    assert lines and all(len(line) <= columns for line in lines), (columns, text)
    flat = "".join(text.split())
    for value in WHOLE:
        assert "".join(value.split()) in flat, (columns, value, text)
