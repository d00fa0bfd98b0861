"""One error style through the installed command: every error is `newscli: error: ...`,
including the command-line parser's own usage errors (exit 2)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import run_cli as newscli
from conftest import write

NEWSCLI = Path(sys.executable).parent / "newscli"


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["list", "sample_feeds", "--bogus"], "no such option: --bogus"),
        (["list", "sample_feeds", "--verbos"], "no such option: --verbos; did you mean --verbose?"),
        # h143 LOW: a topic beginning with "-" was "no such option: -", and no more
        (
            ["tag", "add", "-x", "sample_feeds"],
            "no such option: -x; if it is a value, not an option, put -- before it",
        ),
        # h146 LOW: not where no value can follow, and a long option with one dash
        (["undo", "-x"], "no such option: -x\n"),
        (["list", "-where", "quality > 1"], "no such option: -w; did you mean --where?\n"),
        (["list", "sample_feeds", "--limit", "x"], "--limit: 'x' is not a valid integer"),
        (["list", "sample_feeds", "--min-quality", "101"], "--min-quality: 101 is not in"),
        (["list", "sample_feeds", "--format", "xml"], "--format: 'xml' is not one of 'auto'"),
        (["export", "sample_feeds", "-f", "xml"], "--format: 'xml' is not one of 'json'"),
        (["show"], "missing argument 'FILE'"),
        (["lst"], "no such command 'lst'; did you mean 'list', 'set'?"),  # set: issue 14
        (["publish"], "PATH: name the article files or folders to edit"),
        (["list", "sample_feeds", "--now", "soon"], "--now: not an RFC 3339 date or timestamp"),
        (["show", "sample_feeds"], "sample_feeds is a folder; show takes one article file"),
    ],
)
def test_usage_errors_are_one_line_exit_2(args: list[str], line: str) -> None:
    result = newscli(*args)
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    if line.endswith("\n"):  # (the whole line)
        assert result.stderr == f"newscli: error: {line}", result.stderr
    assert lines[0].startswith(f"newscli: error: {line.rstrip()}"), lines[0]
    assert "Usage:" not in result.stderr and "Error:" not in result.stderr


def test_invalid_file_for_show_is_an_error_line(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.md", "---\ntitle: [\n---\n")
    result = newscli("show", str(bad))
    assert result.returncode == 1
    assert result.stderr.startswith(f"newscli: error: {bad}: invalid YAML")
    assert len(result.stderr.splitlines()) == 1


def test_help_and_version_still_exit_0() -> None:
    assert newscli("list", "--help").returncode == 0
    assert "Usage: newscli list" in newscli("list", "--help").stdout
    version = newscli("--version")
    assert (version.returncode, version.stderr) == (0, "")
    bare = newscli()  # no command: the help, as before
    assert bare.returncode == 2
    assert "Commands:" in bare.stdout + bare.stderr


def test_a_missing_choice_argument_is_one_readable_line() -> None:
    """h50: Click's choice list, laid out over lines, was shown as `\\n\\tadd,\\n\\tremove`."""
    result = newscli("tag")
    assert result.returncode == 2
    assert result.stderr == (
        "newscli: error: missing argument 'add|remove'. Choose from: add, remove\n"
    )
