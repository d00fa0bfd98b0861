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


def test_an_empty_source_is_named_as_two_quotes(tmp_path: Path) -> None:
    """It was `newscli: error: : no such file` (h22), as an empty PATH was before."""
    (tmp_path / "ok.xml").write_text(
        '<rss version="2.0"><channel><title>C</title><item><title>T</title>'
        "<link>https://a.example/1</link></item></channel></rss>",
        encoding="utf-8",
    )
    result = run_cli("import", "", "ok.xml", "--into", "feeds", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == "newscli: error: '': no such file"
    assert len(list((tmp_path / "feeds").rglob("*.md"))) == 1
