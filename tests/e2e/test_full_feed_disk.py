"""h52: with the disk of the article files full (the output going to another one),
`export --mark-published` wrote its output, then could mark nothing (exit 1), so the
README's hand-off script shipped the same articles at every run. Every folder holding a
file to mark must be able to take a new version of it: otherwise no output, nothing
marked, one line naming the folder. Real tmpfs disks (root only), the installed command."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import NEWSCLI, write
from small_disk import tmpfs


@pytest.fixture
def feed_disk(tmp_path: Path) -> Iterator[Path]:
    with tmpfs(tmp_path / "disk") as disk:
        yield disk


def _export(tmp_path: Path, feeds: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NEWSCLI_STATE_DIR": str(tmp_path / "state"),
           "NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}  # fmt: skip
    env.pop("NEWSCLI_DEBUG", None)
    argv = [str(NEWSCLI), "export", str(feeds), "--unpublished", "--mark-published",
            "-o", str(tmp_path / "new.json")]  # fmt: skip
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)


def _fill(disk: Path, left: int) -> None:
    free = os.statvfs(disk)
    with open(disk / "fill", "wb") as handle, contextlib.suppress(OSError):
        handle.write(bytes(max(0, free.f_bavail * free.f_frsize - left)))


@pytest.mark.parametrize("left", [0, 3000])
def test_a_full_feed_disk_is_no_output_and_nothing_marked(
    tmp_path: Path, feed_disk: Path, left: int
) -> None:
    feeds = feed_disk / "feeds"
    for n in range(20):  # 20 files of 5 kB: a new version of one needs more than 3 kB
        write(feeds / f"d{n % 2}" / f"a{n:03}.md", f'---\ntitle: "Story {n}"\npublished: '
              f"false\npublishedDateTime: 2025-03-14T09:00:00Z\n---\n{'x' * 5000}\n")  # fmt: skip
    before = {p: p.read_bytes() for p in feeds.rglob("*.md")}
    _fill(feed_disk, left)
    run = _export(tmp_path, feeds)
    assert run.returncode == 1, run.stderr
    (line,) = run.stderr.splitlines()
    assert line.startswith(f"newscli: error: cannot mark the articles in {feeds}/d"), line
    assert line.endswith("published (No space left on device); nothing was exported") or (
        "bytes free" in line
    ), line
    assert not (tmp_path / "new.json").exists()
    assert {p: p.read_bytes() for p in feeds.rglob("*.md")} == before
    assert sorted(p.name for p in feed_disk.rglob(".newscli-*")) == []  # no probe left
    (feed_disk / "fill").unlink()  # room again: the same command ships and marks all
    again = _export(tmp_path, feeds)
    assert again.returncode == 0, again.stderr
    assert all(b"published: true" in p.read_bytes() for p in feeds.rglob("*.md"))


def test_a_read_only_feed_disk_is_no_output(tmp_path: Path, feed_disk: Path) -> None:
    """(The folder's lock, taken before any output, already fails there.)"""
    feeds = feed_disk / "feeds"
    write(feeds / "a.md", '---\ntitle: "Story"\npublished: false\n---\nbody\n')
    subprocess.run(["mount", "-o", "remount,ro", str(feed_disk)], check=True)
    run = _export(tmp_path, feeds)
    assert run.returncode == 1, run.stderr
    (line,) = run.stderr.splitlines()
    assert line.startswith("newscli: error: ") and line.endswith("Read-only file system"), line
    assert not (tmp_path / "new.json").exists()


def _five_large(feeds: Path) -> dict[Path, bytes]:
    for n in range(5):  # 5 files of 100 kB
        write(feeds / f"a{n}.md", f'---\ntitle: "Distinct headline {n}"\npublished: false\n'
              f"publishedDateTime: 2025-03-14T0{n}:00:00Z\n---\n{'x' * 100_000}\n")  # fmt: skip
    return {p: p.read_bytes() for p in feeds.glob("*.md")}


@pytest.mark.parametrize("kept_by", ["journal", "snapshot"])
def test_what_the_marking_keeps_on_the_disk_is_counted_together(
    tmp_path: Path, feed_disk: Path, kept_by: str
) -> None:
    """h57: with the journal on the feeds' disk (the usual setup), or a `cp -al`
    snapshot beside the feeds, each check passed alone and the marking ran out of room
    at the fourth or fifth file: the output went out part-marked."""
    feeds = feed_disk / "feeds"
    before = _five_large(feeds)
    env = {**os.environ, "NEWSCLI_CACHE_DIR": str(tmp_path / "cache"),
           "NEWSCLI_STATE_DIR": str(feed_disk / "state" if kept_by == "journal"
                                    else tmp_path / "state")}  # fmt: skip
    env.pop("NEWSCLI_DEBUG", None)
    if kept_by == "snapshot":
        subprocess.run(["cp", "-al", str(feeds), str(feed_disk / "snapshot")], check=True)
        _fill(feed_disk, 300_000)  # room for one new version, not for five old ones
    else:
        _fill(feed_disk, 560_000)  # room for the journal's 500 kB or a new version: not both
    argv = [str(NEWSCLI), "export", str(feeds), "--unpublished", "--mark-published",
            "-o", str(tmp_path / "new.json")]  # fmt: skip
    run = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stderr
    (line,) = run.stderr.splitlines()
    assert line.startswith(f"newscli: error: cannot mark the articles in {feeds} published ("), line
    assert not (tmp_path / "new.json").exists()
    assert {p: p.read_bytes() for p in feeds.glob("*.md")} == before


def _many(feeds: Path, count: int, size: int) -> dict[Path, bytes]:
    for n in range(count):
        head = (f'---\ntitle: "Article {n} on topic {n * 7919 % 1000}"\npublished: false\n'
                f"excerpt: {'word ' * 40}\n"
                f"publishedDateTime: 2025-03-01T{n % 24:02d}:00:00Z\n---\n")  # fmt: skip
        write(feeds / f"a{n:03}.md", head + "x" * (size - len(head)) + "\n")
    return {p: p.read_bytes() for p in feeds.glob("*.md")}


@pytest.mark.parametrize("name", ["new.json", "out/day/new.json"])
def test_an_output_that_takes_the_room_is_removed_and_nothing_marked(
    tmp_path: Path, feed_disk: Path, name: str
) -> None:
    """h59: the output on the feeds' disk (the README's hand-off layout) took the room
    the check had seen: 60 exported, none marked. h90: the folders made for it stayed."""
    feeds = feed_disk / "feeds"
    before = _many(feeds, 60, 6000)
    env = {**os.environ, "NEWSCLI_STATE_DIR": str(tmp_path / "state"),
           "NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}  # fmt: skip
    env.pop("NEWSCLI_DEBUG", None)
    argv = [str(NEWSCLI), "export", "feeds", "--unpublished", "-o", str(tmp_path / "size.json")]
    subprocess.run(argv, cwd=feed_disk, env=env, check=True, timeout=120)
    page = os.statvfs(feed_disk).f_frsize
    output = -(-(tmp_path / "size.json").stat().st_size // page) * page
    _fill(feed_disk, output + page)  # room for the output and a page: not for a new version
    argv = [str(NEWSCLI), "export", "feeds", "--unpublished", "--mark-published", "-o", name]
    run = subprocess.run(argv, cwd=feed_disk, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stderr
    (line,) = run.stderr.splitlines()
    assert line.endswith(f"(the output {name} took the room: removed)"), line
    assert sorted(p.name for p in feed_disk.iterdir()) == ["feeds", "fill"]
    assert {p: p.read_bytes() for p in feeds.glob("*.md")} == before


def test_old_versions_kept_by_other_names_count_in_blocks(tmp_path: Path, feed_disk: Path) -> None:
    """h59: 100 files of 1,500 bytes counted 150 kB; on the disk they keep 400 kB."""
    feeds = feed_disk / "feeds"
    before = _many(feeds, 100, 1500)
    subprocess.run(["cp", "-al", str(feeds), str(feed_disk / "snapshot")], check=True)
    _fill(feed_disk, 204_800)
    run = _export(tmp_path, feeds)
    assert run.returncode == 1 and "nothing was exported" in run.stderr, run.stderr
    assert not (tmp_path / "new.json").exists()
    assert {p: p.read_bytes() for p in feeds.glob("*.md")} == before


def test_a_read_only_member_left_alone_needs_no_room(tmp_path: Path, feed_disk: Path) -> None:
    """h59: after --dedupe, a read-only story member of 600 kB (the marking leaves it
    alone) was counted, and the export refused at every run."""
    feeds = feed_disk / "feeds"
    _many(feeds, 10, 1500)
    head = '---\ntitle: "Huge piece on the harbour"\nwebUrl: https://x.example/big\n'
    big = write(feeds / "big.md", head + "published: false\n---\n" + "x" * 600_000 + "\n")
    big.chmod(0o444)
    write(feeds / "copy.md", '---\ntitle: "Huge piece on the harbour"\nwebUrl: '
          "https://x.example/big\npublished: false\n---\nshort\n")  # fmt: skip
    _fill(feed_disk, 200_000)
    env = {**os.environ, "NEWSCLI_STATE_DIR": str(tmp_path / "state"),
           "NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}  # fmt: skip
    argv = [str(NEWSCLI), "export", str(feeds), "--unpublished", "--dedupe", "--mark-published",
            "-o", str(tmp_path / "new.json")]  # fmt: skip
    run = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)
    assert "nothing was exported" not in run.stderr, run.stderr
    assert b"published: true" in (feeds / "copy.md").read_bytes()


def test_the_folders_made_for_an_output_that_fails_are_removed(
    tmp_path: Path, feed_disk: Path
) -> None:
    """h89: `-o new/sub/page.html` on a full disk failed as it should (one line, exit
    1, no partial file) but left the empty folders it had made for it; a folder that
    was there before stays."""
    write(tmp_path / "feeds" / "a.md", '---\ntitle: "Story"\npublished: false\n---\nbody\n')
    (feed_disk / "there").mkdir()
    _fill(feed_disk, 0)
    names = ["new/sub/page.html", "there/new/page.html", "there/page.html", "a/../b/p.html"]
    for name in [*names, "gone/../there/p.html"]:  # (h91: "there" was removed)
        run = subprocess.run(
            [str(NEWSCLI), "export", str(tmp_path / "feeds"), "-o", str(feed_disk / name)],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert run.returncode == 1, run.stderr
        assert run.stderr.endswith("No space left on device\n"), run.stderr
        assert sorted(p.name for p in feed_disk.iterdir()) == ["fill", "there"], name
        assert list((feed_disk / "there").iterdir()) == [], name
