"""`newscli clusters --limit/--offset`: each story keeps its number in the whole list
(page 2 goes on from page 1), in every format."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli, write

# Three stories of two articles (one URL each, newest story first: c, b, a).
DAYS = {"a": 10, "b": 11, "c": 12}


def _corpus(tmp_path: Path) -> Path:
    for story, day in DAYS.items():
        for n in (1, 2):
            write(
                tmp_path / "feeds" / f"{story}{n}.md",
                f'---\ntitle: "{story.upper()} {n}"\n'
                f"publishedDateTime: 2025-03-{day}T0{n}:00:00Z\n"
                f'webUrl: "https://news.example/{story}"\n---\n',
            )
    return tmp_path


def _clusters(folder: Path, *args: str) -> str:
    done = run_cli("clusters", "feeds", "--no-cache", *args, cwd=folder)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_later_page_numbers_stories_by_their_place_in_the_whole_list(
    tmp_path: Path,
) -> None:
    folder = _corpus(tmp_path)
    page = ("--limit", "2", "--offset", "1")
    whole = json.loads(_clusters(folder, "--format", "json"))
    assert [(s["story"], Path(s["kept"]).stem[0]) for s in whole] == [(1, "c"), (2, "b"), (3, "a")]
    shown = json.loads(_clusters(folder, *page, "--format", "json"))
    assert [(s["story"], Path(s["kept"]).stem[0]) for s in shown] == [(2, "b"), (3, "a")]
    lines = _clusters(folder, *page, "--format", "jsonl").splitlines()
    assert [json.loads(line)["story"] for line in lines] == [2, 3]
    rows = [line.split("\t") for line in _clusters(folder, *page, "--format", "tsv").splitlines()]
    assert [(row[0], Path(row[7]).stem[0]) for row in rows[1:]] == [
        ("2", "b"), ("2", "b"), ("3", "a"), ("3", "a"),
    ]  # fmt: skip
    table = _clusters(folder, *page, "--format", "table")
    numbers = [line.split()[0] for line in table.splitlines() if "★" in line]
    assert numbers == ["2", "3"], table
