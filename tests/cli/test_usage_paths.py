"""Each command that takes several paths says so in its usage line, `[PATH...]` (h136
LOW: `list`, `export` and the others showed `[PATH]`, while `import` showed
`[SOURCE...]`), and takes two, through the installed command."""

from __future__ import annotations

import pytest
from conftest import SAMPLES, run_cli

COMMANDS = ["list", "export", "clusters", "stats", "fields", "validate"]
EDITS = ["publish", "unpublish", "reject", "review"]


@pytest.mark.parametrize("command", COMMANDS + EDITS)
def test_the_usage_line_says_several_paths(command: str) -> None:
    done = run_cli(command, "--help")
    assert done.returncode == 0
    assert done.stdout.splitlines()[0] == f"Usage: newscli {command} [OPTIONS] [PATH...]"


@pytest.mark.parametrize("command", COMMANDS)
def test_two_paths_are_taken(command: str) -> None:
    one, other = SAMPLES / "rate-decision.md", SAMPLES / "ai-chip-export-rules-2.md"
    done = run_cli(command, str(one), str(other))
    assert done.returncode == 0, done.stderr
