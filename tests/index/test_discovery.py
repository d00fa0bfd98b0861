"""Finding article files: each once, in order, the same whether one process or two
look them up."""

import os
from pathlib import Path

import pytest
from conftest import article_text, write

from newscli.index import walk
from newscli.index.discovery import Folder, scan


def listing(
    paths: list[str], parallel: bool = False
) -> tuple[list[tuple[str, list[str]]], list[tuple[str, str]]]:
    problems: list = []
    groups = scan(paths, problems, parallel)
    named = [(g.shown, [f[0] for f in g.files]) for g in groups if isinstance(g, Folder)]
    return named, [(p.path, p.reason) for p in problems]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "feeds"
    for rel in ["b.md", "a.MD", "sub/c.md", "sub/deep/d.markdown", "x.md/inside.md", "z.md"]:
        write(root / rel, article_text())
    os.link(root / "b.md", root / "sub" / "hard.md")  # the same file twice
    os.symlink(root / "z.md", root / "sub" / "alias.md")
    os.symlink(root / "missing.md", root / "sub" / "broken.md")
    os.symlink(root, root / "sub" / "loop")
    os.mkfifo(root / "pipe.md")
    write(root / ".hidden.md", article_text())
    write(root / "notes.txt", "not an article")
    return root


def test_each_file_once_in_name_order(tree: Path) -> None:
    named, problems = listing([str(tree)])
    shown = str(tree) + os.sep
    assert named == [
        (shown, ["a.MD", "b.md", "z.md"]),
        (shown + "sub/", ["c.md"]),  # hard.md is b.md again, alias.md is z.md
        (shown + "sub/deep/", ["d.markdown"]),
        (shown + "x.md/", ["inside.md"]),  # a folder with an article's name is a folder
    ]
    assert problems == [
        (shown + "pipe.md", "not a regular file"),  # never opened: it would block
        (shown + "sub/broken.md", "cannot read: broken symbolic link"),
    ]


def test_two_processes_find_the_same(tree: Path) -> None:
    for rel in ["m/e.md", "m/n/f.md", "y/g.md"]:  # more subfolders to share out
        write(tree / rel, article_text())
    assert listing([str(tree)], parallel=True) == listing([str(tree)])


def test_links_between_the_halves_give_the_one_process_walk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "feeds"
    for rel in ["a/deep/x.md", "a/y.md", "b/z.md", "c/w.md"]:
        write(root / rel, article_text())
    os.symlink(root / "a" / "deep", root / "c" / "also")  # the helper's half meets a/deep
    os.symlink(root / "missing.md", root / "a" / "deep" / "broken.md")
    walked_again = []
    real = walk.walk_trees
    monkeypatch.setattr(
        walk, "walk_trees", lambda starts, *a: walked_again.append(starts) or real(starts, *a)
    )
    alone = listing([str(root)])
    walked_again.clear()
    assert listing([str(root)], parallel=True) == alone
    assert alone[1] == [
        (str(root / "a" / "deep" / "broken.md"), "cannot read: broken symbolic link")
    ]
    assert [str(root / "b"), str(root / "c")] in walked_again  # the helper's half, redone


def test_a_failed_helper_changes_nothing(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import newscli.index.parallel as parallel

    alone = listing([str(tree)])
    monkeypatch.setattr(parallel.sys, "platform", "other")  # no helper at all
    assert listing([str(tree)], parallel=True) == alone


def test_overlapping_paths_and_files_named_twice(tree: Path) -> None:
    named, _ = listing([str(tree / "sub"), str(tree), str(tree / "z.md")])
    files = [name for _, names in named for name in names]
    assert files.count("c.md") == 1 and "z.md" not in files  # alias.md came first
    assert "alias.md" in files


@pytest.mark.skipif(
    not os.path.isdir("/dev/shm") or os.stat("/dev/shm").st_dev == os.stat("/tmp").st_dev,
    reason="needs a second file system",
)
def test_files_on_another_device_are_told_apart(tmp_path: Path) -> None:
    import tempfile

    with tempfile.TemporaryDirectory(dir="/dev/shm") as other:
        write(Path(other) / "far.md", article_text())
        write(tmp_path / "near.md", article_text())
        os.symlink(Path(other) / "far.md", tmp_path / "link.md")
        named, _ = listing([str(tmp_path), other])
        assert [names for _, names in named] == [["link.md", "near.md"]]
