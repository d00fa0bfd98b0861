from datetime import datetime, timezone

from newscli.model import article_from_mapping
from newscli.query import Selection, select


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
