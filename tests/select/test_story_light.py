"""`clusters` from the index cache without loading every article (select/story_light):
the same stories, kept articles and reasons as from every article loaded without a
cache, for several selections; whole articles made only for the members of stories of
several; the stored grouping replayed without any story data; a file changed behind
the cache's back (a row of another version) means None (load as usual)."""

import os
import random
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from conftest import property_examples, rewrite_later
from hypothesis import given, settings
from hypothesis import strategies as st

from newscli.index import story_cache, story_rows
from newscli.index.cache import IndexCache
from newscli.index.loader import load_paths
from newscli.index.prefilter import NOTHING
from newscli.select import stories, story_light
from newscli.select.query import Query, Selection, cache_prefilter, run_query
from newscli.select.story_rules import StoryRules

NOW = datetime(2014, 3, 20, tzinfo=timezone.utc)
# name, hour, title, webUrl, related webUrl, topic, quality, extra front matter
ARTICLES = [
    ("a", 1, "UPDATE 1-Fed's Plosser sees high bar for change in taper pace", "x.example/1", "",
     "Economy", 50, ""),
    ("b", 2, "Fed's Plosser sees high bar for change in taper pace | Reuters", "y.example/2", "",
     "Markets", 80, ""),
    ("c", 3, "Plosser sees high bar for changing pace of Fed taper - Livemint", "z.example/3", "",
     "Markets", 30, "rejected: true\n"),
    ("d", 4, "Oil prices slip as Chinese exports disappoint", "www.x.example/4/?utm_source=q", "",
     "Energy", 60, ""),
    ("e", 5, "Oil prices slip after Chinese export data", "x.example/4", "", "Energy", 70,
     "published: true\n"),
    ("f", 6, "Snowden to speak at SXSW via video link", "s.example/6?id=1", "w.example/9",
     "Tech", 40, ""),
    ("g", 7, "Snowden talks at SXSW", "s.example/6?id=2", "", "Tech", 90, ""),
    ("h", 8, "Samsung unveils Galaxy S5 with fingerprint scanner", "w.example/9", "", "Tech", 20,
     ""),
    ("i", 9, "Gas prices climb for fourth straight week", "g.example/1", "", "Energy", 10, ""),
    ("j", 10, "Bitcoin exchange Mt. Gox files for bankruptcy protection", "m.example/1", "",
     "Economy", 95, ""),
]  # fmt: skip
STORIES = [["a", "b", "c"], ["d", "e"], ["f", "h"]]  # similar, same URL, related
SELECTIONS = [
    Selection(),
    Selection(topics=("Markets",)),
    Selection(min_quality=75),
    Selection(published=False),
    Selection(rejected=None, topics=("Tech", "Energy")),
]

TWO_IN_ONE = "[[], [], [], []], [[], [], [], []]"  # a damaged text: two rows' values


def _write(folder: Path, names: dict[str, str]) -> None:
    for name, hour, title, url, related, topic, quality, extra in ARTICLES:
        text = f'---\ntitle: "{title}"\npublishedDateTime: 2014-03-10T{hour:02d}:00:00Z\n'
        text += f'provider:\n  name: Paper {name}\nwebUrl: "https://{url}"\n'
        text += f"topics: [{topic}]\nquality: {quality}\n{extra}"
        if related:
            text += f'related:\n  - title: "x"\n    webUrl: "https://{related}"\n'
        (folder / f"{names[name]}.md").write_text(text + "---\n", encoding="utf-8")
    (folder / "zz-broken.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")


def _shape(found: list[stories.Story], names: dict[str, str]) -> list[Any]:
    back = {v: k for k, v in names.items()}

    def name(path: str) -> str:
        return back[Path(path).stem]

    return [
        (
            [name(a.path) for a in s.articles],
            sorted((name(k.a.path), name(k.b.path), k.by, k.score) for k in s.links),
        )
        for s in found
    ]


def _full(folder: Path, query: Query) -> list[stories.Story]:
    articles = load_paths([str(folder)], jobs=1).articles
    result = run_query(articles, query, NOW)
    return stories.clusters((), query.sort, grouped=result.chosen or [])


