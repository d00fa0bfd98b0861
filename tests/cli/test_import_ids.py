"""An item's own id (RSS guid, Atom id, JSON Feed id) is unique only within its feed:
two feeds that both number their items 1, 2, 3 are different articles (h29: the second
feed's were counted "already there" and never written). Through the installed command."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
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


def test_one_link_given_to_several_items_loses_none_of_them(
    tmp_path: Path, private_state: Path
) -> None:
    """h31: items with their own ids and titles but one link (a home page, a live
    blog's fragments) were all taken for the first: only it was imported."""
    feed = tmp_path / "live.xml"
    items: list[tuple[str, str | None, str]] = [
        ("One", "https://x.example/", "tag:x,2025:1"),
        ("Two", "https://x.example/", "tag:x,2025:2"),
        ("Live 1", "https://x.example/live#u1", "l1"),
        ("Live 2", "https://x.example/live#u2", "l2"),
    ]
    feed.write_text(rss(items), encoding="utf-8")
    feeds = tmp_path / "feeds"
    assert len(imported(feeds, feed)[0]) == 4
    assert imported(feeds, feed)[0] == []
    feed.write_text(rss([*items, ("Live 3", "https://x.example/live#u3", "l3")]), "utf-8")
    assert [Path(p).name.split("-")[:2] for p in imported(feeds, feed)[0]] == [["live", "3"]]


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_an_id_given_to_every_item_loses_no_later_one(tmp_path: Path, private_state: Path) -> None:
    """h31: a feed giving all its items one id (its home page; a tag: URI) had a later
    item with that id taken for the first."""
    for shared in ("https://k.example/", "tag:k.example,2025:feed"):
        feed, feeds = tmp_path / "same.xml", tmp_path / f"feeds-{len(shared)}"
        feed.write_text(rss([("Alpha", "https://k.example/a", shared),
                             ("Beta", "https://k.example/b", shared)]), "utf-8")  # fmt: skip
        assert len(imported(feeds, feed)[0]) == 2
        feed.write_text(rss([("Delta", "https://k.example/d", shared)]), "utf-8")
        assert len(imported(feeds, feed)[0]) == 1, shared


def test_a_recurring_headline_numbered_by_position_loses_no_day(
    tmp_path: Path, private_state: Path
) -> None:
    """h31: "Morning briefing" as id 1 yesterday and today (yesterday's now id 2): today's
    was taken for yesterday's (same id, same title), whose URL is still in the feed."""
    feed, feeds = tmp_path / "m.xml", tmp_path / "feeds"
    feed.write_text(rss([("Morning briefing", "https://m.example/03-01", "1")]), "utf-8")
    assert len(imported(feeds, feed)[0]) == 1
    today = [("Morning briefing", "https://m.example/03-02", "1"),
             ("Morning briefing", "https://m.example/03-01", "2")]  # fmt: skip
    feed.write_text(rss(today), "utf-8")
    written, said = imported(feeds, feed)
    assert len(written) == 1 and "(1 already there)" in said, said
    urls = sorted(p.read_text(encoding="utf-8").split("webUrl: ")[1].split("\n")[0]
                  for p in feeds.rglob("*.md"))  # fmt: skip
    assert urls == ['"https://m.example/03-01"', '"https://m.example/03-02"']


def test_linkless_items_numbered_by_position_are_not_written_twice(
    tmp_path: Path, private_state: Path
) -> None:
    """h31: Alpha and Beta, linkless, shifted to ids 2 and 3 by a new item 1, were
    written again. The same title and date from the same feed, both linkless, is one."""
    feed, feeds = tmp_path / "f.xml", tmp_path / "feeds"
    feed.write_text(rss([("Alpha", None, "1"), ("Beta", None, "2"), ("Gamma", None, "3")]),
                    "utf-8")  # fmt: skip
    assert len(imported(feeds, feed)[0]) == 3
    feed.write_text(rss([("Delta", None, "1"), ("Alpha", None, "2"), ("Beta", None, "3")]),
                    "utf-8")  # fmt: skip
    written, said = imported(feeds, feed)
    assert len(written) == 1 and "(2 already there)" in said, said
    assert titles(feeds) == ["Alpha", "Beta", "Delta", "Gamma"]


def test_a_feed_whose_identity_changed_has_its_items_known_by_id_title_and_date(
    tmp_path: Path, private_state: Path
) -> None:
    """h31: a linkless item came again once its feed gained a rel=self link."""
    feed, feeds = tmp_path / "w.xml", tmp_path / "feeds"
    feed.write_text(rss([("Alpha", None, "1")]), "utf-8")
    assert len(imported(feeds, feed)[0]) == 1
    feed.write_text(rss([("Alpha", None, "1")], "https://t.example/feed.xml"), "utf-8")
    assert imported(feeds, feed)[0] == []


def test_aggregator_items_keep_their_id_and_may_have_no_link(
    tmp_path: Path, private_state: Path
) -> None:
    """h31: an aggregator item with an id and no URL was left out "(no title, or no URL
    and no id)"; ids were never kept."""
    doc = [{"id": "n1", "title": "No URL", "publishedDateTime": "2025-03-03T10:00:00Z"},
           {"sourceId": 7, "title": "Linked", "webUrl": "https://w.example/1"}]  # fmt: skip
    source, feeds = tmp_path / "agg.json", tmp_path / "feeds"
    source.write_text(json.dumps(doc), encoding="utf-8")
    written, said = imported(feeds, source)
    assert len(written) == 2 and "left out" not in said, said
    ids = sorted(yaml.safe_load(p.read_text(encoding="utf-8").split("---")[1])["sourceId"]
                 for p in feeds.rglob("*.md"))  # fmt: skip
    assert ids == ["7", "n1"]
    assert imported(feeds, source)[0] == []


def test_files_not_valid_are_said_before_their_items_come_again(
    tmp_path: Path, private_state: Path
) -> None:
    """h31: a hand-edited file made invalid had its item imported again, unsaid."""
    feed, feeds = tmp_path / "v.xml", tmp_path / "feeds"
    feed.write_text(rss([("Vee", "https://v.example/1", "1")]), "utf-8")
    assert len(imported(feeds, feed)[0]) == 1
    (path,) = feeds.rglob("*.md")
    path.write_text(path.read_text(encoding="utf-8").replace("quality: null", "quality: high"))
    written, said = imported(feeds, feed)
    assert len(written) == 1
    assert (
        f"newscli: {feeds}: 1 file not valid (newscli validate says why): an item of "
        "theirs is imported again\n" in said
    )


def dated(items: list[tuple[str, str | None, str | None, str]]) -> str:
    """An RSS 2.0 document of (title, link or None, guid or None, pubDate) items."""
    body = "".join(
        f"<item><title>{title}</title>" + (f"<link>{link}</link>" if link else "")
        + (f'<guid isPermaLink="false">{guid}</guid>' if guid else "")
        + f"<pubDate>{day}</pubDate></item>"
        for title, link, guid, day in items
    )  # fmt: skip
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title>'
        f"<link>https://site.example/</link>{body}</channel></rss>"
    )


