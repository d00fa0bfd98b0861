"""h111 LOW: RSS's `<source url>` names the channel an item came from (RSS 2.0: "the
XMLization of the source"), and newscli gave the outlet's site. It now gives the feed
an import took the article from (`sourceFeed`, when it is an http(s) URL), else the
site as before. Through the installed command, the RSS read with xml.etree."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from conftest import run_cli

FILE = """---
title: "{title}"
publishedDateTime: 2025-03-14T09:00:00Z
webUrl: "https://news.example/{title}"
{feed}provider:
  name: Outlet
  domain: outlet.example
---
"""


def test_source_url_is_the_feed_it_came_from(tmp_path: Path) -> None:
    (tmp_path / "f").mkdir()
    rows = {
        "a": 'sourceFeed: "https://outlet.example/rss.xml"\n',
        "b": "",
        "c": 'sourceFeed: "/home/me/feed.xml"\n',  # a file: no URL of a channel
    }
    for title, feed in rows.items():
        text = FILE.format(title=title, feed=feed)
        (tmp_path / "f" / f"{title}.md").write_text(text, encoding="utf-8")
    done = run_cli(
        "export", "f", "--format", "rss", "--feed-link", "https://me.example/", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    found = {
        item.findtext("title"): (item.find("source").get("url"), item.findtext("source"))  # type: ignore[union-attr]
        for item in ET.fromstring(done.stdout).iter("item")
    }
    assert found == {
        "a": ("https://outlet.example/rss.xml", "Outlet"),
        "b": ("https://outlet.example/", "Outlet"),
        "c": ("https://outlet.example/", "Outlet"),
    }
