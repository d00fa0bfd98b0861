"""h110 MED: a `---` line followed by whitespace other than a blank or a tab (a form
feed, vertical tab, U+001C, NEL, U+2028, a no-break space) was a boundary to the loader,
`validate`, `list`, `export` and `set`, and none to `publish`, `unpublish` and
`export --mark-published`, which refused the file ("front matter is not terminated")
on every run. Each command now reads the boundary alike. Through the installed command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli

AFTER = ["\f", "\v", "\x1c", "\x85", "\u2028", "\u00a0"]


def _published_and_undone(article: Path, original: bytes, line: bytes) -> None:
    """validate takes the file, publish adds `published: true` after ``line`` and
    nothing else, and undo gives the bytes back."""
    article.write_bytes(original)
    assert run_cli("validate", str(article)).returncode == 0
    done = run_cli("publish", str(article))
    assert done.returncode == 0, done.stderr
    assert article.read_bytes() == original.replace(line, line + b"published: true\n")
    assert run_cli("undo").returncode == 0 and article.read_bytes() == original


@pytest.mark.parametrize("after", AFTER, ids=[f"U+{ord(c):04X}" for c in AFTER])
def test_every_command_reads_the_boundary_alike(tmp_path: Path, after: str) -> None:
    folder = tmp_path / "feeds"
    folder.mkdir()
    article = folder / "a.md"
    original = f"---{after}\ntitle: T\nquality: 5\n---{after}\nbody\n".encode()
    _published_and_undone(article, original, b"quality: 5\n")
    shipped = tmp_path / "out.json"
    done = run_cli("export", str(folder), "--unpublished", "--mark-published", "-o", str(shipped))
    assert done.returncode == 0, done.stderr
    assert [r["title"] for r in json.loads(shipped.read_text())] == ["T"]
    assert b"published: true" in article.read_bytes()
    done = run_cli("unpublish", str(article))
    assert done.returncode == 0, done.stderr
    assert b"published: false" in article.read_bytes()


@pytest.mark.parametrize("before", ["\u00a0\n", "\x1c\n", " \t\n\n"], ids=["nbsp", "fs", "blank"])
def test_a_blank_line_before_the_front_matter_is_blank_to_every_command(
    tmp_path: Path, before: str
) -> None:
    """h113 L1: a line of a no-break space or U+001C before the opening `---` was blank
    to `validate` and `set`, and not to `publish`, which refused the file."""
    article = tmp_path / "a.md"
    _published_and_undone(article, f"{before}---\ntitle: T\n---\n".encode(), b"title: T\n")
