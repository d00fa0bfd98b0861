"""h116 MED: a file edited, then moved and a symbolic link made at its name: `undo`
replaced the link with a regular file holding the old bytes, and the real file kept
the edited ones (the user's link gone, two names, two versions). Undo now follows the
link, as an edit does: the link stays, its target is restored. Through the installed
command."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import REPO, run_cli


@pytest.mark.parametrize("elsewhere", [False, True], ids=["beside", "other-folder"])
def test_undo_follows_a_link_made_since(tmp_path: Path, elsewhere: bool) -> None:
    folder = tmp_path / "g3"
    folder.mkdir()
    shutil.copy(REPO / "sample_feeds" / "sleep-study.md", folder / "a.md")
    original = (folder / "a.md").read_bytes()
    env = {"NEWSCLI_STATE_DIR": str(tmp_path / "state")}
    assert run_cli("set", "quality=3", "g3/a.md", cwd=tmp_path, env=env).returncode == 0
    real = (tmp_path / "kept" / "real.md") if elsewhere else folder / "real.md"
    real.parent.mkdir(exist_ok=True)
    os.rename(folder / "a.md", real)
    (folder / "a.md").symlink_to(os.path.relpath(real, folder))
    done = run_cli("undo", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert "g3/a.md: restored" in done.stdout
    assert (folder / "a.md").is_symlink()
    assert real.read_bytes() == original


def test_undo_names_the_link_the_edit_was_given(tmp_path: Path) -> None:
    """h130 LOW (h124 LOW before it): the edit said `g/link.md: quality ...`, and undo
    `tgt/real.md: restored`. Undo names the link while it still leads to the file it
    restores, else the file."""
    (tmp_path / "g").mkdir()
    (tmp_path / "tgt").mkdir()
    shutil.copy(REPO / "sample_feeds" / "sleep-study.md", tmp_path / "tgt" / "real.md")
    original = (tmp_path / "tgt" / "real.md").read_bytes()
    (tmp_path / "g" / "link.md").symlink_to("../tgt/real.md")
    env = {"NEWSCLI_STATE_DIR": str(tmp_path / "state")}
    edit = run_cli("set", "quality=3", "g/link.md", cwd=tmp_path, env=env)
    assert edit.stdout.startswith("g/link.md: quality ")
    done = run_cli("undo", cwd=tmp_path, env=env)
    assert (done.returncode, done.stdout) == (0, "g/link.md: restored\n")
    assert (tmp_path / "tgt" / "real.md").read_bytes() == original
    assert run_cli("set", "quality=4", "g/link.md", cwd=tmp_path, env=env).returncode == 0
    (tmp_path / "g" / "link.md").unlink()  # (the link gone: the file is named)
    done = run_cli("undo", cwd=tmp_path, env=env)
    assert (done.returncode, done.stdout) == (0, "tgt/real.md: restored\n")
    assert (tmp_path / "tgt" / "real.md").read_bytes() == original
