"""A front-matter key that begins with a letter outside ASCII (`タイトル`, `émission`,
`nested.日本`) is a field `newscli fields` lists and `--columns` takes; `--where`
refused it as "unexpected character" (its names had to begin with A-Z or _, though
`tタイトル` was taken: h22's new-user pass). Run through the installed command."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli, write

ARTICLE = """---
title: {title}
タイトル: {value}
émission: {value}
nested:
  日本:
    深: {number}
---
"""


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    write(tmp_path / "f" / "a.md", ARTICLE.format(title="First", value="東京", number=1))
    write(tmp_path / "f" / "b.md", ARTICLE.format(title="Second", value="大阪", number=2))
    return tmp_path / "f"


@pytest.mark.parametrize(
    ("expression", "titles"),
    [
        ('タイトル = "東京"', ["First"]),
        ('émission != "東京"', ["Second"]),
        ("nested.日本.深 >= 2", ["Second"]),
        ('タイトル in ["東京", "大阪"] and not nested.日本.深 > 1', ["First"]),
    ],
)
@pytest.mark.parametrize("cache", [[], ["--no-cache"]])
def test_where_names_a_field_beginning_with_any_letter(
    folder: Path, expression: str, titles: list[str], cache: list[str]
) -> None:
    done = run_cli("list", str(folder), "--where", expression, "--columns", "title", *cache)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1:] == titles


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_every_field_fields_lists_is_one_where_takes(folder: Path) -> None:
    listed = run_cli("fields", str(folder), "--format", "tsv")
    names = [line.split("\t")[0] for line in listed.stdout.splitlines()[1:]]
    assert {"タイトル", "émission", "nested.日本.深"} <= set(names)
    for name in names:
        done = run_cli("list", str(folder), "--where", f"{name} = null", "--columns", "title")
        assert done.returncode == 0, (name, done.stderr)


def test_a_misspelt_one_is_still_an_unknown_field(folder: Path) -> None:
    done = run_cli("list", str(folder), "--where", 'タイトルx = "x"')
    assert done.returncode == 2
    assert "unknown field 'タイトルx'; did you mean 'タイトル'?" in done.stderr
