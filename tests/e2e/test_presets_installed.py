"""Shared presets through the installed command, which builds only the command it runs:
an option of another command is ignored there too (README, "Configuration and presets")."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SAMPLES, run_cli, write
from readme_blocks import config_example

# The commands that take --preset (unpublish is publish's code); publish only looks.
SELECTING = [["list"], ["export"], ["stats"], ["clusters"], ["publish", "--dry-run"]]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The README's config as ./newscli.yaml, its feeds, and the site folder it writes to."""
    shutil.copytree(SAMPLES, tmp_path / "feeds")
    (tmp_path / "site").mkdir()
    write(tmp_path / "newscli.yaml", config_example())
    return tmp_path


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize("preset", ["ai-feed", "space"])
@pytest.mark.parametrize("command", SELECTING, ids=lambda c: c[0])
def test_a_readme_preset_works_with_every_command(
    folder: Path, command: list[str], preset: str
) -> None:
    result = run_cli(*command, "--preset", preset, "--quiet", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    written = folder / "site" / "ai.xml"  # ai-feed's `output`, for export only
    assert written.exists() == (command[0] == "export" and preset == "ai-feed")
    output = written.read_text() if written.exists() else result.stdout
    if command[0] == "publish" and preset == "ai-feed":
        assert output == ""  # it selects published articles: nothing to change
    else:
        assert output.strip() or command[0] == "clusters"


def test_list_with_an_export_preset_keeps_its_own_format(folder: Path) -> None:
    result = run_cli("list", "--preset", "ai-feed", cwd=folder)
    assert result.returncode == 0, result.stderr
    header, *rows = result.stdout.splitlines()
    assert header.split("\t")[:2] == ["date", "quality"]  # TSV, not an Atom feed
    titles = [row.split("\t")[6] for row in rows]
    # the preset's selection (published AI picks of quality 70+), as export's records say
    spelled = run_cli(
        "export", "feeds", "--topic", "AI", "--min-quality", "70", "--published", cwd=folder
    )
    expected = [record["title"] for record in json.loads(spelled.stdout)]
    assert titles == expected and expected
    assert not (folder / "site" / "ai.xml").exists()  # `output` is export's


def test_export_with_a_list_preset_ignores_columns(folder: Path) -> None:
    result = run_cli("export", "--preset", "space", cwd=folder)
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert 0 < len(records) <= 10
    assert "excerpt" in records[0]  # whole records: `columns` is list's
    qualities = [r.get("quality") for r in records]  # missing values go last
    known = [q for q in qualities if q is not None]
    assert qualities[: len(known)] == sorted(known, reverse=True)
    assert all({"space", "science"} & {t.lower() for t in r["topics"]} for r in records)


def test_the_command_line_still_wins_over_a_shared_preset(folder: Path) -> None:
    result = run_cli("list", "--preset", "space", "--limit", "3", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "date\tquality\ttitle"
    assert len(result.stdout.splitlines()) == 4


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ("colums: date,title", "presets.p.colums: unknown option"),
        ("format: atm", "presets.p.format:"),  # fits no command's --format
        ("limit: many", "presets.p.limit:"),
    ],
)
def test_a_bad_preset_option_is_still_an_error(tmp_path: Path, options: str, message: str) -> None:
    write(tmp_path / "newscli.yaml", f"presets:\n  p:\n    {options}\n")
    result = run_cli("list", str(SAMPLES), "--preset", "p", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("newscli: error: newscli.yaml: " + message), result.stderr
    assert "Traceback" not in result.stderr


def test_other_commands_are_built_only_for_a_preset_that_needs_them(tmp_path: Path) -> None:
    write(tmp_path / "newscli.yaml", "presets:\n  own:\n    limit: 1\n  shared:\n    format: csv\n")
    code = (
        "import sys\nfrom newscli import cli\n"
        f"sys.argv = ['newscli', 'list', {str(SAMPLES)!r}, '--preset', sys.argv[1]]\n"
        "try:\n    cli.main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "sys.stderr.write(str(cli.every_command.cache_info().currsize))\n"
    )

    def built_all(preset: str) -> str:
        run = subprocess.run(
            [sys.executable, "-c", code, preset],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert run.returncode == 0, run.stderr
        return run.stderr

    assert built_all("own") == "0"
    assert built_all("shared") == "1"


def test_python_dash_m_newscli_works_too() -> None:
    """The README promises `python -m newscli` besides the installed command."""
    result = subprocess.run(
        [sys.executable, "-m", "newscli", "list", "sample_feeds", "--limit", "1"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith("date\tquality\t")
    assert len(result.stdout.splitlines()) == 2
