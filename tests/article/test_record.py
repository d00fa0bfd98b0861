"""newscli.article.record: compact records, export JSON of the front matter, lazy data."""

from __future__ import annotations

import json
import math
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest

from newscli.article.model import Article, article_from_mapping
from newscli.article.record import (
    SEP,
    LazyData,
    StoredText,
    from_record,
    front_matter_json,
    jsonable,
    microseconds,
    prefetch_exports,
    to_record,
    topic_keys,
)
from newscli.errors import ArticleChangedError

UTC = timezone.utc


def test_jsonable() -> None:
    plus2 = timezone(timedelta(hours=2))
    value = {
        "when": datetime(2025, 1, 2, 3, 4, 5, 600000, tzinfo=plus2),
        "naive": datetime(2025, 1, 2),
        "day": date(2025, 1, 2),
        "nan": math.nan,
        "inf": [-math.inf, 1.5],
        True: 1,
        None: 2,
        3: 3,
        date(2025, 5, 6): 4,
    }
    assert jsonable(value) == {
        "when": "2025-01-02T01:04:05.6Z",
        "naive": "2025-01-02T00:00:00Z",
        "day": "2025-01-02",
        "nan": None,
        "inf": [None, 1.5],
        "true": 1,
        "null": 2,
        "3": 3,
        "2025-05-06": 4,
    }


def test_front_matter_json_keeps_names_and_order() -> None:
    published = datetime(2025, 3, 14, 9, 12, tzinfo=UTC)
    data = {
        "title": "T",
        "publishedDateTime": datetime(2025, 3, 14, 11, 12, tzinfo=timezone(timedelta(hours=2))),
        "secured": "x==",
        "other": date(2025, 1, 1),
        "z": [1, {"b": None}],
    }
    text = front_matter_json(data, published, None)
    assert text == (
        '{"title":"T","publishedDateTime":"2025-03-14T09:12:00Z","secured":"x==",'
        '"other":"2025-01-01","z":[1,{"b":null}]}'
    )
    assert front_matter_json({"é": "\u2028", "n": math.nan}, None, None) == (
        '{"é":"\u2028","n":null}'  # not escaped yet; NaN is strict JSON's null
    )
    assert json.loads(front_matter_json({1: "a", None: "b"}, None, None)) == {"1": "a", "null": "b"}


ARTICLE = article_from_mapping(
    "a.md",
    {
        "title": "Title",
        "excerpt": "Ex",
        "publishedDateTime": "2025-03-14T09:12:00.123456Z",
        "updatedDateTime": "1900-01-01",
        "webUrl": "https://a.example/",
        "type": "article",
        "category": "news",
        "categories": ["x", f"has{SEP}sep"],
        "quality": 0,
        "heat": -1,
        "published": True,
        "provider": {"name": "P", "domain": "p.example"},
        "topics": ["AI", "Space"],
    },
)


def same_fields(a: Article, b: Article) -> None:
    for name in ("path", "title", "excerpt", "published_at", "updated_at", "url", "type",
                 "category", "categories", "quality", "heat", "published", "provider_name",
                 "provider_domain", "topics", "rejected"):  # fmt: skip
        assert getattr(a, name) == getattr(b, name), name


@pytest.mark.parametrize(
    "article", [ARTICLE, article_from_mapping("b.md", {"title": ""})], ids=["full", "bare"]
)
def test_records_round_trip(article: Article) -> None:
    record = to_record(article)
    assert all(v is None or isinstance(v, (str, int)) for v in record)  # what SQLite stores
    back = from_record(article.path, record, article.data)
    same_fields(back, article)
    assert type(back.published) is bool


