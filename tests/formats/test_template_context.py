"""The template context: "also covered by", images, groups."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from newscli.article.model import Article, article_from_mapping
from newscli.formats.feeds import FeedInfo
from newscli.formats.templating.context import build

NOW = datetime(2025, 3, 20, tzinfo=timezone.utc)


def make(path: str, outlet: str | None, url: str, day: int | None, **data: Any) -> Article:
    fields: dict[str, Any] = {"title": path, "webUrl": url, **data}
    if outlet:
        fields["provider"] = {"name": outlet}
    if day:
        fields["publishedDateTime"] = f"2025-03-{day:02d}T10:00:00Z"
    return article_from_mapping(path, fields)


def context(articles: list[Article], group_by: str = "topic") -> dict[str, Any]:
    return build(articles, feed=FeedInfo("T"), now=NOW, group_by=group_by)


def test_also_covered_by_names_other_outlets_once_never_its_own() -> None:
    related = [
        {"title": "r1", "webUrl": "https://c.example/1", "provider": {"name": "Alpha"}},
        {"title": "r2", "webUrl": "https://c.example/2", "provider": {"name": "gamma"}},
        {"title": "r3", "webUrl": "https://c.example/3", "provider": {"name": "Gamma"}},
        {"title": "r4", "webUrl": "https://d.example/4", "provider": {"domain": "d.example"}},
        {"title": "r5", "webUrl": "https://e.example/5", "provider": {"name": "beta"}},
    ]
    a = make("a.md", "ALPHA", "https://a.example/x", 12, related=related)
    b = make("b.md", "Beta", "https://www.a.example/x/?utm_source=z", 12)  # the same story
    # (the same day: one title under one URL a day apart is a recurring headline's days)
    c = make("c.md", "Delta", "https://other.example/y", 10)
    items = context([a, b, c])["articles"]
    assert items[0]["also_covered_by"] == ["Beta", "gamma", "d.example"]
    assert items[1]["also_covered_by"] == ["ALPHA"]
    assert items[2]["also_covered_by"] == []
    assert [i["story"] for i in items] == [1, 1, 2]


def test_groups_by_provider_and_by_date() -> None:
    a = make("a.md", "beta", "https://a.example/1", 12)
    b = make("b.md", "Alpha", "https://b.example/2", 12)
    c = make("c.md", None, "https://c.example/3", None)
    d = make("d.md", "Beta", "https://d.example/4", 9)
    by_provider = context([a, b, c, d], "provider")["groups"]
    assert [(g["name"], [i["path"] for i in g["articles"]]) for g in by_provider] == [
        ("Alpha", ["b.md"]), ("beta", ["a.md", "d.md"]), ("Other", ["c.md"]),
    ]  # fmt: skip
    by_date = context([c, d, a, b], "date")["groups"]
    assert [(g["name"], [i["path"] for i in g["articles"]]) for g in by_date] == [
        ("2025-03-12", ["a.md", "b.md"]), ("2025-03-09", ["d.md"]), ("Undated", ["c.md"]),
    ]  # fmt: skip


def test_first_image_needs_an_http_url_and_a_size() -> None:
    images = [
        {"url": "https://i.example/a.jpg", "width": "800", "height": 450},
        {"url": "ftp://i.example/b.jpg", "width": 800, "height": 450},
        {"url": "https://i.example/c.jpg", "width": 0, "height": 450},
        {"url": "https://i.example/d.jpg", "width": 640, "height": 360},
    ]
    item = context([make("a.md", "A", "https://a.example/", 1, images=images)])["articles"][0]
    assert item["image"] == {"url": "https://i.example/d.jpg", "width": 640, "height": 360,
                             "alt": "a.md"}  # fmt: skip
