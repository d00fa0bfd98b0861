"""Story data and groupings kept in the index cache (index/story_cache,
select/story_data): the same stories, joined the same way, as without the cache: cold,
warm, in any file order, and after a file changes (a row of an older version of a file
is never used)."""

import os
import random
import sqlite3
from pathlib import Path

import pytest

from newscli.index import story_cache
from newscli.index.cache import IndexCache
from newscli.index.loader import load_paths
from newscli.select import stories, story_data
from newscli.select.stories import group_stories

ARTICLES = [
    # name, hour, title, webUrl, related webUrl
    ("a", 1, "UPDATE 1-Fed's Plosser sees high bar for change in taper pace", "x.example/1", ""),
    ("b", 2, "Fed's Plosser sees high bar for change in taper pace | Reuters", "y.example/2", ""),
    ("c", 3, "Plosser sees high bar for changing pace of Fed taper - Livemint", "z.example/3", ""),
    ("d", 4, "Oil prices slip as Chinese exports disappoint", "www.x.example/4/?utm_source=q", ""),
    ("e", 5, "Oil prices slip after Chinese export data", "x.example/4", ""),
    ("f", 6, "Snowden to speak at SXSW via video link", "s.example/6?id=1", "w.example/9"),
    ("g", 7, "Snowden talks at SXSW", "s.example/6?id=2", ""),
    ("h", 8, "Samsung unveils Galaxy S5 with fingerprint scanner", "w.example/9", ""),
    ("i", 9, "Gas prices climb for fourth straight week", "g.example/1", ""),
    ("j", 10, "Bitcoin exchange Mt. Gox files for bankruptcy protection", "m.example/1", ""),
]

TWO_IN_ONE = "[[], [], [], []], [[], [], [], []]"  # a damaged text: two rows' values


def _write(path: Path, hour: int, title: str, url: str, related: str) -> None:
    text = f'---\ntitle: "{title}"\npublishedDateTime: 2014-03-10T{hour:02d}:00:00Z\n'
    text += f'provider:\n  name: Paper {path.stem}\nwebUrl: "https://{url}"\n'
    if related:
        text += f'related:\n  - title: "x"\n    webUrl: "https://{related}"\n'
    path.write_text(text + "---\n", encoding="utf-8")


Stories = set[tuple[frozenset[str], frozenset[tuple[str, str, str, float | None]]]]


def _partition(folder: Path, cache_dir: Path | None, seed: int = 0) -> Stories:
    cache = IndexCache.open(str(cache_dir))[0] if cache_dir else None
    try:
        articles = load_paths([str(folder)], cache=cache, jobs=1).articles
        random.Random(seed).shuffle(articles)
        found = group_stories(articles)
    finally:
        if cache is not None:
            cache.close()
    name = os.path.basename
    return {
        (
            frozenset(name(a.path) for a in s.articles),
            frozenset((name(k.a.path), name(k.b.path), k.by, k.score) for k in s.links),
        )
        for s in found
    }


def _members(stories: Stories) -> set[frozenset[str]]:
    return {members for members, _ in stories}


def _rows(cache_dir: Path) -> int:
    db = sqlite3.connect(cache_dir / "index.sqlite3")
    try:
        return int(db.execute(f"SELECT count(*) FROM {story_cache.TABLE}").fetchone()[0])
    finally:
        db.close()


def test_the_same_stories_with_and_without_the_stored_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, cache_dir = tmp_path / "feeds", tmp_path / "cache"
    folder.mkdir()
    for name, *spec in ARTICLES:
        _write(folder / f"{name}.md", *spec)
    plain = _partition(folder, None)
    members = _members(plain)
    assert {"a.md", "b.md", "c.md"} in members  # similar
    assert any({"d.md", "e.md"} <= s for s in members)  # same URL
    assert any({"f.md", "h.md"} <= s for s in members)  # related
    assert _partition(folder, cache_dir) == plain  # cold: made, then stored
    assert _rows(cache_dir) == len(ARTICLES)

    def not_again(*_: object) -> None:
        raise AssertionError("made again, though stored")

    with monkeypatch.context() as patch:  # warm: every article's data comes stored
        patch.setattr(story_data, "make", not_again)
        for seed in range(3):
            assert _partition(folder, cache_dir, seed) == plain
        # The same input again: the stored grouping, nothing compared.
        patch.setattr(stories, "_find", not_again)
        assert _partition(folder, cache_dir, 2) == plain

    # A file changes (a new version, a second later): its old row must not be used.
    _write(folder / "e.md", 5, "Samsung Galaxy S5 unveiled with fingerprint scan", "e.ex/5", "")
    stat = (folder / "e.md").stat()
    os.utime(folder / "e.md", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    changed = _partition(folder, None)
    assert changed != plain
    assert _partition(folder, cache_dir) == changed
    assert _partition(folder, cache_dir, 1) == changed  # its new row, stored


@pytest.mark.parametrize("few", [0, 64])  # whole folders read, or the files by name
def test_rows_read_by_folder_or_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, few: int
) -> None:
    monkeypatch.setattr(story_cache, "FEW", few)
    folder, cache_dir = tmp_path / "feeds", tmp_path / "cache"
    folder.mkdir()
    for name, *spec in ARTICLES:
        _write(folder / f"{name}.md", *spec)
    _partition(folder, cache_dir)  # every file's row and story data stored
    cache = IndexCache.open(str(cache_dir))[0]
    assert cache is not None
    try:
        keys = sorted(str((folder / f"{name}.md").resolve()) for name, *_ in ARTICLES)
        some = keys[1:3]
        stamps = story_cache.stamps(cache, keys)
        assert stamps is not None and story_cache.stamps(cache, some) == stamps[1:3]
        sources = story_cache.sources(cache, some)
        assert sorted(sources) == some and [sources[k].stamp for k in some] == stamps[1:3]
        stored = story_cache.load(cache, some, story_data.from_stored)
        assert sorted(stored) == some
        rows = story_cache.stored_rows(cache, [*some, "/nowhere/x.md"])
        assert rows is not None and sorted(rows) == some
        assert [rows[key][0] for key in some] == [story_cache.data_sum(stored[key]) for key in some]
        decoded = story_cache.decode([rows[key][1] for key in some], story_data.from_stored)
        assert decoded == [stored[key] for key in some]
        with monkeypatch.context() as patch:  # decoded a text at a time
            patch.setattr(story_cache, "_DECODED", 1)
            again = story_cache.decode([rows[key][1] for key in some], story_data.from_stored)
            assert again == decoded
        with pytest.raises(ValueError):
            story_cache.decode([rows[some[0]][1], TWO_IN_ONE], story_data.from_stored)
    finally:
        cache.close()
