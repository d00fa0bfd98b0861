"""A page of the cache damaged where SQLite does not look (h99 MED: bytes written into
a leaf page of ``files``; SQLite's range read then left 3 of 18 rows out without an
error, the folders' listings still matched the files, and every run left those 3
articles out, `--no-cache` not; here a page's cell count is lowered). A run with no
filter the cache tests counts each folder's rows against its listing: the damage is
marked, that run reads the files, the next rebuilds."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import SAMPLES, article_text, run_cli, write
from sqlite_pages import flip_type

from newscli.index.cache import DAMAGED, FILE_NAME, MALFORMED, IndexCache
from newscli.index.cache_keys import to_text


def _damage(database: Path) -> None:
    """Lower the cell count in the header of the fullest leaf page of ``files`` by 2: its
    last two rows are no longer read, and nothing SQLite reads says so."""
    db = sqlite3.connect(database)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    query = "SELECT pageno, ncell FROM dbstat WHERE name = 'files' AND pagetype = 'leaf'"
    page, cells = max(db.execute(query).fetchall(), key=lambda row: row[1])
    size = db.execute("PRAGMA page_size").fetchone()[0]
    db.close()
    assert cells >= 2
    with open(database, "r+b") as file:
        file.seek((page - 1) * size + (100 if page == 1 else 0) + 3)
        file.write((cells - 2).to_bytes(2, "big"))


def _rows(database: Path, root: Path) -> int:
    """The rows a run's range read of ``files`` below ``root`` gives, without complaint."""
    low = os.fsencode(str(root.resolve()) + os.sep)
    high = low[:-1] + bytes([low[-1] + 1])
    query = "SELECT name FROM files WHERE folder >= ? AND folder < ?"
    db = sqlite3.connect(database)
    try:
        return len(db.execute(query, (low, high)).fetchall())
    finally:
        db.close()


def _warm(tmp_path: Path, fmt: str) -> tuple[Path, list[str], str]:
    """A copy of the samples, its cache warmed by an export in ``fmt``: (the cache, that
    export's arguments, its output without the cache)."""
    feeds = tmp_path / "feeds"
    shutil.copytree(SAMPLES, feeds)
    cache = tmp_path / "cache"
    args = ["export", str(feeds), "--format", fmt, "--cache-dir", str(cache)]
    whole = run_cli(*args, "--no-cache").stdout
    assert run_cli(*args).returncode == 0
    return cache, args, whole


def _said_once_then_rebuilt(cache: Path, args: list[str], whole: str) -> None:
    """The run of ``args`` that meets the damage writes ``whole`` (what `--no-cache`
    writes) and says so in one line; the next writes it too and says it rebuilt."""
    first = run_cli(*args)
    assert (first.returncode, first.stdout) == (0, whole)
    assert first.stderr == (
        f"newscli: cache {cache / FILE_NAME}: database disk image is malformed; going on"
        " without it (rebuilt at the next run)\n"
    )
    second = run_cli(*args)
    assert (second.returncode, second.stdout) == (0, whole)
    assert second.stderr == f"newscli: cache {cache / FILE_NAME} was damaged; rebuilt it\n"


