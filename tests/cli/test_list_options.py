"""The comma lists of --columns, --fields and --sort are checked alike, through the
installed command (h136 LOW): `--sort title,title` was taken while `--columns
title,title` was refused, and `--fields 'title,,quality'` silently dropped the empty
name while `--columns ''` was refused. Each name once, none empty, in each."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLES, run_cli


@pytest.mark.parametrize(
    ("command", "option", "value", "said"),
    [
        (
            "export",
            "--fields",
            "title,,quality",
            "--fields: names an empty field: a comma at an end, or two together",
        ),
        (
            "export",
            "--fields",
            "title,",
            "--fields: names an empty field: a comma at an end, or two together",
        ),
        (
            "list",
            "--columns",
            ",title",
            "--columns: names an empty field: a comma at an end, or two together",
        ),
        (
            "list",
            "--sort",
            "title,,date",
            "--sort: names an empty key: a comma at an end, or two together",
        ),
        ("list", "--sort", "title,date:desc,Title:asc", "--sort: Title: named twice"),
        ("export", "--sort", "quality,QUALITY", "--sort: QUALITY: named twice"),
    ],
)
def test_a_list_option_names_each_once_and_none_empty(
    command: str, option: str, value: str, said: str
) -> None:
    done = run_cli(command, str(SAMPLES), option, value)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith(f"newscli: error: {said}"), done.stderr
    assert done.stderr.count("\n") == 1


def test_a_sort_key_named_in_two_options_is_named_twice() -> None:
    done = run_cli("list", str(SAMPLES), "--sort", "title", "--sort", "title:desc")
    assert (done.returncode, done.stderr) == (
        2,
        "newscli: error: --sort: title: named twice; name each key once\n",
    )


def test_the_lists_that_are_right_still_work() -> None:
    done = run_cli(
        "export", str(SAMPLES), "--fields", " title , quality ", "--sort", "quality,title",
        "--limit", "1", "--format", "jsonl",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith('{"title":')


def test_columns_and_fields_repeat_as_sort_does() -> None:
    """h140 LOW: `--columns date --columns title` showed the title alone (a second
    --columns replaced the first), where `--sort` repeated adds its keys."""
    done = run_cli("list", str(SAMPLES), "--columns", "date", "--columns", "title,quality")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].split("\t") == ["date", "title", "quality"]
    done = run_cli(
        "export", str(SAMPLES), "--fields", "title", "--fields", "quality", "--format", "csv"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "title,quality"
    for command, option in (("list", "--columns"), ("export", "--fields")):
        done = run_cli(command, str(SAMPLES), option, "title", option, "")
        assert (done.returncode, done.stdout) == (2, "")
        assert done.stderr.startswith(f"newscli: error: {option}: names no field"), done.stderr
        done = run_cli(command, str(SAMPLES), option, "title", option, "title")
        assert done.returncode == 2
        assert done.stderr == (
            f"newscli: error: {option}: title: named twice; name each field once\n"
        )


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--same-story", "url,,related"), "--same-story: names an empty kind: a comma at an end"),
        (("--same-story", "related,"), "--same-story: names an empty kind: a comma at an end"),
        (("--same-story", "similar,similar"), "--same-story: similar: named twice"),
        (("--same-story", "url", "--same-story", "URL"), "--same-story: url: named twice"),
        (("--same-story", "url", "--same-story", ""), "--same-story: names no kind"),
        (("--same-story", "url", "--same-story", ","), "--same-story: names no kind"),
        (("--prefer-provider", ""), "--prefer-provider: an empty name"),
        (("--prefer-provider", "Reuters", "--prefer-provider", " "), "--prefer-provider: an empty"),
    ],
)
def test_story_options_name_each_once_and_none_empty(args: tuple[str, ...], said: str) -> None:
    """h143 LOW: --same-story took `url,,related` and `similar,similar`, and
    --prefer-provider '' was a note, where the config's prefer-providers refused it."""
    done = run_cli("clusters", str(SAMPLES), *args)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith(f"newscli: error: {said}"), done.stderr
    assert done.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("config", "said"),
    [
        ("same-story: [url, url]\n", "c.yaml: same-story: url: named twice"),
        ('same-story: "url,,related"\n', "c.yaml: same-story: names an empty kind: a comma"),
        ("presets:\n  p:\n    prefer-provider: [x, '']\n", "c.yaml: presets.p.prefer-provider: an"),
    ],
)
def test_the_config_and_a_preset_say_so_too(tmp_path: Path, config: str, said: str) -> None:
    (tmp_path / "c.yaml").write_text(config, encoding="utf-8")
    preset = ["--preset", "p"] if "presets:" in config else []
    done = run_cli("clusters", str(SAMPLES), "--config", "c.yaml", *preset, cwd=tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith(f"newscli: error: {said}"), done.stderr
