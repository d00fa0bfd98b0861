"""A symbolic link and a hard link in a feed folder naming one file outside it (h98:
with the hard link met first, the link was no other name: `publish` replaced the hard
link's file alone, the link's target kept the old bytes, and the article was listed
again as unpublished; the target's folder was not locked either). Both orders of the
names, through the installed command."""

from __future__ import annotations

import fcntl
import os
import subprocess
from pathlib import Path

import pytest
from conftest import installed_command, run_cli

TEXT = "---\ntitle: One file\npublished: false\n---\nBody.\n"


def _tree(tmp_path: Path, link_name: str, hard_name: str) -> tuple[Path, Path]:
    feeds, other = tmp_path / "feeds", tmp_path / "other"
    feeds.mkdir()
    other.mkdir()
    target = other / "a.md"
    target.write_text(TEXT, encoding="utf-8")
    (feeds / link_name).symlink_to("../other/a.md")
    os.link(target, feeds / hard_name)
    return feeds, target


@pytest.mark.parametrize(("link_name", "hard_name"), [("link.md", "hard.md"), ("a.md", "z.md")])
def test_an_edit_keeps_the_names_one_file(tmp_path: Path, link_name: str, hard_name: str) -> None:
    feeds, target = _tree(tmp_path, link_name, hard_name)
    listed = run_cli("list", str(feeds), "--format", "tsv")
    assert listed.stdout.count("\n") == 2  # (the header and one article)
    done = run_cli("publish", str(feeds), "--all")
    assert (done.returncode, done.stderr) == (0, "newscli: changed 1, already true 0, refused 0\n")
    assert os.path.samefile(target, feeds / hard_name)
    assert target.read_text(encoding="utf-8") == TEXT.replace("false", "true")
    left = run_cli("list", str(feeds), "--unpublished", "--format", "tsv")
    assert (left.returncode, left.stdout.count("\n")) == (0, 1)  # (the header alone)
    undone = run_cli("undo")
    assert undone.returncode == 0, undone.stderr
    assert os.path.samefile(target, feeds / hard_name)
    assert target.read_text(encoding="utf-8") == TEXT


def test_both_folders_walked_say_nothing_left_alone(tmp_path: Path) -> None:
    feeds, target = _tree(tmp_path, "link.md", "hard.md")
    done = run_cli("publish", str(feeds), str(target.parent), "--all")
    assert (done.returncode, done.stderr) == (0, "newscli: changed 1, already true 0, refused 0\n")
    assert os.path.samefile(target, feeds / "hard.md")


def test_the_targets_folder_is_locked(tmp_path: Path) -> None:
    feeds, target = _tree(tmp_path, "link.md", "hard.md")
    fd = os.open(target.parent / ".newscli.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        done = subprocess.run(
            [str(installed_command()), "set", "note=x", str(feeds), "--all"],
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        os.close(fd)
    assert done.returncode == 3
    assert f"another newscli run is editing {target.parent}" in done.stderr
    assert target.read_text(encoding="utf-8") == TEXT
    assert os.path.samefile(target, feeds / "hard.md")
