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
