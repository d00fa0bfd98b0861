"""`list --columns provider` on a terminal shows the outlet as `list` does, its name,
else its domain (h129 LOW: the mapping's JSON, cut with an ellipsis); TSV and JSON keep
the mapping. Installed command, in a pseudo-terminal."""

from __future__ import annotations

import json
import re

from conftest import SAMPLES, run_cli, run_in_terminal


def test_the_provider_column_names_the_outlet() -> None:
    code, screen = run_in_terminal(
        "list", str(SAMPLES / "rate-decision.md"), "--columns", "title,provider",
        env={"NO_COLOR": "1"},
    )  # fmt: skip
    plain = re.sub(r"\x1b\[[0-9;]*m", "", screen)
    assert code == 0, screen
    row = plain.splitlines()[2]
    assert row.split()[-2:] == ["Harbor", "Ledger"] and "{" not in plain
    tsv = run_cli("list", str(SAMPLES / "rate-decision.md"), "--columns", "provider")
    assert json.loads(tsv.stdout.splitlines()[1]) == {
        "name": "Harbor Ledger",
        "domain": "harborledger.example",
    }


def test_a_field_named_twice_is_refused_in_each_format() -> None:
    """h131 LOW: `--columns title,quality,title` drew two columns in the table (widths
    kept by name) and three in TSV; each field is named once now."""
    for option, command in (("--columns", "list"), ("--fields", "export")):
        done = run_cli(command, str(SAMPLES), option, "title,quality,title")
        assert (done.returncode, done.stdout) == (2, "")
        assert (
            done.stderr == f"newscli: error: {option}: title: named twice; name each field once\n"
        )
