"""h60: a blank provider name (or one with spaces around it) sorted and counted as the
domain or trimmed name, but the list table showed a blank cell (or the spaces)."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli, write


def test_the_table_shows_the_provider_as_it_sorts_and_counts(tmp_path: Path) -> None:
    write(tmp_path / "f" / "a.md", '---\ntitle: Blank name\nprovider:\n  name: "  "\n'
          "  domain: zed.example\n---\n")  # fmt: skip
    write(tmp_path / "f" / "b.md", '---\ntitle: Spaced name\nprovider:\n  name: " Reuters "\n---\n')
    run = run_cli("list", "f", "--format", "table", "--sort", "provider", cwd=tmp_path,
                  env={"COLUMNS": "120"})  # fmt: skip
    rows = [line for line in run.stdout.splitlines() if "name" in line]
    assert [("Reuters" in r, "zed.example" in r) for r in rows] == [(True, False), (False, True)]
    stats = run_cli("stats", "f", "--format", "tsv", cwd=tmp_path).stdout
    assert "providers\tReuters\t1" in stats and "providers\tzed.example\t1" in stats
