"""h153 LOW: a blank name to select by was a note ("no article has topic ''"), exit 0,
so `--topic "$TOPIC"` in a cron job whose variable was unset shipped nothing, day
after day; an empty `--search` or `--match` selected every article. Each is a usage
error now (exit 2, nothing read), as a blank --cache-dir and --prefer-provider were;
`--where` still finds an empty value. Installed command."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SAMPLES, run_cli, write

NAMES = ["--topic", "--exclude-topic", "--provider", "--type", "--category"]


@pytest.mark.parametrize("option", NAMES)
@pytest.mark.parametrize("value", ["", "  "], ids=["empty", "blanks"])
def test_a_blank_name_is_a_usage_error(option: str, value: str) -> None:
    for command in (["list"], ["export", "--format", "jsonl"]):
        done = run_cli(*command, str(SAMPLES), "--topic", "AI", option, value)
        assert (done.returncode, done.stdout) == (2, ""), done.stderr
        assert done.stderr == (
            f"newscli: error: {option}: an empty name (a script's unset variable?); "
            "--where finds empty values\n"
        )


@pytest.mark.parametrize("option", ["--search", "--match"])
def test_an_empty_search_is_a_usage_error_and_a_blank_one_searches(
    option: str, tmp_path: Path
) -> None:
    feeds = tmp_path / "feeds"
    shutil.copytree(SAMPLES, feeds)  # (marked, had the option been taken)
    done = run_cli("export", str(feeds), option, "", "--mark-published")
    assert (done.returncode, done.stdout) == (2, ""), done.stderr
    for path in feeds.rglob("*.md"):  # nothing marked
        assert path.read_bytes() == (SAMPLES / path.relative_to(feeds)).read_bytes()
    assert done.stderr == (
        f"newscli: error: {option}: empty: it would match every article "
        "(a script's unset variable?)\n"
    )
    spaced = run_cli("list", str(SAMPLES), option, " ", "--format", "tsv")
    assert spaced.returncode == 0 and spaced.stdout.count("\n") > 1  # (titles hold spaces)


def test_where_finds_an_empty_topic_and_a_preset_is_named(tmp_path: Path) -> None:
    write(tmp_path / "a.md", '---\ntitle: Odd one\ntopics: ["", AI]\n---\n')
    write(tmp_path / "b.md", "---\ntitle: Plain one\ntopics: [AI]\n---\n")
    found = run_cli("list", ".", "--where", 'topics = ""', "--format", "tsv", cwd=tmp_path)
    assert found.returncode == 0 and "Odd one" in found.stdout
    assert "Plain one" not in found.stdout
    write(tmp_path / "c.yaml", 'presets:\n  daily:\n    topic: ""\n')
    preset = run_cli("list", ".", "--config", "c.yaml", "--preset", "daily", cwd=tmp_path)
    assert (preset.returncode, preset.stdout) == (2, "")
    assert preset.stderr.startswith("newscli: error: c.yaml: presets.daily.topic: an empty name")


@pytest.mark.parametrize("option", ["--category", "--provider"])
def test_imports_blank_category_or_provider_is_a_usage_error(option: str, tmp_path: Path) -> None:
    """h154: `import --category ''` was taken as no category, where `--topic ''` was an
    error and a config's `category: ""` too."""
    write(tmp_path / "f.json", '{"version": "https://jsonfeed.org/version/1.1", "items": []}')
    done = run_cli("import", "f.json", "--into", "g", option, "", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (2, ""), done.stderr
    assert done.stderr == f"newscli: error: {option}: an empty name (a script's unset variable?)\n"
    assert not (tmp_path / "g").exists()
