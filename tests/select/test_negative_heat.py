"""h43: a heat below -1 (the README: any 64-bit integer; only -1 means unknown) was
shown and exported as a value but taken for missing by --where, --min-heat/--max-heat
and the table. Installed command, with and without the cache."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import run_cli, write


@pytest.mark.parametrize("cache", [[], ["--no-cache"]])
def test_only_minus_one_is_unknown_heat(tmp_path: Path, cache: list[str]) -> None:
    feeds = tmp_path / "feeds"
    for name, heat in (("cold", -5), ("unknown", -1), ("warm", 7)):
        write(feeds / f"{name}.md", f"---\ntitle: {name}\nheat: {heat}\n---\n")
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}

    def titles(*args: str) -> list[str]:
        run = run_cli("list", str(feeds), *cache, "--format", "tsv", "--columns", "title",
                      *args, env=env)  # fmt: skip
        assert run.returncode in (0, 4), run.stderr
        return sorted(run.stdout.split()[1:])  # (after the header)

    assert titles("--where", "heat = -5") == ["cold"]
    assert titles("--max-heat", "0") == ["cold"]
    assert titles("--min-heat", "0") == ["warm"]
    assert titles("--min-heat", "-10") == ["cold", "warm"]  # (h48: a bound below 0 was refused)
    assert titles("--min-heat", "-1", "--max-heat", "-1") == []  # -1 is unknown: never passes
    assert titles("--where", "heat = null") == ["unknown"]
    table = run_cli("list", str(feeds), *cache, "--format", "tsv", "--columns", "title,heat",
                    env=env)  # fmt: skip
    assert sorted(table.stdout.splitlines()[1:]) == ["cold\t-5", "unknown\t-1", "warm\t7"]
    assert os.path.isdir(tmp_path / "cache") != bool(cache)


@pytest.mark.parametrize("cache", [[], ["--no-cache"]])
def test_dedupe_and_rank_put_a_known_negative_heat_before_an_unknown_one(
    tmp_path: Path, cache: list[str]
) -> None:
    """h54: the article of unknown heat was rank 1 and kept by --dedupe over one of heat
    -5, while --sort heat put the unknown last."""
    feeds = tmp_path / "feeds"
    for name, heat in (("a", "heat: -5\n"), ("b", ""), ("c", "heat: -1\n")):
        url = f"https://shared.example/crane?utm_source={name}"
        write(feeds / f"{name}.md", f'---\ntitle: "Harbour crane collapse injures two"\n{heat}'
              f"webUrl: {url}\nquality: 70\n---\n")  # fmt: skip
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    for _ in range(2):  # cold, then warm
        ranks = run_cli("list", str(feeds), *cache, "--format", "tsv", "--columns",
                        "path,story.rank", env=env)  # fmt: skip
        rank = dict(line.split("\t") for line in ranks.stdout.splitlines()[1:])
        # a known heat first; the two unknown (none, -1) by path
        assert [rank[str(feeds / n)] for n in ("a.md", "b.md", "c.md")] == ["1", "2", "3"]
        kept = run_cli("export", str(feeds), *cache, "--dedupe", "--format", "jsonl",
                       "--fields", "path", env=env)  # fmt: skip
        assert [json.loads(line)["path"] for line in kept.stdout.splitlines()] == [
            str(feeds / "a.md")
        ]
