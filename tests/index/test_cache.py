"""The index cache is about speed only: results with and without it are identical."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, article_text, run_cli, write

from newscli.formats.records import to_json
from newscli.index.cache import IndexCache
from newscli.index.cache_owner import default_folder
from newscli.index.loader import load_paths


def load(folder: Path, cache: IndexCache | None):
    result = load_paths([str(folder)], cache=cache)
    return to_json(sorted(result.articles, key=lambda a: a.path)), result.problems


@pytest.fixture
def cache(tmp_path: Path) -> IndexCache:
    opened, warning = IndexCache.open(str(tmp_path / "cache"))
    assert opened is not None and warning is None
    return opened


def bump_mtime(path: Path) -> None:
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))


def test_same_results_with_and_without_cache(feeds: Path, cache: IndexCache) -> None:
    plain = load(feeds, None)
    assert load(feeds, cache) == plain  # cold: fills the cache
    assert load(feeds, cache) == plain  # warm: from the cache


def test_unchanged_files_are_not_read_again(
    feeds: Path, cache: IndexCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(feeds, cache)
    import newscli.index.loader as loader

    def refuse(path):
        raise AssertionError(f"{path} was parsed again")

    monkeypatch.setattr(loader, "parse_one", refuse)
    articles = load_paths([str(feeds)], cache=cache).articles
    assert len(articles) == 18


def test_edited_file_shows_new_values(feeds: Path, cache: IndexCache) -> None:
    load(feeds, cache)
    path = feeds / "rate-decision.md"
    path.write_text(path.read_text().replace("quality: 84", "quality: 12"))
    bump_mtime(path)
    articles = {Path(a.path).name: a for a in load_paths([str(feeds)], cache=cache).articles}
    assert articles["rate-decision.md"].quality == 12
    assert load(feeds, cache) == load(feeds, None)


def test_deleted_renamed_and_new_files(feeds: Path, cache: IndexCache) -> None:
    load(feeds, cache)
    (feeds / "sleep-study.md").unlink()
    (feeds / "heat-pump-sales.md").rename(feeds / "renamed.md")
    write(feeds / "brand-new.md", article_text(title="Brand new"))
    names = sorted(Path(a.path).name for a in load_paths([str(feeds)], cache=cache).articles)
    assert "sleep-study.md" not in names and "heat-pump-sales.md" not in names
    assert names.count("renamed.md") == 1 and "brand-new.md" in names
    assert load(feeds, cache) == load(feeds, None)


def test_file_that_becomes_invalid_is_reported(feeds: Path, cache: IndexCache) -> None:
    load(feeds, cache)
    path = feeds / "startup-layoffs.md"
    path.write_text(path.read_text().replace("quality: 23", "quality: lots"))
    bump_mtime(path)
    for _ in range(2):  # the error is cached too, and still reported
        problems = load_paths([str(feeds)], cache=cache).problems
        assert [(Path(p.path).name, p.reason) for p in problems] == [
            ("startup-layoffs.md", "quality: expected an integer, got string 'lots'")
        ]


def test_corrupt_cache_is_rebuilt_with_one_warning(feeds: Path, tmp_path: Path) -> None:
    """A cache newscli made (in a folder it made: its cache tag), damaged whole."""
    folder = tmp_path / "broken"
    made, _ = IndexCache.open(str(folder))
    assert made is not None
    made.db.close()
    (folder / "index.sqlite3").write_bytes(b"this is not a database" * 100)
    cache, warning = IndexCache.open(str(folder))
    assert cache is not None and "rebuilt" in (warning or "")
    assert load(feeds, cache) == load(feeds, None)
    again, warning = IndexCache.open(str(folder))
    assert again is not None and warning is None


def filled_cache_then(folder: Path, feeds: Path, sql: str) -> None:
    """Fill a cache at folder from feeds, run sql on it and close it."""
    cache, _ = IndexCache.open(str(folder))
    assert cache is not None
    load(feeds, cache)
    cache.db.execute(sql)
    cache.close()


def test_cache_missing_a_table_is_rebuilt_with_one_warning(feeds: Path, tmp_path: Path) -> None:
    folder = tmp_path / "damaged"
    filled_cache_then(folder, feeds, "DROP TABLE exports")
    reopened, warning = IndexCache.open(str(folder))
    assert reopened is not None and "rebuilt" in (warning or "")
    assert load(feeds, reopened) == load(feeds, None)


def test_schema_bump_rebuilds(feeds: Path, tmp_path: Path) -> None:
    folder = tmp_path / "old"
    filled_cache_then(folder, feeds, "PRAGMA user_version = 1")
    reopened, warning = IndexCache.open(str(folder))
    assert reopened is not None and warning is None
    assert reopened.db.execute("SELECT count(*) FROM files").fetchone()[0] == 0
    assert load(feeds, reopened) == load(feeds, None)


def test_unwritable_cache_folder_means_no_cache(feeds: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    # The default folder (here under XDG_CACHE_HOME): not a problem of the user's
    # files, silent unless --verbose.
    default = {"XDG_CACHE_HOME": str(blocker), "NEWSCLI_CACHE_DIR": ""}
    result = run_cli("list", str(feeds), env=default)
    assert result.returncode == 0
    assert result.stderr == ""
    assert len(result.stdout.splitlines()) == 19
    verbose = run_cli("list", str(feeds), "-v", env=default)
    assert verbose.returncode == 0
    assert verbose.stdout == result.stdout
    assert verbose.stderr.startswith("newscli: cache disabled: cannot create")
    assert "(no cache)" in verbose.stderr
    # A folder the user named (h25): said in one line, not with -q; the run goes on.
    for named in (["--cache-dir", str(blocker / "cache")], []):
        env = {} if named else {"NEWSCLI_CACHE_DIR": str(blocker / "cache")}
        said = run_cli("list", str(feeds), *named, env=env)
        assert said.returncode == 0 and said.stdout == result.stdout
        assert said.stderr.startswith("newscli: cache disabled: cannot create"), said.stderr
        assert said.stderr.count("\n") == 1
        quiet = run_cli("list", str(feeds), *named, "-q", env=env)
        assert quiet.returncode == 0 and quiet.stderr == ""


def test_cache_location(tmp_path: Path) -> None:
    assert default_folder({"NEWSCLI_CACHE_DIR": "/x"}) == "/x"
    assert default_folder({"XDG_CACHE_HOME": "/xdg"}) == "/xdg/newscli"
    assert default_folder({"HOME": "/home/u"}).endswith("/.cache/newscli")


def test_cli_cache_dir_and_no_cache(feeds: Path, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    first = run_cli("export", str(feeds), "--cache-dir", str(folder))
    assert first.returncode == 0, first.stderr
    assert (folder / "index.sqlite3").exists()
    other = tmp_path / "unused"
    second = run_cli("export", str(feeds), "--no-cache", "--cache-dir", str(other))
    assert second.returncode == 0, second.stderr
    assert not other.exists()
    assert first.stdout == second.stdout
    assert len(json.loads(first.stdout)) == 18


@pytest.mark.slow
def test_parallel_cold_load_and_cache_agree(tmp_path: Path) -> None:
    """Enough files for worker processes; cold, warm and uncached runs agree."""
    feeds = tmp_path / "many"
    for i in range(1500):
        text = article_text(title=f"Article {i}", quality=i % 101, topics="AI" if i % 3 else "X")
        write(feeds / f"d{i % 7}" / f"a{i:04}.md", text)
    write(feeds / "bad.md", "---\ntitle: [\n---\n")
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    runs = [run_cli("export", str(feeds), "--topic", "AI", env=env) for _ in range(2)]
    runs.append(run_cli("export", str(feeds), "--topic", "AI", "--no-cache"))
    serial = run_cli("export", str(feeds), "--topic", "AI", "--no-cache", env={"NEWSCLI_JOBS": "1"})
    assert [run.returncode for run in [*runs, serial]] == [0, 0, 0, 0]
    assert runs[0].stdout == runs[1].stdout == runs[2].stdout == serial.stdout
    assert runs[0].stderr == runs[1].stderr == serial.stderr
    assert runs[0].stdout.count("\n") == 1000 + 2


def test_concurrent_runs_share_the_cache(feeds: Path, tmp_path: Path) -> None:
    env = {**os.environ, "NEWSCLI_CACHE_DIR": str(tmp_path / "shared")}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "newscli", "export", str(feeds)],
            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        for _ in range(6)
    ]  # fmt: skip
    outputs = [proc.communicate(timeout=120) for proc in procs]
    assert all(proc.returncode == 0 for proc in procs)
    assert len({out for out, _ in outputs}) == 1
    assert all(err == b"" for _, err in outputs), [err for _, err in outputs]
    db = sqlite3.connect(tmp_path / "shared" / "index.sqlite3")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_file_names_that_are_not_utf8(tmp_path: Path) -> None:
    folder = tmp_path / "weird"
    folder.mkdir()
    name = os.fsdecode(b"bad\xffname.md")
    (folder / name).write_text("---\ntitle: Weird name\n---\n")
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    for _ in range(2):  # cold, then from the cache
        listing = run_cli("list", str(folder), env=env)
        assert listing.returncode == 0, listing.stderr
        # (the byte as Python's escape of it, as error lines and JSON write it: h84 1)
        assert listing.stdout.splitlines()[1].endswith("/bad\\udcffname.md")
    exported = run_cli("export", str(folder), env=env)
    assert '"path":"' + str(folder) + '/bad\\udcffname.md"' in exported.stdout
    assert run_cli("publish", str(folder), "--all", env=env).returncode == 0
    assert "published: true" in (folder / name).read_text()


def test_workers_fill_the_cache_so_the_next_run_parses_nothing(tmp_path: Path) -> None:
    """A cold load in worker processes stores what they parsed: the warm run reads every
    file from the cache. (Closing the cache's descriptors in the workers once made their
    own connections wait for locks until they gave up: output right, every run cold.)"""
    feeds = tmp_path / "feeds"
    for i in range(1200):
        write(feeds / f"d{i % 4}" / f"a{i:04}.md", article_text(title=f"Article {i}"))
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache"), "NEWSCLI_JOBS": "2"}
    cold = run_cli("list", str(feeds), "-v", env=env)
    warm = run_cli("list", str(feeds), "-v", env=env)
    assert cold.returncode == warm.returncode == 0
    assert "0 from the cache, 1200 parsed" in cold.stderr
    assert "1200 from the cache, 0 parsed" in warm.stderr, warm.stderr


def test_a_cache_another_run_holds_is_waited_for_never_removed(tmp_path: Path) -> None:
    """CI, 6 runs opening a new cache together on a loaded machine: one's open met
    "database is locked" (changing a new database to WAL does not wait), took it for
    damage, removed the file the others were using and warned. It waits now."""
    import threading
    import time

    from newscli.index.cache import FILE_NAME, IndexCache

    path = tmp_path / FILE_NAME
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")  # (a new database, held as another run's create)
    inode = path.stat().st_ino
    timer = threading.Timer(0.5, lambda: holder.execute("COMMIT"))
    timer.start()
    started = time.monotonic()
    try:
        cache, warning = IndexCache.open(str(tmp_path))
    finally:
        timer.join()
        holder.close()
    assert warning is None and cache is not None
    cache.close()
    assert path.stat().st_ino == inode  # the same file: not removed and made again
    assert time.monotonic() - started >= 0.4


def test_a_lock_met_while_opening_is_waited_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The open's own "database is locked" (as the CI run met it): tried again, never
    taken for damage (the old code removed the cache and said "rebuilt it")."""
    from newscli.index.cache import FILE_NAME, IndexCache

    assert IndexCache.open(str(tmp_path))[1] is None
    inode = (tmp_path / FILE_NAME).stat().st_ino
    real = IndexCache._connect.__func__  # type: ignore[attr-defined]
    calls = []

    def locked_twice(cls: type[IndexCache], path: str) -> IndexCache:
        calls.append(path)
        if len(calls) <= 2:
            raise sqlite3.OperationalError("database is locked")
        return real(cls, path)  # type: ignore[no-any-return]

    monkeypatch.setattr(IndexCache, "_connect", classmethod(locked_twice))
    cache, warning = IndexCache.open(str(tmp_path))
    assert warning is None and cache is not None and len(calls) == 3
    cache.close()
    assert (tmp_path / FILE_NAME).stat().st_ino == inode
