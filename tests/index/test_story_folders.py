"""Each folder's story inputs packed in one row (index/story_folders): what a grouping
reads from them is what the files' own rows and story data rows hold for the walked
versions (checked against those, read the slow way); a file takes its values only while
the walk finds the version they were made from; a row that is damaged, of another
version of the code, or unreadable is not used; nothing is lost when the database
fails."""

import marshal
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from newscli.index import story_cache, story_folders, story_rows
from newscli.index.cache import IndexCache
from newscli.index.loader import load_paths
from newscli.index.prefilter import NOTHING
from newscli.select import story_light
from newscli.select.query import Query
from newscli.select.story_data import from_stored
from newscli.select.story_rules import StoryRules

NOW = datetime(2014, 3, 20, tzinfo=timezone.utc)


def _article(folder: Path, name: str, hour: int, title: str, url: str) -> None:
    text = f'---\ntitle: "{title}"\npublishedDateTime: 2014-03-10T{hour:02d}:00:00Z\n'
    text += f'provider:\n  name: Paper {name}\nwebUrl: "https://{url}"\n---\n'
    (folder / f"{name}.md").write_text(text, encoding="utf-8")


def _feeds(tmp_path: Path) -> tuple[Path, IndexCache]:
    """Two folders of articles (one with an invalid file) and a file of no date; a
    cache that has grouped them once (so the folders' rows are packed)."""
    for sub, names in [("one", "abc"), ("two", "de")]:
        folder = tmp_path / "feeds" / sub
        folder.mkdir(parents=True)
        for n, name in enumerate(names):
            _article(folder, name, n + 1, f"Story {name} about things {n}", f"x.example/{name}")
    (tmp_path / "feeds" / "two" / "zz.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    (tmp_path / "feeds" / "two" / "f.md").write_text(
        '---\ntitle: "No date here"\nwebUrl: "https://y.example/f"\n---\n', encoding="utf-8"
    )
    cache = IndexCache.open(str(tmp_path / "cache"))[0]
    assert cache is not None
    assert _group(tmp_path, cache, 48.0) is not None
    return tmp_path / "feeds", cache


def _group(tmp_path: Path, cache: IndexCache, hours: float) -> Any:
    loaded = load_paths([str(tmp_path / "feeds")], cache=cache, jobs=1, prefilter=NOTHING)
    query = Query(dedupe=True, stories=StoryRules(window=hours * 3600.0))
    return story_light.clusters_from_cache(loaded, cache, query, NOW)


def _walked(folder: Path, cache: IndexCache) -> story_rows.Walked:
    loaded = load_paths([str(folder)], cache=cache, jobs=1, prefilter=NOTHING)
    _groups.append(loaded.groups)
    return story_rows.walked_files(loaded.groups, {p.path for p in loaded.problems})


_groups: list[Any] = []  # the groups of the last walk (for _the_slow_way)


def _the_slow_way(cache: IndexCache, files: story_rows.Walked) -> tuple[Any, Any, Any]:
    """Each file's time, data digest and data, from its own rows (independently of the
    packed rows)."""
    times = story_rows.columns(cache, files, _groups[-1], ("published_at",))
    rows = story_cache.stored_rows(cache, files.keys)
    assert times is not None and rows is not None
    found = [rows[key] for key in files.keys]
    data = story_cache.decode([text for _, text in found], from_stored)
    return [row[0] for row in times], [digest for digest, _ in found], data


def test_packed_inputs_are_what_the_files_rows_hold(tmp_path: Path) -> None:
    folder, cache = _feeds(tmp_path)
    files = _walked(folder, cache)
    assert len(files.paths) == 6 and len(files.spans) == 2
    found = story_folders.read(cache, files.spans, len(files.paths))
    assert found.missing == []
    assert (found.times, found.sums, found.data) == _the_slow_way(cache, files)
    assert None in found.times  # (a file without a date is packed too)
    cache.close()