def _light(folder: Path, cache: IndexCache, query: Query) -> list[stories.Story] | None:
    loaded = load_paths([str(folder)], cache=cache, jobs=1, prefilter=NOTHING)
    assert loaded.articles == [] and len(loaded.problems) == 1
    return story_light.clusters_from_cache(loaded, cache, query, NOW)


@pytest.mark.parametrize("few", [0, 64])  # whole folders read, or the files by name
def test_light_clusters_are_the_full_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, few: int
) -> None:
    monkeypatch.setattr(story_cache, "FEW", few)
    made: list[list[int]] = []
    articles = story_rows.articles

    def counted(cache: IndexCache, files: Any, indexes: Any) -> Any:
        made.append(list(indexes))
        return articles(cache, files, indexes)

    monkeypatch.setattr(story_rows, "articles", counted)
    for seed in range(3):  # file names, so file order, differ from run to run
        letters = [a[0] for a in ARTICLES]
        shuffled = random.Random(seed).sample(letters, len(letters))
        names = {letter: f"{n:02d}{letter}" for n, letter in enumerate(shuffled)}
        folder = tmp_path / f"feeds{seed}"
        folder.mkdir()
        _write(folder, names)
        cache = IndexCache.open(str(tmp_path / f"cache{seed}"))[0]
        assert cache is not None
        cold = _light(folder, cache, Query(dedupe=True))  # story data made, stored, read
        assert cold is not None
        assert _shape(cold, names) == _shape(_full(folder, Query(dedupe=True)), names)
        made.clear()
        for selection in SELECTIONS:
            query = Query(selection=selection, dedupe=True)
            expected = _shape(_full(folder, query), names)
            light = _light(folder, cache, query)
            assert light is not None
            assert _shape(light, names) == expected, selection
            # Whole articles only for the members of stories of several (a b c, d e,
            # f h), once the story data is stored (by the first selection's run).
            assert [len(indexes) for indexes in made] == [7], made
            made.clear()
        full_every = _shape(_full(folder, Query(dedupe=True)), names)
        assert sorted(sorted(members) for members, _ in full_every) == STORIES
        cache.close()


def _articles_and_cache(tmp_path: Path) -> tuple[dict[str, str], Path, IndexCache]:
    """The articles, each named by its letter, in tmp_path/feeds; a new cache."""
    names = {a[0]: a[0] for a in ARTICLES}
    folder = tmp_path / "feeds"
    folder.mkdir()
    _write(folder, names)
    cache = IndexCache.open(str(tmp_path / "cache"))[0]
    assert cache is not None
    return names, folder, cache


