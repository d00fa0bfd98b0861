"""What a warm walk does not pay for (issue 15): identities of files that no other path
can lead to, listing the helper's folders again, importing multiprocessing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import article_text, write

from newscli.index.cache_keys import listing
from newscli.index.discovery import Folder, scan
from newscli.index.walk import walk_trees


def test_plain_folders_carry_no_identities(tmp_path: Path) -> None:
    for rel in ["plain/a.md", "plain/b.md", "linked/c.md", "hard/d.md"]:
        write(tmp_path / rel, "x")
    os.symlink(tmp_path / "plain" / "a.md", tmp_path / "linked" / "alias.md")
    os.link(tmp_path / "hard" / "d.md", tmp_path / "hard" / "e.md")
    scanned = {s[0]: s for s in walk_trees([str(tmp_path)], os.stat(tmp_path).st_dev, set())}
    assert scanned[str(tmp_path / "plain")][3] is None  # each file's inode is its identity
    inode = os.stat(tmp_path / "plain" / "a.md").st_ino
    assert scanned[str(tmp_path / "linked")][3] == [
        inode,
        os.stat(tmp_path / "linked" / "c.md").st_ino,
    ]
    hard = scanned[str(tmp_path / "hard")]
    assert hard[3] == [os.stat(tmp_path / "hard" / "d.md").st_ino] * 2
    # only files with another name are listed as such (a link to a file is not one)
    assert scanned[str(tmp_path / "plain")][6] is None
    assert scanned[str(tmp_path / "linked")][6] is None
    assert hard[6] == {"d.md": True, "e.md": True}
    # each file once: a.md was met first as linked/alias.md, e.md as hard/d.md
    problems: list = []
    names = [
        f[0] for g in scan([str(tmp_path)], problems) if isinstance(g, Folder) for f in g.files
    ]
    assert names == ["d.md", "alias.md", "c.md", "b.md"] and not problems  # name order


def test_the_halves_come_packed_and_are_listed_when_asked(tmp_path: Path) -> None:
    for i in range(6):
        write(tmp_path / f"d{i}" / f"f{i}.md", article_text())
        write(tmp_path / f"d{i}" / "g.md", article_text())
    alone = scan([str(tmp_path)], [])
    both = scan([str(tmp_path)], [], parallel=True)
    packed = [g for g in both if isinstance(g, Folder) and not isinstance(g.stored, list)]
    # Both halves as each process packed it while both walked: (count, listing bytes)
    # (so the listings this process compares are not made after the walk).
    assert len(packed) == 6
    for group in packed:
        count, data = group.stored  # type: ignore[misc]
        assert group.count == count == 2
        assert data == listing(group.files)  # what the cache compares, unchanged
    assert [(g.shown, g.key, g.files) for g in both] == [(g.shown, g.key, g.files) for g in alone]


def test_the_walk_helper_only_where_a_core_is_free(monkeypatch: pytest.MonkeyPatch) -> None:
    from newscli.index import parallel

    for cores, load, free in [(2, 0.3, True), (2, 1.2, True), (2, 1.6, False), (1, 0.0, False)]:
        monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda _, n=cores: set(range(n)))
        monkeypatch.setattr(parallel.os, "getloadavg", lambda load=load: (load, load, load))
        assert parallel.free_core() is free, (cores, load)


WARM = """
import sys
from newscli.index import loader
from newscli.index.cache import IndexCache

loader.PARALLEL_WALK_FILES = 0  # the walk helper, however small the tree
loader.free_core = lambda: True  # and however busy the machine
cache, _ = IndexCache.open(sys.argv[2])
first = loader.load_paths([sys.argv[1]], cache=cache, jobs=1)
again = loader.load_paths([sys.argv[1]], cache=cache, jobs=1)
assert again.parsed == 0 and len(again.articles) == len(first.articles) == 8
print(sorted(m for m in sys.modules if m.split(".")[0] in ("multiprocessing", "concurrent")))
"""


def test_a_warm_run_with_the_walk_helper_imports_no_multiprocessing(tmp_path: Path) -> None:
    for i in range(4):
        write(tmp_path / "feeds" / f"d{i}" / "a.md", article_text())
        write(tmp_path / "feeds" / f"d{i}" / "b.md", article_text())
    run = subprocess.run(
        [sys.executable, "-c", WARM, str(tmp_path / "feeds"), str(tmp_path / "cache")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


def test_the_other_names_of_a_file_are_the_hard_links_met(tmp_path: Path) -> None:
    """By the path the file is found by: its hard links found after it, in the order
    met, each once; not a symbolic link to it, not a name outside the paths walked."""
    first = write(tmp_path / "feeds" / "a.md", "x")
    write(tmp_path / "feeds" / "plain.md", "y")
    for other in ["feeds/b.md", "feeds/sub/c.md", "outside/d.md"]:
        (tmp_path / other).parent.mkdir(exist_ok=True)
        os.link(first, tmp_path / other)
    os.symlink("a.md", tmp_path / "feeds" / "0-link.md")  # met first
    feeds = str(tmp_path / "feeds")
    others: dict[str, list[str]] = {}
    groups = scan([feeds, feeds + "/sub", feeds + "/b.md"], [], others=others)
    assert others == {f"{feeds}/0-link.md": [f"{feeds}/a.md", f"{feeds}/b.md", f"{feeds}/sub/c.md"]}
    assert [f[0] for g in groups if isinstance(g, Folder) for f in g.files] == [
        "0-link.md",
        "plain.md",
    ]
    others = {}
    scan([str(tmp_path / "feeds" / "plain.md")], [], others=others)  # one name: nothing
    assert others == {}
