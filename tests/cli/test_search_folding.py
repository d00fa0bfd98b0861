"""--search folds case as --match's IGNORECASE does for a Turkish capital I (h99 LOW:
"İstanbul" casefolds to "i" + U+0307, so `--search istanbul` found none of it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli


@pytest.mark.parametrize("needle", ["istanbul", "İSTANBUL", "İstanbul", "ISTANBUL"])
def test_search_finds_istanbul(tmp_path: Path, needle: str) -> None:
    (tmp_path / "a.md").write_text("---\ntitle: İstanbul news\n---\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("---\ntitle: Ankara news\n---\n", encoding="utf-8")
    done = run_cli("list", str(tmp_path), "--search", needle, "--format", "tsv", "--no-cache")
    assert done.returncode == 0, done.stderr
    assert [line.split("\t")[-1] for line in done.stdout.splitlines()[1:]] == [
        str(tmp_path / "a.md")
    ]
