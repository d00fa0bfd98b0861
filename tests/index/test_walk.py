"""newscli.index.walk: folders listed depth first in name order, links followed once."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

from newscli.index.cache_keys import unpack
from newscli.index.walk import identity, is_article_name, walk, walk_trees


def tree(root: Path) -> Path:
    for name in ["b.md", "a.MD", "c.markdown", "notes.txt", ".hidden.md", "md"]:
        (root / name).write_text(name)
    for folder in ["z", "y/deep", ".git", "x"]:
        (root / folder).mkdir(parents=True)
    (root / "z" / "one.md").write_text("1")
    (root / "y" / "deep" / "two.md").write_text("22")
    (root / ".git" / "three.md").write_text("333")
    return root


def folders(scanned: list) -> list[tuple[str, list[str]]]:
    return [(s[0], [f[0] for f in s[2]]) for s in scanned]


def test_identity_and_article_names() -> None:
    assert identity(5, 5, 42) == 42
    assert identity(5, 6, 42) == (6, 42)
    for name in ["a.md", "A.MD", "x.Markdown", "y.markdown"]:
        assert is_article_name(name), name
    for name in ["md", "a.mdx", "a.md.txt", "a.txt", "markdown"]:
        assert not is_article_name(name), name


def test_depth_first_in_name_order_hidden_skipped(tmp_path: Path) -> None:
    root = tree(tmp_path)
    device = os.stat(root).st_dev
    scanned = walk_trees([str(root)], device, set())
    assert folders(scanned) == [
        (str(root), ["a.MD", "b.md", "c.markdown"]),
        (str(root / "x"), []),
        (str(root / "y"), []),
        (str(root / "y" / "deep"), ["two.md"]),
        (str(root / "z"), ["one.md"]),
    ]
    top = scanned[0]
    info = os.stat(root / "b.md")
    assert top[1] == (info.st_dev, os.stat(root).st_ino)
    assert top[2][1] == ("b.md", info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
    assert top[3] is None  # plain files only: each one's inode is its identity
    assert top[4] == [] and top[5] is None


def test_special_files_broken_links_and_loops(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.md").write_text("a")
    os.mkfifo(tmp_path / "fifo.md")
    (tmp_path / "broken.md").symlink_to(tmp_path / "missing.md")
    (tmp_path / "sub" / "loop").symlink_to(tmp_path)
    (tmp_path / "same.md").symlink_to(tmp_path / "sub" / "a.md")
    scanned = walk_trees([str(tmp_path)], os.stat(tmp_path).st_dev, set())
    top = scanned[0]
    assert [f[0] for f in top[2]] == ["same.md"]  # no FIFO; a link is listed as its target
    assert sorted(top[4]) == ["broken.md", "fifo.md"]  # reported: broken, not a regular file
    assert [s[0] for s in scanned] == [str(tmp_path), str(tmp_path / "sub")]  # loop cut


def test_an_unreadable_folder_is_reported_not_fatal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (tmp_path / "ok.md").write_text("x")
    real = os.scandir
    place = os.stat(locked)

    def scandir(target: Any) -> Any:
        info = os.fstat(target) if isinstance(target, int) else os.stat(target)
        if (info.st_dev, info.st_ino) == (place.st_dev, place.st_ino):
            raise PermissionError(13, "Permission denied")
        return real(target)

    monkeypatch.setattr(os, "scandir", scandir)
    scanned = walk_trees([str(tmp_path)], os.stat(tmp_path).st_dev, set())
    assert scanned[0][2][0][0] == "ok.md"
    why = "cannot read folder: Permission denied"
    assert scanned[1] == (str(locked), None, [], None, [], why, None)


def test_the_two_process_walk_equals_the_one_process_walk(tmp_path: Path) -> None:
    for i in range(6):
        sub = tmp_path / f"d{i}" / "inner"
        sub.mkdir(parents=True)
        (sub / f"f{i}.md").write_text("x" * i)
        (tmp_path / f"d{i}" / "top.md").write_text("t")
    (tmp_path / "d5" / "back").symlink_to(tmp_path / "d0")  # a link between the halves
    device = os.stat(tmp_path).st_dev
    alone = walk(str(tmp_path), device, parallel=False)
    both = walk(str(tmp_path), device, parallel=True)
    assert [(*s[:2], unpack(s[2]), *s[3:]) for s in both] == alone  # the helper's come packed
    # with something to do meanwhile, this process walks fewer of the subfolders
    calls: list[int] = []
    other = walk(str(tmp_path), device, parallel=True, meanwhile=lambda: calls.append(1))
    assert [(*s[:2], unpack(s[2]), *s[3:]) for s in other] == alone and calls == [1]
    assert len(alone) == 1 + 6 * 2


def test_a_folder_the_helper_meets_twice_is_walked_here_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The helper walks its parts last first: a folder it meets twice would be the later
    part's in its walk, the earlier's in the one-process walk. Its part is walked here
    again, in order."""
    import newscli.index.walk as walk_module

    for name in "abc":
        (tmp_path / name / "deep").mkdir(parents=True)
        (tmp_path / name / f"{name}.md").write_text(name)
    (tmp_path / "a" / "deep" / "x.md").write_text("x")
    (tmp_path / "c" / "also").symlink_to(tmp_path / "a" / "deep")  # met from a, then c
    device = os.stat(tmp_path).st_dev
    alone = walk(str(tmp_path), device, parallel=False)
    walked_here: list[list[str]] = []
    real = walk_module.walk_trees
    here = os.getpid()

    def walk_trees(starts: list[str], *args: object) -> object:
        if os.getpid() == here:
            walked_here.append(starts)
        return real(starts, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(walk_module, "walk_trees", walk_trees)
    # busy meanwhile: the helper takes every part (c, b, then a: a/deep met again)
    both = walk(str(tmp_path), device, parallel=True, meanwhile=lambda: time.sleep(0.5))
    assert [(*s[:2], unpack(s[2]), *s[3:]) for s in both] == alone
    assert walked_here == [[str(tmp_path / name) for name in "abc"]]
    assert not [s for s in alone if s[0].endswith("also")]  # (a/deep is a's, not c's)
