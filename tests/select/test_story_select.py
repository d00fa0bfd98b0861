"""story.* fields from the index cache (select/story_select): the grouping from the cache,
each file's story values from it, and only the files whose story values may let them
pass built. The same articles, in the same order, with the same story values as the old
path (every article loaded from the cache, grouped, attach) and as without the cache,
for stories of several (similar titles, the same URL, `related`), files alone, files
without a URL, a date or a provider, --prefer-provider, mixed and `or` conditions,
config rules, --sort and shown fields; a file changed since the cache was warmed, and
one changed behind the walk's back."""

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
from newscli.select import stories, story_light, story_select
from newscli.select.fields import STORY_VALUES
from newscli.select.query import Query, Selection, known_prefilter, parse_sort, run_query
from newscli.select.story_rules import StoryRules

NOW = datetime(2014, 3, 20, tzinfo=timezone.utc)
FIELDS = ["story.id", "story.size", "story.outlets", "story.first", "story.rank"]
# name: front matter beyond the title (a shared hour: "{h}")
ARTICLES = {
    # similar titles: one story of three, the third rejected
    "a": ("UPDATE 1-Fed's Plosser sees high bar for change in taper pace",
          "webUrl: https://x.example/1\noriginalUrl: https://x.example/0a\n"
          "provider:\n  name: Reuters\nquality: 50\nheat: 9"),
    "b": ("Fed's Plosser sees high bar for change in taper pace | Reuters",
          "webUrl: https://y.example/2\nprovider:\n  domain: www.Y.example\nquality: 80"),
    "c": ("Plosser sees high bar for changing pace of Fed taper - Livemint",
          "webUrl: https://z.example/3\nprovider:\n  name: Livemint\nquality: 30\n"
          "rejected: true"),
    # the same URL (spelled two ways); one published, the other with no date
    "d": ("Oil prices slip as Chinese exports disappoint",
          "webUrl: https://www.x.example/4/?utm_source=q\nprovider:\n  name: Paper D\n"
          "quality: 60\ntopics: [Tech]", "nodate"),
    "e": ("Oil prices slip after Chinese export data",
          "webUrl: https://x.example/4\nprovider:\n  name: paper d\nquality: 60\n"
          "published: true"),
    # related: f lists h; g has only an AMP URL; both quality 90
    "f": ("Snowden to speak at SXSW via video link",
          "webUrl: https://s.example/6?id=1\nquality: 90\nheat: 3\n"
          "related:\n  - title: x\n    webUrl: https://w.example/9"),
    "h": ("Samsung unveils Galaxy S5 with fingerprint scanner",
          "webUrl: https://w.example/9\nprovider:\n  name: Samsung Daily\nquality: 90\nheat: 3"),
    # alone: with a URL and provider, with no URL, with only an AMP URL (and no date),
    # with a provider's domain alone
    "i": ("Gas prices climb for fourth straight week",
          "webUrl: https://g.example/1\nprovider:\n  name: Gas Times\nquality: 10\ntopics: [Tech]"),
    "j": ("Bitcoin exchange Mt. Gox files for bankruptcy protection",
          "quality: 95\nprovider:\n  name: Gox News\n  domain: WWW."),  # its name is its
    # outlet: the domain is set, and empty without www.
    "k": ("Lindsay Lohan docuseries premieres on Oprah's network",
          "ampWebUrl: https://l.example/amp/5\nprovider:\n  name: Gossip\nquality: 70", "nodate"),
    "m": ("Herbalife shares jump on Pershing Square news",
          "webUrl: https://h.example/7\nprovider:\n  domain: h.example"),
}  # fmt: skip
SEVERAL = {"a", "b", "c", "d", "e", "f", "h"}
QUERIES = [
    Query(selection=Selection(where="story.size > 1")),
    Query(selection=Selection(where="story.size > 1 and quality >= 50")),
    Query(selection=Selection(where="story.size = 1 or quality >= 80")),
    Query(selection=Selection(where="story.rank = 1"), stories=StoryRules(prefer=("Livemint",))),
    Query(selection=Selection(where="story.rank > 1"), stories=StoryRules(prefer=("y.example",))),
    Query(selection=Selection(where="story.outlets >= 2 or not (story.size > 1)")),
    Query(selection=Selection(where="story.outlets = 0")),
    Query(selection=Selection(where="not (story.size = 1 and quality < 75)")),
    Query(selection=Selection(where='not (story.rank > 1) and topics contains "Tech"')),
    Query(selection=Selection(where="story.first < 2014-03-10T05:00:00Z or story.first = null")),
    Query(selection=Selection(where="story.size >= 2", published=False, min_quality=55)),
    Query(selection=Selection(rejected=None, where="story.size in [3] and heat > 1")),
    Query(selection=Selection(exclude=("story.size > 2", "quality < 20"))),
    Query(selection=Selection(exclude=("story.size > 1 and quality < 70",))),
    Query(selection=Selection(where="story.size > 1"), sort=parse_sort(["story.id,story.rank"])),
    Query(selection=Selection(topics=("Tech",)), sort=parse_sort(["story.size"]), limit=2),
    Query(selection=Selection(where="story.size > 1"), stories=StoryRules(frozenset({"url"}))),
    Query(
        selection=Selection(where="story.size > 1"),
        stories=StoryRules(frozenset({"related", "similar"}), window=2 * 3600.0),
    ),
]


