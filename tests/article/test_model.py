from datetime import datetime, timezone

import pytest

from newscli.article.model import article_from_mapping
from newscli.errors import InvalidArticleError

UTC = timezone.utc


def test_known_fields_are_normalised() -> None:
    data = {
        "title": "T",
        "publishedDateTime": "2024-05-01T10:00:00+02:00",
        "quality": 70,
        "heat": -1,
        "published": True,
        "provider": {"name": "Outlet", "domain": "outlet.example"},
        "topics": ["AI", "Climate"],
        "webUrl": "https://outlet.example/a",
        "categories": ["news"],
        "x-unknown": {"kept": True},
    }
    article = article_from_mapping("a.md", data)
    assert article.published_at == datetime(2024, 5, 1, 8, tzinfo=UTC)
    assert article.quality == 70
    assert article.heat == -1
    assert article.published is True
    assert article.provider_name == "Outlet"
    assert article.provider_domain == "outlet.example"
    assert article.topics == ("AI", "Climate")
    assert article.categories == ("news",)
    assert article.url == "https://outlet.example/a"
    assert article.data["x-unknown"] == {"kept": True}


def test_defaults_for_missing_fields() -> None:
    article = article_from_mapping("a.md", {"title": "Only"})
    assert article.published is False
    assert article.quality is None
    assert article.published_at is None
    assert article.topics == ()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "title: missing"),
        ({"title": 123}, "title: expected a string, got integer 123"),
        ({"title": "t", "quality": "high"}, "quality: expected an integer"),
        ({"title": "t", "quality": float("nan")}, "quality: expected a finite integer"),
        ({"title": "t", "quality": True}, "got boolean true"),
        ({"title": "t", "quality": 101}, "outside 0-100"),
        ({"title": "t", "quality": -1}, "outside 0-100"),
        ({"title": "t", "heat": 1.5}, "heat: expected an integer"),
        ({"title": "t", "published": "no"}, "published: expected true or false"),
        ({"title": "t", "published": None}, "got null"),
        ({"title": "t", "topics": "AI"}, "topics: expected a list of strings"),
        ({"title": "t", "topics": ["AI", 3]}, "topics: expected a list of strings"),
        ({"title": "t", "provider": "x"}, "provider: expected a mapping"),
        ({"title": "t", "provider": {"name": 5}}, "provider.name: expected a string"),
        ({"title": "t", "publishedDateTime": "soon"}, "publishedDateTime: not an RFC 3339"),
        ({"title": "t", "excerpt": ["a"]}, "excerpt: expected a string"),
        ({"title": "t", "related": ["x"]}, "related: expected a list of mappings"),
        ({"title": "t", "secured": 5}, "secured: expected a string"),
    ],
)
def test_wrong_types_are_invalid(data: dict, message: str) -> None:
    with pytest.raises(InvalidArticleError) as info:
        article_from_mapping("a.md", data)
    assert message in info.value.reason


def test_null_optional_fields_are_allowed() -> None:
    article = article_from_mapping(
        "a.md", {"title": "t", "quality": None, "ampWebUrl": None, "updatedDateTime": None}
    )
    assert article.quality is None and article.updated_at is None


@pytest.mark.parametrize("key", ["images", "related"])
@pytest.mark.parametrize(
    "items", [[{"url": "https://x.example/a.jpg"}, "oops", 5], ["oops"], [{"url": "u"}, None]]
)
def test_a_list_of_mappings_with_anything_else_in_it_is_invalid(key: str, items: list) -> None:
    """h58: a mixed list ([{url: ...}, "oops", 5]) passed when any item was a mapping."""
    with pytest.raises(InvalidArticleError, match=f"{key}: expected a list of mappings"):
        article_from_mapping("a.md", {"title": "T", key: items})
    article_from_mapping("b.md", {"title": "T", key: [{"url": "https://x.example/a.jpg"}]})


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ([1, "x", None, {"webUrl": 5}], 'got list [1, "x", null, {"webUrl": 5}]'),
        ({1: [2]}, 'got mapping {"1": [2]}'),
        ({(1, 2): 3}, "got mapping {(1, 2): 3}"),  # (a key JSON cannot hold: as Python has it)
    ],
)
def test_a_wrong_list_or_mapping_is_shown_as_the_front_matter_has_it(
    value: object, shown: str
) -> None:
    """h150 LOW: Python's repr (None, single quotes) was shown for YAML's null and text."""
    with pytest.raises(InvalidArticleError) as caught:
        article_from_mapping("a.md", {"title": "t", "related": value})
    assert str(caught.value).endswith(shown)
