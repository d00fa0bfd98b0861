"""Fixes found by a fresh-eyes tester of the curation commands, through the installed
command: `--config` before the command, `--no-rules` with a bad rule, an unknown key
under `rules`, `history` with an empty journal, numbers YAML would not read as numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import article_text, run_cli, write

from newscli.edit.field_values import FieldValueError, parse_assignment


def _feeds(tmp_path: Path) -> None:
    write(tmp_path / "feeds" / "low.md", article_text(title="Low", quality=10))
    write(tmp_path / "feeds" / "high.md", article_text(title="High", quality=90))


def test_config_before_the_command_is_used_and_the_commands_own_wins(tmp_path: Path) -> None:
    _feeds(tmp_path)
    write(tmp_path / "c.yaml", "rules:\n  exclude: ['quality < 50']\npresets:\n  top: {limit: 1}\n")
    write(tmp_path / "other.yaml", "rules:\n  exclude: ['quality > 50']\n")
    listed = run_cli("--config", "c.yaml", "list", "feeds", "--format", "tsv", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert [line.split("\t")[-1] for line in listed.stdout.splitlines()[1:]] == ["feeds/high.md"]
    # the command's own --config wins over the one before the command
    own = run_cli(
        "--config", "c.yaml", "list", "feeds", "--config", "other.yaml", "--format", "tsv",
        cwd=tmp_path,
    )  # fmt: skip
    assert [line.split("\t")[-1] for line in own.stdout.splitlines()[1:]] == ["feeds/low.md"]
    rules = run_cli("--config=c.yaml", "rules", cwd=tmp_path)
    assert rules.stdout == "exclude: quality < 50\n", rules.stderr
    missing = run_cli("--config", "nope.yaml", "list", "feeds", cwd=tmp_path)
    assert missing.returncode == 2
    assert missing.stderr == "newscli: error: nope.yaml: no such configuration file\n"
    helped = run_cli("--help", cwd=tmp_path)
    assert "--config FILE" in helped.stdout


def test_no_rules_does_not_read_the_rules_and_an_unknown_rules_key_is_named(
    tmp_path: Path,
) -> None:
    _feeds(tmp_path)
    write(tmp_path / "newscli.yaml", "rules:\n  exclude: ['quality >']\n")
    bad = run_cli("list", "feeds", "--format", "tsv", cwd=tmp_path)
    assert bad.returncode == 2 and "rules.exclude[0]" in bad.stderr
    bypassed = run_cli("list", "feeds", "--format", "tsv", "--no-rules", cwd=tmp_path)
    assert bypassed.returncode == 0, bypassed.stderr
    assert len(bypassed.stdout.splitlines()) == 3
    write(tmp_path / "newscli.yaml", "rules:\n  include: ['quality < 50']\n")
    unknown = run_cli("list", "feeds", cwd=tmp_path)
    assert unknown.returncode == 2
    assert unknown.stderr == (
        "newscli: error: newscli.yaml: rules: unknown key 'include' (expected: exclude)\n"
    )
    assert run_cli("list", "feeds", "--no-rules", cwd=tmp_path).returncode == 0


def test_history_with_an_empty_journal_says_so(tmp_path: Path, private_state: Path) -> None:
    shown = run_cli("history", cwd=tmp_path)
    assert shown.returncode == 0
    assert shown.stdout == ""
    journal = private_state / "journal"
    assert shown.stderr == f"newscli: no edits recorded (journal: {journal})\n"
    as_json = run_cli("history", "--format", "json", cwd=tmp_path)
    assert as_json.returncode == 0 and json.loads(as_json.stdout) == []


def test_a_typed_value_that_is_no_finite_yaml_number_is_a_usage_error(tmp_path: Path) -> None:
    path = write(tmp_path / "a.md", article_text())
    before = path.read_bytes()
    result = run_cli("set", "n:=1e400", "a.md", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "newscli: error: FIELD=VALUE: n:=1e400: expected a finite number\n"
    assert path.read_bytes() == before
    # as text (plain `=`), the same characters are fine
    assert run_cli("set", "n=1e400", "a.md", cwd=tmp_path).returncode == 0


@pytest.mark.parametrize("text", ["nan", "NaN", "inf", "-Infinity", "1e400", ".inf", "-.inf"])
def test_non_finite_numbers_are_refused(text: str) -> None:
    with pytest.raises(FieldValueError, match="expected a finite number"):
        parse_assignment(f"n:={text}")


def test_a_number_yaml_reads_as_text_is_refused_and_real_numbers_pass() -> None:
    with pytest.raises(FieldValueError, match="YAML would read this as text"):
        parse_assignment("n:=1e5")
    assert parse_assignment("n:=1.0e+5").value == 100000.0
    assert parse_assignment("n:=12").value == 12
    with pytest.raises(FieldValueError, match="two different values"):  # (h36: 1000 or text)
        parse_assignment("n:=1_000")
    assert parse_assignment("n=nan").value == "nan"