def test_only_the_walked_versions_are_taken(tmp_path: Path) -> None:
    folder, cache = _feeds(tmp_path)
    first = _walked(folder, cache)
    before = story_folders.read(cache, first.spans, len(first.paths))
    was = {Path(path).name: data for path, data in zip(first.paths, before.data, strict=True)}
    # One file of a new version (same name), one new file: those two are missing, the
    # rest of their folder is taken from its row.
    _article(folder / "one", "b", 7, "Another title", "x.example/b")
    _article(folder / "one", "bb", 8, "A new one", "x.example/bb")
    files = _walked(folder, cache)
    found = story_folders.read(cache, files.spans, len(files.paths))
    names = [Path(path).name for path in files.paths]
    assert [names[i] for i in found.missing] == ["b.md", "bb.md"]
    for i in found.missing:
        assert found.data[i] is None and found.sums[i] is None and found.times[i] is None
    kept = [i for i in range(len(names)) if i not in found.missing]
    assert len(kept) == 5 and all(found.data[i] == was[names[i]] for i in kept)
    # Grouped again: that folder's row is packed again, as its files' rows hold it.
    assert _group(tmp_path, cache, 47.0) is not None
    found = story_folders.read(cache, files.spans, len(files.paths))
    assert found.missing == []
    assert (found.times, found.sums, found.data) == _the_slow_way(cache, files)
    cache.close()


def _set_packed(cache: IndexCache, packed: Any, version: int | None = None) -> None:
    cache.write(
        [
            (
                "UPDATE story_folders SET packed = ?, version = ?",
                [(packed, story_cache.STORED_VERSION if version is None else version)],
            )
        ]
    )


def _summed(packed: bytes) -> bytes:
    """A row as save() writes it: the digest of the marshal bytes, then them."""
    return story_folders._digest(packed) + packed


def _one_row(cache: IndexCache) -> tuple[Any, ...]:
    packed = cache.db.execute("SELECT packed FROM story_folders LIMIT 1").fetchone()[0]
    assert packed[:16] == story_folders._digest(packed[16:])
    value = marshal.loads(packed[16:])
    assert isinstance(value, tuple) and len(value) == 5
    return value


@pytest.mark.parametrize(
    "damage",
    [
        "bytes",
        "flipped",
        "no digest",
        "truncated",
        "format",
        "lengths",
        "time",
        "sum",
        "data",
        "text",
        "version",
    ],
)
def test_a_damaged_or_other_row_is_not_used(tmp_path: Path, damage: str) -> None:
    folder, cache = _feeds(tmp_path)
    files = _walked(folder, cache)
    fmt, listed, times, sums, data = _one_row(cache)
    good = _summed(marshal.dumps((fmt, listed, times, sums, data)))
    # A damaged row (its digest then wrong), and rows of another form (with theirs).
    packed: Any = {
        "bytes": b"\x00not marshal at all",
        "flipped": good[:-4] + bytes([good[-4] ^ 4]) + good[-3:],  # (a reference changed)
        "no digest": good[16:],
        "truncated": good[:-7],
        "format": _summed(marshal.dumps((fmt + 1, listed, times, sums, data))),
        "lengths": _summed(marshal.dumps((fmt, listed, times, sums[:-1], data))),
        "time": _summed(marshal.dumps((fmt, listed, ["1", *times[1:]], sums, data))),
        "sum": _summed(marshal.dumps((fmt, listed, times, ["x", *sums[1:]], data))),
        "data": _summed(marshal.dumps((fmt, listed, times, sums, [data[0][:3], *data[1:]]))),
        "text": "a text, not bytes",
        "version": good,
    }[damage]
    _set_packed(cache, packed, story_cache.STORED_VERSION + 1 if damage == "version" else None)
    found = story_folders.read(cache, files.spans, len(files.paths))
    assert found.missing == list(range(len(files.paths)))
    # Grouped as from the files' rows, and packed again.
    assert _group(tmp_path, cache, 47.0) is not None
    again = story_folders.read(cache, files.spans, len(files.paths))
    assert again.missing == []
    assert (again.times, again.sums, again.data) == _the_slow_way(cache, files)
    cache.close()


