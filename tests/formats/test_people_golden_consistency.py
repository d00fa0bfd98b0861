"""The goldens of html, email and jsonfeed against the JSON golden: same articles, same
order, same values. Read with html5lib, the standard library's email parser and json,
never with newscli's code, so a golden rewritten with a wrong output fails here."""

from __future__ import annotations

import email
import email.policy
import json
from typing import Any

import html5lib
from conftest import GOLDEN

NS = "{http://www.w3.org/1999/xhtml}"


def golden(name: str) -> str:
    with open(GOLDEN / name, encoding="utf-8", newline="") as handle:
        return handle.read()


def records() -> list[dict[str, Any]]:
    loaded = json.loads(golden("export.json"))
    assert isinstance(loaded, list) and loaded
    return loaded


def text_of(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


def first_image(record: dict[str, Any]) -> dict[str, Any] | None:
    for image in record.get("images") or []:
        sized = isinstance(image.get("width"), int) and isinstance(image.get("height"), int)
        if sized and str(image.get("url", "")).startswith(("http://", "https://")):
            return image
    return None


def provider(record: dict[str, Any]) -> str:
    p = record.get("provider") or {}
    return p.get("name") or p.get("domain") or ""


def sections(html: str) -> list[tuple[str, list[Any]]]:
    """(h2 text, its <article> elements) for each <section>."""
    tree = html5lib.parse(html)
    found = []
    for section in tree.iter(f"{NS}section"):
        heading = section.find(f"{NS}h2")
        assert heading is not None
        found.append((text_of(heading), list(section.iter(f"{NS}article"))))
    return found


def check_article(element: Any, r: dict[str, Any], everyone: list[dict[str, Any]]) -> None:
    link = element.find(f".//{NS}h3/{NS}a")
    assert link is not None and link.get("href") == r["webUrl"], r["path"]
    assert text_of(link) == r["title"]
    paragraphs = {p.get("class"): text_of(p) for p in element.iter(f"{NS}p")}
    assert paragraphs["meta"] == f"{provider(r)} · {r['publishedDateTime'][:10]}"
    assert paragraphs.get("excerpt") == r.get("excerpt")
    image, img = first_image(r), element.find(f"{NS}img")
    if image is None:
        assert img is None, r["path"]
    else:
        assert img is not None, r["path"]
        assert img.get("src") == image["url"] and img.get("alt") == r["title"]
        assert (img.get("width"), img.get("height")) == (str(image["width"]), str(image["height"]))
        assert img.get("loading") == "lazy"
    also = paragraphs.get("also")
    if also is not None:  # outlets of related coverage or of other selected articles
        names = also.removeprefix("Also covered by ").split(", ")
        known = {provider(x) for x in everyone if x is not r}
        known |= {(x.get("provider") or {}).get("name") for x in r.get("related") or []}
        assert set(names) <= known and provider(r) not in names, r["path"]


def test_html_golden_lists_each_article_under_each_topic() -> None:
    recs = records()
    expected: dict[str, list[dict[str, Any]]] = {}
    spelled: dict[str, str] = {}
    for r in recs:
        for topic in dict.fromkeys(t.casefold() for t in r.get("topics") or []):
            spelled.setdefault(topic, next(t for t in r["topics"] if t.casefold() == topic))
            expected.setdefault(topic, []).append(r)
    untagged = [r for r in recs if not r.get("topics")]
    found = sections(golden("export.html"))
    order = [spelled[key] for key in sorted(expected)]
    assert [name for name, _ in found] == order + (["Other"] if untagged else [])
    for name, articles in found:
        members = expected[name.casefold()] if name != "Other" else untagged
        assert len(articles) == len(members), name
        for element, r in zip(articles, members, strict=True):
            check_article(element, r, recs)
    header = html5lib.parse(golden("export.html")).find(f".//{NS}header")
    assert header is not None and "Sample picks" in text_of(header)
    assert f"{len(recs)} articles" in text_of(header)


def test_html_golden_by_story_holds_every_article_once_in_json_order() -> None:
    recs = records()
    found = sections(golden("export.story.html"))
    titles = [[text_of(a.find(f".//{NS}h3")) for a in articles] for _, articles in found]
    flat = [t for group in titles for t in group]
    assert sorted(flat) == sorted(r["title"] for r in recs)
    position = {r["title"]: i for i, r in enumerate(recs)}
    for (name, _), group in zip(found, titles, strict=True):
        assert name == group[0]  # a story is named by its first article
        assert [position[t] for t in group] == sorted(position[t] for t in group)
    firsts = [position[group[0]] for group in titles]
    assert firsts == sorted(firsts)
    assert len(found) < len(recs)  # the samples hold stories of several articles


def test_email_golden_is_the_html_and_a_text_part_in_json_order() -> None:
    message = email.message_from_bytes(golden("export.eml").encode(), policy=email.policy.default)
    assert message.get_content_type() == "multipart/alternative"
    assert message["Subject"] == "Sample picks"
    assert message["To"] == "Reader <reader@example.org>"
    assert message["Date"] == "Thu, 20 Mar 2025 00:00:00 +0000"
    assert message["Message-ID"].endswith("@news.example>")
    text, html = message.get_payload()  # type: ignore[misc]
    assert (text.get_content_type(), html.get_content_type()) == ("text/plain", "text/html")
    assert html.get_content() == golden("export.html")
    body = text.get_content()
    recs = records()
    at = 0
    for r in [r for r in recs if "AI" in (r.get("topics") or [])]:  # the first section
        at = body.index(f"* {r['title']}\n  {provider(r)}, {r['publishedDateTime'][:10]}", at)
        assert body.index(f"  {r['webUrl']}\n", at) > at


def test_jsonfeed_golden_holds_the_json_articles_in_order() -> None:
    feed = json.loads(golden("export.jsonfeed.json"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == "Sample picks"
    assert feed["home_page_url"] == "https://news.example/"
    assert feed["feed_url"] == "https://news.example/feed.json"
    recs = records()
    assert len(feed["items"]) == len(recs)
    for item, r in zip(feed["items"], recs, strict=True):
        assert item["id"] == item["url"] == r["webUrl"]
        assert item["title"] == r["title"]
        assert item.get("summary") == r.get("excerpt")
        assert item["date_published"] == r["publishedDateTime"]
        assert item.get("date_modified") == r.get("updatedDateTime")
        assert item.get("tags", []) == (r.get("topics") or [])
        assert item["authors"][0]["name"] == provider(r)
        image = first_image(r)
        assert item.get("image") == (image["url"] if image else None)