def _write(folder: Path, names: dict[str, str], hours: dict[str, int] | None = None) -> None:
    for n, (name, (title, extra, *flags)) in enumerate(ARTICLES.items()):
        hour = (hours or {}).get(name, n + 1)
        date = "" if flags else f"publishedDateTime: 2014-03-10T{hour:02d}:00:00Z\n"
        text = f'---\ntitle: "{title}"\n{date}{extra}\n---\n'
        (folder / f"{names[name]}.md").write_text(text, encoding="utf-8")
    (folder / "zz-broken.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")


def _result(articles: Any, query: Query, names: list[str]) -> tuple[Any, ...]:
    found = run_query(articles, query, NOW, names=names)
    return _shape(found, names)


def _shape(found: Any, names: list[str]) -> tuple[Any, ...]:
    """The selected paths in order, and their story values of these fields."""
    paths = [a.path for a in found.articles]
    values = [[STORY_VALUES[p][n[len("story.") :]] for n in names] for p in paths]
    return paths, values


def _light(folder: Path, cache: IndexCache, query: Query, names: list[str]) -> Any:
    version = story_cache.data_version(cache)  # (as load_query takes it: before the load)
    loaded = load_paths([str(folder)], cache=cache, jobs=1, prefilter=NOTHING)
    assert loaded.articles == [] and len(loaded.problems) == 1
    STORY_VALUES.clear()
    found = story_select.from_cache(loaded, cache, query, NOW, names, version)
    return None if found is None else _shape(found, names)


def _expected(folder: Path, cache: IndexCache, query: Query, names: list[str]) -> Any:
    """The old path's result (every article, from the cache), the same without a cache."""
    with_cache = _result(load_paths([str(folder)], cache=cache, jobs=1).articles, query, names)
    without = _result(load_paths([str(folder)], jobs=1).articles, query, names)
    assert with_cache == without
    return with_cache


@pytest.fixture
def corpus(tmp_path: Path) -> tuple[Path, IndexCache]:
    folder = tmp_path / "feeds"
    folder.mkdir()
    _write(folder, {name: name for name in ARTICLES})
    cache = IndexCache.open(str(tmp_path / "cache"))[0]
    assert cache is not None
    yield folder, cache
    cache.close()


