"""h37: a file the walk listed and deleted or renamed before it was read (an editor's
atomic rename, a cleanup during a run) is simply not there: no "cannot read: No such
file or directory" problem (hundreds during concurrent edits, and --strict failed the
run). A file that cannot be read for another reason, or a link to nothing, still is
one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import article_text, write

import newscli.index.loader as loader
from newscli.index.loader import load_paths


def test_a_file_gone_before_its_read_is_no_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("a.md", "gone.md", "b.md"):
        write(tmp_path / "feeds" / name, article_text(title=name))
    os.symlink("nowhere.md", tmp_path / "feeds" / "dangling.md")
    real = loader.read_text

    def vanishing(path: str) -> str:
        if path.endswith("gone.md"):
            os.unlink(path)  # deleted between the walk and the read
        return real(path)

    monkeypatch.setattr(loader, "read_text", vanishing)
    loaded = load_paths([str(tmp_path / "feeds")])
    assert sorted(a.title for a in loaded.articles) == ["a.md", "b.md"]
    assert [(Path(p.path).name, p.reason) for p in loaded.problems] == [
        ("dangling.md", "cannot read: broken symbolic link")
    ]
