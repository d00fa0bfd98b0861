"""A file rewritten in place with its old size and mtime put back (`touch -r`, a copy
keeping times) is read again: the stamp holds its ctime as well as its mtime (also when
the mtime is in the future, and so later than any ctime)."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import article_text, run_cli, write

from newscli.index.cache_keys import stamp_of


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


A_YEAR_NS = 365 * 24 * 3600 * 10**9


def _date_in_the_future(path: Path) -> int:
    """Set the file's mtime a year ahead (a copy from a machine whose clock is wrong)."""
    future = time.time_ns() + A_YEAR_NS
    os.utime(path, ns=(future, future))
    return future


def _rewrite_keeping_the_future_mtime(path: Path, old: bytes, new: bytes) -> None:
    """Rewrite in place (the same inode and size) and put the future mtime back."""
    before = path.stat()
    assert len(old) == len(new) and old in path.read_bytes()
    with open(path, "r+b") as handle:
        handle.write(path.read_bytes().replace(old, new))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (
        before.st_ino,
        before.st_size,
        before.st_mtime_ns,
    )
    assert after.st_mtime_ns > after.st_ctime_ns  # the mtime is still the later one


@pytest.mark.parametrize("named", [False, True], ids=["in-a-folder", "named-file"])
def test_a_same_size_rewrite_of_a_file_dated_in_the_future_is_seen(
    tmp_path: Path, named: bool
) -> None:
    """A file whose mtime is in the future, rewritten in place with that mtime put back:
    only its ctime moved, and the later of the two times (all the stamp kept) was the
    mtime both times, so the cache served the old title for good."""
    path = write(tmp_path / "feeds" / "a.md", article_text(title="Old title here"))
    write(tmp_path / "feeds" / "b.md", article_text(title="Another"))
    _date_in_the_future(path)
    target = "feeds/a.md" if named else "feeds"
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    first = run_cli("list", target, "--format", "json", cwd=tmp_path, env=env)
    assert "Old title here" in first.stdout, first.stderr
    _rewrite_keeping_the_future_mtime(path, b"Old title here", b"New title here")
    warm = run_cli("list", target, "--format", "json", cwd=tmp_path, env=env)
    cold = run_cli("list", target, "--format", "json", "--no-cache", cwd=tmp_path, env=env)
    assert warm.returncode == 0 and "New title here" in warm.stdout, warm.stdout
    assert warm.stdout == cold.stdout


def test_stories_see_a_same_size_rewrite_of_a_file_dated_in_the_future(tmp_path: Path) -> None:
    """Two articles of one URL form a story; one's URL is rewritten in place (same size,
    the future mtime put back): `clusters` shows no story any more, as --no-cache does
    (its story data and stored grouping are kept by the files' stamps)."""
    for name in ("a", "b"):
        write(
            tmp_path / "feeds" / f"{name}.md",
            f'---\ntitle: "Headline {name}"\npublishedDateTime: 2025-03-10T00:00:00Z\n'
            f'webUrl: "https://news.example/s"\n---\n',
        )
    path = tmp_path / "feeds" / "b.md"
    _date_in_the_future(path)
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    args = ("clusters", "feeds", "--format", "json")
    first = run_cli(*args, cwd=tmp_path, env=env)
    assert len(json.loads(first.stdout)) == 1, first.stderr  # one story of both
    _rewrite_keeping_the_future_mtime(path, b"example/s", b"example/t")
    warm = run_cli(*args, cwd=tmp_path, env=env)
    cold = run_cli(*args, "--no-cache", cwd=tmp_path, env=env)
    assert warm.returncode == 0 and json.loads(warm.stdout) == [], warm.stdout
    assert warm.stdout == cold.stdout


def test_the_stamp_of_a_rewrite_that_puts_a_future_mtime_back_differs(tmp_path: Path) -> None:
    """What the edit engine and `review` compare a loaded version with (stamp_of)."""
    path = write(tmp_path / "a.md", article_text(title="Old title here"))
    _date_in_the_future(path)
    before = stamp_of(path.stat())
    _rewrite_keeping_the_future_mtime(path, b"Old title here", b"New title here")
    after = stamp_of(path.stat())
    assert after != before and after._replace(ctime_ns=0) == before._replace(ctime_ns=0)


def test_a_cache_of_the_old_stamps_is_rebuilt_cleanly(tmp_path: Path) -> None:
    """A cache of schema 12 (one time per stamp, the later of mtime and ctime; the story
    data with such stamps) is dropped whole, story tables too, and made again: the same
    output as without a cache, nothing said. Breaks if the schema version is not bumped
    (every query fails on the missing column) or a story table of the old form is kept."""
    for name in ("a", "b"):
        write(
            tmp_path / "feeds" / f"{name}.md",
            f'---\ntitle: "Headline {name}"\npublishedDateTime: 2025-03-10T00:00:00Z\n'
            f'webUrl: "https://news.example/s"\n---\n',
        )
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    assert run_cli("clusters", "feeds", cwd=tmp_path, env=env).returncode == 0
    db = sqlite3.connect(tmp_path / "cache" / "index.sqlite3")
    columns = [name for (_, name, *_) in db.execute("PRAGMA table_info(files)")]
    old = [c for c in columns if c != "ctime_ns"]
    old[old.index("mtime_ns")] = "max(mtime_ns, ctime_ns) AS mtime_ns"
    with db:  # the layout of schema 12, its rows' times the later of the two
        db.execute(f"CREATE TABLE old AS SELECT {', '.join(old)} FROM files")
        db.execute("DROP TABLE files")
        db.execute("ALTER TABLE old RENAME TO files")
        db.execute(
            "CREATE TABLE story_data2 (folder BLOB, name BLOB, size INT, mtime_ns INT,"
            " inode INT, version INT, data TEXT, sum BLOB, PRIMARY KEY (folder, name))"
        )
        db.execute("INSERT INTO story_data2 VALUES (x'00', x'00', 1, 2, 3, 1012, '[]', x'00')")
    db.execute("PRAGMA user_version = 12")
    db.close()
    for args in (("list", "feeds"), ("clusters", "feeds", "--format", "json")):
        warm = run_cli(*args, cwd=tmp_path, env=env)
        assert warm.returncode == 0 and warm.stderr == "", warm.stderr
        assert warm.stdout == run_cli(*args, "--no-cache", cwd=tmp_path, env=env).stdout
        if args[0] == "list":
            db = sqlite3.connect(tmp_path / "cache" / "index.sqlite3")
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
            assert db.execute("PRAGMA user_version").fetchone()[0] > 12
            db.close()
            assert "story_data2" not in tables and "story_folders" not in tables
