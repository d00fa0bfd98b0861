"""Finding article files: each once, in order, the same whether one process or two
look them up."""

import os
import time
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
    here = os.getpid()

    marker = tmp_path / "a taken"

    def walk_trees(starts: list[str], *args: object) -> object:
        # This process takes a (the helper, which took c, waits for that), then pauses
        # while the helper takes b too: a here, b and c there, whatever the timing.
        if os.getpid() != here:
            deadline = time.monotonic() + 10
            while not marker.exists() and time.monotonic() < deadline:
                time.sleep(0.005)
        else:
            walked_again.append(starts)
        found = real(starts, *args)  # type: ignore[arg-type]
        if starts == [str(root / "a")] and os.getpid() == here:
            marker.touch()
            time.sleep(0.3)
        return found

    monkeypatch.setattr(walk, "walk_trees", walk_trees)
    alone = listing([str(root)])
    walked_again.clear()
    assert listing([str(root)], parallel=True) == alone
    assert alone[1] == [
        (str(root / "a" / "deep" / "broken.md"), "cannot read: broken symbolic link")
    ]
    # this process's part, then the helper's (c/also is a/deep), walked here again
    assert walked_again == [[str(root / "a")], [str(root / "b"), str(root / "c")]]


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


def _refusing(monkeypatch: pytest.MonkeyPatch, locked: Path) -> None:
    """os.stat refuses every path below ``locked`` (a folder one may list but not
    enter, as root cannot make one: root enters every folder)."""
    real = os.stat

    def stat(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if isinstance(path, str) and path.startswith(str(locked) + os.sep):
            raise PermissionError(13, "Permission denied", path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat)


def test_files_of_a_folder_one_may_list_but_not_enter_are_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each name the walk could list but not look up (a folder with read but no search
    permission) is one problem line, not left out without a word; a file gone since it
    was listed is no problem; a FIFO is not a regular file."""
    from newscli.index.discovery import _files

    locked = tmp_path / "locked"
    write(locked / "a.md", article_text())
    os.mkfifo(tmp_path / "pipe.md")
    scanned = [
        (str(locked), None, [], None, ["a.md", "b.md"], None, None),
        (str(tmp_path), None, [], None, ["gone.md", "pipe.md"], None, None),
    ]
    problems: list = []
    with monkeypatch.context() as patch:
        _refusing(patch, locked)
        assert list(_files(scanned, None, problems)) == []
    assert [(p.path, p.reason) for p in problems] == [
        (str(locked / "a.md"), "cannot read: Permission denied"),
        (str(locked / "b.md"), "cannot read: Permission denied"),
        (str(tmp_path / "pipe.md"), "not a regular file"),
    ]


def test_a_named_file_one_may_not_look_up_is_a_problem_not_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A path on the command line in a folder one may not enter: a problem line (the
    others are still found), not "no such file or folder"; a missing one still is."""
    from newscli.errors import PathNotFoundError

    locked, other = tmp_path / "locked", tmp_path / "ok.md"
    write(locked / "a.md", article_text())
    write(other, article_text())
    problems: list = []
    with monkeypatch.context() as patch:
        _refusing(patch, locked)
        groups = scan([str(locked / "a.md"), str(other)], problems)
    assert [g.path for g in groups] == [str(other)]  # type: ignore[union-attr]
    assert [(p.path, p.reason) for p in problems] == [
        (str(locked / "a.md"), "cannot read: Permission denied")
    ]
    with pytest.raises(PathNotFoundError):
        scan([str(tmp_path / "missing.md")], [])


def test_a_problem_met_through_two_paths_is_said_once(tmp_path: Path) -> None:
    """A broken link in a folder given twice, once through a link to the folder, was
    said twice (h12 LOW); it is one problem (the entry's own identity), said under the
    path first met, whichever order the paths come in, through the installed command."""
    from conftest import run_cli

    folder = tmp_path / "a"
    write(folder / "ok.md", article_text())
    os.symlink(tmp_path / "missing.md", folder / "broken.md")
    os.symlink(folder, tmp_path / "b")
    os.mkfifo(folder / "pipe.md")
    for first, second in (("a", "b"), ("b", "a")):
        done = run_cli("list", first, second, "--format", "tsv", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert done.stderr.splitlines() == [
            f"{first}/broken.md: cannot read: broken symbolic link",
            f"{first}/pipe.md: not a regular file",
        ]
        assert done.stdout.count("\n") == 2  # the header and the one article, once
    _, problems = listing([str(folder), str(folder)])
    assert [path for path, _ in problems] == [str(folder / "broken.md"), str(folder / "pipe.md")]


def test_a_named_fifo_also_met_in_its_folder_is_said_once(tmp_path: Path) -> None:
    """A FIFO named on the command line and met again in its folder (or named twice) was
    said twice: a path named is known by the same identity as an entry of a walk."""
    from conftest import run_cli

    folder = tmp_path / "a"
    write(folder / "ok.md", article_text())
    os.mkfifo(folder / "pipe.md")
    for args in (("a/pipe.md", "a"), ("a", "a/pipe.md"), ("a/pipe.md", "a/pipe.md")):
        done = run_cli("list", *args, "--format", "tsv", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert done.stderr.splitlines() == ["a/pipe.md: not a regular file"], args
        assert done.stdout.count("\n") == (2 if "a" in args else 1), args  # header
