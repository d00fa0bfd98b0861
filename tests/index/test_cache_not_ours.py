"""--cache-dir given a folder holding another program's ``index.sqlite3`` (h99 HIGH: its
tables were dropped and newscli's made in their place, with no word): the database is
left as it is, byte for byte, and the run goes on without a cache, saying so once. A
cache of newscli's, of this version or one made before its application id, is used."""

from __future__ import annotations

import os
import sqlite3
import stat
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


@pytest.mark.parametrize(
    "statements",
    [
        # h101: newscli's table names with a schema version were taken for an old cache
        ["CREATE TABLE folders (id INTEGER PRIMARY KEY, name TEXT)",
         "INSERT INTO folders (name) VALUES ('inbox')", "PRAGMA user_version = 3"],
        ["CREATE TABLE files (id, folder, name, size)", "PRAGMA user_version = 7"],
        ["CREATE TABLE cells (row, col, v)", "PRAGMA user_version = 1"],
        ["PRAGMA user_version = 5"],
    ],
)  # fmt: skip
def test_newscli_names_and_a_version_are_not_enough(tmp_path: Path, statements: list[str]) -> None:
    cache = tmp_path / "app"
    cache.mkdir()
    (cache / "notes.txt").write_text("the folder is another program's\n", encoding="utf-8")
    _database(cache / FILE_NAME, *statements)
    before = (cache / FILE_NAME).read_bytes()
    code, _, err = _listed(cache)
    assert code == 0 and "left as it is" in err
    assert (cache / FILE_NAME).read_bytes() == before


def test_another_programs_wal_is_not_checkpointed(tmp_path: Path) -> None:
    """h101: looked at through a read-write connection, its WAL was checkpointed into
    the file and removed, while the run said 'left as it is'."""
    cache = tmp_path / "app"
    cache.mkdir()
    (cache / "notes.txt").write_text("x\n", encoding="utf-8")
    writer = sqlite3.connect(cache / FILE_NAME)
    writer.execute("PRAGMA journal_mode = WAL")
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("CREATE TABLE notes (x)")
    writer.execute("INSERT INTO notes VALUES ('kept')")
    writer.commit()
    saved = {p.name: p.read_bytes() for p in cache.iterdir() if p.name.startswith(FILE_NAME)}
    writer.close()  # (its WAL checkpointed: put back as the open program had it)
    for name, data in saved.items():
        (cache / name).write_bytes(data)
    code, _, err = _listed(cache)
    assert code == 0 and "left as it is" in err
    now = {p.name: p.read_bytes() for p in cache.iterdir() if p.name.startswith(FILE_NAME)}
    assert now[FILE_NAME] == saved[FILE_NAME]
    assert now[FILE_NAME + "-wal"] == saved[FILE_NAME + "-wal"]


def test_a_link_to_another_folders_tag_owns_nothing(tmp_path: Path) -> None:
    """h101: a CACHEDIR.TAG linked from a folder newscli made made a text file its own."""
    made = tmp_path / "made"
    assert _listed(made)[0] == 0
    cache = tmp_path / "app"
    cache.mkdir()
    (cache / "CACHEDIR.TAG").symlink_to(made / "CACHEDIR.TAG")
    (cache / FILE_NAME).write_text("notes\n", encoding="utf-8")
    code, _, err = _listed(cache)
    assert code == 0 and "left as it is" in err
    assert (cache / FILE_NAME).read_text(encoding="utf-8") == "notes\n"


def test_a_stale_damage_mark_removes_nothing_of_anothers(tmp_path: Path) -> None:
    """h101: a .damaged file beside another's database had it replaced."""
    cache = tmp_path / "app"
    cache.mkdir()
    _database(cache / FILE_NAME, "CREATE TABLE notes (x)")
    (cache / (FILE_NAME + ".damaged")).write_text("", encoding="utf-8")
    before = (cache / FILE_NAME).read_bytes()
    code, _, err = _listed(cache)
    assert code == 0 and "left as it is" in err
    assert (cache / FILE_NAME).read_bytes() == before


def test_a_cache_in_a_folder_given_with_other_files_is_known_by_its_header(
    tmp_path: Path,
) -> None:
    """h101: newscli's id stayed in the WAL, so its own cache, in a folder it did not
    make, was 'another program's file' once damaged. The id is in the file's header;
    damage past the header is rebuilt."""
    cache = tmp_path / "app"
    cache.mkdir()
    (cache / "notes.txt").write_text("x\n", encoding="utf-8")
    assert _listed(cache)[0] == 0
    head = (cache / FILE_NAME).read_bytes()[:100]
    assert int.from_bytes(head[68:72], "big") == APPLICATION_ID
    with open(cache / FILE_NAME, "r+b") as file:  # (damage past the header)
        file.seek(100)
        file.write(b"\xff" * 200)
    for name in (FILE_NAME + "-wal", FILE_NAME + "-shm"):
        (cache / name).unlink(missing_ok=True)
    code, out, err = _listed(cache)
    assert code == 0 and "rebuilt it" in err and out == _listed(tmp_path / "fresh")[1]


def _foreign_in_own_folder(tmp_path: Path, table: str) -> Path:
    """A cache folder newscli made (its CACHEDIR.TAG), its database replaced by one of a
    single table of that name."""
    cache = tmp_path / "cache"
    assert _listed(cache)[0] == 0
    assert (cache / "CACHEDIR.TAG").is_file()
    for leftover in cache.glob(FILE_NAME + "*"):
        leftover.unlink()
    db = sqlite3.connect(cache / FILE_NAME)
    db.execute(f"CREATE TABLE {table} (x)")
    db.commit()
    db.close()
    return cache


