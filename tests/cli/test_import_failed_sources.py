"""An import whose every source fails writes nothing at all: no --into folder (a typo
would leave one behind), no lock file; exit 1. Installed command."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli


def test_every_source_failing_leaves_no_folder(tmp_path: Path) -> None:
    result = run_cli("import", "missing.xml", "--into", "typo", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("newscli: error: missing.xml: ")
    assert not (tmp_path / "typo").exists()
