"""h122 HIGH: on a file system whose clock ticks by the second (ext2 and ext3, ext4
with small inodes, FAT, many NFS and SMB mounts), a file rewritten in place (same size)
within the second a run read it keeps its whole stamp (size, mtime, ctime, inode): the
cache then served the old content on every later run ("racy clean", as git calls it).
A file stored this near the run's start is now read again by the next run. Through the
installed command, on a real ext2 file system of 128-byte inodes (root only)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import run_cli

ARTICLE = '---\ntitle: "Rate decision"\nquality: 33\n---\n'


@contextmanager
def seconds_fs(folder: Path) -> Iterator[Path]:
    """An ext2 file system (timestamps in whole seconds) mounted on ``folder``."""
    if os.geteuid() != 0 or shutil.which("mkfs.ext2") is None:
        pytest.skip("mounting an ext2 image needs root and mkfs.ext2")
    image = folder.with_suffix(".img")
    with open(image, "wb") as handle:
        handle.truncate(16 << 20)
    made = subprocess.run(["mkfs.ext2", "-q", "-F", "-I", "128", str(image)], capture_output=True)
    folder.mkdir()
    mounted = subprocess.run(["mount", "-o", "loop", str(image), str(folder)], capture_output=True)
    if made.returncode or mounted.returncode:
        pytest.skip(f"cannot mount an ext2 image here: {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_file_rewritten_within_its_reading_second_is_read_again(tmp_path: Path) -> None:
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    with seconds_fs(tmp_path / "m") as folder:
        path = folder / "a.md"
        for _ in range(10):  # until a run and the rewrite fall within one second
            while time.time() % 1 > 0.05:  # (at a second's start)
                time.sleep(0.01)
            path.write_text(ARTICLE, encoding="utf-8")
            before = path.stat()
            first = run_cli("list", "m", "--columns", "quality", "--format", "tsv",
                            cwd=tmp_path, env=env)  # fmt: skip
            assert first.stdout.splitlines()[1:] == ["33"], first.stderr
            with open(path, "r+b") as handle:  # in place, the same size
                handle.write(ARTICLE.replace("33", "44").encode())
            after = path.stat()
            same = (before.st_size, before.st_mtime_ns, before.st_ctime_ns, before.st_ino) == (
                after.st_size, after.st_mtime_ns, after.st_ctime_ns, after.st_ino
            )  # fmt: skip
            if same:
                break
        else:
            pytest.skip("no run and rewrite fell within one second")
        for _ in range(2):  # the next runs, and the one after them
            warm = run_cli("list", "m", "--columns", "quality", "--format", "tsv",
                           cwd=tmp_path, env=env)  # fmt: skip
            assert warm.stdout.splitlines()[1:] == ["44"], warm.stderr
