"""URLs and titles that hold nothing a reader can use. The README's promise on URLs
holding a control, line break or invisible format character (h111 LOW: it said only
that such characters are percent-encoded): no link at all, in every format that links,
while the item itself is shipped. Through the installed command."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli

URLS = ["https://a.example/x\\u202ey", "https://a.example/x\\ty", "https://a.example/x\\ay"]


@pytest.mark.parametrize("fmt", ["rss", "atom", "jsonfeed", "html", "markdown", "email"])
def test_a_url_holding_a_control_is_no_link(tmp_path: Path, fmt: str) -> None:
    folder = tmp_path / "ctl"
    folder.mkdir()
    for n, url in enumerate(URLS):
        (folder / f"{n}.md").write_text(
            f'---\ntitle: "Item {n}"\nwebUrl: "{url}"\n---\n', encoding="utf-8"
        )
    done = run_cli("export", str(folder), "-f", fmt, "--feed-link", "https://x.example/",
                   "--to", "a@x.example")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert all(f"Item {n}" in done.stdout for n in range(len(URLS)))
    assert "a.example" not in done.stdout


@pytest.mark.parametrize("title", ['""', '"   "', '"\\e[31m\\u200b"'])
def test_a_blank_title_is_untitled_in_feeds(tmp_path: Path, title: str) -> None:
    """h111 LOW: a blank title, or one of controls and invisible characters only, made
    `<title />` items (an RSS item of neither title nor description) and a JSON Feed
    title "", while the newsletter and the digest said "(untitled)". Feeds say so too."""
    import json

    import feedparser  # type: ignore[import-untyped]

    folder = tmp_path / "blank"
    folder.mkdir()
    (folder / "a.md").write_text(f"---\ntitle: {title}\n---\n", encoding="utf-8")
    for fmt in ("rss", "atom"):
        done = run_cli("export", str(folder), "-f", fmt, "--feed-link", "https://x.example/")
        assert done.returncode == 0, done.stderr
        (entry,) = feedparser.parse(done.stdout.encode()).entries
        assert entry.title == "(untitled)", fmt
    done = run_cli("export", str(folder), "-f", "jsonfeed")
    (item,) = json.loads(done.stdout)["items"]
    assert item["title"] == item["content_text"] == "(untitled)"