def test_another_database_in_newsclis_own_folder_is_rebuilt(tmp_path: Path) -> None:
    """h144 LOW: a database of another shape put in a folder newscli made (its
    CACHEDIR.TAG) disabled the cache on every run, "another program's file ... left as
    it is", though the README counts any file there as newscli's own: rebuilt, said."""
    cache = _foreign_in_own_folder(tmp_path, "files")
    code, out, err = _listed(cache)
    assert (code, out) == (0, _listed(tmp_path / "other")[1])
    assert err == (f"newscli: cache {cache / FILE_NAME} was not newscli's; rebuilt it\n")
    db = sqlite3.connect(cache / FILE_NAME)
    assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    db.close()
    assert _listed(cache)[2] == ""  # (used from then on)


def test_one_it_may_not_remove_there_is_left_and_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """h147 HIGH: where the run may not remove it (another user's file in a sticky
    folder: EPERM), the rebuild above tried to open it again: internal error, every run
    (a cron export shipped nothing). Now the cache is off for that run, as before."""
    import newscli.index.cache as cache_module
    from newscli.index.cache import IndexCache

    cache = _foreign_in_own_folder(tmp_path, "mine")
    before = (cache / FILE_NAME).read_bytes()
    monkeypatch.setattr(cache_module, "remove_database", lambda path: None)  # (EPERM, say)
    opened, warning = IndexCache.open(str(cache))
    assert opened is None and warning is not None
    assert "is another program's file, not newscli's index cache" in warning
    assert (cache / FILE_NAME).read_bytes() == before


def _fifo_in_own_folder(tmp_path: Path, suffix: str = "") -> Path:
    """A cache folder newscli made, a FIFO at its database's path (or its log's, at
    ``suffix``; the database then still there)."""
    cache = tmp_path / "cache"
    assert _listed(cache)[0] == 0
    for leftover in cache.glob(FILE_NAME + ("-*" if suffix else "*")):
        leftover.unlink()
    os.mkfifo(cache / (FILE_NAME + suffix))
    return cache


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal"])
def test_a_fifo_in_its_own_folder_is_replaced(tmp_path: Path, suffix: str) -> None:
    """h148: a FIFO at the database's path was handed to SQLite, whose read-only open
    (a user who may not write the FIFO) waited for a writer forever, deaf to SIGTERM;
    h149: a FIFO at its -journal did so as root too, and at its -wal the cache stayed
    off for good. Each is looked at first: in newscli's own folder, replaced."""
    cache = _fifo_in_own_folder(tmp_path, suffix)
    code, out, err = _listed(cache)
    assert (code, out) == (0, _listed(tmp_path / "fresh")[1])
    odd = cache / (FILE_NAME + suffix)
    assert err == f"newscli: cache {odd} was not a regular file; rebuilt it\n"
    assert not odd.exists() or odd.is_file()
    assert _listed(cache)[2] == ""


def test_a_fifo_it_may_not_remove_is_never_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """... and where it may not be removed, the cache is off for the run; SQLite is never
    asked to open it."""
    import newscli.index.cache as cache_module
    from newscli.index.cache import IndexCache

    cache = _fifo_in_own_folder(tmp_path)
    monkeypatch.setattr(cache_module, "remove_database", lambda path: None)  # (EPERM, say)

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"SQLite opened {args}")

    monkeypatch.setattr(sqlite3, "connect", never)
    opened, warning = IndexCache.open(str(cache))
    assert opened is None
    assert warning == f"cache disabled: {cache / FILE_NAME} is not a regular file: left as it is"
    assert stat.S_ISFIFO((cache / FILE_NAME).lstat().st_mode)


class _Straddled:
    """A connection whose second statement runs after another run created the cache:
    what one of six runs opening a new cache together met (CI on 3.13: it read the
    tables before the other run's commit and the version after, took the cache for
    another program's, and removed it under the five others)."""

    def __init__(self, db: sqlite3.Connection, create: object, at: int) -> None:
        self.db, self.create, self.at, self.statements = db, create, at, 0

    def execute(self, sql: str) -> sqlite3.Cursor:
        self.statements += 1
        if self.statements == self.at:
            self.create()  # type: ignore[operator]
        return self.db.execute(sql)


@pytest.mark.parametrize("at", [2, 3, 4])
@pytest.mark.parametrize("wal", [True, False], ids=["wal", "rollback journal"])
def test_a_cache_created_meanwhile_is_never_another_programs(
    tmp_path: Path, wal: bool, at: int
) -> None:
    from newscli.index.cache import IndexCache
    from newscli.index.cache_owner import check_ours

    path = tmp_path / FILE_NAME
    other = sqlite3.connect(path, isolation_level=None, timeout=0.2)
    if wal:
        other.execute("PRAGMA journal_mode = WAL")
    db = sqlite3.connect(path, isolation_level=None, timeout=0.2)
    created: list[str] = []

    def create() -> None:
        try:
            IndexCache._create(other)
            created.append("created")
        except sqlite3.OperationalError as exc:  # (held off by this run's read: fine)
            created.append(str(exc))

    # all of it seen or none of it: new, or newscli's by its id (never another's, nor a
    # cache from before the id)
    assert check_ours(_Straddled(db, create, at)) is False  # type: ignore[arg-type]
    assert created in (["created"], ["database is locked"])
    assert check_ours(db) is False
    db.close()
    other.close()