D1, D2, D3 = (f"Thu, 20 Mar 2025 1{h}:00:00 GMT" for h in "012")


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_h32_no_item_is_lost_to_a_weak_sign(tmp_path: Path, private_state: Path) -> None:
    """h32's losses: a new linkless item with a stored one's title and date (its id is
    new, and the stored ones are still given under theirs); ids renumbered under one
    link for all; items sharing a link without guids; a section page shared by two
    feeds' items that tell of different things (whatever the order of the sources)."""
    feed, feeds = tmp_path / "f.xml", tmp_path / "traffic"
    same = ("Traffic update", None)
    feed.write_text(dated([(*same, "a1", D1), (*same, "a2", D1)]), "utf-8")
    assert len(imported(feeds, feed)[0]) == 2
    feed.write_text(dated([(*same, "a1", D1), (*same, "a2", D1), (*same, "a3", D1)]), "utf-8")
    assert len(imported(feeds, feed)[0]) == 1

    live, feeds = "https://site.example/live", tmp_path / "live"
    storm, flood = ("Storm closes harbour", live), ("Flood warning for towns", live)
    feed.write_text(dated([(*storm, "1", D1), (*flood, "2", D2)]), "utf-8")
    assert len(imported(feeds, feed)[0]) == 2
    fire = ("Fire at the old mill", live)
    feed.write_text(dated([(*fire, "1", D3), (*storm, "2", D1), (*flood, "3", D2)]), "utf-8")
    written, said = imported(feeds, feed)
    assert len(written) == 1 and "fire-at-the-old-mill" in written[0], said
    assert imported(feeds, feed)[0] == []

    home, feeds = "https://site.example/", tmp_path / "home"
    feed.write_text(dated([("Storm closes harbour", home, None, D1),
                           ("Flood warning for towns", home, None, D2)]), "utf-8")  # fmt: skip
    assert len(imported(feeds, feed)[0]) == 2
    assert imported(feeds, feed)[0] == []

    section = "https://site.example/world/"
    a, b = tmp_path / "a.xml", tmp_path / "b.xml"
    a.write_text(dated([("Storm closes harbour", section, "g1", D1)]), "utf-8")
    b.write_text(dated([("Election results announced", section, "g2", D1)]), "utf-8")
    for order, name in (((a, b), "ab"), ((b, a), "ba")):
        assert len(imported(tmp_path / name, *order)[0]) == 2, name


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_h32_one_article_is_not_written_twice(tmp_path: Path, private_state: Path) -> None:
    """h32's duplicates: a new guid and an edited headline on the article's own link; an
    aggregator dump copied to another name (no dates); and a live blog's entries under
    one title are each written once (told apart by their ids), and once only."""
    feed, feeds = tmp_path / "f.xml", tmp_path / "feeds"
    own = "https://site.example/2025/03/storm"
    feed.write_text(dated([("Storm closes harbour", own, "1234", D1)]), "utf-8")
    assert len(imported(feeds, feed)[0]) == 1
    feed.write_text(dated([("Storm closes harbour, ferries cancelled", own, "post-1234", D1)]),
                    "utf-8")  # fmt: skip
    assert imported(feeds, feed)[0] == []

    dumps = tmp_path / "dumps"
    dumps.mkdir()
    doc = json.dumps({"news": [{"title": "Council approves budget", "sourceId": "agg-99812"}]})
    (dumps / "mon.json").write_text(doc, encoding="utf-8")
    (dumps / "tue.json").write_text(doc, encoding="utf-8")
    assert len(imported(tmp_path / "agg", dumps / "mon.json")[0]) == 1
    assert imported(tmp_path / "agg", dumps / "tue.json")[0] == []

    title = "Live: storm updates"
    entries = [(title, "https://site.example/live#p1", "p1", D1),
               (title, "https://site.example/live#p2", "p2", D2)]  # fmt: skip
    feed.write_text(dated(entries), "utf-8")
    assert len(imported(tmp_path / "blog", feed)[0]) == 2
    assert imported(tmp_path / "blog", feed)[0] == []


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_h33_live_blogs_daily_headlines_and_editions_lose_nothing(
    tmp_path: Path, private_state: Path
) -> None:
    """h33's losses: a live blog's posts under one page (#fragments), no guids, each
    with its time; "Morning briefing" under a position id, yesterday's gone from the
    feed; the same headline on one landing page with a new guid and date each day; two
    editions' briefings with one id, headline and time but their own links; a linkless
    ticker's repeated headline renumbered."""
    feed = tmp_path / "f.xml"
    day = [f"Mon, 01 Jan 2024 {h:02d}:00:00 GMT" for h in range(24)]
    blog = "https://news.example/live/ukraine#p"
    posts = [("Ukraine: missiles hit Kyiv overnight", blog + "1", None, day[8]),
             ("Ukraine: Zelensky addresses parliament", blog + "2", None, day[9]),
             ("Ukraine: grain deal talks resume", blog + "3", None, day[10])]  # fmt: skip
    feed.write_text(dated(posts), "utf-8")
    assert len(imported(tmp_path / "blog", feed)[0]) == 3
    assert imported(tmp_path / "blog", feed)[0] == []

    brief, tue = "Morning briefing", "Tue, 02 Jan 2024 06:00:00 GMT"
    feed.write_text(dated([(brief, "https://news.example/2024/01/01/briefing", "1", day[6]),
                           ("Council approves budget", "https://news.example/b", "2", day[5])]),
                    "utf-8")  # fmt: skip
    assert len(imported(tmp_path / "brief", feed)[0]) == 2
    feed.write_text(dated([(brief, "https://news.example/2024/01/02/briefing", "1", tue),
                           ("Storm closes schools", "https://news.example/s", "2", day[5])]),
                    "utf-8")  # fmt: skip
    assert len(imported(tmp_path / "brief", feed)[0]) == 2

    landing = "https://news.example/newsletters/morning-briefing"
    feed.write_text(dated([(brief, landing, "mb-2024-01-01", day[6])]), "utf-8")
    assert len(imported(tmp_path / "landing", feed)[0]) == 1
    feed.write_text(dated([(brief, landing, "mb-2024-01-02", tue)]), "utf-8")
    assert len(imported(tmp_path / "landing", feed)[0]) == 1

    uk, us = tmp_path / "uk.xml", tmp_path / "us.xml"
    uk.write_text(dated([(brief, "https://news.example/uk/briefing", "1", day[6])])
                  .replace("<title>Feed</title>", "<title>News UK</title>"), "utf-8")  # fmt: skip
    us.write_text(dated([(brief, "https://news.example/us/briefing", "1", day[6])])
                  .replace("<title>Feed</title>", "<title>News US</title>"), "utf-8")  # fmt: skip
    assert len(imported(tmp_path / "editions", uk, us)[0]) == 2

    ticker = tmp_path / "a.json"
    first = [
        {"title": "Traffic update", "id": 1, "publishedDateTime": "2024-01-01T08:00:00Z"},
        {"title": "Road closed on A1", "id": 2, "publishedDateTime": "2024-01-01T07:00:00Z"},
    ]
    ticker.write_text(json.dumps({"news": first}), "utf-8")
    assert len(imported(tmp_path / "ticker", ticker)[0]) == 2
    later = {"title": "Traffic update", "id": 1, "publishedDateTime": "2024-01-01T09:00:00Z"}
    renumbered = [later, {**first[0], "id": 2}, {**first[1], "id": 3}]
    ticker.write_text(json.dumps({"news": renumbered}), "utf-8")
    (written,) = imported(tmp_path / "ticker", ticker)[0]
    assert "09:00" in Path(written.split(": ")[0]).read_text(encoding="utf-8")


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_h33_no_duplicates_from_town_halls_front_pages_or_rewrites(
    tmp_path: Path, private_state: Path
) -> None:
    """h33's duplicates: a town hall's undated items all linking one page (written again
    every run); a site's front page as the link in two sources (the result depended on
    their order); a headline rewritten with no word in common under the same link and
    guid."""
    feed = tmp_path / "f.xml"
    news = "https://townhall.example/news"
    items = [
        (t, news, None, "")
        for t in ("Council approves budget", "Library opening hours change", "Roadworks")
    ]
    feed.write_text(dated(items).replace("<pubDate></pubDate>", ""), "utf-8")
    assert len(imported(tmp_path / "town", feed)[0]) == 3
    for _ in range(2):
        assert imported(tmp_path / "town", feed)[0] == []

    site, agg = tmp_path / "site.xml", tmp_path / "agg.json"
    site.write_text(dated([("Budget vote delayed", "https://paper.example/", "budget-1",
                            "Mon, 01 Jan 2024 10:00:00 GMT")]), "utf-8")  # fmt: skip
    agg.write_text(json.dumps({"news": [
        {"title": "Budget vote delayed", "webUrl": "https://paper.example/", "id": 101,
         "publishedDateTime": "2024-01-01T10:00:00Z"},
        {"title": "Storm warning lifted", "webUrl": "https://paper.example/", "id": 102,
         "publishedDateTime": "2024-01-01T09:00:00Z"}]}), "utf-8")  # fmt: skip
    one = imported(tmp_path / "o1", site, agg)[0]
    other = imported(tmp_path / "o2", agg, site)[0]
    # (two ids, two feeds, no link of their own: nothing tells they are one article;
    # both written, in either order, rather than one lost)
    assert len(one) == len(other) == 3

    own = "https://news.example/uk-123"
    feed.write_text(dated([("Man arrested after Leeds attack", own, "uk-123",
                            "Mon, 01 Jan 2024 06:00:00 GMT")]), "utf-8")  # fmt: skip
    assert len(imported(tmp_path / "edit", feed)[0]) == 1
    feed.write_text(dated([("Suspect, 34, charged with murder", own, "uk-123",
                            "Mon, 01 Jan 2024 09:00:00 GMT")]), "utf-8")  # fmt: skip
    assert imported(tmp_path / "edit", feed)[0] == []