def test_story_fields_from_the_cache_are_those_of_every_article(
    corpus: tuple[Path, IndexCache], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, cache = corpus
    built: list[tuple[int, int]] = []  # (files asked for, articles built)
    passing = story_rows.passing

    def counted(cache: IndexCache, files: Any, indexes: Any, prefilter: Any) -> Any:
        found = passing(cache, files, indexes, prefilter)
        built.append((len(indexes), len(found or ())))
        return found

    monkeypatch.setattr(story_rows, "passing", counted)
    seen_several = False
    for query in QUERIES:
        for names in ([], FIELDS):
            expected = _expected(folder, cache, query, names)
            assert _light(folder, cache, query, names) == expected, (query, names)
        paths = {Path(p).stem for p in expected[0]}
        seen_several = seen_several or bool(paths & SEVERAL and paths - SEVERAL)
    assert seen_several  # some selections mix stories of several and files alone
    # Only the files whose story values may let them pass are asked for: for story.size
    # > 1, the members of stories of several; built, those the prefilter lets through
    # (not the rejected c; with --min-quality 55 and unpublished: b, d, f and h).
    for selection, built_then in [
        (Selection(where="story.size > 1"), 6),
        (Selection(where="story.size >= 2", published=False, min_quality=55), 4),
    ]:
        query = Query(selection=selection)
        built.clear()
        assert _light(folder, cache, query, []) is not None
        assert built == [(len(SEVERAL), built_then)], query
    assert set(ARTICLES) - SEVERAL  # (and files alone there are)


def test_story_values_by_hand(corpus: tuple[Path, IndexCache]) -> None:
    """What the values are, not only that both paths agree: sizes, ranks (best first:
    not rejected, a preferred outlet, quality, heat, newest, path), outlets (a domain without
    www., else a name, casefolded and trimmed: d and e are one outlet; j's domain is
    nothing without www., so its name counts), first dates, and ids."""
    folder, cache = corpus
    query = Query(selection=Selection(rejected=None), stories=StoryRules(prefer=("Livemint",)))
    shape = _light(folder, cache, query, FIELDS)
    assert shape is not None
    values = {Path(p).stem: dict(zip(FIELDS, v, strict=True)) for p, v in zip(*shape, strict=True)}
    assert {n: v["story.size"] for n, v in values.items()} == {
        **dict.fromkeys("abc", 3), **dict.fromkeys("de", 2), **dict.fromkeys("fh", 2),
        **dict.fromkeys("ijkm", 1),
    }  # fmt: skip
    # (c, Livemint's, is rejected: after the others, h93)
    assert [values[n]["story.rank"] for n in "cbadefhijkm"] == [3, 1, 2, 2, 1, 2, 1, 1, 1, 1, 1]
    assert [values[n]["story.outlets"] for n in "adfijkm"] == [3, 1, 1, 1, 1, 1, 1]
    assert values["a"]["story.first"] == datetime(2014, 3, 10, 1, tzinfo=timezone.utc)
    assert values["e"]["story.first"] == datetime(2014, 3, 10, 5, tzinfo=timezone.utc)
    assert values["k"]["story.first"] is None
    ids = {n: v["story.id"] for n, v in values.items()}
    assert len(set(ids.values())) == 7 and ids["a"] == ids["b"] == ids["c"]


def test_story_id_in_where_and_prefer_in_rank(corpus: tuple[Path, IndexCache]) -> None:
    """story.id in --where (every file's id made from its stored story data): the
    members of that story alone; ids of files with no URL (their path) too."""
    folder, cache = corpus
    every = _expected(folder, cache, Query(selection=Selection(rejected=None)), FIELDS)
    ids = {Path(p).stem: v[0] for p, v in zip(*every, strict=True)}
    for name in ("a", "d", "j", "k"):
        query = Query(selection=Selection(rejected=None, where=f'story.id = "{ids[name]}"'))
        for names in ([], FIELDS):
            expected = _expected(folder, cache, query, names)
            assert _light(folder, cache, query, names) == expected
            assert {Path(p).stem for p in expected[0]} == {n for n in ids if ids[n] == ids[name]}


def test_files_changed_since_the_cache_was_warmed(corpus: tuple[Path, IndexCache]) -> None:
    """Edits after a warm run: the new versions' values (grouped again after a new
    title or date; replayed after a quality edit, with the new ranks)."""
    folder, cache = corpus
    for query in QUERIES[:6]:
        assert _light(folder, cache, query, FIELDS) == _expected(folder, cache, query, FIELDS)
    for name, old, new in [
        ("b", "quality: 80", "quality: 20"),  # ranks change, the grouping does not
        ("i", "Gas prices climb", "Fed's Plosser sees high bar for change in taper pace"),
        ("e", "2014-03-10T05:00:00Z", "2014-03-08T05:00:00Z"),  # earlier: story.first
        ("h", "name: Samsung Daily", "domain: reuters.com"),
        ("d", "https://www.x.example/4/?utm_source=q", "https://www.q.example/0"),  # an id
    ]:
        rewrite_later(folder / f"{name}.md", old, new)
        for query in QUERIES[:6]:
            expected = _expected(folder, cache, query, FIELDS)
            assert _light(folder, cache, query, FIELDS) == expected, (name, query)


@pytest.mark.parametrize(
    ("name", "query", "old", "new"),
    [
        # a member of a story of several, built: its row is of another version
        ("a", Query(selection=Selection(where="story.size > 1")), "title: ", "title: New "),
        # alone, an earlier date now: its new row would leave it out of story.first >=
        # 08:00 (it was in, at 08:00) without its being built
        ("i", Query(selection=Selection(where="story.first >= 2014-03-10T08:00:00Z")),
         "2014-03-10T08", "2014-03-01T08"),
        # alone, a lower quality now: its new row does not pass --min-quality, so it is
        # not read at all; only the stamps compared after the reads can tell
        ("j", Query(selection=Selection(where="story.size = 1", min_quality=90)),
         "quality: 95", "quality: 5"),
    ],
)  # fmt: skip
def test_a_file_changed_behind_the_walk_means_loading_as_usual(
    corpus: tuple[Path, IndexCache], name: str, query: Query, old: str, new: str
) -> None:
    """A file rewritten after the walk, and indexed by another run (its row now of
    another version): what would be read is not what was walked; None (load every
    article as usual)."""
    folder, cache = corpus
    found = _light(folder, cache, query, [])
    assert found is not None and str(folder / f"{name}.md") in found[0]
    version = story_cache.data_version(cache)
    loaded = load_paths([str(folder)], cache=cache, jobs=1, prefilter=NOTHING)
    rewrite_later(folder / f"{name}.md", old, new)
    other = IndexCache.open(str(cache.folder))[0]
    assert other is not None
    load_paths([str(folder)], cache=other, jobs=1)  # another run indexes the new version
    other.close()
    assert story_select.from_cache(loaded, cache, query, NOW, [], version) is None


def test_story_data_another_run_stored_meanwhile_is_not_used(
    corpus: tuple[Path, IndexCache],
) -> None:
    """Another run indexed a newer version of a file after this one's walk, and stored
    its story data: its member key, read from that data, would give the file another id
    than its walked version has (j, alone, given a URL: not selected by the id of its
    walked version, and so not built, whose stamp would have been checked). None (load
    as usual)."""
    folder, cache = corpus
    every = _expected(folder, cache, Query(), ["story.id"])
    ids = {Path(p).stem: v[0] for p, v in zip(*every, strict=True)}
    query = Query(selection=Selection(where=f'story.id = "{ids["j"]}"'))
    first = _light(folder, cache, query, [])
    assert first is not None and first[0] == [str(folder / "j.md")]
    version = story_cache.data_version(cache)
    loaded = load_paths([str(folder)], cache=cache, jobs=1, prefilter=NOTHING)
    rewrite_later(folder / "j.md", "quality: 95", "quality: 95\nwebUrl: https://j.example/1")
    other = IndexCache.open(str(cache.folder))[0]
    assert other is not None
    assert _light(folder, other, query, []) == ([], [])  # j's new data stored: another id
    other.close()
    assert story_select.from_cache(loaded, cache, query, NOW, [], version) is None


@settings(max_examples=property_examples(10), deadline=None)
@given(
    order=st.permutations(sorted(ARTICLES)),
    hours=st.lists(st.integers(0, 23), min_size=len(ARTICLES), max_size=len(ARTICLES)),
    where=st.sampled_from([q.selection.where for q in QUERIES if q.selection.where]),
    prefer=st.sampled_from([(), ("Reuters",), ("y.example", "Paper D")]),
)
def test_story_fields_match_in_any_file_order_and_times(
    tmp_path_factory: pytest.TempPathFactory,
    order: list[str],
    hours: list[int],
    where: str,
    prefer: tuple[str, ...],
) -> None:
    root = tmp_path_factory.mktemp("order")
    names = {letter: f"{n:02d}{letter}" for n, letter in enumerate(order)}
    folder = root / "feeds"
    folder.mkdir()
    _write(folder, names, dict(zip(sorted(ARTICLES), hours, strict=True)))
    cache = IndexCache.open(str(root / "cache"))[0]
    assert cache is not None
    query = Query(selection=Selection(where=where), stories=StoryRules(prefer=prefer))
    query = Query(selection=query.selection, stories=query.stories, sort=parse_sort(["story.rank"]))
    try:
        for _ in range(2):  # grouped, then replayed
            names_shown = random.Random(len(where)).sample(FIELDS, 3)
            expected = _expected(folder, cache, query, names_shown)
            assert _light(folder, cache, query, names_shown) == expected
    finally:
        cache.close()


def test_story_fields_with_dedupe_and_clusters_from_the_cache(
    corpus: tuple[Path, IndexCache],
) -> None:
    """--dedupe and `clusters` with story fields (story_light.query_from_cache: the
    articles the prefilter lets through and the members of stories of several, their
    story values attached from the cache): as from every article, with and without the
    cache."""
    folder, cache = corpus
    for query in QUERIES:
        query = replace(query, dedupe=True)
        for names in ([], FIELDS):
            full = run_query(load_paths([str(folder)], jobs=1).articles, query, NOW, names=names)
            expected = (_shape(full, names), full.duplicates)
            prefilter = known_prefilter(query, names)
            assert prefilter is not None
            loaded = load_paths([str(folder)], cache=cache, jobs=1, prefilter=prefilter)
            STORY_VALUES.clear()
            light = story_light.query_from_cache(loaded, cache, query, NOW, names)
            assert light is not None
            assert (_shape(light, names), light.duplicates) == expected, (query, names)
        full_stories = stories.clusters((), query.sort, grouped=full.chosen or [])
        loaded = load_paths([str(folder)], cache=cache, jobs=1, prefilter=NOTHING)
        shown = story_light.clusters_from_cache(loaded, cache, query, NOW)
        assert shown is not None
        assert [[a.path for a in s.articles] for s in shown] == [
            [a.path for a in s.articles] for s in full_stories
        ], query


def test_story_data_made_in_workers_started_ahead(
    corpus: tuple[Path, IndexCache], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No story data stored (the first story query after a cold run): the workers that
    make it are started before the grouping, while the process is small, and ended;
    started ahead but not needed (the grouping replayed, no id asked): ended too. The
    same result as from every article."""
    from newscli.index import parallel
    from newscli.select import story_make

    folder, cache = corpus
    query = Query(selection=Selection(where="story.size > 1"), sort=parse_sort(["story.id"]))
    expected = _expected(folder, cache, query, FIELDS)
    started: list[bool] = []
    ahead = story_make.workers_ahead

    def spied(*args: Any) -> bool:
        started.append(ahead(*args))
        return started[-1]

    monkeypatch.setenv("NEWSCLI_JOBS", "2")
    monkeypatch.setattr(story_make, "workers_ahead", spied)
    monkeypatch.setattr(story_make, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(story_make, "CHUNK_FILES", 3)
    for table in (story_cache.TABLE, "story_groups"):
        cache.db.execute(f"DELETE FROM {table}")
    found = _light(folder, cache, query, FIELDS)  # grouped: the data made in workers
    assert started == [True] and not parallel._started
    assert found == expected
    assert story_cache.stored_count(cache, [str(folder / f"{n}.md") for n in ARTICLES]) == 11
    cache.db.execute(f"DELETE FROM {story_cache.TABLE}")
    plain = Query(selection=query.selection)
    expected = _expected(folder, cache, plain, [])
    assert _light(folder, cache, plain, []) == expected  # replayed: no data asked for
    assert started == [True, True] and not parallel._started


def test_story_data_of_another_version_is_made_again(
    corpus: tuple[Path, IndexCache], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stored story-data row whose stamp is not the walked version's (here: made up,
    with other URLs) is not used for a member key: the data is made again from the
    file's row, and stored; if the cache cannot store it, None (load as usual)."""
    folder, cache = corpus
    stale = ('[["zzz.example/0"], [], [], []]', b"j.md")
    update = f"UPDATE {story_cache.TABLE} SET size = size + 1, data = ? WHERE name = ?"
    query = Query(selection=Selection(where="story.size = 1"), sort=parse_sort(["story.id"]))
    expected = _expected(folder, cache, query, ["story.id"])
    assert _light(folder, cache, query, ["story.id"]) == expected
    cache.db.execute(update, stale)
    assert _light(folder, cache, query, ["story.id"]) == expected
    query_data = f"SELECT data FROM {story_cache.TABLE} WHERE name = ?"
    (stored,) = cache.db.execute(query_data, (b"j.md",)).fetchall()
    assert "zzz" not in stored[0]
    cache.db.execute(update, stale)
    monkeypatch.setattr(story_cache, "save", lambda *_: None)  # (a write that fails)
    assert _light(folder, cache, query, ["story.id"]) is None
