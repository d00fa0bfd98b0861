"""Finding article files: each once, in order, the same whether one process or two
look them up."""

import os
from pathlib import Path

import pytest
from conftest import article_text, write

import newscli.discovery as discovery
from newscli.discovery import Folder, scan


def listing(paths: list[str]) -> tuple[list[tuple[str, list[str]]], list[tuple[str, str]]]:
    problems: list = []
    groups = scan(paths, problems)
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
    assert problems == [(shown + "sub/broken.md", "cannot read: broken symbolic link")]


def test_two_processes_find_the_same(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    alone = listing([str(tree)])
    monkeypatch.setattr(discovery, "PARALLEL_STAT_FILES", 1)
    assert listing([str(tree)]) == alone


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