def test_h34_notices_on_one_page_and_front_page_items_once_each(
    tmp_path: Path, private_state: Path
) -> None:
    """h34: notices given one link exactly as written, at one time, no guids, headlines
    sharing a word: only the first was written, even into an empty folder; undated
    items linking the front page without an id were written again on every run (20
    runs: the source failed, "20 names taken")."""
    feed = tmp_path / "f.xml"
    notices = "https://council.example/news/notices"
    items = [
        ("Road closure: High Street, 12 March", notices, None, D1),
        ("Road closure: Mill Lane, 14 March", notices, None, D1),
        ("Bin collection changes for Easter", "https://council.example/b", None, D1),
    ]
    feed.write_text(dated(items), "utf-8")  # fmt: skip
    written, said = imported(tmp_path / "council", feed)
    assert len(written) == 3 and "(0 already there)" in said, said
    assert imported(tmp_path / "council", feed)[0] == []

    front = "https://gazette.example/"
    feed.write_text(dated([("Summer fete moved to Sunday", front, None, ""),
                           ("New bus timetable from April", front, None, "")])
                    .replace("<pubDate></pubDate>", ""), "utf-8")  # fmt: skip
    assert len(imported(tmp_path / "gazette", feed)[0]) == 2
    for _ in range(3):
        assert imported(tmp_path / "gazette", feed)[0] == []


