"""newscli.formats.tabular: CSV/TSV columns, spreadsheet-safe cells, chunked CSV."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timezone
from typing import Any

import pytest

from newscli.article.model import Article, article_from_mapping
from newscli.formats.tabular import DEFAULT_COLUMNS, columns_for, csv_chunks, spreadsheet_cell

NOW = datetime(2025, 3, 20, tzinfo=timezone.utc)


def make(path: str = "a.md", **data: Any) -> Article:
    return article_from_mapping(path, {"title": path, **data})


def test_columns_are_the_default_ones_then_found_fields_sorted() -> None:
    articles = [
        make(zeta=1, sourceFeed={"region": "eu", "id": 3}, provider={"name": "x", "extra": 1}),
        make(alpha="a", related=[{"webUrl": "https://x"}], images=[{"url": "u", "w": 2}]),
    ]
    assert columns_for(articles) == (
        [*DEFAULT_COLUMNS, "alpha", "sourceFeed.id", "sourceFeed.region", "zeta"],
        0,  # extra fields left out (past the cap)
    )
    assert columns_for([]) == (list(DEFAULT_COLUMNS), 0)


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (5, 5),
        (-1, -1),  # a negative number stays a number, no guard
        (2.5, 2.5),
        (True, "true"),
        (False, "false"),
        (None, ""),
        (["a", "b"], "a; b"),
        ({"k": 1}, '{"k": 1}'),
        (datetime(2025, 1, 2, 3, 4, tzinfo=timezone.utc), "2025-01-02T03:04:00Z"),
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+1", "'+1"),
        ("-1", "'-1"),  # text, not a number
        ("@x", "'@x"),
        ("\tx", "' x"),
        ("\x1b[0m=1", "'=1"),  # the guard looks at the cleaned text too
        ("a\nb", "a b"),
        ("x=1", "x=1"),
        (["-a", "b"], "'-a; b"),
    ],
)
def test_spreadsheet_cell(value: Any, cell: Any) -> None:
    result = spreadsheet_cell(value)
    assert result == cell and type(result) is type(cell)


def test_csv_is_rfc4180_with_a_header_always() -> None:
    assert "".join(csv_chunks([], ["title", "quality"], NOW)) == "title,quality\r\n"
    articles = [make("a.md", title='Say "hi", then go', quality=7, topics=["x", "y"])]
    text = "".join(csv_chunks(articles, ["path", "title", "quality", "topics"], NOW))
    assert text == 'path,title,quality,topics\r\na.md,"Say ""hi"", then go",7,x; y\r\n'


def test_tsv_is_lf_without_quoting() -> None:
    articles = [make("a.md", title='Say "hi"\tnow', quality=None)]
    text = "".join(csv_chunks(articles, ["title", "quality"], NOW, delimiter="\t"))
    assert text == 'title\tquality\nSay "hi" now\t\n'


def test_big_csv_comes_in_chunks_that_add_up() -> None:
    articles = [make(f"a{i}.md", excerpt="x" * 200, quality=i % 100) for i in range(600)]
    columns = ["path", "excerpt", "quality"]
    chunks = list(csv_chunks(articles, columns, NOW))
    assert len(chunks) > 1
    rows = list(csv.reader(io.StringIO("".join(chunks), newline="")))
    assert rows[0] == columns and len(rows) == 601
    assert rows[600] == ["a599.md", "x" * 200, "99"]
