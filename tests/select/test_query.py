from datetime import datetime, timezone

import pytest

from newscli.article.model import article_from_mapping
from newscli.errors import QueryError
from newscli.select.query import Query, Selection, parse_sort, run_query, select, sort_articles


def make(path: str, **fields: object):
    data = {"title": path, **fields}
    return article_from_mapping(path, data)


ARTICLES = [
    make("a", topics=["AI"], quality=80, published=True, publishedDateTime="2025-01-03"),
    make("b", topics=["climate"], quality=40, publishedDateTime="2025-01-05"),
    make("c", topics=["Space", "AI"], quality=None, publishedDateTime="2025-01-04"),
    make("d", topics=[], quality=100),
    make("e", topics=["ai"], quality=0, publishedDateTime="2025-01-05"),
]


def paths(selection: Selection) -> list[str]:
    return [a.path for a in select(ARTICLES, selection)]


def test_default_order_is_newest_first_then_path_then_undated() -> None:
    assert paths(Selection()) == ["b", "e", "c", "a", "d"]


def test_topic_is_case_insensitive_and_any_of() -> None:
    assert paths(Selection(topics=("AI",))) == ["e", "c", "a"]
    assert paths(Selection(topics=("CLIMATE", "space"))) == ["b", "c"]


def test_quality_bounds_are_inclusive_and_skip_missing_quality() -> None:
    assert paths(Selection(min_quality=40)) == ["b", "a", "d"]
    assert paths(Selection(max_quality=40)) == ["b", "e"]
    assert paths(Selection(min_quality=0, max_quality=100)) == ["b", "e", "a", "d"]


def test_published_flag() -> None:
    assert paths(Selection(published=True)) == ["a"]
    assert paths(Selection(published=False)) == ["b", "e", "c", "d"]


def test_filters_combine_with_and() -> None:
    assert paths(Selection(topics=("ai",), min_quality=1, published=True)) == ["a"]
    assert paths(Selection(topics=("ai",), published=True, max_quality=50)) == []


def test_dates_compare_across_offsets() -> None:
    early = make("x", publishedDateTime=datetime(2025, 1, 1, 12, tzinfo=timezone.utc))
    later = make("y", publishedDateTime="2025-01-01T13:30:00+01:00")  # 12:30 UTC
    assert [a.path for a in select([early, later], Selection())] == ["y", "x"]


# --- more filters, sorting, paging, dates ---------------------------------------------

NOW = datetime(2025, 1, 6, tzinfo=timezone.utc)
MORE = [
    make(
        "p1",
        topics=["AI", "Space"],
        quality=70,
        heat=5,
        type="video",
        category="news",
        provider={"name": "Orbit", "domain": "www.orbit.example"},
        publishedDateTime="2025-01-05T12:00:00Z",
        excerpt="Rockets and robots",
    ),
    make(
        "p2",
        topics=["AI"],
        quality=70,
        heat=-1,
        type="article",
        categories=["Tech", "news"],
        provider={"name": "Wire", "domain": "wire.example"},
        publishedDateTime="2025-01-01T00:00:00Z",
        excerpt=None,
    ),
    make("p3", topics=["Space"], quality=None, heat=50, type="Article", provider={"name": "Zeta"}),
]


def run(**kwargs) -> list[str]:
    sort = kwargs.pop("sort", ())
    query = Query(Selection(**kwargs.pop("sel", {})), sort=parse_sort(sort), **kwargs)
    return [a.path for a in run_query(MORE, query, NOW).articles]


def test_field_filters() -> None:
    assert run(sel={"topics": ("ai", "space"), "all_topics": True}) == ["p1"]
    assert run(sel={"exclude_topics": ("space",)}) == ["p2"]
    assert run(sel={"providers": ("orbit.example",)}) == ["p1"]
    assert run(sel={"providers": ("WIRE",)}) == ["p2"]
    assert run(sel={"types": ("ARTICLE",)}) == ["p2", "p3"]
    assert run(sel={"categories": ("news",)}) == ["p1", "p2"]
    assert run(sel={"min_heat": 0}) == ["p1", "p3"]  # unknown heat (-1) never passes
    assert run(sel={"max_heat": 10}) == ["p1"]


def test_text_filters() -> None:
    assert run(sel={"search": "ROBOT"}) == ["p1"]
    assert run(sel={"search": "p2"}) == ["p2"]  # the title is the path in these fixtures
    assert run(sel={"match": r"^p[23]$"}) == ["p2", "p3"]
    with pytest.raises(QueryError, match="--match: invalid regular expression"):
        Selection(match="(")


def test_date_bounds_are_inclusive_and_skip_undated() -> None:
    since = datetime(2025, 1, 1, tzinfo=timezone.utc)
    assert run(sel={"since": since}) == ["p1", "p2"]
    assert run(sel={"until": since}) == ["p2"]


def test_sort_keys_directions_and_missing_last() -> None:
    assert run(sort=["quality"]) == ["p1", "p2", "p3"]  # desc by default; ties newest first
    assert run(sort=["quality:asc,date:asc"]) == ["p2", "p1", "p3"]
    assert run(sort=["heat:asc"]) == ["p1", "p3", "p2"]  # -1 counts as missing
    assert run(sort=["provider"]) == ["p1", "p2", "p3"]
    assert run(sort=["provider:desc"]) == ["p3", "p2", "p1"]
    assert run(sort=["title:desc"]) == ["p3", "p2", "p1"]
    with pytest.raises(QueryError, match="unknown key 'size'"):
        parse_sort(["size"])
    with pytest.raises(QueryError, match="unknown key 'webUrl' "):  # (as typed: h129 6)
        parse_sort(["webUrl:desc"])
    with pytest.raises(QueryError, match="direction must be asc or desc"):
        parse_sort(["date:up"])


def test_limit_and_offset() -> None:
    assert run(limit=1) == ["p1"]
    assert run(offset=1, limit=5) == ["p2", "p3"]
    assert run(offset=5) == []
    assert run(limit=0) == []


def test_sorting_is_stable_from_default_order() -> None:
    assert [a.path for a in sort_articles(list(MORE), ())] == ["p1", "p2", "p3"]


def test_sort_by_provider_trims_the_name() -> None:
    """h48: " Zeta" sorted before "Alpha" (its space first); a blank name hid the domain."""
    found = [
        make("z", provider={"name": " Zeta"}),
        make("a", provider={"name": "alpha"}),
        make("m", provider={"name": " ", "domain": "Mid.example"}),
        make("n"),
    ]
    ordered = sort_articles(found, parse_sort(["provider"]))
    assert [a.path for a in ordered] == ["a", "m", "z", "n"]  # no provider: last
