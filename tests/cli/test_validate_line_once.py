"""h153 LOW: `validate` gave a YAML error's line twice, `a.md:2: ... (line 2, column 8)`:
its lines begin `PATH:LINE:`, so the reason keeps only the column; other commands,
whose lines begin `PATH:`, keep the whole place. Installed command."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli, write


def test_validate_says_the_line_once(tmp_path: Path) -> None:
    write(tmp_path / "a.md", "---\ntitle: &a x\nexcerpt: *a\n---\n")
    write(tmp_path / "b.md", "---\ntitle: [unclosed\n---\n")
    checked = run_cli("validate", ".", "--no-cache", cwd=tmp_path)
    assert checked.returncode == 1
    lines = checked.stdout.splitlines()
    assert lines[0] == "./a.md:2: YAML anchors are not allowed (&a) (column 8)"
    assert lines[1].startswith("./b.md:3: invalid YAML: ") and "line 3" not in lines[1]
    listed = run_cli("list", ".", "--no-cache", cwd=tmp_path)
    assert "./a.md: YAML anchors are not allowed (&a) (line 2, column 8)" in listed.stderr


def test_a_value_that_reads_like_a_place_is_quoted_as_it_is(tmp_path: Path) -> None:
    """h154: the place was taken out wherever it was in the reason, a quoted value too."""
    write(tmp_path / "q.md", '---\ntitle: x\nquality: "x (line 3, column 9)"\n---\n')
    checked = run_cli("validate", ".", "--no-cache", cwd=tmp_path)
    assert checked.stdout.splitlines()[0] == (
        "./q.md:3: quality: expected an integer, got string 'x (line 3, column 9)'"
    )
