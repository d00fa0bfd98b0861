from datetime import datetime, timedelta, timezone

import pytest

from newscli.article.model import article_from_mapping
from newscli.errors import QueryError
from newscli.select.fields import KNOWN, check_names, discover, field_value

NOW = datetime(2025, 3, 20, tzinfo=timezone.utc)
A = article_from_mapping(
    "a.md",
    {
        "title": "T",
        "publishedDateTime": "2025-03-18T00:00:00Z",
        "heat": -1,
        "provider": {"name": "P", "domain": "p.example"},
        "images": [{"url": "https://i/1"}, {"url": "https://i/2"}],
        "related": [{"provider": {"domain": "r.example"}, "publishedDateTime": "2025-01-01"}],
        "sourceFeed": {"region": "eu", "ids": [1, 2]},
        "flag": True,
    },
)


def test_values() -> None:
    assert field_value(A, "age", NOW) == timedelta(days=2)
    assert field_value(A, "heat", NOW) is None
    assert field_value(A, "provider.domain", NOW) == "p.example"
    assert field_value(A, "images.url", NOW) == ["https://i/1", "https://i/2"]
    assert field_value(A, "related.provider.domain", NOW) == ["r.example"]
    assert field_value(A, "sourceFeed.region", NOW) == "eu"
    assert field_value(A, "nothing.here", NOW) is None
    assert field_value(A, "path", NOW) == "a.md"


def test_discover_lists_unknown_fields_with_types() -> None:
    found = discover([A])
    assert found["sourceFeed"] == "mapping"
    assert found["sourceFeed.region"] == "string"
    assert found["sourceFeed.ids"] == "list"
    assert found["flag"] == "boolean"
    assert "title" not in found


def test_check_names() -> None:
    check_names(["title", "sourceFeed.region"], [A], "--fields")
    with pytest.raises(QueryError, match=r"--fields: unknown field 'nope'"):
        check_names(["title", "nope"], [A], "--fields")


def test_catalogue_has_types_and_descriptions() -> None:
    assert all(spec.type and spec.description for spec in KNOWN.values())
    assert KNOWN["age"].type == "duration" and KNOWN["topics"].type == "list[string]"
