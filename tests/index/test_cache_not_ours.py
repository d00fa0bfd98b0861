"""--cache-dir given a folder holding another program's ``index.sqlite3`` (h99 HIGH: its
tables were dropped and newscli's made in their place, with no word): the database is
left as it is, byte for byte, and the run goes on without a cache, saying so once. A
cache of newscli's, of this version or one made before its application id, is used."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import SAMPLES, run_cli

from newscli.index.cache import APPLICATION_ID, FILE_NAME


def _listed(cache: Path) -> tuple[int, str, str]:
    done = run_cli("list", str(SAMPLES), "--format", "tsv", "--cache-dir", str(cache))
    return done.returncode, done.stdout, done.stderr


def test_another_programs_database_is_left_alone(tmp_path: Path) -> None:
    cache = tmp_path / "app"
    cache.mkdir()
    db = sqlite3.connect(cache / FILE_NAME)
    db.execute("CREATE TABLE important (x)")
    db.execute("INSERT INTO important VALUES ('precious')")
    db.commit()
    db.close()
    before = (cache / FILE_NAME).read_bytes()
    code, out, err = _listed(cache)
    assert code == 0
    assert (cache / FILE_NAME).read_bytes() == before
    lines = err.splitlines()
    assert lines == [
        f"newscli: cache disabled: {cache / FILE_NAME} is another program's"
        " file, not newscli's index cache: left as it is (give --cache-dir a folder"
        " of its own)"
    ]
    assert out == _listed(tmp_path / "own")[1]  # (the same articles, without a cache)
    # and the same again (no damage mark, nothing taken over)
    assert _listed(cache)[2] == err
    assert sorted(p.name for p in cache.iterdir()) == [FILE_NAME]


def test_newscli_caches_old_and_new_are_used(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert _listed(cache)[0] == 0
    db = sqlite3.connect(cache / FILE_NAME)
    assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    db.execute("PRAGMA application_id = 0")  # a cache made before the id
    db.commit()
    db.close()
    code, _, err = _listed(cache)
    assert (code, err) == (0, "")


def _database(path: Path, *statements: str) -> None:
    db = sqlite3.connect(path)
    for statement in statements:
        db.execute(statement)
    db.commit()
    db.close()


@pytest.mark.parametrize(
    "statements",
    [
        # h100: newscli's table names under another program's id, or no id at all
        ["PRAGMA application_id = 1196444487", "CREATE TABLE files (p)",
         "CREATE TABLE folders (p)", "INSERT INTO files VALUES ('keep me')"],
        ["CREATE TABLE files (p)", "INSERT INTO files VALUES ('keep me')"],
        ["CREATE VIEW v AS SELECT 1"],  # (views only: newscli's tables were added)
    ],
)  # fmt: skip
def test_databases_with_newscli_like_names_are_left_alone(
    tmp_path: Path, statements: list[str]
) -> None:
    cache = tmp_path / "app"
    cache.mkdir()
    _database(cache / FILE_NAME, *statements)
    before = (cache / FILE_NAME).read_bytes()
    code, _, err = _listed(cache)
    assert code == 0
    assert "is another program's file, not newscli's index cache: left as it is" in err
    assert (cache / FILE_NAME).read_bytes() == before


@pytest.mark.parametrize(
    "content",
    [b"plain text, somebody's notes\n", bytes(range(256)) * 32],  # (encrypted-like)
)
def test_a_file_that_is_no_database_is_left_alone(tmp_path: Path, content: bytes) -> None:
    """h100 MED: removed and replaced by a cache, with only 'was unreadable; rebuilt it'."""
    cache = tmp_path / "app"
    cache.mkdir()
    (cache / FILE_NAME).write_bytes(content)
    code, _, err = _listed(cache)
    assert code == 0
    assert "left as it is" in err
    assert (cache / FILE_NAME).read_bytes() == content


def test_another_programs_wal_database_is_never_opened(tmp_path: Path) -> None:
    """h100: its -wal a folder: the open failed and the file was removed."""
    cache = tmp_path / "app"
    cache.mkdir()
    _database(cache / FILE_NAME, "PRAGMA application_id = 7", "CREATE TABLE t (x)")
    (cache / (FILE_NAME + "-wal")).mkdir()
    before = (cache / FILE_NAME).read_bytes()
    code, _, err = _listed(cache)
    assert code == 0 and "left as it is" in err
    assert (cache / FILE_NAME).read_bytes() == before
    assert (cache / (FILE_NAME + "-wal")).is_dir()


def test_an_old_cache_is_given_the_id(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert _listed(cache)[0] == 0
    (cache / "CACHEDIR.TAG").unlink()  # (a folder made before the tag)
    _database(cache / FILE_NAME, "PRAGMA application_id = 0")
    code, _, err = _listed(cache)
    assert (code, err) == (0, "")
    db = sqlite3.connect(cache / FILE_NAME)
    assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    db.close()