def test_h34_a_feed_of_its_latest_item_on_one_landing_page_loses_none(
    tmp_path: Path, private_state: Path
) -> None:
    """h34: a newsletter feed giving only its latest issue, linked to its landing page,
    no guid: each later issue (another headline, another day, sharing a word) was taken
    for the first. Every imported file now says its feed (sourceFeed), so one feed's
    other headline at another time under that link is its next item."""
    feed, page = tmp_path / "feed.xml", "https://paper.example/newsletters/briefing"
    days = ("markets fall on rate fears", "ceasefire talks resume", "oil prices jump")
    for number, headline in enumerate(days, 10):
        when = f"Mon, {number} Mar 2025 06:00:00 GMT"
        feed.write_text(dated([(f"Morning Briefing: {headline}", page, None, when)]), "utf-8")
        assert len(imported(tmp_path / "feeds", feed)[0]) == 1, headline
        assert imported(tmp_path / "feeds", feed)[0] == []  # (and once only)
    assert len(titles(tmp_path / "feeds")) == 3


def test_a_feed_re_dating_its_items_writes_none_of_them_again(
    tmp_path: Path, private_state: Path
) -> None:
    """The chosen limit (README): an item with a stored article's link and title and no
    id is that article on any day. Feeds stamping every item with the time they are
    fetched would otherwise be imported again in full at each run."""
    feed = tmp_path / "feed.xml"
    items = [("Council approves budget", "https://paper.example/news/budget"),
             ("Bridge reopens after repairs", "https://paper.example/news/bridge")]  # fmt: skip
    for number in (10, 11, 12):
        when = f"Mon, {number} Mar 2025 06:00:00 GMT"
        feed.write_text(dated([(title, link, None, when) for title, link in items]), "utf-8")
        assert len(imported(tmp_path / "feeds", feed)[0]) == (2 if number == 10 else 0)
    assert sorted(titles(tmp_path / "feeds")) == sorted(title for title, _ in items)


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_h34_a_digest_on_a_section_page_another_day_loses_nothing_in_either_order(
    tmp_path: Path, private_state: Path
) -> None:
    """h34: a site's item and another feed's digest, both linked to one section page (the
    digest's guid is that page), two days apart, headlines sharing a word: the later
    import took its item for the stored one, so which was lost depended on the order."""
    page = "https://paper.example/politics/"
    site = dated(
        [("Budget talks stall in parliament", page, None, "Mon, 10 Mar 2025 08:00:00 GMT")]
    )
    digest = dated(
        [
            (
                "Politics digest: budget, schools, transport",
                page,
                page,
                "Wed, 12 Mar 2025 06:00:00 GMT",
            )
        ]
    ).replace("<title>Feed</title>", "<title>Digest</title>")
    (tmp_path / "site.xml").write_text(site, "utf-8")
    (tmp_path / "digest.xml").write_text(digest, "utf-8")
    for order in (("site.xml", "digest.xml"), ("digest.xml", "site.xml")):
        feeds = tmp_path / f"into-{order[0]}"
        for name in order:
            assert len(imported(feeds, tmp_path / name)[0]) == 1, order
        assert len(titles(feeds)) == 2
        assert all(imported(feeds, tmp_path / name)[0] == [] for name in order)  # once only
