"""newscli.formats.feeds: RSS 2.0 and Atom 1.0 built with ElementTree, links and ids."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

from newscli.article.model import Article, article_from_mapping
from newscli.formats.feeds import ATOM, DC, FeedInfo, atom, entry_id, rss, text, web_url

NOW = datetime(2025, 3, 20, 12, 0, tzinfo=timezone.utc)
NS = {"a": ATOM}
INFO = FeedInfo(title="Picks", link="https://news.example/", description="Chosen")


def make(path: str = "a.md", **data: Any) -> Article:
    return article_from_mapping(path, {"title": path, **data})


FULL = make(
    "full.md",
    title="Full <article> & more",
    excerpt="Summary\x1b[31m red",
    webUrl="https://site.example/full",
    publishedDateTime="2025-03-14T09:12:00Z",
    updatedDateTime="2025-03-15T10:00:00+02:00",
    topics=["AI", "Economy"],
    provider={"name": "Harbor Ledger", "domain": "harborledger.example"},
)
BARE = make("bare.md", title="Bare")


def test_text_is_one_inert_line_xml_can_hold() -> None:
    assert text("a\nb\tc") == "a b c"
    assert text("bell\x07") == "bell\ufffd"
    assert text("\ufffe\uffff") == "\ufffd\ufffd"
    assert text(None) == "" and text("") == ""
    assert text("\x1b[1mbold\x1b[0m") == "bold"


def test_web_url() -> None:
    assert web_url("https://a.example/x?y=1") == "https://a.example/x?y=1"
    assert web_url("  http://a.example  ") == "http://a.example"
    assert web_url("https://[::1") is None  # urlsplit refuses it
    assert web_url("mailto:x@a.example") is None
    for port in (":65536", ":-1", ":80:80", ":\uff18\uff10", ":1_0"):  # no such port
        assert web_url(f"https://h{port}/x") is None, port
    assert web_url("https://h:8080/x") == "https://h:8080/x"


def test_entry_id_is_the_url_or_a_stable_tag_uri() -> None:
    assert entry_id(FULL) == "https://site.example/full"
    first, again, other = entry_id(BARE), entry_id(make("bare.md")), entry_id(make("b2.md"))
    assert re.fullmatch(r"tag:newscli,2025:[0-9a-f]{32}", first)
    assert first == again and first != other
    assert entry_id(make("bad.md", webUrl="javascript:x")).startswith("tag:")


def test_rss_items() -> None:
    root = ET.fromstring(rss([FULL, BARE], INFO))
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel is not None
    assert channel.findtext("title") == "Picks"
    assert channel.findtext("link") == "https://news.example/"
    assert channel.findtext("description") == "Chosen"
    assert channel.findtext("lastBuildDate") == "Sat, 15 Mar 2025 08:00:00 GMT"  # newest article
    assert channel.find(f"{{{ATOM}}}link") is None  # no self link naming the site (INFO has no url)
    own = ET.fromstring(rss([FULL], replace(INFO, url="https://news.example/picks.xml")))
    self_link = own.find(f"channel/{{{ATOM}}}link")
    assert self_link is not None and self_link.get("rel") == "self"
    assert self_link.get("href") == "https://news.example/picks.xml"
    full, bare = channel.findall("item")
    assert full.findtext("title") == "Full <article> & more"
    assert full.findtext("link") == "https://site.example/full"
    guid = full.find("guid")
    assert guid is not None and guid.get("isPermaLink") == "true"
    assert guid.text == "https://site.example/full"
    assert full.findtext("pubDate") == "Fri, 14 Mar 2025 09:12:00 GMT"
    assert full.findtext("description") == "Summary red"
    assert [c.text for c in full.findall("category")] == ["AI", "Economy"]
    assert full.findtext(f"{{{DC}}}creator") == "Harbor Ledger"
    source = full.find("source")
    assert source is not None and source.get("url") == "https://harborledger.example/"
    assert source.text == "Harbor Ledger"
    # An article without URL, date, excerpt, topics or provider: only what it has.
    assert [child.tag for child in bare] == ["title", "guid"]
    bare_guid = bare.find("guid")
    assert bare_guid is not None and bare_guid.get("isPermaLink") == "false"


def test_rss_provider_with_only_a_domain() -> None:
    article = make(provider={"domain": "only.example"})
    item = ET.fromstring(rss([article], INFO)).find("channel/item")
    assert item is not None
    assert item.findtext(f"{{{DC}}}creator") == "only.example"
    source = item.find("source")
    assert source is not None and source.get("url") == "https://only.example/"


def test_atom_entries() -> None:
    root = ET.fromstring(atom([FULL, BARE], INFO))
    assert root.tag == f"{{{ATOM}}}feed"
    assert root.findtext("a:id", namespaces=NS) == "https://news.example/"
    assert root.findtext("a:title", namespaces=NS) == "Picks"
    assert root.findtext("a:subtitle", namespaces=NS) == "Chosen"
    # The feed's updated is the newest entry's (FULL's update, in UTC).
    assert root.findtext("a:updated", namespaces=NS) == "2025-03-15T08:00:00Z"
    assert [link.get("rel") for link in root.findall("a:link", NS)] == ["alternate"]
    own = ET.fromstring(atom([FULL], replace(INFO, url="https://news.example/picks.atom")))
    links = {link.get("rel"): link.get("href") for link in own.findall("a:link", NS)}
    assert links == {
        "alternate": "https://news.example/",
        "self": "https://news.example/picks.atom",
    }
    full, bare = root.findall("a:entry", NS)
    assert full.findtext("a:id", namespaces=NS) == "https://site.example/full"
    title = full.find("a:title", NS)
    assert title is not None and title.get("type") == "text"
    assert title.text == "Full <article> & more"
    assert full.findtext("a:published", namespaces=NS) == "2025-03-14T09:12:00Z"
    assert full.findtext("a:updated", namespaces=NS) == "2025-03-15T08:00:00Z"
    assert full.findtext("a:author/a:name", namespaces=NS) == "Harbor Ledger"
    assert full.findtext("a:author/a:uri", namespaces=NS) == "https://harborledger.example/"
    assert [c.get("term") for c in full.findall("a:category", NS)] == ["AI", "Economy"]
    assert full.findtext("a:summary", namespaces=NS) == "Summary red"
    # Without dates an entry's updated is the start of 1970 (never the clock); no link,
    # author or summary.
    assert bare.findtext("a:updated", namespaces=NS) == "1970-01-01T00:00:00Z"
    assert bare.find("a:link", NS) is None and bare.find("a:author", NS) is None
    assert bare.find("a:published", NS) is None and bare.find("a:summary", NS) is None


def test_atom_without_articles_is_valid_and_dated_1970() -> None:
    text_ = atom([], INFO)
    assert text_.startswith('<?xml version="1.0" encoding="utf-8"?>\n')
    root = ET.fromstring(text_)
    assert root.findtext("a:updated", namespaces=NS) == "1970-01-01T00:00:00Z"
    assert root.findall("a:entry", NS) == []


def test_feed_text_that_xml_cannot_hold_is_replaced() -> None:
    article = make(title="nul\x00 and \ufffe", excerpt="\x0b")
    for made in (rss([article], INFO), atom([article], INFO)):
        ET.fromstring(made)  # well-formed
        assert "\x00" not in made and "\ufffe" not in made and "\x0b" not in made