def test_rows_lost_without_an_error_are_damage(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    shutil.copytree(SAMPLES, feeds)
    cache = tmp_path / "cache"
    listing = ["list", str(feeds), "--format", "tsv", "--cache-dir", str(cache)]
    whole = run_cli(*listing, "--no-cache").stdout
    assert whole.count("\n") == 19  # (the header and 18 articles)
    assert run_cli(*listing).returncode == 0
    _damage(cache / FILE_NAME)
    assert _rows(cache / FILE_NAME, feeds) < 18  # (what the damage does: rows lost, no error)
    _said_once_then_rebuilt(cache, listing, whole)
    assert _rows(cache / FILE_NAME, feeds) == 18


@pytest.mark.parametrize(
    "filters",
    [["--unpublished"], ["--min-quality", "10"], ["--topic", "AI", "--topic", "Economy"]],
)
def test_rows_lost_without_an_error_are_damage_in_a_filtered_run_too(
    tmp_path: Path, filters: list[str]
) -> None:
    """h144 HIGH: a run with a filter the cache tests did not count, and left out the
    rows the damage hid, run after run: a cron job's `export --unpublished
    --mark-published` never shipped them (447 of 517 in its try). Now every run counts."""
    feeds = tmp_path / "feeds"
    shutil.copytree(SAMPLES, feeds)
    cache = tmp_path / "cache"
    listing = ["list", str(feeds), *filters, "--format", "tsv", "--cache-dir", str(cache)]
    whole = run_cli(*listing, "--no-cache").stdout
    assert whole.count("\n") > 2
    assert run_cli(*listing).returncode == 0
    _damage(cache / FILE_NAME)
    assert _rows(cache / FILE_NAME, feeds) < 18
    _said_once_then_rebuilt(cache, listing, whole)


def test_a_filtered_cron_export_ships_every_article_of_a_damaged_cache(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    shutil.copytree(SAMPLES, feeds)
    cache = tmp_path / "cache"
    env = {"NEWSCLI_STATE_DIR": str(tmp_path / "state")}
    base = ["export", str(feeds), "--unpublished", "--cache-dir", str(cache), "--format", "jsonl"]
    wanted = {line for line in run_cli(*base, "--no-cache").stdout.splitlines()}
    assert run_cli(*base).returncode == 0
    _damage(cache / FILE_NAME)
    shipped = run_cli(*base, "--mark-published", "-q", env=env)
    assert shipped.returncode == 0, shipped.stderr
    assert set(shipped.stdout.splitlines()) == wanted  # (the first run, not a later one)


def test_a_name_changed_in_a_row_is_damage(tmp_path: Path) -> None:
    """h100 MED: a byte of a stored name changed: the count held, and every run showed
    the article under a name no file has (`a05X.md`), its title gone."""
    cache, listing, whole = _warm(tmp_path, "jsonl")
    assert _change_stored(cache / FILE_NAME, b"rate-decision.md", b"rXte", "files") == 1
    first = run_cli(*listing)
    assert (first.returncode, first.stdout) == (0, whole)
    assert "database disk image is malformed" in first.stderr


@pytest.mark.parametrize("value", [None, "x"])
def test_a_names_checksum_of_another_type_is_damage(tmp_path: Path, value: object) -> None:
    """h155 MED: a folder's checksum of its names read as null turned the names check
    off: a stored name then changed in its page showed the article under a name no file
    has, its fields gone, exit 0, run after run."""
    cache, listing, whole = _warm(tmp_path, "jsonl")
    db = sqlite3.connect(cache / FILE_NAME)
    with db:
        assert db.execute("UPDATE folders SET names = ?", (value,)).rowcount >= 1
    db.close()
    assert _change_stored(cache / FILE_NAME, b"rate-decision.md", b"rXte", "files") == 1
    _said_once_then_rebuilt(cache, listing, whole)


def test_damage_met_while_the_output_is_written_is_said_by_that_run(tmp_path: Path) -> None:
    """h100 LOW: a page of the export texts damaged: the run met it while writing the
    output, marked it and wrote the right output, but said nothing (only the next run
    said 'was damaged; rebuilt it')."""
    feeds = tmp_path / "feeds"
    shutil.copytree(SAMPLES, feeds)
    cache = tmp_path / "cache"
    export = ["export", str(feeds), "--cache-dir", str(cache)]
    whole = run_cli(*export, "--no-cache").stdout
    assert run_cli(*export).returncode == 0
    db = sqlite3.connect(cache / FILE_NAME)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    query = "SELECT pageno FROM dbstat WHERE name = 'exports' AND pagetype = 'leaf'"
    page = max(page for (page,) in db.execute(query))
    size = db.execute("PRAGMA page_size").fetchone()[0]
    db.close()
    with open(cache / FILE_NAME, "r+b") as file:  # (its page type made invalid)
        file.seek((page - 1) * size)
        file.write(b"\x00")
    first = run_cli(*export)
    assert (first.returncode, first.stdout) == (0, whole)
    assert first.stderr == (
        f"newscli: cache {cache / FILE_NAME}: database disk image is malformed; going on"
        " without it (rebuilt at the next run)\n"
    )


def _change_stored(database: Path, old: bytes, new: bytes, table: str = "exports") -> int:
    """Write ``new`` over the start of each ``old`` that the leaf pages of ``table`` hold
    (SQLite sees no damage there); how many pages that changed, one at least."""
    db = sqlite3.connect(database)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    query = "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf'"
    pages = [page for (page,) in db.execute(query, (table,))]
    size = db.execute("PRAGMA page_size").fetchone()[0]
    db.close()
    data = bytearray(database.read_bytes())
    assert len(new) <= len(old)
    changed = 0
    for page in pages:
        start = (page - 1) * size
        at = data.find(old, start, start + size)
        if at >= 0:
            data[at : at + len(new)] = new
            changed += 1
    assert changed >= 1
    database.write_bytes(bytes(data))
    return changed


@pytest.mark.parametrize(
    ("fmt", "old", "new"),
    [
        ("csv", b'"title":"Chipmakers brace', b'"title"#"Chipmakers brace'),  # (not JSON)
        ("json", b'"title":"Chipmakers brace', b'"title"#"Chipmakers brace'),
        ("jsonl", b'"title":"Chipmakers brace', b'"title":"Chipmakerz brace'),  # (valid JSON)
        ("html", b'"title":"Chipmakers brace', b'"title":"Chipmakerz brace'),
    ],
)
def test_a_byte_changed_inside_a_stored_export_is_damage(
    tmp_path: Path, fmt: str, old: bytes, new: bytes
) -> None:
    """h122 MED: a byte changed inside a stored export (SQLite sees no damage there):
    CSV, HTML and clusters stopped with an error until the cache was rebuilt, and a json
    or jsonl export copied it as it was: invalid JSON, or a wrong title, exit 0. Each
    stored text is checked against its checksum now: the run that meets the damage reads
    that file again, writes what `--no-cache` writes and says so; the next rebuilds."""
    cache, args, whole = _warm(tmp_path, fmt)
    _change_stored(cache / FILE_NAME, old, new)
    _said_once_then_rebuilt(cache, args, whole)
    assert run_cli(*args).stderr == ""


def test_a_byte_changed_inside_stored_csv_cells_is_damage(tmp_path: Path) -> None:
    """The CSV cells kept beside an export are checked too: a letter changed in them
    (valid text, SQLite sees nothing) was a wrong cell in every later CSV export."""
    cache, args, whole = _warm(tmp_path, "csv")
    assert run_cli(*args).stdout == whole  # (the second run keeps the cells)
    db = sqlite3.connect(cache / FILE_NAME)
    assert db.execute("SELECT count(*) FROM cells").fetchone()[0] >= 18
    db.close()
    _change_stored(cache / FILE_NAME, b"Chipmakers brace", b"Chipmakerz brace", "cells")
    first = run_cli(*args)
    assert (first.returncode, first.stdout) == (0, whole)
    assert "database disk image is malformed" in first.stderr
    second = run_cli(*args)
    assert (second.returncode, second.stdout) == (0, whole)


@pytest.mark.parametrize("read", ["one", "many"])
def test_a_stored_export_changed_by_hand_is_not_handed_out(tmp_path: Path, read: str) -> None:
    """Both ways of reading an export text back (one file's, and a batch's) check it: a
    text changed inside a valid database is damage, not an export (the caller makes it
    again from the file), and the cache is marked for rebuilding."""
    cache, _, _ = _warm(tmp_path, "jsonl")
    db = sqlite3.connect(cache / FILE_NAME)
    with db:
        key, text = db.execute("SELECT key, export FROM exports LIMIT 1").fetchone()
        db.execute("UPDATE exports SET export = ? WHERE key = ?", (text.replace("a", "b"), key))
    db.close()
    opened, warning = IndexCache.open(str(cache))
    assert opened is not None and warning is None
    found = opened.export(to_text(key)) if read == "one" else opened.exports([to_text(key)])
    assert found in (None, {})
    assert opened.broken and opened.warning is not None and MALFORMED in opened.warning
    assert (cache / (FILE_NAME + DAMAGED)).exists()
    opened.close()


@pytest.mark.parametrize("how", ["another row's", "empty"])
def test_a_stored_export_swapped_or_emptied_with_its_sum_is_damage(
    tmp_path: Path, how: str
) -> None:
    """h138: the checksum did not cover the row's key, so another row's text and sum
    copied into a row shipped that article's title under this path, every run; and an
    empty text with the empty text's sum (0) made JSON output invalid, exit 0."""
    cache, args, whole = _warm(tmp_path, "jsonl")
    db = sqlite3.connect(cache / FILE_NAME)
    with db:
        (first,) = db.execute("SELECT key FROM exports ORDER BY key LIMIT 1").fetchone()
        query = "SELECT export, sum FROM exports ORDER BY key DESC LIMIT 1"
        text, stored = db.execute(query).fetchone()
        value = (text, stored) if how == "another row's" else ("", 0)
        db.execute("UPDATE exports SET export = ?, sum = ? WHERE key = ?", (*value, first))
    db.close()
    _said_once_then_rebuilt(cache, args, whole)


def test_a_name_damaged_into_its_neighbours_is_damage(tmp_path: Path) -> None:
    """h147 HIGH: a row's name changed into the next file's name kept its folder's row
    count, and every name still named a file: a cron export shipped the neighbour
    (never marked: "changed since it was exported") run after run, the article itself
    never. Distinct names are counted."""
    cache, base, env, wanted = _cron(tmp_path)
    assert _change_stored(cache / FILE_NAME, b"b2.md", b"b3.md", "files") >= 1
    shipped = run_cli(*base, "--mark-published", env=env)
    assert shipped.returncode == 0, shipped.stderr
    assert set(shipped.stdout.splitlines()) == set(wanted.splitlines())
    assert "database disk image is malformed" in shipped.stderr
    assert run_cli(*base, env=env).stdout == ""  # (every one shipped and marked)


def test_two_names_swapped_between_rows_is_damage(tmp_path: Path) -> None:
    """h148 HIGH: two names of the same length swapped between their rows kept the
    folder's row count and its distinct names: a filtered cron export shipped each file's
    row under the other's name, run after run. Names out of order are damage."""
    feeds = tmp_path / "feeds"
    for n in range(1, 7):
        topics = "AI" if n == 2 else "Sport"
        write(feeds / f"b{n}.md", article_text(title=f"Story {n}", topics=topics))
    cache = tmp_path / "cache"
    env = {"NEWSCLI_STATE_DIR": str(tmp_path / "state")}
    base = ["export", str(feeds), "--topic", "AI", "--unpublished", "--cache-dir", str(cache)]
    base += ["--format", "jsonl", "--fields", "path,title"]
    wanted = run_cli(*base, "--no-cache").stdout
    assert wanted.count("\n") == 1 and "b2.md" in wanted
    assert run_cli(*base).returncode == 0
    database = cache / FILE_NAME
    assert _change_stored(database, b"b2.md", b"b#.md", "files") >= 1
    assert _change_stored(database, b"b5.md", b"b2.md", "files") >= 1
    assert _change_stored(database, b"b#.md", b"b5.md", "files") >= 1
    shipped = run_cli(*base, "--mark-published", env=env)
    assert (shipped.returncode, shipped.stdout) == (0, wanted), shipped.stderr
    assert "database disk image is malformed" in shipped.stderr
    assert run_cli(*base, env=env).stdout == ""  # (shipped and marked)
    assert "published: true" in (feeds / "b2.md").read_text()
    assert "published: true" not in (feeds / "b5.md").read_text()


def _cron(tmp_path: Path) -> tuple[Path, list[str], dict[str, str], str]:
    """Six articles on AI, a cache warmed by a cron-style export of them: (the cache, the
    export's arguments, its environment, what `--no-cache` writes)."""
    feeds = tmp_path / "feeds"
    for n in range(1, 7):
        write(feeds / f"b{n}.md", article_text(title=f"Story {n}", topics="AI"))
    cache = tmp_path / "cache"
    env = {"NEWSCLI_STATE_DIR": str(tmp_path / "state")}
    base = ["export", str(feeds), "--topic", "AI", "--unpublished", "--cache-dir", str(cache)]
    base += ["--format", "jsonl", "--fields", "path,title"]
    wanted = run_cli(*base, "--no-cache").stdout
    assert wanted.count("\n") == 6
    assert run_cli(*base).returncode == 0
    return cache, base, env, wanted


@pytest.mark.parametrize(
    ("column", "bit", "what"),
    [
        (1, 2, "a name one byte shorter, the row's other columns shifted"),
        (0, 1, "a folder read as text"),
        (6, 8, "an error that is the number 0"),  # (h149 MED, older: internal errors, every
        (9, 1, "a title read as bytes"),  # run, until the cache was removed by hand)
        (16, 4, "categories that are a number"),
        (22, 1, "topics read as bytes"),
        (11, 1, "a date read as a float"),  # (h151 HIGH: these three were left out of
        (19, 4, "published read as bytes"),  # filtered runs, or shown wrong, run after
        (23, 4, "rejected read as bytes"),  # run, without a word)
    ],
)
def test_a_flipped_bit_in_a_rows_header_is_damage(
    tmp_path: Path, column: int, bit: int, what: str
) -> None:
    """h149 HIGH: one bit of a row's header made its name `b2.m` (still in order, the
    count unchanged) and shifted the row's other columns, so the row no longer passed
    `--topic AI` and no check saw it: `b2.md` left out, exit 0, run after run. h149 MED
    (this stop's order check): a folder read as text stopped every run with an
    internal error, and so did a row's value of another type (older). Each is damage
    now: the files read, the next run rebuilds."""
    cache, base, env, wanted = _cron(tmp_path)
    flip_type(cache / FILE_NAME, b"b2.md", column, bit)
    shipped = run_cli(*base, "--mark-published", env=env)
    assert (shipped.returncode, shipped.stdout) == (0, wanted), (what, shipped.stderr)
    assert "database disk image is malformed" in shipped.stderr
    assert "internal error" not in shipped.stderr
    assert run_cli(*base, env=env).stdout == ""  # (every one shipped and marked)


def test_a_name_read_as_text_then_its_file_changed_is_damage(tmp_path: Path) -> None:
    """h151 MED: a name one flipped bit made text (its bytes the same) passed the
    checks, rightly, until its file changed: then every run stopped with an internal
    error while forgetting the old row (text joined to bytes). It is damage there."""
    cache, base, env, wanted = _cron(tmp_path)
    flip_type(cache / FILE_NAME, b"b2.md", 1, 1)
    write(tmp_path / "feeds" / "b2.md", article_text(title="Story 2, updated", topics="AI"))
    wanted = wanted.replace("Story 2", "Story 2, updated")
    for _ in range(2):
        run = run_cli(*base, env=env)
        assert (run.returncode, run.stdout) == (0, wanted), run.stderr
        assert "internal error" not in run.stderr


def test_clusters_meeting_a_title_of_another_type_says_the_damage(tmp_path: Path) -> None:
    """h151 MED: a cache warmed by a cron export (no story data yet), then a title read
    as bytes: `clusters` stopped with an internal error while making the story data,
    every run. The damage is said, the files read, the next run rebuilds."""
    cache, _, env, _ = _cron(tmp_path)
    args = ["clusters", str(tmp_path / "feeds"), "--format", "json"]
    whole = run_cli(*args, "--no-cache", env=env).stdout
    flip_type(cache / FILE_NAME, b"b2.md", 9, 1)
    for said in ("database disk image is malformed", "was damaged; rebuilt it"):
        run = run_cli(*args, "--cache-dir", str(cache), env=env)
        assert (run.returncode, run.stdout) == (0, whole), run.stderr
        assert said in run.stderr


def test_a_topic_key_read_as_a_number_leaves_no_article_out(tmp_path: Path) -> None:
    """h152 MED: one flipped bit made a one-letter topic's stored key (3 bytes of text)
    a 3-byte number: `--topic c` left that article out, exit 0, every run. Such a key
    is let by the cache's test; the article's own topics decide."""
    feeds = tmp_path / "feeds"
    for name in ("b1", "b2"):
        write(feeds / f"{name}.md", article_text(title=f"Story {name}", topics="C"))
    cache = tmp_path / "cache"
    args = ["list", str(feeds), "--topic", "c", "--format", "tsv", "--cache-dir", str(cache)]
    whole = run_cli(*args, "--no-cache").stdout
    assert whole.count("\n") == 3 and run_cli(*args).returncode == 0
    flip_type(cache / FILE_NAME, b"b1.md", 24, 16)
    for _ in range(2):
        run = run_cli(*args)
        assert (run.returncode, run.stdout) == (0, whole), run.stderr


@pytest.mark.parametrize(
    ("old", "new"),
    [(b'"integer"', b"1234567.0"), (b'[{"score"', b'[["score"')],  # (another shape; no JSON)
)
def test_a_damaged_field_map_is_damage(tmp_path: Path, old: bytes, new: bytes) -> None:
    """h152 LOW (older): a stored field map of valid JSON but another shape (or no JSON)
    was an internal error in every run that listed the files' fields (CSV's columns,
    --where or --columns on a field beyond the model)."""
    feeds = tmp_path / "feeds"
    for n in (1, 2):
        text = article_text(title=f"Story {n}").replace("---\n", f"---\nscore: {n}\n", 1)
        write(feeds / f"b{n}.md", text)
    cache = tmp_path / "cache"
    args = ["export", str(feeds), "--format", "csv", "--cache-dir", str(cache)]
    whole = run_cli(*args, "--no-cache").stdout
    assert "score" in whole.splitlines()[0] and run_cli(*args).returncode == 0
    assert _change_stored(cache / FILE_NAME, old, new, "files") >= 1
    for said in ("database disk image is malformed", "was damaged; rebuilt it"):
        run = run_cli(*args)
        assert (run.returncode, run.stdout) == (0, whole), run.stderr
        assert said in run.stderr
