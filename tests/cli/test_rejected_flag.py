"""h36: `rejected` is newscli's own flag, a boolean as `published` is: `set
rejected=true` writes `true` (it wrote the text "true", which rejected nothing), and a
file whose `rejected:` is not true, false or null is invalid, said on stderr. Installed
command."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli, write


def test_set_rejected_writes_a_boolean_that_rejects(tmp_path: Path) -> None:
    path = write(tmp_path / "r.md", "---\ntitle: t\n---\n")
    result = run_cli("set", "rejected=true", "r.md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert path.read_text(encoding="utf-8") == "---\ntitle: t\nrejected: true\n---\n"
    assert run_cli("list", "r.md", "--format", "tsv", "-q", cwd=tmp_path).stdout.count("\n") == 1
    rejected = run_cli("list", "r.md", "--rejected", "--format", "tsv", "-q", cwd=tmp_path)
    assert rejected.stdout.count("\n") == 2  # the header and the file
    refused = run_cli("set", "rejected=maybe", "r.md", cwd=tmp_path)
    assert refused.returncode == 2 and "expected true or false" in refused.stderr


def test_a_rejected_field_of_another_type_is_invalid(tmp_path: Path) -> None:
    for value in ('"true"', "1", "[x]"):
        write(tmp_path / "f" / "a.md", f"---\ntitle: t\nrejected: {value}\n---\n")
        result = run_cli("validate", "f", cwd=tmp_path)
        assert result.returncode == 1, (value, result.stdout)
        assert (
            "a.md" in result.stdout + result.stderr and "rejected" in result.stdout + result.stderr
        )
    write(tmp_path / "f" / "a.md", "---\ntitle: t\nrejected: null\n---\n")
    assert run_cli("validate", "f", cwd=tmp_path).returncode == 0
