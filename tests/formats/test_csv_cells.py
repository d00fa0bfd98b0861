"""CSV and TSV written from cells the index cache keeps (issue 15): byte for byte what
csv.writer made of each article's values before, with or without the cache, for any
choice of columns; cells made from an export JSON that changed since are never used."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from conftest import property_examples, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newscli.article.model import Article
from newscli.formats import tabular
from newscli.formats.tabular import DEFAULT_COLUMNS, csv_chunks, spreadsheet_cell
from newscli.index.cache import IndexCache
from newscli.index.loader import load_paths
from newscli.select import fields

NOW = datetime(2025, 3, 20, tzinfo=timezone.utc)


def reference(articles: list[Article], columns: list[str], delimiter: str = ",") -> str:
    """The writer as it was: each value through spreadsheet_cell, then csv.writer (or
    tabs), one row at a time."""
    rows = [[spreadsheet_cell(v) for v in fields.export_values(a, columns, NOW)] for a in articles]
    if delimiter == "\t":
        lines = ["\t".join(tabular.clean(c) for c in columns)]
        lines += ["\t".join(str(cell) for cell in row) for row in rows]
        return "\n".join(lines) + "\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue()


# Texts a cell must quote, guard or clean: commas, quotes, formula starts, line breaks,
# controls, non-ASCII; in known fields, fields read from the export JSON, and others.
TEXT = st.sampled_from(
    ['plain', 'a, b', 'say "hi"', '=SUM(A1)', '-x', '"', ',', 'é, "ü"', '@', 'tab\there',
     'two\\nlines', 'bell\\x07', '', ' lead', 'x;y']
)  # fmt: skip
LINE = st.sampled_from(
    ["title: {t}", "excerpt: {t}", "webUrl: {t}", "tags: [{t}, ok]", "locale: {t}",
     "images:\n  - url: {t}\n  - url: b", "secured: {t}", "related:\n  - webUrl: {t}",
     "section: {t}", "section: 7", "section:\n  name: {t}", "score: 2.5", "flag: true",
     "seen: 2025-03-01", "list: [{t}, 3]", "heat: -1", "1: {t}", "provider:\n  name: {t}"]
)  # fmt: skip


def article_text(lines: list[str]) -> str:
    head = {line.split(":")[0]: line for line in lines}  # one line per key
    head.setdefault("title", "title: T")
    return "---\n" + "\n".join(head.values()) + "\nquality: 5\n---\nBody.\n"


def yaml_text(text: str) -> str:
    return '"' + text.replace('"', '\\"') + '"'


FILES = st.lists(
    st.lists(st.tuples(LINE, TEXT).map(lambda p: p[0].format(t=yaml_text(p[1]))), max_size=4),
    min_size=1,
    max_size=6,
)
CHOSEN = [
    ["title"],
    ["section"],
    ["path", "webUrl", "section.name", "age", "heat"],
    [*DEFAULT_COLUMNS, "section", "zz"],
    ["images.url", "related.webUrl", "list", "1"],
]


@settings(
    max_examples=property_examples(8),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(FILES)
def test_csv_and_tsv_are_what_csv_writer_made_with_and_without_the_cache(
    tmp_path_factory: pytest.TempPathFactory, files: list[list[str]]
) -> None:
    root = tmp_path_factory.mktemp("feeds")
    for number, lines in enumerate(files):
        write(root / f"a{number}.md", article_text(lines))
    cache, _ = IndexCache.open(str(tmp_path_factory.mktemp("cache")))
    assert cache is not None
    plain = load_paths([str(root)]).articles
    choices = [tabular.columns_for(plain)[0], *CHOSEN]  # the default ones first
    want = [reference(plain, columns, d) for columns in choices for d in (",", "\t")]
    for run in ("no cache", "cold", "warm: cells made", "warm: cells read", "again"):
        used = None if run == "no cache" else cache
        articles = load_paths([str(root)], cache=used, jobs=1).articles
        got = [
            "".join(csv_chunks(articles, columns, NOW, d))
            for columns in choices
            for d in (",", "\t")
        ]
        assert got == want, run
        if run != "no cache":  # the default columns: the cache kept every file's cells
            assert cache.db.execute("SELECT count(*) FROM cells").fetchone()[0] == len(plain)


@given(st.lists(st.one_of(TEXT, st.text(max_size=5), st.integers(), st.floats(),
                          st.booleans(), st.none(), st.lists(TEXT, max_size=2)),
                min_size=1, max_size=5))  # fmt: skip
@settings(max_examples=property_examples(100), deadline=None)
def test_a_row_is_quoted_as_csv_writer_quotes_it(values: list[Any]) -> None:
    cells = [spreadsheet_cell(v) for v in values]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(cells)
    line = tabular._csv_line("\t".join(map(tabular._text, values)))
    if line == "" and len(values) == 1:
        line = '""'  # a row of one empty cell (csv_chunks writes it so)
    assert line + "\r\n" == buffer.getvalue()


def test_cells_of_a_changed_file_are_not_used(tmp_path: Path) -> None:
    root = tmp_path / "feeds"
    path = write(root / "a.md", article_text(["webUrl: https://one.example/"]))
    write(root / "b.md", article_text(["title: B"]))
    cache, _ = IndexCache.open(str(tmp_path / "cache"))
    assert cache is not None
    columns = list(DEFAULT_COLUMNS)

    def csv_text(used: IndexCache | None) -> str:
        articles = load_paths([str(root)], cache=used, jobs=1).articles
        return "".join(csv_chunks(articles, columns, NOW))

    csv_text(cache)
    csv_text(cache)  # every file's cells kept
    assert "one.example" in csv_text(cache)
    write(path, article_text(["webUrl: https://two.example/", "title: Longer title"]))
    assert csv_text(cache) == csv_text(None)  # storing the file dropped its cells
    assert "two.example" in csv_text(cache)
    # cells made from an export JSON the cache no longer holds are not kept
    key = str(path.resolve())
    cache.db.execute("DELETE FROM cells")
    cache.keep_cells([(key, '{"title":"old"}', "stale"), (key + "x", "{}", "none")])
    assert cache.db.execute("SELECT count(*) FROM cells").fetchone()[0] == 0
    assert csv_text(cache) == csv_text(None)


def test_kept_cells_spare_reading_the_export_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Warm, with every file's cells kept: the default columns read no export JSON, and
    a column beyond them reads only that of the files whose field map has it."""
    root = tmp_path / "feeds"
    for number in range(6):
        extra = ["section: sport"] if number % 3 == 0 else ["flag: true"]
        write(root / f"a{number}.md", article_text(extra))
    cache, _ = IndexCache.open(str(tmp_path / "cache"))
    assert cache is not None
    columns = [*DEFAULT_COLUMNS, "section"]
    want = reference(load_paths([str(root)]).articles, columns)
    load_paths([str(root)], cache=cache, jobs=1)
    assert "".join(csv_chunks(load_paths([str(root)], cache=cache).articles, columns, NOW)) == want
    read: list[str] = []
    exports = IndexCache.exports

    def counted(self: IndexCache, keys: list[str], budget: int | None = None) -> dict[str, str]:
        read.extend(keys)
        return exports(self, keys, budget)

    monkeypatch.setattr(IndexCache, "exports", counted)
    articles = load_paths([str(root)], cache=cache, jobs=1).articles
    assert "".join(csv_chunks(articles, columns[:-1], NOW)) == reference(articles, columns[:-1])
    assert read == []
    assert "".join(csv_chunks(articles, columns, NOW)) == want
    assert sorted(Path(key).name for key in read) == ["a0.md", "a3.md"]


def test_rows_come_in_small_pieces() -> None:
    """The output is written a few hundred pieces at a time: each must stay small (about
    64 kB), or a 100,000-row export holds hundreds of MB at once."""
    from newscli.article.model import article_from_mapping

    title = "t" * 1000
    articles = [article_from_mapping(f"{n}.md", {"title": title}) for n in range(1200)]
    for delimiter in (",", "\t"):
        pieces = list(csv_chunks(articles, list(DEFAULT_COLUMNS), NOW, delimiter))
        assert max(map(len, pieces)) < 100_000
        assert "".join(pieces) == reference(articles, list(DEFAULT_COLUMNS), delimiter)
