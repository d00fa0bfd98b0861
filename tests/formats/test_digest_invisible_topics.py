"""A topic that cleaning leaves empty (an escape sequence alone, blanks) is no section of
the Markdown digest or the HTML newsletter, as it is no feed's tag (h99 LOW: an empty
`## ` heading)."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli


def test_no_empty_section(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text('---\ntitle: T1\ntopics: ["\\x9b31m"]\n---\n', "utf-8")
    (tmp_path / "b.md").write_text('---\ntitle: T2\ntopics: ["  ", AI]\n---\n', "utf-8")
    done = run_cli("export", str(tmp_path), "--format", "markdown", "--no-cache")
    assert done.returncode == 0, done.stderr
    headings = [line for line in done.stdout.splitlines() if line.startswith("## ")]
    assert headings == ["## AI", "## Other"]
    assert done.stdout.index("**T1**") > done.stdout.index("## Other")
