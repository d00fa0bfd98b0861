"""validate, fields, a --where on a field only some files have, and CSV's columns, from
the index cache: the same results as without it (issue 15), and an unchanged file is not
read again for them."""

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from conftest import property_examples, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newscli.index.file_data as file_data
import newscli.index.loader as loader
from newscli.article.field_map import MODEL_NAMES
from newscli.article.reading import load_file
from newscli.formats import tabular
from newscli.index import validation
from newscli.index.cache import IndexCache
from newscli.index.loader import load_paths
from newscli.select import fields
from newscli.select.query import Query, Selection, run_query

NOW = datetime(2025, 3, 20, tzinfo=timezone.utc)

# Extra front-matter lines, some typed alike in every file, some not, some nested, some
# odd (keys that are not text, non-finite numbers, dates): the field maps must give
# what walking the typed data (or the export JSON) gives.
EXTRA = st.sampled_from(
    [
        "section: sport",
        "section: 7",
        "section: null",
        "section:\n  name: sport\n  rank: 2",
        "score: 1.5",
        "score: .nan",
        "seen: 2025-03-01",
        "seen: 2025-03-01T10:00:00Z",
        "flags: [a, b]",
        "flags: []",
        "1: one",
        "true: yes",
        "meta:\n  a: 1\n  b:\n    c: x\n  2: y",
        "meta:\n  a: .inf",
        "meta.a: 3",
        "url: https://example.com/x",
        "provider:\n  name: P\n  extra: 1",
    ]
)
# Problems: a YAML error, one wrong field, several wrong fields.
BROKEN = st.sampled_from(
    [
        "quality: [",
        "quality: high",
        "quality: high\nheat: warm\ntopics: 3",
        "published: maybe\nwebUrl: 4",
    ]
)


def article(i: int, extras: list[str], broken: str | None) -> str:
    lines = [f'title: "Article {i}"', f"quality: {i * 7 % 101}", "publishedDateTime: 2025-03-0"
             f"{1 + i % 9}T10:00:00Z", *extras]  # fmt: skip
    if broken is not None:
        lines = [line for line in lines if not line.startswith("quality")] + [broken]
    if i % 5 == 4:
        lines = lines[1:]  # no title: a problem without a line
    return "---\n" + "\n".join(lines) + "\n---\nBody.\n"


FILE = st.tuples(st.lists(EXTRA, max_size=3, unique=True), st.none() | BROKEN)


def make(root: Path, files: list[tuple[list[str], str | None]]) -> None:
    for i, (extras, broken) in enumerate(files):
        extras = list(dict.fromkeys(e for e in extras))
        keys = [e.split(":")[0] for e in extras]
        if len(set(keys)) < len(keys):  # a duplicate key is a problem of its own
            extras = extras[:1]
        write(root / f"d{i % 3}" / f"a{i:02}.md", article(i, extras, broken))


def reference_fields(paths: list[str]) -> tuple[dict[str, str], set[str], dict[str, int]]:
    """discover, export_names and leaf_counts by walking every file's data again."""
    articles = load_paths(paths).articles
    typed = [dict(load_file(a.path).data) for a in articles]
    plain = [json.loads(a.export_text()) for a in articles]  # type: ignore[misc]

    class Bare:  # an article that carries no field map: walked as before
        def __init__(self, data: dict[str, Any]):
            self.data = data
            self.export_text = lambda: json.dumps(data)

    found = fields.discover([Bare(d) for d in typed])  # type: ignore[misc]
    names = fields.export_names([Bare(d) for d in plain])  # type: ignore[misc]
    counts = fields.leaf_counts([Bare(d) for d in plain])  # type: ignore[misc]
    return found, names, dict(counts)


def mapped_fields(paths: list[str], cache: IndexCache | None):
    articles = load_paths(paths, cache=cache, jobs=1).articles
    return (
        fields.discover(articles),
        fields.export_names(articles),
        dict(fields.leaf_counts(articles)),
    )


def selected(articles: list[Any], query: Query) -> list[str]:
    """The paths a --where selects, or its error (the same either way)."""
    try:
        return [a.path for a in run_query(articles, query, NOW).articles]
    except Exception as exc:
        return [repr(exc)]


def reads_only(*markers: str) -> Any:
    """load_file, for files whose text has one of the ``markers`` only."""

    def load(path: str) -> Any:
        text = Path(path).read_text(encoding="utf-8")
        assert any(m in text for m in markers), f"{path} was read again"
        return load_file(path)

    return load


def no_reading(*args: object) -> Any:
    raise AssertionError("an unchanged file was read again")


@settings(
    max_examples=property_examples(5),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(FILE, min_size=1, max_size=9))
