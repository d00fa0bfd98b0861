"""h123 MED: `set` on a field whose key is written `1:` or `true:` (the keys 1 and True
to YAML, named "1" and "true" in the export and by `fields`) stopped with "internal
error: TypeError", and `unset 1` or `unset 0` left the line in place while saying the
file changed. A field name now names such a key. Through the installed command; every
other byte of the file is kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli


@pytest.mark.parametrize(
    ("text", "args", "after"),
    [
        ("1: one\n", ["set", "1=N1"], "1: N1\n"),
        ("true: t\n", ["set", "true=x"], "true: x\n"),
        ('1: one\n"true": s\n', ["set", "1=N1"], '1: N1\n"true": s\n'),
        ("1: one\ntrue: t\n0: zero\nfalse: f\nkeep: k\n", ["unset", "1", "true", "0", "false"],
         "keep: k\n"),
    ],
    ids=["set-1", "set-true", "set-1-beside-true", "unset"],
)  # fmt: skip
def test_fields_named_by_numbers_and_booleans(
    tmp_path: Path, text: str, args: list[str], after: str
) -> None:
    path = tmp_path / "a.md"
    path.write_text(f"---\ntitle: M\n{text}---\nBody\n", encoding="utf-8")
    done = run_cli(*args, "a.md", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "internal error" not in done.stderr
    assert path.read_text(encoding="utf-8") == f"---\ntitle: M\n{after}---\nBody\n"
    valid = run_cli("validate", "a.md", cwd=tmp_path)
    assert valid.returncode == 0, valid.stdout
