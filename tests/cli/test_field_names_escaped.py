"""A field name holding a control character is written as its escapes wherever it is a
name, as --fields' hints name it (h99 LOW: `evil<ESC>key` was `eviley` in the `fields`
TSV and in CSV and TSV headers, a field no --fields knows)."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli


def test_the_name_is_written_as_escapes(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text('---\ntitle: T\n"evil\\x1bkey": 1\n---\n', encoding="utf-8")
    listed = run_cli("fields", str(tmp_path), "--no-cache", "--format", "tsv")
    assert listed.stdout.splitlines()[-1] == "evil\\x1bkey\tinteger\tfound in the files"
    for form in ("csv", "tsv"):
        header = run_cli("export", str(tmp_path), "--format", form, "--no-cache").stdout
        assert header.splitlines()[0].endswith(
            "secured" + (",", "\t")[form == "tsv"] + "evil\\x1bkey"
        )
    hint = run_cli("export", str(tmp_path), "--fields", "eviley", "--no-cache").stderr
    assert "did you mean 'evil\\x1bkey'?" in hint
