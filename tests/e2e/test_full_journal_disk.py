"""h44: with the undo journal's disk full, `export --mark-published` wrote its output
whole and marked nothing (its check made an empty file, which a full disk still
allows), so the README's hand-off script shipped the same articles at every run. The
journal must hold the old versions of the files to mark: without room for them, no
output and exit 1. A real tmpfs (root only), the installed command."""

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
def small_disk(tmp_path: Path) -> Iterator[Path]:
    with tmpfs(tmp_path / "state") as disk:
        yield disk


def _feeds(tmp_path: Path, count: int, size: int) -> Path:
    feeds = tmp_path / "feeds"
    for n in range(count):
        write(feeds / f"a{n:03}.md", f'---\ntitle: "Story {n}"\npublished: false\n'
              f"publishedDateTime: 2025-03-14T09:00:00Z\n---\n{'x' * size}\n")  # fmt: skip
    return feeds


def _export(tmp_path: Path, feeds: Path, disk: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NEWSCLI_STATE_DIR": str(disk),
           "NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}  # fmt: skip
    env.pop("NEWSCLI_DEBUG", None)
    argv = [str(NEWSCLI), "export", str(feeds), "--unpublished", "--mark-published",
            "-o", str(tmp_path / "new.json")]  # fmt: skip
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize("left", [0, 200_000])
def test_no_room_for_the_journal_is_no_output_and_nothing_marked(
    tmp_path: Path, small_disk: Path, left: int
) -> None:
    feeds = _feeds(tmp_path, 60, 10_000)  # 600 kB of old versions to keep
    before = {p: p.read_bytes() for p in feeds.glob("*.md")}
    free = os.statvfs(small_disk)
    filler = free.f_bavail * free.f_frsize - left
    with open(small_disk / "fill", "wb") as handle, contextlib.suppress(OSError):
        handle.write(bytes(filler))  # (to the last byte, or full)
    run = _export(tmp_path, feeds, small_disk)
    assert run.returncode == 1, run.stderr
    (line,) = run.stderr.splitlines()
    assert line.startswith("newscli: error: cannot write the undo journal in "), line
    assert not (tmp_path / "new.json").exists()
    assert {p: p.read_bytes() for p in feeds.glob("*.md")} == before
    (small_disk / "fill").unlink()  # room again: the same command ships and marks all
    again = _export(tmp_path, feeds, small_disk)
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "new.json").exists()
    assert all(b"published: true" in p.read_bytes() for p in feeds.glob("*.md"))


def test_no_inode_for_the_journal_is_no_output_and_nothing_marked(tmp_path: Path) -> None:
    """h51: bytes were checked, not files: with one inode left the probe passed, and the
    batch's folder and files could not be made: output written, nothing marked."""
    with tmpfs(tmp_path / "state", "size=10m,nr_inodes=40") as disk:
        (disk / "journal").mkdir()
        made = 0
        with contextlib.suppress(OSError):
            while True:
                (disk / f"f{made}").touch()
                made += 1
        (disk / "f0").unlink()  # one file's room left
        feeds = _feeds(tmp_path, 5, 100)
        before = {p: p.read_bytes() for p in feeds.glob("*.md")}
        run = _export(tmp_path, feeds, disk)
        assert run.returncode == 1, run.stderr
        assert "its file system has no room for more files" in run.stderr, run.stderr
        assert not (tmp_path / "new.json").exists()
        assert {p: p.read_bytes() for p in feeds.glob("*.md")} == before
