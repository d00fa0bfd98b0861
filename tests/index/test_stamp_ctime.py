"""A file rewritten in place with its old size and mtime put back (`touch -r`, a copy
keeping times) is read again: the stamp's time is the later of mtime and ctime."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from conftest import article_text, run_cli, write


def test_a_same_size_rewrite_with_the_old_mtime_is_seen(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    path = write(feeds / "a.md", article_text(title="Old title here", quality=19))
    write(feeds / "b.md", article_text(title="Another", quality=70))
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    first = run_cli("list", "feeds", "--format", "tsv", cwd=tmp_path, env=env)
    assert "\t19\t" in first.stdout, first.stderr
    before = path.stat()
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns - 10**9))  # ctime moves on
    warm, cold = _rewrite_in_place_and_list(tmp_path, path, env)
    assert warm.stdout == cold.stdout and "New title here" in warm.stdout
    assert "\t55\t" in warm.stdout and "Old title" not in warm.stdout


def test_a_same_size_rewrite_with_the_stamped_mtime_put_back_is_seen(tmp_path: Path) -> None:
    """After a warm run, a rewrite in place that puts back the very mtime the cache holds
    (not an earlier one): only the walk's ctime tells it changed."""
    feeds = tmp_path / "feeds"
    path = write(feeds / "a.md", article_text(title="Old title here", quality=19))
    write(feeds / "b.md", article_text(title="Another", quality=70))
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    assert "\t19\t" in run_cli("list", "feeds", "--format", "tsv", cwd=tmp_path, env=env).stdout
    warm, cold = _rewrite_in_place_and_list(tmp_path, path, env)
    assert warm.stdout == cold.stdout and "\t55\t" in warm.stdout, warm.stderr


def _rewrite_in_place_and_list(tmp_path: Path, path: Path, env: dict[str, str]) -> Any:
    """Rewrite the file in place (title and quality: the same inode and size) and put
    back the mtime it has now; then `list feeds` warm and with --no-cache."""
    listed = path.stat()
    new = path.read_bytes().replace(b"Old title here", b"New title here")
    with open(path, "r+b") as handle:  # in place: the same inode and size
        handle.write(new.replace(b"quality: 19", b"quality: 55"))
    os.utime(path, ns=(listed.st_atime_ns, listed.st_mtime_ns))
    after = path.stat()
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (
        listed.st_ino,
        listed.st_size,
        listed.st_mtime_ns,
    )
    warm = run_cli("list", "feeds", "--format", "tsv", cwd=tmp_path, env=env)
    cold = run_cli("list", "feeds", "--format", "tsv", "--no-cache", cwd=tmp_path, env=env)
    return warm, cold
