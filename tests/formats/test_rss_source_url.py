"""RSS's `<source url>` is the outlet's site, never the feed an import read the article
from (`sourceFeed`): h111 asked for the feed (RSS 2.0: "the XMLization of the source"),
and h121 found that URL published a private feed's key (`?api_key=...`) and an internal
host in a public feed. Through the installed command, the RSS read with xml.etree."""

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


def test_source_url_is_the_site_never_the_feed_read(tmp_path: Path) -> None:
    (tmp_path / "f").mkdir()
    rows = {
        "a": 'sourceFeed: "http://10.0.0.5/rss.xml?api_key=SECRET"\n',
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
        "a": ("https://outlet.example/", "Outlet"),
        "b": ("https://outlet.example/", "Outlet"),
        "c": ("https://outlet.example/", "Outlet"),
    }
