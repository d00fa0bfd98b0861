"""Entities in the categories of a feed that is no well-formed XML (h94 LOW): one bare
`&` in a title, common in the wild, sends feedparser to its lenient parser, which left
`Arts &amp; Culture` undecoded in a category while titles and excerpts were decoded, so
`--topic 'Arts & Culture'` found nothing. Decoded once: `&amp;amp;` is the text
`&amp;` in either. Through the installed command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Arts</title><link>https://c.example/</link>
<item><title>Fish {amp} chips</title><link>https://c.example/2</link>
<category>Arts &amp; Culture</category><category>Q&amp;amp;A</category></item>
</channel></rss>
"""


@pytest.mark.parametrize(
    ("amp", "topics"),
    [("&", ["Arts & Culture", "Q&amp;A"]), ("&amp;", ["Arts & Culture", "Q&amp;A"])],
    ids=["loose", "well-formed"],
)
def test_a_category_is_decoded_once(tmp_path: Path, amp: str, topics: list[str]) -> None:
    source = tmp_path / "feed.xml"
    source.write_text(FEED.format(amp=amp), encoding="utf-8")
    env = {"NEWSCLI_STATE_DIR": str(tmp_path / "state")}
    done = run_cli("import", str(source), "--into", str(tmp_path / "feeds"), "-q", env=env)
    assert done.returncode == 0, done.stderr
    found = run_cli("list", str(tmp_path / "feeds"), "--topic", "Arts & Culture", "--format",
                    "json", "--no-cache")  # fmt: skip
    (record,) = json.loads(found.stdout)
    assert (record["title"], record["topics"]) == ("Fish & chips", topics)


def test_bare_ampersands_are_text_as_written(tmp_path: Path) -> None:
    """h95 MED: a bare `&` sent the feed to feedparser's lenient parser, which wrote
    "AT&T" as "AT&T;" and a category "M&A" as "M&A;", in the article file for good.
    A bare `&` outside CDATA is now read as the text it is; one in CDATA, an entity and
    a character reference stay what they were."""
    feed = (
        '<rss version="2.0"><channel><title>x</title><link>https://bare.example/</link>'
        "<item><title>AT&T and Johnson & Johnson talk &amp; more &#38; &#x26;</title>"
        "<link>https://bare.example/one?a=1&b=2</link>"
        "<description><![CDATA[R&D &amp; <b>x</b>]]></description>"
        "<category>M&A</category></item></channel></rss>"
    )
    source = tmp_path / "bare.xml"
    source.write_text(feed, encoding="utf-8")
    env = {"NEWSCLI_STATE_DIR": str(tmp_path / "state")}
    done = run_cli("import", str(source), "--into", str(tmp_path / "feeds"), "-q", env=env)
    assert done.returncode == 0, done.stderr
    found = run_cli("export", str(tmp_path / "feeds"), "--no-cache")
    (record,) = json.loads(found.stdout)
    assert record["title"] == "AT&T and Johnson & Johnson talk & more & &"
    assert record["topics"] == ["M&A"]
    assert record["excerpt"] == "R&D & x"
    assert record["webUrl"] == "https://bare.example/one?a=1&b=2"


def test_an_html_entity_beside_a_bare_ampersand_changes_no_id(tmp_path: Path) -> None:
    """h96 HIGH: with an "&nbsp;" (no XML entity) in one day's feed, its bare "&" in a
    guid and the channel link came out "&amp;" and "&ampb=2" (the lenient parser), so
    the next day's item, the same, was imported again. HTML entities are read as their
    characters, and the two days give one file, the id as written."""
    feed = (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Wire</title>'
        "<link>https://wire.example/?a=1&b=2</link><item><title>Linkless note</title>"
        '<guid isPermaLink="false">note?id=7&rev=1</guid>'
        "<pubDate>Mon, 03 Mar 2025 10:00:00 GMT</pubDate><description>{}</description>"
        "</item></channel></rss>"
    )
    env = {"NEWSCLI_STATE_DIR": str(tmp_path / "state")}
    for day, text in (("1", "Text&nbsp;here &eacute;t&eacute;"), ("2", "Text here")):
        source = tmp_path / f"day{day}.xml"
        source.write_text(feed.format(text), encoding="utf-8")
        done = run_cli("import", str(source), "--into", str(tmp_path / "feeds"), "-q", env=env)
        assert done.returncode == 0, done.stderr
    found = run_cli("export", str(tmp_path / "feeds"), "--no-cache")
    (record,) = json.loads(found.stdout)
    assert record["sourceId"] == "note?id=7&rev=1"
    assert record["sourceFeed"].startswith("https://wire.example/?a=1&b=2")
    assert record["excerpt"] == "Text here \u00e9t\u00e9"  # (blanks made spaces, as any)


def test_an_unknown_entity_changes_no_other_text_and_no_id(tmp_path: Path) -> None:
    """h97 HIGH: one entity neither XML nor HTML defines (`&foo;`) sent the feed to the
    lenient parser, which wrote "AT&T;" and "urn:x?a=1&b;=2": the items already
    imported came in again. The entity is its text, as a browser shows it."""
    item = "<item><title>{}</title><guid>{}</guid></item>"
    head = '<?xml version="1.0"?><rss version="2.0"><channel><title>AT&T Wire</title>'
    head += "<link>https://wire.example/</link>"
    first = item.format("AT&T and Verizon merge", "urn:wire:item?a=1&b=2")
    env = {"NEWSCLI_STATE_DIR": str(tmp_path / "state")}
    for name, extra in (("day1", ""), ("day2", item.format("New &foo; thing", "urn:new"))):
        source = tmp_path / f"{name}.xml"
        source.write_text(f"{head}{first}{extra}</channel></rss>", encoding="utf-8")
        done = run_cli("import", str(source), "--into", str(tmp_path / "feeds"), "-q", env=env)
        assert done.returncode == 0, done.stderr
    found = run_cli("export", str(tmp_path / "feeds"), "--no-cache", "--sort", "title")
    records = json.loads(found.stdout)
    assert [(r["title"], r["sourceId"]) for r in records] == [
        ("AT&T and Verizon merge", "urn:wire:item?a=1&b=2"),
        ("New &foo; thing", "urn:new"),
    ]
