"""story.id of a story whose articles have no URL does not depend on how the folder is
named: relative, with ./ and a trailing slash, absolute, from a subfolder (new-user
pass: the id was made of the path as written). Cold and warm, the whole articles'
values (export) and the cached ones (`list --where`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import article_text, run_cli, write

TITLES = {
    "a.md": "Fed's Plosser sees high bar for change in taper pace",
    "b.md": "UPDATE 1-Fed's Plosser sees high bar for change in taper pace",
    "c.md": "Bitcoin exchange Mt. Gox files for bankruptcy protection",
}


def _ids(cwd: Path, folder: str, *extra: str) -> dict[str, str]:
    result = run_cli(
        "export", folder, "--fields", "title,story.id,story.size", "-f", "jsonl", *extra, cwd=cwd
    )
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    return {row["title"]: row["story.id"] for row in rows}


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_a_story_without_urls_has_one_id_however_its_folder_is_named(tmp_path: Path) -> None:
    for name, title in TITLES.items():
        write(tmp_path / "feeds" / name, article_text(title=title, date="2014-03-10T10:00:00Z"))
    (tmp_path / "sub").mkdir()
    spellings = [
        (tmp_path, "feeds"),
        (tmp_path, "./feeds/"),
        (tmp_path, str(tmp_path / "feeds")),
        (tmp_path / "sub", "../feeds"),
    ]
    first = _ids(*spellings[0])
    assert first[TITLES["a.md"]] == first[TITLES["b.md"]] != first[TITLES["c.md"]]  # joined
    for cwd, folder in spellings:
        assert _ids(cwd, folder) == first, folder  # warm after the first
        assert _ids(cwd, folder, "--no-cache") == first, folder
        story = first[TITLES["a.md"]]
        where = run_cli(
            "list", folder, "--where", f'story.id = "{story}"', "--columns", "title", cwd=cwd
        )
        assert where.returncode == 0, where.stderr
        assert sorted(where.stdout.splitlines()[1:]) == sorted([TITLES["a.md"], TITLES["b.md"]])
