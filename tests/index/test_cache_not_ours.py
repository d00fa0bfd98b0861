"""--cache-dir given a folder holding another program's ``index.sqlite3`` (h99 HIGH: its
tables were dropped and newscli's made in their place, with no word): the database is
left as it is, byte for byte, and the run goes on without a cache, saying so once. A
cache of newscli's, of this version or one made before its application id, is used."""

from __future__ import annotations

import sqlite3
from pathlib import Path

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
        " database, not newscli's index cache: left as it is (give --cache-dir a folder"
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