def test_light_clusters_load_as_usual_when_the_story_data_cannot_be_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The story data (and its digests) read from a cache failing there, or damaged: None
    (load every article as usual), nothing stored; then, read again, the same stories as
    without the cache."""
    names, folder, cache = _articles_and_cache(tmp_path)
    saved: list[Any] = []
    save_joins = story_cache.save_joins
    monkeypatch.setattr(story_cache, "save_joins", lambda *args: saved.append(args))
    query = Query(dedupe=True)
    with monkeypatch.context() as patch:
        patch.setattr(story_cache, "stored_rows", lambda *_: None)
        assert _light(folder, cache, query) is None and saved == []
    rows = story_cache.stored_rows
    with monkeypatch.context() as patch:  # one text damaged: two values in it
        patch.setattr(
            story_cache,
            "stored_rows",
            lambda *args: {
                k: (d, TWO_IN_ONE if n == 0 else t)
                for n, (k, (d, t)) in enumerate((rows(*args) or {}).items())
            },
        )
        assert _light(folder, cache, query) is None and saved == []
    monkeypatch.setattr(story_cache, "save_joins", save_joins)
    cold = _light(folder, cache, query)
    assert cold is not None
    assert _shape(cold, names) == _shape(_full(folder, query), names)
    cache.close()


def test_a_grouping_made_while_another_run_indexes_a_file_is_not_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Story data read after another run indexed a newer version of a file than the walk
    saw: the grouping would be of other versions than its digests say; None (load as
    usual), and nothing stored under them (found by the day's review)."""
    _, folder, cache = _articles_and_cache(tmp_path)
    query = Query(dedupe=True)
    assert _light(folder, cache, query) is not None  # story data stored
    stamps = story_cache.stamps

    def newer(cache: IndexCache, keys: list[str]) -> Any:
        found = stamps(cache, keys)
        return found and [found[0]._replace(size=found[0].size + 1), *found[1:]]

    other = Query(dedupe=True, stories=StoryRules(window=47 * 3600.0))  # not stored yet
    commits = iter(range(100))  # another connection commits between any two looks
    monkeypatch.setattr(story_cache, "data_version", lambda cache: next(commits))
    saved = []
    monkeypatch.setattr(story_cache, "save_joins", lambda *args: saved.append(args))
    loaded = load_paths([str(folder)], cache=cache, jobs=1, prefilter=NOTHING)
    groups = loaded.groups
    assert story_light.clusters_from_cache(loaded, cache, other, NOW) is not None
    # Written meanwhile, but not those files: stored, both digests (and the ids of its
    # stories: with_ids).
    assert len([args for args in saved if not args[1].startswith("ids ")]) == 2
    saved.clear()
    monkeypatch.setattr(story_cache, "stamps", newer)  # and now one of them was
    # (The folders' packed inputs hold the walked versions, checked against the walk
    # itself: the story data rows, which hold the cache's versions, are read only for
    # the files they lack. Here: all of them.)
    cache.write([("DELETE FROM story_folders", [()])])
    loaded.groups = groups
    third = Query(dedupe=True, stories=StoryRules(window=46 * 3600.0))
    assert story_light.clusters_from_cache(loaded, cache, third, NOW) is None
    assert saved == []
    cache.close()