def test_a_failing_database_gives_every_file_missing(tmp_path: Path) -> None:
    folder, cache = _feeds(tmp_path)
    files = _walked(folder, cache)

    class Failing:
        broken = False

        class db:  # (the attribute IndexCache has)
            @staticmethod
            def execute(*_: Any) -> Any:
                raise sqlite3.OperationalError("disk I/O error")

    found = story_folders.read(Failing(), files.spans, len(files.paths))
    assert found.missing == list(range(len(files.paths)))
    assert found.data == [None] * len(files.paths)
    story_folders.save(Failing(), [("/x/", [], [], [], [])])  # (nothing raised)
    cache.close()


def test_rows_as_walked_by_listing_or_by_rows(tmp_path: Path) -> None:
    folder, cache = _feeds(tmp_path)
    loaded = load_paths([str(folder)], cache=cache, jobs=1, prefilter=NOTHING)
    files = story_rows.walked_files(loaded.groups, {p.path for p in loaded.problems})
    assert story_rows.as_walked(cache, files, loaded.groups)
    # Without the listings (a write in progress drops them): each folder's rows.
    cache.write([("DELETE FROM folders", [()])])
    assert story_rows.as_walked(cache, files, loaded.groups)
    # A file indexed again in a newer version since that walk: not as walked.
    _article(folder / "two", "d", 9, "Rewritten", "x.example/d")
    load_paths([str(folder)], cache=cache, jobs=1, prefilter=NOTHING)
    assert not story_rows.as_walked(cache, files, loaded.groups)
    cache.close()


def test_a_file_indexed_again_since_the_walk_is_not_taken_from_its_rows(tmp_path: Path) -> None:
    """A file not packed (read from its rows) whose row is of a newer version than the
    walk found: the cache cannot give the walked version: Changed (load as usual)."""
    folder, cache = _feeds(tmp_path)
    files = _walked(folder, cache)
    version = story_cache.data_version(cache)
    _article(folder / "one", "a", 9, "Rewritten since", "x.example/a")
    assert _group(tmp_path, cache, 46.0) is not None  # (indexed again, its data stored)
    cache.write([("DELETE FROM story_folders", [()])])
    with pytest.raises(story_light.Changed):
        story_light._inputs(cache, files, version)
    # As walked again: every value as the rows hold them.
    files = _walked(folder, cache)
    found = story_light._inputs(cache, files, story_cache.data_version(cache))
    assert (found.times, found.sums, found.data) == _the_slow_way(cache, files)
    cache.close()


def test_a_folder_is_packed_again_once_enough_of_it_changed(tmp_path: Path) -> None:
    """A folder of 32 files: one changed file is read from its rows (the folder is not
    written again for it, REPACK = 16), on every grouping until two are not as packed;
    then the folder is packed again. Files deleted count as changed."""
    folder = tmp_path / "feeds" / "big"
    folder.mkdir(parents=True)
    for n in range(32):
        _article(folder, f"n{n:02d}", n % 20, f"Headline {n} of some event {n * 7}", f"x/{n}")
    cache = IndexCache.open(str(tmp_path / "cache"))[0]
    assert cache is not None and story_folders.REPACK == 16
    assert _group(tmp_path, cache, 48.0) is not None

    def missing_and_stale() -> tuple[list[str], list[int]]:
        files = _walked(tmp_path / "feeds", cache)
        found = story_folders.read(cache, files.spans, len(files.paths))
        return [Path(files.paths[i]).name for i in found.missing], found.stale

    assert missing_and_stale() == ([], [])
    _article(folder, "n05", 3, "A changed headline", "x/5")
    assert missing_and_stale() == (["n05.md"], [])
    for hours in (47.0, 46.0):  # grouped again: still read from its rows, not packed
        assert _group(tmp_path, cache, hours) is not None
        assert missing_and_stale() == (["n05.md"], [])
    _article(folder, "n06", 3, "Another changed one", "x/6")
    assert missing_and_stale() == (["n05.md", "n06.md"], [0])
    assert _group(tmp_path, cache, 45.0) is not None
    assert missing_and_stale() == ([], [])
    files = _walked(tmp_path / "feeds", cache)
    found = story_folders.read(cache, files.spans, len(files.paths))
    assert (found.times, found.sums, found.data) == _the_slow_way(cache, files)
    (folder / "n07.md").unlink()
    assert missing_and_stale() == ([], [])
    (folder / "n08.md").unlink()
    assert missing_and_stale() == ([], [0])
    cache.close()
