"""An item's own id (RSS guid, Atom id, JSON Feed id) is unique only within its feed:
two feeds that both number their items 1, 2, 3 are different articles (h29: the second
feed's were counted "already there" and never written). Through the installed command."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml
from conftest import run_cli

SELF = '<atom:link href="{}" rel="self" type="application/rss+xml"/>'


def rss(items: list[tuple[str, str | None, str]], self_link: str | None = None) -> str:
    """An RSS 2.0 document of (title, link or None, guid) items, guids not permalinks."""
    body = "".join(
        f"<item><title>{title}</title>" + (f"<link>{link}</link>" if link else "")
        + f'<guid isPermaLink="false">{guid}</guid>'
        "<pubDate>Fri, 14 Mar 2025 09:12:00 GMT</pubDate></item>"
        for title, link, guid in items
    )  # fmt: skip
    own = SELF.format(self_link) if self_link else ""
    return (
        '<?xml version="1.0"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">'
        f"<channel><title>T</title>{own}{body}</channel></rss>"
    )


def imported(feeds: Path, *sources: Path) -> tuple[list[str], str]:
    result = run_cli("import", *map(str, sources), "--into", str(feeds))
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines(), result.stderr


def titles(feeds: Path) -> list[str]:
    found = []
    for path in feeds.rglob("*.md"):
        front = path.read_text(encoding="utf-8").split("---")[1]
        found.append(yaml.safe_load(front)["title"])
    return sorted(found)


def test_two_feeds_numbering_their_items_alike_are_both_imported_once(
    tmp_path: Path, private_state: Path
) -> None:
    first = tmp_path / "first.xml"
    first.write_text(rss([("Harbour one", "https://a.example/1", "1"),
                          ("Harbour two", None, "2")]), encoding="utf-8")  # fmt: skip
    second = tmp_path / "second.xml"
    second.write_text(rss([("Lantern one", "https://b.example/1", "1"),
                           ("Lantern two", None, "2")]), encoding="utf-8")  # fmt: skip
    feeds = tmp_path / "feeds"
    written, said = imported(feeds, first, second)
    assert len(written) == 4, said
    assert titles(feeds) == ["Harbour one", "Harbour two", "Lantern one", "Lantern two"]
    assert said == "newscli: imported 4 new articles from 2 sources (0 already there)\n"
    # each file says which feed its id is from
    feeds_named = set()
    for path in feeds.rglob("*.md"):
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        feeds_named.add((front["sourceId"], front["sourceFeed"]))
    assert feeds_named == {(n, str(f)) for n in "12" for f in (first, second)}
    assert run_cli("validate", str(feeds)).returncode == 0
    again, said = imported(feeds, second, first)
    assert again == [] and "imported 0 new articles" in said and "(4 already there)" in said
    # An item whose link changed under its id and title: the same article, not new.
    first.write_text(rss([("Harbour one", "https://a.example/one", "1")]), encoding="utf-8")
    assert imported(feeds, first)[0] == []


def test_a_feed_numbering_its_items_by_position_loses_none(
    tmp_path: Path, private_state: Path
) -> None:
    """h30: D A B after A B C, numbered 1 2 3 each time: D took A's id, with another URL
    and another title, and was counted already there (lost). The same id is the same
    article only with the same title or URL."""
    feed = tmp_path / "top.xml"
    stories = {name: (f"Story {name}", f"https://p.example/{name}") for name in "ABCD"}
    feed.write_text(rss([(*stories[n], str(i)) for i, n in enumerate("ABC", 1)]),
                    encoding="utf-8")  # fmt: skip
    feeds = tmp_path / "feeds"
    assert len(imported(feeds, feed)[0]) == 3
    feed.write_text(rss([(*stories[n], str(i)) for i, n in enumerate("DAB", 1)]),
                    encoding="utf-8")  # fmt: skip
    written, said = imported(feeds, feed)
    assert len(written) == 1
    assert said == "newscli: imported 1 new article from 1 source (2 already there)\n"
    assert titles(feeds) == ["Story A", "Story B", "Story C", "Story D"]


def test_ids_stored_before_they_had_a_feed_still_match(tmp_path: Path, private_state: Path) -> None:
    """h30: files with a sourceId and no sourceFeed (written before stop 37) matched
    nothing, so their linkless items were imported again. Such an id matches any feed's
    same id with the same title."""
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    old = "---\ntitle: Bare old\npublishedDateTime: 2025-03-14T09:12:00Z\nsourceId: '5'\n---\n"
    (feeds / "old.md").write_text(old, encoding="utf-8")
    feed = tmp_path / "feed.xml"
    feed.write_text(rss([("Bare old", None, "5"), ("Bare new", None, "6")]), encoding="utf-8")
    written, said = imported(feeds, feed)
    assert len(written) == 1 and "(1 already there)" in said, said
    assert titles(feeds) == ["Bare new", "Bare old"]


def test_a_feed_file_without_its_own_url_is_known_by_what_it_says_it_is(
    tmp_path: Path, private_state: Path
) -> None:
    """h30: the same feed file at another path, giving no rel=self link, had its linkless
    items imported again. An Atom feed is its <id>; an RSS channel its link and title
    (two channels of one site, told apart by their titles, keep their own ids)."""
    atom = (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<id>urn:example:feed:river</id><title>River</title>"
        "<updated>2025-03-14T09:12:00Z</updated><entry><id>1</id><title>Bare river</title>"
        "<updated>2025-03-14T09:12:00Z</updated></entry></feed>"
    )
    feeds = tmp_path / "feeds"
    for day, text in (("mon", atom), ("tue", atom)):
        (tmp_path / day).mkdir(exist_ok=True)
        (tmp_path / day / "river.atom").write_text(text, encoding="utf-8")
    assert len(imported(feeds, tmp_path / "mon" / "river.atom")[0]) == 1
    assert imported(feeds, tmp_path / "tue" / "river.atom")[0] == []

    def channel(title: str, item: str) -> str:
        return rss([(item, None, "1")]).replace(
            "<title>T</title>", f"<title>{title}</title><link>https://site.example/</link>"
        )

    for day in ("mon", "tue"):
        (tmp_path / day / "world.xml").write_text(channel("World", "Bare world"), "utf-8")
        (tmp_path / day / "sport.xml").write_text(channel("Sport", "Bare sport"), "utf-8")
    written = imported(feeds, tmp_path / "mon" / "world.xml", tmp_path / "mon" / "sport.xml")[0]
    assert len(written) == 2
    assert imported(feeds, tmp_path / "tue" / "world.xml", tmp_path / "tue" / "sport.xml")[0] == []
    assert titles(feeds) == ["Bare river", "Bare sport", "Bare world"]


def test_a_globally_unique_id_is_the_same_article_in_any_feed(
    tmp_path: Path, private_state: Path
) -> None:
    """A urn:uuid: (or tag:, or URL) id names one article wherever it is given (a
    mirror, a renamed copy, another title)."""
    feeds = tmp_path / "feeds"
    uuid = "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a"
    first, mirror = tmp_path / "first.xml", tmp_path / "mirror.xml"
    first.write_text(rss([("Bare uuid", None, uuid)]), encoding="utf-8")
    mirror.write_text(rss([("Bare uuid, retitled", None, uuid)]), encoding="utf-8")
    assert len(imported(feeds, first)[0]) == 1
    assert imported(feeds, mirror)[0] == []


def test_a_feed_is_known_by_its_own_url_wherever_its_file_is(
    tmp_path: Path, private_state: Path
) -> None:
    """A feed that names its URL (atom:link rel="self"): a copy of it elsewhere (today's
    download) is the same feed, its ids the same items."""
    today = tmp_path / "today.xml"
    today.write_text(rss([("Only an id", None, "42")], "https://c.example/feed.xml"),
                     encoding="utf-8")  # fmt: skip
    feeds = tmp_path / "feeds"
    assert len(imported(feeds, today)[0]) == 1
    copy = tmp_path / "later" / "feed.xml"
    copy.parent.mkdir()
    shutil.copy(today, copy)
    assert imported(feeds, copy)[0] == []
    (path,) = feeds.rglob("*.md")
    assert 'sourceFeed: "https://c.example/feed.xml"' in path.read_text(encoding="utf-8")


def test_one_feed_reusing_an_id_loses_none_of_its_items(
    tmp_path: Path, private_state: Path
) -> None:
    """A feed giving several items one id: told apart by their URLs, or without one by
    their titles; a second run writes nothing, and a new item under the id is new."""
    feed = tmp_path / "reuse.xml"
    items: list[tuple[str, str | None, str]] = [
        ("Link one", "https://d.example/one", "7"),
        ("Link two", "https://d.example/two", "7"),
        ("Bare one", None, "8"),
        ("Bare two", None, "8"),
        ("Link one, again", "https://d.example/one?utm_source=rss", "7"),  # the same URL
    ]
    feed.write_text(rss(items), encoding="utf-8")
    feeds = tmp_path / "feeds"
    said = imported(feeds, feed)[1]
    assert titles(feeds) == ["Bare one", "Bare two", "Link one", "Link two"], said
    assert "(1 already there)" in said
    assert imported(feeds, feed)[0] == []
    feed.write_text(rss([*items, ("Link three", "https://d.example/three", "7")]),
                    encoding="utf-8")  # fmt: skip
    assert [Path(p).name.split("-")[:2] for p in imported(feeds, feed)[0]] == [["link", "three"]]


def test_json_feed_ids_are_scoped_by_the_feed_url_it_gives(
    tmp_path: Path, private_state: Path
) -> None:
    feeds = tmp_path / "feeds"
    paths = []
    for name in ("east", "west"):
        doc = {"version": "https://jsonfeed.org/version/1.1", "title": name,
               "feed_url": f"https://{name}.example/feed.json",
               "items": [{"id": "1", "title": f"{name} first"}]}  # fmt: skip
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(doc), encoding="utf-8")
        paths.append(path)
    assert len(imported(feeds, *paths)[0]) == 2
    assert titles(feeds) == ["east first", "west first"]
    assert imported(feeds, *paths)[0] == []