def test_from_record_fills_each_field_from_its_own_value() -> None:
    """from_record passes Article's fields by position: every one gets its own value."""
    record = ("T", "E", 1, 2, "U", "K", "C", "sx", 3, 4, 1, "N", "D", "sy", 1)
    data, text = {"title": "T"}, lambda: "{}"
    article = from_record("p.md", record, data, text)
    assert (article.path, article.title, article.data, article.excerpt) == ("p.md", "T", data, "E")
    assert microseconds(article.published_at) == 1 and microseconds(article.updated_at) == 2
    assert (article.url, article.type, article.category, article.categories) == (
        "U", "K", "C", ("x",),
    )  # fmt: skip
    assert (article.quality, article.heat, article.published) == (3, 4, True)
    assert (article.provider_name, article.provider_domain, article.topics) == ("N", "D", ("y",))
    assert article.rejected is True and article.export_text is text


def test_dates_are_exact_microseconds() -> None:
    when = datetime(2025, 3, 14, 9, 12, 0, 123456, tzinfo=UTC)
    assert microseconds(when) == 1741943520123456
    assert microseconds(datetime(1969, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)) == -1
    assert microseconds(None) is None


def test_topic_keys() -> None:
    assert topic_keys("") == SEP  # no topics
    assert topic_keys("sAI" + SEP + "Straße") == f"{SEP}ai{SEP}strasse{SEP}"
    assert topic_keys('j["a\\u001fb"]') is None  # a topic holds the separator


def test_lazy_data_fetches_once_on_first_use() -> None:
    calls: list[int] = []

    def fetch() -> dict[str, Any]:
        calls.append(1)
        return {"a": 1, "b": 2}

    data = LazyData(fetch)
    assert calls == []
    assert data["a"] == 1 and list(data) == ["a", "b"] and len(data) == 2
    assert dict(data) == {"a": 1, "b": 2} and calls == [1]


class Store:
    """A store of texts, each of version 1 (as the index cache hands them out)."""

    def __init__(self, texts: dict[str, str]):
        self.texts = texts
        self.prefetched: list[list[str]] = []
        self.forgotten: list[str] = []

    def export(self, key: str) -> tuple[str, int] | None:
        text = self.texts.get(key)
        return None if text is None else (text, 1)

    def prefetch(self, keys: list[str]) -> None:
        self.prefetched.append(keys)

    def matches(self, key: str, text: str, version: int) -> bool:
        return text == "fallback" and version == 1

    def forget(self, key: str) -> None:
        self.forgotten.append(key)


def test_stored_text_falls_back_when_the_store_has_nothing() -> None:
    store = Store({"k1": '{"a":1}'})
    assert StoredText(store, "k1", lambda: "fallback")() == '{"a":1}'
    assert StoredText(store, "k2", lambda: "fallback")() == "fallback"


def test_a_stored_text_of_another_version_than_selected_is_refused() -> None:
    """h155 F3: the text the store holds, or the one made again from the file, must be of
    the version selected (the store's checksum); another raises ArticleChangedError
    naming the path, and the store forgets the file's row (read again next run)."""
    store = Store({"k1": '{"a":1}'})
    assert StoredText(store, "k1", str, "p1", version=1)() == '{"a":1}'
    with pytest.raises(
        ArticleChangedError, match=r"^p1: changed since this run selected it; run again$"
    ):
        StoredText(store, "k1", str, "p1", version=2)()
    assert store.forgotten == ["k1"]
    assert StoredText(store, "k2", lambda: "fallback", "p2", version=1)() == "fallback"
    with pytest.raises(ArticleChangedError, match=r"^p2: changed"):
        StoredText(store, "k2", lambda: "{}", "p2", version=1)()  # (the file went bad)
    assert store.forgotten == ["k1"]  # (a text made again: nothing stored to forget)


def test_prefetch_groups_keys_by_store() -> None:
    one, two = Store({}), Store({})

    def article(store: Store | None, key: str) -> Article:
        text = StoredText(store, key, str) if store else (lambda: "{}")
        return from_record(key, to_record(ARTICLE), {}, text)

    prefetch_exports([article(one, "a"), article(two, "b"), article(None, "c"), article(one, "d")])
    assert one.prefetched == [["a", "d"]] and two.prefetched == [["b"]]
