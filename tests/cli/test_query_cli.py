"""Query options end to end: every selecting command shares them."""

import json
from pathlib import Path

import pytest
from conftest import check_golden, run_cli
from typer.testing import CliRunner

from newscli.cli import app

runner = CliRunner()
NOW = "2025-03-20T00:00:00Z"


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def titles(result) -> list[str]:
    assert result.exit_code == 0, result.stderr
    return [item["title"] for item in json.loads(result.stdout)]


def test_where_sort_limit(in_repo: Path) -> None:
    result = invoke(
        "export", "sample_feeds", "--where", "quality >= 70 and not published",
        "--sort", "quality", "--limit", "2",
    )  # fmt: skip
    assert titles(result) == [
        "Ocean heat content reached a new high, study finds",
        "Central bank holds rates, signals cuts later in the year",
    ]


def test_relative_since_with_fixed_now(in_repo: Path) -> None:
    result = invoke("export", "sample_feeds", "--since", "7d", "--now", NOW)
    assert titles(result) == [
        "Central bank holds rates, signals cuts later in the year",
        "Chipmakers brace for licensing regime on AI hardware",
        "Regulators draft new export rules for AI accelerator chips",
    ]
    dated = invoke(
        "export", "sample_feeds", "--since", "2025-03-14", "--until", "2025-03-14T10:00Z"
    )
    assert titles(dated) == ["Regulators draft new export rules for AI accelerator chips"]


def test_fields_and_columns(in_repo: Path) -> None:
    result = invoke(
        "export", "sample_feeds", "--fields", "title,provider.domain,age,sourceFeed.region",
        "--limit", "1", "--provider", "harborledger.example", "--sort", "date:asc", "--now", NOW,
    )  # fmt: skip
    assert json.loads(result.stdout) == [
        {
            "title": "Regulators draft new export rules for AI accelerator chips",
            "provider.domain": "harborledger.example",
            "age": 485280,
            "sourceFeed.region": "eu-west",
        }
    ]
    listing = invoke("list", "sample_feeds", "--columns", "quality,title", "--limit", "2")
    assert listing.stdout.splitlines() == [
        "quality\ttitle",
        "84\tCentral bank holds rates, signals cuts later in the year",
        "67\tChipmakers brace for licensing regime on AI hardware",
    ]
    bad = invoke("list", "sample_feeds", "--columns", "quality,nope")
    assert bad.exit_code == 2
    assert "newscli: error: --columns: unknown field 'nope'" in bad.stderr


def test_dedupe_lists_duplicates(in_repo: Path) -> None:
    result = invoke("export", "sample_feeds", "--dedupe", "--topic", "space")
    records = json.loads(result.stdout)
    assert [(r["path"], r["duplicates"]) for r in records] == [
        ("sample_feeds/lunar-lander-touchdown.md", ["sample_feeds/lunar-lander-touchdown-amp.md"]),
        ("sample_feeds/exoplanet-water.md", []),
        ("sample_feeds/archive/2024/satellite-debris-rules.md", []),
    ]


def test_clusters_golden(in_repo: Path) -> None:
    result = invoke("clusters", "sample_feeds")
    assert result.exit_code == 0
    check_golden("clusters.tsv", result.stdout)
    as_json = json.loads(invoke("clusters", "sample_feeds", "--format", "json").stdout)
    assert [c["kept"] for c in as_json] == [  # newest kept article first
        "sample_feeds/ai-chip-export-rules.md",
        "sample_feeds/lunar-lander-touchdown.md",
    ]
    assert as_json[1]["articles"][1]["quality"] == 61


def test_fields_command(in_repo: Path) -> None:
    result = invoke("fields", "sample_feeds")
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows[0] == ["field", "type", "description"]
    names = {row[0]: row[1] for row in rows[1:]}
    assert names["provider.domain"] == "string"
    assert names["age"] == "duration"
    assert names["sourceFeed.region"] == "string"  # found in the sample files
    assert names["editorNote"] == "string"


def test_publish_takes_the_same_options(in_repo: Path, tmp_path: Path) -> None:
    import shutil

    feeds = tmp_path / "feeds"
    shutil.copytree("sample_feeds", feeds)
    result = invoke(
        "publish", str(feeds), "--where", "quality >= 90", "--unpublished", "--sort", "quality",
        "--limit", "1",
        "--dry-run",
    )  # fmt: skip
    assert result.exit_code == 0
    assert result.stdout == f"{feeds}/ocean-heat-study.md: published false -> true\n"


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--where", "quality >"], "expected a field or a value but found end of expression"),
        (["--match", "("], "--match: invalid regular expression"),
        (["--sort", "size"], "--sort: unknown key 'size'"),
        (["--sort", ""], "--sort: names no key (date, quality,"),
        (["--sort", " , "], "--sort: names no key"),
        (["--since", "last tuesday"], "expected an RFC 3339 date or timestamp or an age"),
        (["--now", "soon"], "not an RFC 3339 date or timestamp"),
        (["--min-heat", str(-(2**63) - 1)], "newscli: error: --min-heat: -9223372036854775809"),
    ],
)
def test_bad_query_options_are_usage_errors(args: list[str], fragment: str) -> None:
    result = run_cli("list", "sample_feeds", *args)
    assert result.returncode == 2
    assert fragment in result.stderr
    assert "Traceback" not in result.stderr


def test_where_error_shows_a_caret() -> None:
    result = run_cli("list", "sample_feeds", "--where", "quality > 5 and qualty < 9")
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith("newscli: error: --where: unknown field 'qualty'; did you mean")
    assert lines[1:] == ["  quality > 5 and qualty < 9", "                  ^"]
