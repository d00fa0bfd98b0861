"""h111 HIGH: two different articles under one URL (a live blog's page, a section's page)
had one id in Atom, RSS and JSON Feed, so a feed reader showed only one of them (Atom
takes the second for an update of the first, RSS readers drop a guid seen, JSON Feed
wants ids unique). Each of them now gets the URL with a fragment of its own, made of its
file's name and publication time: the same on every export, whatever the order of the
files, the way their paths are written or which other files are there (h112, h113: it
was the path as typed, and which article kept the bare URL changed with --limit). Read
back with feedparser and json, through the installed command."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser  # type: ignore[import-untyped]
import pytest
from conftest import run_cli

LIVE = "https://n.example/live"


def _article(folder: Path, name: str, title: str, hour: int, url: str = LIVE) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f'---\ntitle: "{title}"\npublishedDateTime: 2025-03-01T{hour:02d}:00:00Z\n'
        f"webUrl: {url}\n---\n",
        encoding="utf-8",
    )


def _ids(fmt: str, cwd: Path, *args: str) -> dict[str, str]:
    """Each title's id in one export."""
    done = run_cli("export", *args, "-f", fmt, "--no-cache", "--feed-link",
                   "https://x.example/", cwd=cwd)  # fmt: skip
    assert done.returncode == 0, done.stderr
    if fmt == "jsonfeed":
        return {item["title"]: item["id"] for item in json.loads(done.stdout)["items"]}
    parsed = feedparser.parse(done.stdout.encode())
    assert not parsed.bozo, parsed.get("bozo_exception")
    return {entry.title: entry.id for entry in parsed.entries}


@pytest.mark.parametrize("fmt", ["atom", "rss", "jsonfeed"])
def test_articles_under_one_url_have_ids_of_their_own(tmp_path: Path, fmt: str) -> None:
    feeds = tmp_path / "feeds"
    _article(feeds, "a-live.md", "Live: election results", 9)
    _article(feeds, "b-budget.md", "Budget passes parliament", 10)
    _article(feeds / "x", "post.md", "Post in x", 11)
    _article(feeds / "y", "post.md", "Post in y", 11)  # (one name, one time: folders tell)
    _article(feeds, "own.md", "A page of its own", 12, "https://n.example/own")
    _article(feeds, "frag.md", "Fragment one", 13, "https://n.example/p#top")
    _article(feeds, "frag2.md", "Fragment two", 14, "https://n.example/p#top")
    ids = _ids(fmt, tmp_path, "feeds")
    assert len(set(ids.values())) == len(ids) == 7, ids
    assert ids["A page of its own"] == "https://n.example/own"  # alone under its URL
    shared = ["Live: election results", "Budget passes parliament", "Post in x", "Post in y"]
    assert all(ids[t].startswith(LIVE + "#newscli-") for t in shared)
    assert all(ids[t].count("#") <= 1 for t in ids)  # (h113 L5: one fragment at most)
    # the same ids whatever the spelling of the paths and the files given
    assert _ids(fmt, Path("/"), str(feeds)) == ids
    assert _ids(fmt, feeds, ".") == ids
    assert _ids(fmt, tmp_path, "./feeds/y/post.md", str(feeds)) == ids
    # --limit and --sort keep each article's id while two of them are there (those of
    # one name and one time are told apart by the folders the export holds)
    limited = _ids(fmt, tmp_path, "feeds", "--sort", "date:asc", "--limit", "2")
    assert limited == {t: ids[t] for t in limited} and len(limited) == 2


def test_a_file_added_beside_keeps_the_ids_before(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    _article(feeds / "x", "post.md", "Post in x", 10)
    _article(feeds, "first.md", "First", 9)
    before = _ids("atom", tmp_path, "feeds")
    _article(feeds / "y", "post.md", "Post in y", 11)  # one name, another time
    after = _ids("atom", tmp_path, "feeds")
    assert {t: after[t] for t in before} == before and len(set(after.values())) == 3


def test_rss_marks_a_fragment_of_its_own_as_no_permalink(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    _article(feeds, "a.md", "A", 9)
    _article(feeds, "b.md", "B", 10)
    _article(feeds, "c.md", "C", 11, "https://n.example/c")
    done = run_cli("export", "feeds", "-f", "rss", "--feed-link", "https://x.example/",
                   "--no-cache", cwd=tmp_path)  # fmt: skip
    assert done.stdout.count('isPermaLink="true"') == 1
    assert done.stdout.count('isPermaLink="false"') == 2


def test_ids_keep_while_others_come_and_go(tmp_path: Path) -> None:
    """h114: two of one file name and one time were told apart by as many folders as
    the others in the export needed, so an id changed when another article came into a
    --limit window or was written beside it; paths given from inside the folder gave
    other ids; an article without a URL had an id of its path as typed; and a URL that
    held such a fragment itself could give two items one id."""
    feeds = tmp_path / "feeds"
    _article(feeds / "a", "live.md", "A", 9)
    _article(feeds / "b", "live.md", "B", 9)
    _article(feeds, "c.md", "C", 10)
    before = _ids("jsonfeed", tmp_path, "feeds", "--limit", "3")
    _article(feeds, "d.md", "D", 11)
    _article(feeds / "x" / "a", "live.md", "X", 12)  # (one folder, name and time: deeper)
    after = _ids("jsonfeed", tmp_path, "feeds", "--sort", "date:asc")
    assert {t: after[t] for t in before} == before and len(set(after.values())) == 5
    inside = _ids("jsonfeed", feeds / "a", "live.md", "../b/live.md", "../c.md")
    assert inside == {t: before[t] for t in inside}
    (feeds / "n.md").write_text("---\ntitle: No URL\n---\n", encoding="utf-8")
    places = [(tmp_path, "feeds/n.md"), (feeds, "./n.md"), (Path("/"), str(feeds / "n.md"))]
    spelled = [_ids("atom", cwd, path)["No URL"] for cwd, path in places]
    assert len(set(spelled)) == 1 and spelled[0].startswith("tag:newscli,2025:")
    _article(tmp_path / "t", "c.md", "C", 10)
    _article(tmp_path / "t", "z.md", "Z", 11)
    taken = _ids("jsonfeed", tmp_path, "t")["C"]
    _article(tmp_path / "t", "i.md", "I", 11, taken)  # a URL holding C's fragment itself
    clash = _ids("jsonfeed", tmp_path, "t")
    assert len(set(clash.values())) == 3 and clash["I"] == taken, clash


def test_links_and_a_urls_own_fragment(tmp_path: Path) -> None:
    """h115: a folder reached through a link gave other ids (the path was not resolved),
    and two feeds with `live#1` and `live` at one name and time gave one id."""
    store = tmp_path / "store" / "real"
    _article(store, "u.md", "R", 9)
    _article(tmp_path / "feeds" / "a", "u.md", "A", 9)
    (tmp_path / "feeds" / "alias").symlink_to(store)
    through = _ids("atom", tmp_path, "feeds")
    direct = _ids("atom", tmp_path, "feeds/a", "store/real")
    assert through == direct and len(set(through.values())) == 2
    _article(tmp_path / "p" / "a", "u.md", "P", 9, LIVE + "#1")
    _article(tmp_path / "p", "v.md", "V", 10, LIVE + "#1")
    _article(tmp_path / "q" / "a", "u.md", "Q", 9)
    _article(tmp_path / "q", "v.md", "W", 10)
    assert _ids("atom", tmp_path, "p")["P"] != _ids("atom", tmp_path, "q")["Q"]
