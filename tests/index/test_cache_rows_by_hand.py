"""Rows of the index cache's ``files`` table deleted, damaged or added by hand (with the
sqlite3 shell, say) while the folder's stored listing still matches the files on disk:
every command gives what it gives without the cache. The listing used to be trusted,
and the articles of deleted rows left out of every command for good (exit 0)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import article_text, run_cli, write

from newscli.index.cache import IndexCache

NAMES = ("a", "b", "c", "d")
A_ROW = "name = CAST('a.md' AS BLOB)"
DAMAGE = {
    "deleted": f"DELETE FROM files WHERE {A_ROW}",
    "all-deleted": "DELETE FROM files",
    "key-damaged": f"UPDATE files SET name = CAST('z.md' AS BLOB) WHERE {A_ROW}",
    "folder-damaged": f"UPDATE files SET folder = CAST('/nowhere/' AS BLOB) WHERE {A_ROW}",
    "stamp-not-a-number": "UPDATE files SET mtime_ns = 'x'",
    "field-not-a-date": f"UPDATE files SET published_at = 'x' WHERE {A_ROW}",
    # a row for a file that is not there: a copy of a's under another name
    "added": "INSERT INTO files SELECT * FROM temp.added",
}
COMMANDS = {
    "list": ("list", "feeds", "--format", "json"),
    "export": ("export", "feeds", "--format", "json", "--dedupe"),
    "clusters": ("clusters", "feeds", "--format", "json"),
    "filtered": ("list", "feeds", "--topic", "AI", "--max-quality", "55"),
}


def _corpus(root: Path) -> None:
    for n, name in enumerate(NAMES):
        text = article_text(title=f"Headline {name}", quality=40 + 10 * n)
        url = "https://news.example/s" if name in "ab" else f"https://news.example/{name}"
        write(root / "feeds" / f"{name}.md", text.replace("topics:", f'webUrl: "{url}"\ntopics:'))


def _damage(cache: Path, sql: str) -> None:
    db = sqlite3.connect(cache / "index.sqlite3")
    db.execute(f"CREATE TEMP TABLE added AS SELECT * FROM files WHERE {A_ROW}")
    db.execute("UPDATE temp.added SET name = CAST('phantom.md' AS BLOB)")
    with db:
        db.execute(sql)
    assert db.execute("SELECT count(*) FROM folders").fetchone()[0] in (0, 1)
    db.close()


# Each damage with one command in the default run; every pair in the long tier.
PAIRS = [
    ("deleted", "list"),
    ("deleted", "filtered"),
    ("all-deleted", "export"),
    ("key-damaged", "filtered"),
    ("folder-damaged", "list"),
    ("stamp-not-a-number", "clusters"),  # was an internal error (TypeError)
    ("field-not-a-date", "export"),
    ("added", "list"),
]
OTHERS = [(d, c) for d in DAMAGE for c in COMMANDS if (d, c) not in PAIRS]


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize(("damage", "command"), PAIRS)
def test_rows_changed_by_hand_give_what_no_cache_gives(
    tmp_path: Path, damage: str, command: str
) -> None:
    _check(tmp_path, damage, command)


@pytest.mark.slow
@pytest.mark.parametrize(("damage", "command"), OTHERS)
def test_rows_changed_by_hand_give_what_no_cache_gives_to_every_command(
    tmp_path: Path, damage: str, command: str
) -> None:
    _check(tmp_path, damage, command)


def _check(tmp_path: Path, damage: str, command: str) -> None:
    _corpus(tmp_path)
    cache = tmp_path / "cache"
    env = {"NEWSCLI_CACHE_DIR": str(cache)}
    args = COMMANDS[command]
    for warm in ("list", "clusters"):  # every table the commands keep, filled
        assert run_cli(*COMMANDS[warm], cwd=tmp_path, env=env).returncode == 0
    expected = run_cli(*args, "--no-cache", cwd=tmp_path, env=env)
    assert expected.returncode == 0 and "a.md" in expected.stdout
    _damage(cache, DAMAGE[damage])
    for _ in range(2):  # the first run after the damage, and the one after it
        done = run_cli(*args, cwd=tmp_path, env=env)
        assert (done.returncode, done.stderr) == (0, ""), done.stderr
        assert done.stdout == expected.stdout
    assert "phantom" not in done.stdout


def test_a_cache_without_its_triggers_is_rebuilt_with_one_warning(tmp_path: Path) -> None:
    """The triggers keep each listing the mirror of its rows: a cache without them (one
    dropped by hand) is not trusted, but made again."""
    _corpus(tmp_path)
    cache, _ = IndexCache.open(str(tmp_path / "cache"))
    assert cache is not None
    cache.db.execute("DROP TRIGGER files_deleted")
    cache.close()
    again, warning = IndexCache.open(str(tmp_path / "cache"))
    assert again is not None and "rebuilt" in (warning or ""), warning
    query = "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
    assert again.db.execute(query).fetchone()[0] == 3
    again.close()
    assert IndexCache.open(str(tmp_path / "cache"))[1] is None
