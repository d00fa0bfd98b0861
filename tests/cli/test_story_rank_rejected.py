"""A rejected article ranks after the other articles of its story (h93 LOW): it kept
`story.rank` 1 while --dedupe represented the story by another article, so the README's
`--where 'story.rank = 1'` dropped a story with no filter of the user's; and with
--include-rejected, --dedupe kept the rejected article. Through the installed command,
warm (ranked from the cache's rows) and --no-cache."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli, write

URL = "https://harbor.example/2025/03/chip-rules"


def _article(title: str, quality: int, url: str, rejected: bool = False) -> str:
    flag = "rejected: true\n" if rejected else ""
    return (
        f'---\ntitle: "{title}"\npublishedDateTime: 2025-03-14T09:00:00Z\nwebUrl: {url}\n'
        f"quality: {quality}\n{flag}---\nBody.\n"
    )


@pytest.mark.parametrize("cache", ["warm", "--no-cache"])
def test_a_rejected_article_never_ranks_first(tmp_path: Path, cache: str) -> None:
    feeds = tmp_path / "feeds"
    write(feeds / "best.md", _article("Chip rules tighten", 95, URL, rejected=True))
    write(feeds / "next.md", _article("Chip rules tighten again", 50, URL + "?utm_source=x"))
    write(feeds / "alone.md", _article("Harbour reopens", 70, "https://harbor.example/open"))
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    extra = [] if cache == "warm" else [cache]
    if cache == "warm":
        assert run_cli("list", "feeds", cwd=tmp_path, env=env).returncode == 0

    def rows(*args: str) -> list[list[str]]:
        done = run_cli("list", "feeds", "--format", "tsv", *args, *extra, cwd=tmp_path, env=env)
        assert done.returncode == 0, done.stderr
        return [line.split("\t") for line in done.stdout.splitlines()[1:]]

    columns = ["--columns", "path,story.size,story.rank"]
    assert rows("--where", "story.rank = 1", *columns, "--sort", "title") == [
        ["feeds/next.md", "2", "1"],
        ["feeds/alone.md", "1", "1"],
    ]
    every = rows("--include-rejected", *columns, "--sort", "story.rank,title")
    assert ["feeds/best.md", "2", "2"] in every
    kept = rows("--include-rejected", "--dedupe", *columns, "--sort", "title")
    assert kept == [["feeds/next.md", "2", "1"], ["feeds/alone.md", "1", "1"]]
