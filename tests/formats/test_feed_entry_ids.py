"""h111 HIGH: two different articles under one URL (a live blog's page, a section's page)
had one id in Atom, RSS and JSON Feed, so a feed reader showed only one of them (Atom
takes the second for an update of the first, RSS readers drop a guid seen, JSON Feed
wants ids unique). Now the first published keeps the URL as its id and each other gets
it with a fragment of its own, the same on every export, whatever the order of the
files or the way the folder is named. Read back with feedparser and json, through the
installed command."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser  # type: ignore[import-untyped]
from conftest import run_cli

LIVE = "https://n.example/live"


def _article(folder: Path, name: str, title: str, day: int, url: str = LIVE) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(
        f'---\ntitle: "{title}"\npublishedDateTime: 2025-03-0{day}T10:00:00Z\nwebUrl: {url}\n---\n',
        encoding="utf-8",
    )


def _ids(folder: str, fmt: str, cwd: Path) -> dict[str, str]:
    """Each title's id in one export of the folder."""
    args = ["export", folder, "-f", fmt, "--no-cache", "--feed-link", "https://x.example/"]
    done = run_cli(*args, cwd=cwd)
    assert done.returncode == 0, done.stderr
    if fmt == "jsonfeed":
        return {item["title"]: item["id"] for item in json.loads(done.stdout)["items"]}
    parsed = feedparser.parse(done.stdout.encode())
    assert not parsed.bozo, parsed.get("bozo_exception")
    return {entry.title: entry.id for entry in parsed.entries}


def test_articles_under_one_url_have_ids_of_their_own(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    _article(feeds, "b-budget.md", "Budget passes parliament", 2)
    _article(feeds, "a-live.md", "Live: election results", 1)
    _article(feeds / "later", "c-budget.md", "Markets react to budget", 3)
    _article(feeds, "own.md", "A page of its own", 4, "https://n.example/own")
    for fmt in ("atom", "rss", "jsonfeed"):
        ids = _ids("feeds", fmt, tmp_path)
        assert len(set(ids.values())) == len(ids) == 4, (fmt, ids)
        # the first published and an article alone under its URL keep the URL itself
        assert ids["Live: election results"] == LIVE
        assert ids["A page of its own"] == "https://n.example/own"
        assert all(ids[t].startswith(LIVE + "#") for t in ("Budget passes parliament",
                                                         "Markets react to budget"))  # fmt: skip
        # the same ids when the folder is named otherwise and the sort differs
        assert _ids(str(feeds), fmt, Path("/")) == ids
        again = run_cli("export", "feeds", "-f", fmt, "--feed-link", "https://x.example/",
                        "--sort", "title", cwd=tmp_path)  # fmt: skip
        assert again.returncode == 0, again.stderr
        for value in ids.values():
            assert value in again.stdout
    done = run_cli("export", "feeds", "-f", "rss", "--feed-link", "https://x.example/",
                   "--no-cache", cwd=tmp_path)  # fmt: skip
    # a guid with a fragment of newscli's own is no permalink; the URL itself is one
    assert done.stdout.count('isPermaLink="true"') == 2
    assert done.stdout.count('isPermaLink="false"') == 2