def test_light_clusters_replay_and_refuse_a_changed_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names, folder, cache = _articles_and_cache(tmp_path)
    query = Query(dedupe=True)
    first = _shape(_light(folder, cache, query) or [], names)
    assert len(first) == 3

    def not_again(*_: object) -> None:
        raise AssertionError("story data read or grouped again, though the grouping is stored")

    with monkeypatch.context() as patch:
        patch.setattr(stories, "_find", not_again)
        patch.setattr(story_cache, "stored_rows", not_again)
        assert _shape(_light(folder, cache, query) or [], names) == first

    # A file rewritten after the walk (a lone one, whose record nothing needs): its row,
    # and its story data, are of another version now; the cache cannot vouch for the
    # walk, and a grouping not stored yet (another window) is refused: load as usual.
    loaded = load_paths([str(folder)], cache=cache, jobs=1, prefilter=NOTHING)
    path = folder / "i.md"
    path.write_text(path.read_text().replace("Gas", "Petrol"), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert _shape(_light(folder, cache, query) or [], names) == first  # the new version's
    other = Query(dedupe=True, stories=StoryRules(window=47 * 3600.0))
    groups = loaded.groups
    assert story_light.clusters_from_cache(loaded, cache, other, NOW) is None
    loaded.groups = groups
    assert story_light.clusters_from_cache(loaded, cache, query, NOW) is None
    cache.close()


def test_light_clusters_keep_their_grouping_when_edits_leave_the_story_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names, folder, cache = _articles_and_cache(tmp_path)
    query = Query(dedupe=True)
    assert _light(folder, cache, query) is not None  # grouped, and stored
    finds = []
    find = stories._find

    def counted(*args: Any) -> None:
        finds.append(1)
        find(*args)

    monkeypatch.setattr(stories, "_find", counted)
    # A curator's edits (quality, topics, published): new versions of the files, the same
    # story data: the grouping is replayed, the kept articles are chosen again.
    rewrite_later(folder / "a.md", "quality: 50", "quality: 99")
    rewrite_later(folder / "d.md", "topics: [Energy]", "topics: [Energy, Markets]\npublished: true")
    light = _light(folder, cache, query)
    assert light is not None and finds == []
    assert _shape(light, names) == _shape(_full(folder, query), names)  # (grouped: no cache)
    finds.clear()
    kept = {members[0] for members, _ in _shape(light, names)}
    assert "a" in kept and "b" not in kept  # the best of its story now
    # A title (the story data) or a publication time (what is compared within the
    # window) changes: grouped again.
    for name, old, new in [
        ("i", "Gas prices", "Petrol prices"),
        ("e", "2014-03-10T05:00:00Z", "2014-03-10T06:00:00Z"),
    ]:
        rewrite_later(folder / f"{name}.md", old, new)
        light = _light(folder, cache, query)
        assert light is not None and finds == [1], name
        assert _shape(light, names) == _shape(_full(folder, query), names)
        finds.clear()
    cache.close()


@settings(max_examples=property_examples(12), deadline=None)
@given(
    order=st.permutations([a[0] for a in ARTICLES]),
    topics=st.lists(st.sampled_from(["Economy", "Markets", "Energy", "Tech"]), max_size=2),
    min_quality=st.sampled_from([None, 35, 65, 85]),
    published=st.sampled_from([None, False, True]),
)
def test_light_clusters_match_the_full_ones_in_any_file_order(
    tmp_path_factory: pytest.TempPathFactory,
    order: list[str],
    topics: list[str],
    min_quality: int | None,
    published: bool | None,
) -> None:
    root = tmp_path_factory.mktemp("order")
    names = {letter: f"{n:02d}{letter}" for n, letter in enumerate(order)}
    folder = root / "feeds"
    folder.mkdir()
    _write(folder, names)
    selection = Selection(topics=tuple(topics), min_quality=min_quality, published=published)
    query = Query(selection=selection, dedupe=True)
    cache = IndexCache.open(str(root / "cache"))[0]
    assert cache is not None
    try:
        for _ in range(2):  # grouped, then replayed
            assert _shape(_light(folder, cache, query) or [], names) == _shape(
                _full(folder, query), names
            )
            # --dedupe (export, list): the articles the prefilter lets through, and the
            # members of stories of several; the same result as from every article.
            full = run_query(load_paths([str(folder)], jobs=1).articles, query, NOW)
            prefilter = cache_prefilter(replace(query, dedupe=False))
            assert prefilter is not None
            loaded = load_paths([str(folder)], cache=cache, jobs=1, prefilter=prefilter)
            light = story_light.query_from_cache(loaded, cache, query, NOW)
            assert light is not None
            assert [a.path for a in light.articles] == [a.path for a in full.articles]
            assert light.duplicates == full.duplicates
    finally:
        cache.close()


def test_grouping_again_reads_only_what_the_packed_folders_lack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another window (every file as packed): no story data row and no file row read,
    the same stories as without the cache. A file retitled so that it joins another
    story: its data alone read from its rows, the right stories; then packed again."""
    names, folder, cache = _articles_and_cache(tmp_path)
    assert _light(folder, cache, Query(dedupe=True)) is not None  # data made, packed
    read: list[list[str]] = []
    rows = story_cache.stored_rows

    def counted(cache: IndexCache, keys: Any) -> Any:
        read.append([Path(key).name for key in keys])
        return rows(cache, keys)

    def not_read(*_: object) -> None:
        raise AssertionError("every file's row read")

    monkeypatch.setattr(story_cache, "stored_rows", counted)
    monkeypatch.setattr(story_rows, "columns", not_read)
    for hours in (47, 2):
        query = Query(dedupe=True, stories=StoryRules(window=hours * 3600.0))
        light = _light(folder, cache, query)
        assert light is not None and read == []
        assert _shape(light, names) == _shape(_full(folder, query), names)
    rewrite_later(folder / "i.md", "Gas prices climb for fourth straight week",
                  "Bitcoin exchange Mt. Gox files for bankruptcy protection")  # fmt: skip
    query = Query(dedupe=True, stories=StoryRules(window=46 * 3600.0))
    light = _light(folder, cache, query)
    assert light is not None and read == [["i.md"], ["i.md"]]  # (then made, read back)
    shape = _shape(light, names)
    assert shape == _shape(_full(folder, query), names)
    assert sorted(sorted(members) for members, _ in shape) == [*STORIES, ["i", "j"]]
    read.clear()
    query = Query(dedupe=True, stories=StoryRules(window=45 * 3600.0))
    assert _shape(_light(folder, cache, query) or [], names) == shape and read == []
    cache.close()
