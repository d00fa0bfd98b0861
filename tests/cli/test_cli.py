"""End-to-end tests of the commands through typer's CliRunner."""

import json
from pathlib import Path

import pytest
from conftest import HOSTILE, article_text, check_golden, run_cli, write
from typer.testing import CliRunner

from newscli import __version__
from newscli.cli import app

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout == f"newscli {__version__}\n"


@pytest.mark.parametrize("command", [[], ["list"], ["export"]])
def test_help_has_examples(command: list[str]) -> None:
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.stdout
    if command:
        assert "Examples:" in result.stdout
        assert f"newscli {command[0]} sample_feeds" in result.stdout


def test_list_piped_is_tsv_golden(in_repo: Path) -> None:
    result = invoke("list", "sample_feeds")
    assert result.exit_code == 0
    check_golden("sample_feeds.tsv", result.stdout)


def test_list_format_table(in_repo: Path) -> None:
    result = runner.invoke(
        app, ["list", "sample_feeds", "--format", "table"], env={"COLUMNS": "120"}
    )
    assert result.exit_code == 0
    assert "18 articles" in result.stdout
    assert "\x1b" not in result.stdout  # not a terminal: no colour


def test_export_golden(in_repo: Path) -> None:
    result = invoke("export", "sample_feeds")
    assert result.exit_code == 0
    check_golden("sample_feeds.json", result.stdout)


def test_filters_select_the_expected_articles(in_repo: Path) -> None:
    result = invoke(
        "export",
        "sample_feeds",
        "--topic",
        "ai",
        "-t",
        "SPACE",
        "--min-quality",
        "60",
        "--unpublished",
    )
    titles = [a["title"] for a in json.loads(result.stdout)]
    assert titles == [
        "Chipmakers brace for licensing regime on AI hardware",
        "Regulators draft new export rules for AI accelerator chips",
        "Moon lander makes it: first images from the south pole",
    ]
    published = invoke("export", "sample_feeds", "--published", "--max-quality", "80")
    assert [a["title"] for a in json.loads(published.stdout)] == [
        "Open-weight language model tops reasoning benchmark",
        "Marathon world record falls in cold, calm conditions",
        "Solar fridges extend vaccine reach in remote clinics",
    ]


def test_empty_result_is_success(in_repo: Path) -> None:
    result = invoke("export", "sample_feeds", "--topic", "nothing-like-this")
    assert result.exit_code == 0
    assert result.stdout == "[]\n"
    listing = invoke("list", "sample_feeds", "--topic", "nothing-like-this")
    assert listing.stdout.splitlines() == [
        "date\tquality\theat\tpublished\ttopics\tprovider\ttitle\tpath"
    ]


def test_invalid_files_are_reported_one_line_each_and_the_rest_goes_on(in_repo: Path) -> None:
    result = invoke("export", "tests/fixtures/hostile")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == len(list((HOSTILE / "valid").iterdir()))
    lines = result.stderr.splitlines()
    assert len(lines) == len(list((HOSTILE / "invalid").iterdir()))
    assert all(line.startswith("tests/fixtures/hostile/invalid/") for line in lines)
    check_golden("hostile.stderr.txt", result.stderr)


def test_strict_writes_nothing_and_exits_1(in_repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    result = invoke("export", "tests/fixtures/hostile", "--strict", "-o", str(out))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert not out.exists()
    assert "nothing written (--strict)" in result.stderr
    ok = invoke("export", "sample_feeds", "--strict")
    assert ok.exit_code == 0


def test_output_file(in_repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    result = invoke("export", "sample_feeds", "--topic", "space", "--output", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert len(json.loads(out.read_text())) == 4


def test_unwritable_output_is_exit_1(in_repo: Path, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("a file, so no folder can be made here")
    result = invoke("export", "sample_feeds", "-o", str(tmp_path / "file" / "x.json"))
    assert result.exit_code == 1
    assert result.stderr.startswith("newscli: error: cannot write")
    assert "Traceback" not in result.output


def test_missing_path_is_exit_1(tmp_path: Path) -> None:
    result = invoke("list", str(tmp_path / "nope"))
    assert result.exit_code == 1
    assert result.stderr == f"newscli: error: no such file or folder: {tmp_path / 'nope'}\n"
    assert result.stdout == ""


@pytest.mark.parametrize(
    "args",
    [
        ["list", "--min-quality", "101"],
        ["list", "--min-quality", "abc"],
        ["list", "--min-quality", "80", "--max-quality", "20"],
        ["list", "--format", "xml"],
        ["export", "--no-such-option"],
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = invoke(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith("newscli: error: ")


def test_default_path_is_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "x.md", article_text(title="Here"))
    monkeypatch.chdir(tmp_path)
    result = invoke("export")
    assert [a["path"] for a in json.loads(result.stdout)] == ["./x.md"]


def test_hostile_path_names_are_sanitised(tmp_path: Path) -> None:
    write(tmp_path / "evil\x1b[31m\nname.md", "not an article")
    result = invoke("list", str(tmp_path))
    assert "\x1b" not in result.stderr
    assert result.stderr.count("\n") == 1
    assert "/evil\\x1b[31m\\nname.md: no front matter" in result.stderr  # shown (h32)


def test_an_empty_path_is_named_as_empty() -> None:
    for command in ("show", "list", "publish"):
        result = run_cli(command, "")
        assert (result.returncode, result.stdout) == (1, "")
        assert result.stderr == "newscli: error: no such file or folder: ''\n"
