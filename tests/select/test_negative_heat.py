"""h43: a heat below -1 (the README: any 64-bit integer; only -1 means unknown) was
shown and exported as a value but taken for missing by --where, --min-heat/--max-heat
and the table. Installed command, with and without the cache."""

from __future__ import annotations

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