def test_the_cache_gives_what_reading_every_file_gives(
    tmp_path_factory: pytest.TempPathFactory, files: list[tuple[list[str], str | None]]
) -> None:
    root = tmp_path_factory.mktemp("feeds")
    make(root, files)
    paths = [str(root)]
    cache, _ = IndexCache.open(str(tmp_path_factory.mktemp("cache")))
    assert cache is not None
    reports = validation.validate_paths(paths)  # without the cache
    assert [validation.validate_file(r.path) for r in reports] == reports  # file by file
    expected = reference_fields(paths)
    plain = load_paths(paths).articles
    # section has values the export JSON holds alike, meta.a also dates and others
    query = Query(Selection(where="section = 'sport' or meta.a > 0"), now=NOW)
    columns = tabular.columns_for(plain)
    want = selected(plain, query)
    for run in ("cold", "warm"):
        with pytest.MonkeyPatch.context() as patch:
            if run == "warm":  # nothing is read again
                patch.setattr(loader, "parse_one", no_reading)
                patch.setattr(file_data, "load_file", no_reading)
            assert validation.validate_paths(paths, cache) == reports
            assert mapped_fields(paths, cache) == expected
            articles = load_paths(paths, cache=cache, jobs=1).articles
            if run == "warm":  # only files with a meta field, a section mapping, or keys
                # or numbers JSON writes otherwise, are read again
                odd = ("\nmeta:", "\nsection:\n", ".nan", ".inf", "\n1:", "\ntrue:")
                patch.setattr(file_data, "load_file", reads_only(*odd))
            assert selected(articles, query) == want
            assert tabular.columns_for(articles) == columns
    assert mapped_fields(paths, None) == expected


def test_the_model_names_are_known_fields() -> None:
    """A field map leaves out the model's names: each must be one the catalogue lists
    (discover leaves those out)."""
    assert fields.KNOWN.keys() >= MODEL_NAMES


def test_csv_from_the_cache_is_the_csv_of_every_file(tmp_path: Path) -> None:
    make(tmp_path / "feeds", [(["section: sport", "seen: 2025-03-01"], None), (["1: one"], None),
                              ([], "quality: high"), (["meta:\n  a: 1"], None)])  # fmt: skip
    paths = [str(tmp_path / "feeds")]
    cache, _ = IndexCache.open(str(tmp_path / "cache"))

    def csv(cache: IndexCache | None) -> str:
        articles = load_paths(paths, cache=cache, jobs=1).articles
        columns, _ = tabular.columns_for(articles)
        return "".join(tabular.csv_chunks(articles, columns, NOW))

    expected = csv(None)
    assert "section" in expected.splitlines()[0] and "meta.a" in expected.splitlines()[0]
    assert csv(cache) == expected  # cold
    assert csv(cache) == expected  # warm


def test_validate_in_worker_processes_keeps_every_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make(tmp_path / "feeds", [([], "quality: high\nheat: warm\ntopics: 3"), ([], None)] * 4)
    paths = [str(tmp_path / "feeds")]
    expected = validation.validate_paths(paths)
    assert sum(len(r.problems) for r in expected) == 4 * 3 + 1  # and a00004 has no title
    monkeypatch.setattr(loader, "PARALLEL_MIN_FILES", 2)
    monkeypatch.setattr(loader, "CHUNK_FILES", 3)
    cache, _ = IndexCache.open(str(tmp_path / "cache"))
    assert validation.validate_paths(paths, cache, jobs=2) == expected  # workers fill it
    monkeypatch.setattr(loader, "parse_one", no_reading)
    assert validation.validate_paths(paths, cache, jobs=2) == expected  # all from it


def test_where_on_a_model_text_field_reads_no_file_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make(tmp_path / "feeds", [([], None)] * 3)
    extra = "---\nwebUrl: https://example.com/a\ntags: [x, y]\nlocale: en\n"
    write(tmp_path / "feeds" / "z.md", article(8, [], None).replace("---\n", extra, 1))
    paths = [str(tmp_path / "feeds")]
    cache, _ = IndexCache.open(str(tmp_path / "cache"))
    query = Query(Selection(where="webUrl =~ 'example' and tags contains 'y' and locale = 'en'"))
    want = selected(load_paths(paths).articles, query)
    assert want == [str(tmp_path / "feeds" / "z.md")]
    load_paths(paths, cache=cache, jobs=1)  # cold
    monkeypatch.setattr(file_data, "load_file", no_reading)
    assert selected(load_paths(paths, cache=cache, jobs=1).articles, query) == want


def test_file_data_is_true_without_reading_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make(tmp_path / "feeds", [([], None)])
    [loaded] = load_paths([str(tmp_path / "feeds")]).articles
    monkeypatch.setattr(file_data, "load_file", no_reading)
    assert loaded.data and isinstance(loaded.data, file_data.FileData)
    monkeypatch.undo()
    assert dict(loaded.data)["title"] == "Article 0"  # read on demand
