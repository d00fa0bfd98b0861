"""A cache that fails mid-run (full disk, a lock held too long, damage) costs speed,
never output; and rows of files that are gone are pruned."""

import os
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import NEWSCLI, SAMPLES, article_text, run_cli, write

import newscli.index.loader as loader
from newscli.formats.records import to_json
from newscli.index.cache import IndexCache
from newscli.index.file_data import FileData
from newscli.index.loader import load_paths


def exported(result) -> str:
    return to_json(sorted(result.articles, key=lambda a: a.path))


def open_cache(folder: Path) -> IndexCache:
    cache, warning = IndexCache.open(str(folder))
    assert cache is not None and warning is None
    return cache


def disk_full(self: IndexCache, statements: Any) -> None:
    raise sqlite3.OperationalError("database or disk is full")


def no_second_parse(data: FileData) -> str:
    raise AssertionError(f"{data.path} was parsed again: its export JSON was dropped")


class FailingReads:
    """A connection whose reads of one table fail, as a damaged page would."""

    def __init__(self, db: sqlite3.Connection, table: str):
        self.db, self.table = db, table

    def execute(self, sql: str, *args: Any) -> Any:
        if f"FROM {self.table}" in sql:
            raise sqlite3.DatabaseError("database disk image is malformed")
        return self.db.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.db, name)


def test_failed_writes_keep_every_export(
    feeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(IndexCache, "write", disk_full)
    monkeypatch.setattr(FileData, "made_again", no_second_parse)
    cache = open_cache(tmp_path / "cache")
    result = load_paths([str(feeds)], cache=cache, jobs=1)
    assert exported(result) == exported(load_paths([str(feeds)]))
    assert cache.broken and "disk is full" in (cache.warning or "")


def test_failed_writes_in_worker_processes_keep_every_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(40):
        write(tmp_path / "many" / f"a{i:02}.md", article_text(title=f"Article {i}"))
    monkeypatch.setattr(IndexCache, "write", disk_full)  # workers are forked with it
    monkeypatch.setattr(FileData, "made_again", no_second_parse)
    monkeypatch.setattr(loader, "PARALLEL_MIN_FILES", 2)
    monkeypatch.setattr(loader, "CHUNK_FILES", 7)
    cache = open_cache(tmp_path / "cache")
    result = load_paths([str(tmp_path / "many")], cache=cache, jobs=2)
    assert len(result.articles) == 40
    assert exported(result) == exported(load_paths([str(tmp_path / "many")], jobs=1))


def test_failed_reads_fall_back_to_the_files(feeds: Path, tmp_path: Path) -> None:
    cache = open_cache(tmp_path / "cache")
    load_paths([str(feeds)], cache=cache)  # fills the cache
    expected = exported(load_paths([str(feeds)]))
    warm = load_paths([str(feeds)], cache=cache)
    assert warm.parsed == 0
    cache.db = FailingReads(cache.db, "exports")  # type: ignore[assignment]
    assert exported(warm) == expected  # the export JSON comes from the files again
    assert cache.broken
    # (the damage marked: the next open rebuilds it, h37)
    lookup_fails, said = IndexCache.open(str(tmp_path / "cache"))
    assert lookup_fails is not None and said is not None and said.endswith("rebuilt it")
    lookup_fails.db = FailingReads(lookup_fails.db, "files")  # type: ignore[assignment]
    again = load_paths([str(feeds)], cache=lookup_fails)
    assert again.parsed == 18 and exported(again) == expected


def test_command_goes_on_when_the_cache_fails(
    feeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from newscli.cli import app

    monkeypatch.setattr(IndexCache, "write", disk_full)
    args = ["export", str(feeds), "--cache-dir", str(tmp_path / "cache")]
    result = CliRunner().invoke(app, args)
    plain = CliRunner().invoke(app, ["export", str(feeds), "--no-cache"])
    assert result.exit_code == 0 and result.stdout == plain.stdout
    assert "disk is full; going on without it" in result.stderr
    quiet = CliRunner().invoke(app, [*args, "--quiet"])
    assert quiet.exit_code == 0 and quiet.stderr == ""


def rows(cache: IndexCache) -> set[str]:
    found = cache.db.execute("SELECT name FROM files").fetchall()
    return {name.decode() for (name,) in found}


def test_rows_of_deleted_and_renamed_files_are_pruned(feeds: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    write(other / "kept.md", article_text())
    cache = open_cache(tmp_path / "cache")
    load_paths([str(feeds)], cache=cache)
    load_paths([str(other)], cache=cache)
    assert {"rate-decision.md", "vaccine-cold-chain.md", "kept.md"} <= rows(cache)
    (feeds / "rate-decision.md").unlink()
    (feeds / "archive" / "2024" / "vaccine-cold-chain.md").rename(feeds / "moved.md")
    result = load_paths([str(feeds) + "/"], cache=cache)
    assert len(result.articles) == 17
    names = rows(cache)
    assert "rate-decision.md" not in names and "vaccine-cold-chain.md" not in names
    assert {"moved.md", "kept.md"} <= names  # another folder's rows are not touched
    count = cache.db.execute("SELECT count(*) FROM exports").fetchone()[0]
    assert count == len(names) == 18


def test_a_sub_folder_run_prunes_only_below_it(feeds: Path, tmp_path: Path) -> None:
    cache = open_cache(tmp_path / "cache")
    load_paths([str(feeds)], cache=cache)
    before = rows(cache)
    load_paths([str(feeds / "archive")], cache=cache)
    assert rows(cache) == before


def test_a_new_cache_folder_is_private_a_shared_one_stays_shared(tmp_path: Path) -> None:
    """h91: the cache holds the titles and excerpts of the files it read, 0600 ones too,
    and was made readable by everyone (folder 0755): a new folder is its user's alone
    (0700). h92: its files keep the usual mode, so a folder shared on purpose (2775) is
    neither changed nor made unusable to the others (0600 files were each user's run
    rebuilding the other's)."""
    cache = tmp_path / "cache" / "newscli"
    done = run_cli("list", str(SAMPLES), env={"NEWSCLI_CACHE_DIR": str(cache)})
    assert done.returncode == 0, done.stderr
    assert cache.stat().st_mode & 0o777 == 0o700
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o2775)
    shell = f"umask 002 && exec {NEWSCLI} list {SAMPLES}"  # (a shared group's umask)
    done = subprocess.run(["sh", "-c", shell], capture_output=True, text=True,
                          env={**os.environ, "NEWSCLI_CACHE_DIR": str(shared)})  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert shared.stat().st_mode & 0o7777 == 0o2775
    assert (shared / "index.sqlite3").stat().st_mode & 0o777 == 0o644  # (SQLite's own)
