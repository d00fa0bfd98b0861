"""--format names are the same across commands (auto, table, tsv, json, jsonl where they
apply), and `list --format json|jsonl` prints export's records. Installed command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import HOSTILE, SAMPLES, write
from conftest import run_cli as newscli

NOW = "2025-03-20T00:00:00Z"
CHIP = str(SAMPLES / "ai-chip-export-rules.md")


def out(*args: str, code: int = 0) -> str:
    result = newscli(*args)
    assert result.returncode == code, result.stderr
    return result.stdout


@pytest.mark.parametrize(
    "extra",
    [[], ["--columns", "title,quality,provider.domain,age"], ["--dedupe", "--topic", "space"]],
)
def test_list_json_and_jsonl_are_exports_records(extra: list[str]) -> None:
    shared = [str(SAMPLES), "--now", NOW, *extra]
    fields = ["--fields" if x == "--columns" else x for x in shared]
    as_json = out("list", *shared, "--format", "json")
    assert as_json == out("export", *fields)
    assert json.loads(as_json)
    assert out("list", *shared, "--format", "jsonl") == out("export", *fields, "-f", "jsonl")


def test_clusters_jsonl_is_json_one_per_line() -> None:
    items = json.loads(out("clusters", str(SAMPLES), "--format", "json"))
    lines = out("clusters", str(SAMPLES), "--format", "jsonl").splitlines()
    assert len(items) >= 2
    assert [json.loads(line) for line in lines] == items


def test_fields_json_jsonl_and_tsv_agree() -> None:
    rows = [line.split("\t") for line in out("fields", "--format", "tsv").splitlines()]
    header, body = rows[0], rows[1:]
    records = [dict(zip(header, row, strict=True)) for row in body]
    assert json.loads(out("fields", "--format", "json")) == records
    lines = out("fields", "--format", "jsonl").splitlines()
    assert [json.loads(line) for line in lines] == records
    assert next(r for r in records if r["field"] == "quality")["type"] == "integer"


def test_stats_table_and_tsv_by_name() -> None:
    tsv = out("stats", str(SAMPLES), "--format", "tsv")
    assert tsv.startswith("section\tname\tcount\n")
    table = out("stats", str(SAMPLES), "--format", "table")
    assert not table.startswith("section\t") and "articles" in table
    assert out("stats", str(SAMPLES), "--format", "text") == table  # the former name


def test_show_table_is_the_article_view() -> None:
    table = out("show", CHIP, "--format", "table", "--now", NOW)
    assert table == out("show", CHIP, "--format", "text", "--now", NOW)
    assert "Harbor Ledger" in table and not table.lstrip().startswith("{")


def test_validate_tsv_and_jsonl(tmp_path: Path) -> None:
    folder = tmp_path / "v"
    write(folder / "bad.md", "---\ntitle: T\nquality: high\n---\n")
    write(folder / "good.md", "---\ntitle: T\n---\n")
    tsv = out("validate", str(folder), "--format", "tsv", code=1).splitlines()
    assert tsv[0] == "path\tline\tfield\treason"
    assert len(tsv) == 2 and tsv[1].startswith(f"{folder}/bad.md\t3\tquality\t")
    assert "quality" in tsv[1].split("\t")[3]
    lines = out("validate", str(folder), "--format", "jsonl", code=1).splitlines()
    files = json.loads(out("validate", str(folder), "--format", "json", code=1))["files"]
    assert [json.loads(line) for line in lines] == files
    table = out("validate", str(HOSTILE / "valid"), "--format", "table")
    assert table == out("validate", str(HOSTILE / "valid"))


def test_presets_formats(tmp_path: Path) -> None:
    write(
        tmp_path / "newscli.yaml",
        "feeds: [feeds]\npresets:\n  space:\n    topic: [Space]\n    since: 2025-03-01\n",
    )
    value = json.loads(
        out("presets", "--config", str(tmp_path / "newscli.yaml"), "--format", "json")
    )
    assert value["presets"] == {"space": {"topic": ["Space"], "since": "2025-03-01"}}
    assert value["feeds"] == [str(tmp_path / "feeds")]
    tsv = out("presets", "--config", str(tmp_path / "newscli.yaml"), "--format", "tsv")
    assert tsv.splitlines()[0] == "preset\toptions"
    table = out("presets", "--config", str(tmp_path / "newscli.yaml"), "--format", "table")
    assert "Preset" in table


@pytest.mark.parametrize(
    ("command", "bad"),
    [(["list"], "csv"), (["stats"], "jsonl"), (["show", CHIP], "tsv"), (["validate"], "auto")],
)
def test_formats_that_do_not_apply_are_usage_errors(command: list[str], bad: str) -> None:
    result = newscli(*command, "--format", bad)
    assert result.returncode == 2
    assert result.stderr.startswith(f"newscli: error: --format: '{bad}' is not one of")
