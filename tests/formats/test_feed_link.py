"""Feeds never point at localhost: Atom without --feed-link gets a stable tag: id and no
link, RSS (whose channel link is required) needs --feed-link or a preset's feed-link.
Through the installed command, read back with feedparser."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
from conftest import SAMPLES, write
from conftest import run_cli as newscli

NOW = "2025-03-20T00:00:00Z"


def export(*args: str, cwd: Path | None = None) -> str:
    result = newscli("export", str(SAMPLES), "--now", NOW, *args, **({"cwd": cwd} if cwd else {}))
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_atom_without_link_has_a_stable_tag_id_and_no_link() -> None:
    text = export("-f", "atom", "--feed-title", "AI picks")
    assert "localhost" not in text
    feed = feedparser.parse(text)
    assert not feed.bozo
    assert feed.feed.id.startswith("tag:newscli,2025:feed:")
    assert not feed.feed.get("links")  # (feedparser's `link` repeats the id then)
    assert "<link" not in text.split("<entry>")[0]
    assert len(feed.entries) == len(json.loads(export()))
    assert export("-f", "atom", "--feed-title", "AI picks") == text  # stable
    other = feedparser.parse(export("-f", "atom", "--feed-title", "Space picks"))
    assert other.feed.id.startswith("tag:newscli,2025:feed:")
    assert other.feed.id != feed.feed.id


def test_atom_with_link_uses_it_as_id_and_link() -> None:
    feed = feedparser.parse(export("-f", "atom", "--feed-link", "https://news.example/ai/"))
    assert feed.feed.id == "https://news.example/ai/"
    assert feed.feed.link == "https://news.example/ai/"


def test_rss_needs_a_link(tmp_path: Path) -> None:
    target = tmp_path / "feed.xml"
    result = newscli("export", str(SAMPLES), "-f", "rss", "-o", str(target))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "newscli: error: --format rss needs --feed-link URL, the site's absolute http(s) "
        "address (RSS requires a channel link; Atom does not)\n"
    )
    assert not target.exists()
    feed = feedparser.parse(export("-f", "rss", "--feed-link", "https://news.example/"))
    assert not feed.bozo
    assert feed.feed.link == "https://news.example/"


def test_a_feed_link_must_be_an_absolute_http_url() -> None:
    for bad in ("javascript:alert(1)", "ftp://news.example/", "/relative/", "news.example"):
        for fmt in ("rss", "atom"):
            result = newscli("export", str(SAMPLES), "-f", fmt, "--feed-link", bad)
            assert result.returncode == 2, (bad, fmt)
            assert result.stderr.startswith("newscli: error: --feed-link: not an absolute")


def test_rss_link_from_a_preset(tmp_path: Path) -> None:
    write(
        tmp_path / "newscli.yaml",
        f"feeds: [{SAMPLES}]\npresets:\n  site:\n    format: rss\n"
        "    feed-link: https://news.example/site/\n",
    )
    result = newscli("export", "--preset", "site", "--now", NOW, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    feed = feedparser.parse(result.stdout)
    assert feed.feed.link == "https://news.example/site/"
    assert "localhost" not in result.stdout


def test_an_atom_entry_without_a_web_link_has_content(tmp_path: Path) -> None:
    """h125 MED: RFC 4287 (4.1.1) wants an entry without atom:content to have an
    alternate link; an article without an http(s) address had neither. It has its
    excerpt, else its title, as text content; the others are as they were."""
    import xml.etree.ElementTree as ET

    write(tmp_path / "a.md", "---\ntitle: Press release without a link\n"
          "publishedDateTime: 2025-03-01T09:00:00Z\n---\n")  # fmt: skip
    write(tmp_path / "b.md", '---\ntitle: JS\nexcerpt: "an <excerpt>"\nwebUrl: "javascript:x()"\n'
          "publishedDateTime: 2025-03-02T09:00:00Z\n---\n")  # fmt: skip
    write(tmp_path / "c.md", "---\ntitle: Linked\nwebUrl: https://example.com/c\n"
          "publishedDateTime: 2025-03-03T09:00:00Z\n---\n")  # fmt: skip
    result = newscli("export", str(tmp_path), "-f", "atom", "--sort", "date")
    assert result.returncode == 0, result.stderr
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = ET.fromstring(result.stdout).findall("a:entry", ns)
    found = {}
    for entry in entries:
        links = [x for x in entry.findall("a:link", ns) if x.get("rel") == "alternate"]
        content = entry.find("a:content", ns)
        assert links or content is not None  # (every entry: RFC 4287 4.1.1)
        title = entry.findtext("a:title", namespaces=ns)
        found[title] = (content.get("type"), content.text) if content is not None else None
    assert found == {
        "Press release without a link": ("text", "Press release without a link"),
        "JS": ("text", "an <excerpt>"),
        "Linked": None,
    }
    assert not feedparser.parse(result.stdout).bozo
