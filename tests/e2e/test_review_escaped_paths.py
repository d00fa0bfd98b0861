"""h116 MED: `review`'s page of invalid files (`i`) and its status line dropped a file
name's escape sequence, so they named another file: `inv<ESC>[31m.md` was shown as
`inv.md`, the file beside it. They now write such a name escaped (`inv\\x1b[31m.md`),
as every other command does. Through the installed command in a pseudo-terminal."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from terminal_helpers import read_until, review_in_terminal


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_invalid_files_page_names_each_file(tmp_path: Path) -> None:
    folder = tmp_path / "n1"
    folder.mkdir()
    (folder / "inv\x1b[31m.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    (folder / "inv.md").write_text("no front matter\n", encoding="utf-8")
    (folder / "ok.md").write_text("---\ntitle: ok\nquality: 90\n---\n", encoding="utf-8")
    with review_in_terminal(tmp_path, "n1", "--no-cache") as (_, leader):
        read_until(leader, lambda seen: b"to do" in seen)
        os.write(leader, b"i")
        seen = read_until(leader, lambda s: b"n1/inv\\x1b[31m.md" in s and b"n1/inv.md" in s)
        os.write(leader, b"q")
    assert b"inv\x1b[31m" not in seen  # (never the raw sequence)


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_the_status_line_names_a_gone_file_escaped(tmp_path: Path) -> None:
    folder = tmp_path / "n2"
    folder.mkdir()
    gone = folder / "c\x1b[31mY.md"
    gone.write_text("---\ntitle: c\nquality: 90\n---\n", encoding="utf-8")
    with review_in_terminal(tmp_path, "n2", "--no-cache") as (_, leader):
        read_until(leader, lambda seen: b"to do" in seen)
        gone.unlink()
        os.write(leader, b"p")
        seen = read_until(leader, lambda s: b"is gone" in s)
        os.write(leader, b"q")
    assert b"n2/c\\x1b[31mY.md is gone" in seen, seen[-3000:]
