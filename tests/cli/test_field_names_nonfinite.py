"""h38: a field whose every value is .nan or out of range (null in the export) is one
`newscli fields` lists, so --fields and --columns take it (they said "unknown").
Installed command."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli, write


def test_a_field_only_ever_not_finite_is_a_field(tmp_path: Path) -> None:
    write(tmp_path / "js" / "a.md", "---\ntitle: a\nscore: .nan\nratio: 1.0e+400\n---\n")
    listed = run_cli("fields", "js", "--format", "tsv", cwd=tmp_path)
    assert "score\t" in listed.stdout and "ratio\t" in listed.stdout
    columns = run_cli("list", "js", "--columns", "title,score,ratio", "--format", "tsv",
                      cwd=tmp_path)  # fmt: skip
    assert (columns.returncode, columns.stdout) == (0, "title\tscore\tratio\na\t\t\n")
    fields = run_cli("export", "js", "--fields", "title,score", cwd=tmp_path)
    assert fields.returncode == 0 and '{"title":"a","score":null}' in fields.stdout
    typo = run_cli("list", "js", "--columns", "title,scor", cwd=tmp_path)
    assert typo.returncode == 2 and "did you mean 'score'?" in typo.stderr
