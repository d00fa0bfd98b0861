"""Reading sources into items, told apart by content; hostile XML refused; each item
rendered in the seed format, valid, under a stable and safe name."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from feed_server import FEEDS

from newscli.article.reading import load_file
from newscli.ingest.fetch import Limits
from newscli.ingest.item import Item
from newscli.ingest.render import relative_path, render, slug
from newscli.ingest.sources import Read, Source, read_source

EXAMPLE_ORDER = [  # the example article's keys, in its order (updatedDateTime as the table)
    "category", "title", "excerpt", "publishedDateTime", "updatedDateTime", "originalUrl",
    "webUrl", "ampWebUrl", "cdnAmpWebUrl", "type", "quality", "heat", "published",
    "provider", "topics", "images", "secured",
]  # fmt: skip


def read(path: Path, **defaults: object) -> list[Read]:
    return read_source(Source(str(path), **defaults), Limits(), lambda url: (None, None))  # type: ignore[arg-type]


def items(path: Path) -> list[Item]:
    (only,) = read(path)
    assert only.error is None
    return only.items


def copy_as(tmp_path: Path, name: str, new_name: str) -> Path:
    """A fixture under a misleading name: the kind comes from the content."""
    target = tmp_path / new_name
    target.write_bytes((FEEDS / name).read_bytes())
    return target


def test_every_kind_is_told_from_its_content(tmp_path: Path) -> None:
    found = {
        name: [(i.title, i.web_url, i.published) for i in items(copy_as(tmp_path, name, "f"))]
        for name in ("harbor-ledger-rss20.xml", "northwind-atom.xml", "meridian-rss10.rdf",
                     "oldtown-rss091.xml", "lantern-jsonfeed.json", "upstream-aggregator.json")
    }  # fmt: skip
    utc = timezone.utc
    assert found["harbor-ledger-rss20.xml"][1] == (
        "Port authority trials driverless cranes on the night shift",
        "https://www.harborledger.example/2025/03/driverless-cranes/?utm_source=rss&utm_medium=feed",
        datetime(2025, 3, 13, 23, 40, tzinfo=utc),  # -0500 in the feed
    )
    assert found["northwind-atom.xml"][0] == (
        "Sleep study links short nights to memory lapses",  # type="html": the <em> is gone
        "https://northwind.example/science/2025/sleep-memory",
        datetime(2025, 3, 15, 7, 30, tzinfo=utc),
    )
    assert found["meridian-rss10.rdf"][0][2] == datetime(2025, 3, 11, 19, 30, tzinfo=utc)
    assert found["oldtown-rss091.xml"] == [  # ISO-8859-1, DOCTYPE with a DTD: fine
        ("Café on Mill Street reopens after the flood",
         "http://oldtown.example/news/cafe-reopens.html", None)
    ]  # fmt: skip
    assert found["lantern-jsonfeed.json"][0][2] == datetime(2025, 3, 15, 1, 0, tzinfo=utc)
    assert [t for t, _, _ in found["upstream-aggregator.json"]] == [
        "Chipmakers brace for licence rules on accelerators",
        "Port authority trials driverless cranes on the night shift",
        "Wind farm auction draws record bids",
    ]


def test_html_is_reduced_to_text_and_defaults_fill_the_gaps() -> None:
    first, second, third = items(FEEDS / "harbor-ledger-rss20.xml")
    assert first.excerpt == (
        "A proposed framework would require licences for shipments of high-end accelerators "
        "& the software that drives them."
    )  # the <script> and its text are gone
    assert third.excerpt == "Compute is only one of the inputs."  # escaped HTML, reduced
    assert first.topics == ["AI", "Economy"]
    assert first.images == [
        {"url": "https://cdn.harborledger.example/img/chips-800.jpg", "width": 800, "height": 450}
    ]
    assert second.images == [{"url": "https://cdn.harborledger.example/img/cranes.jpg"}]
    assert second.source_id == "hl-2025-03-13-cranes"
    assert (first.provider_name, first.provider_domain) == (
        "Harbor Ledger - Technology", "harborledger.example"
    )  # fmt: skip
    (read_with,) = read(FEEDS / "harbor-ledger-rss20.xml", topics=("Tech", "ai"), quality=64,
                        category="news", provider="Harbor Ledger")  # fmt: skip
    item = read_with.items[0]
    assert item.topics == ["AI", "Economy", "Tech"]  # "ai" is AI already
    assert (item.quality, item.category, item.provider_name) == (64, "news", "Harbor Ledger")
    aggregated = items(FEEDS / "upstream-aggregator.json")[0]
    assert (aggregated.quality, aggregated.heat, aggregated.provider_name) == (
        71,
        512,
        "Coast Wire",
    )


def test_rendered_files_validate_and_keep_the_example_key_order(tmp_path: Path) -> None:
    every = [i for name in sorted(p.name for p in FEEDS.iterdir() if "xxe" not in p.name
             and "bomb" not in p.name and "broken" not in p.name and "opml" not in p.name)
             for i in items(FEEDS / name)]  # fmt: skip
    assert len(every) == 12
    for number, item in enumerate(every):
        path = tmp_path / f"{number}.md"
        path.write_text(render(item), encoding="utf-8")
        article = load_file(str(path))  # raises if the file is not a valid article
        assert article.title == item.title and article.url == (item.web_url or item.original_url)
        assert article.published is False and article.heat == item.heat
        known = [k for k in article.data if k in EXAMPLE_ORDER]
        assert known == sorted(known, key=EXAMPLE_ORDER.index), path.read_text()


def test_hostile_titles_are_quoted_safely_and_round_trip(tmp_path: Path) -> None:
    title = 'Yes: "no" # \x1b]8;;http://x\x07link\x1b\\ \u2028 \x85 [bold]x[/bold] \ud83d'
    item = Item(title=title, web_url="https://x.example/a", heat=-1, topics=["yes", "- x"])
    path = tmp_path / "a.md"
    path.write_text(render(item), encoding="utf-8")
    article = load_file(str(path))
    assert article.title == title.replace("\ud83d", "\ufffd")  # UTF-8 cannot hold it
    assert article.topics == ("yes", "- x")


def test_file_names_are_stable_ascii_and_bounded() -> None:
    day = datetime(2025, 3, 14, tzinfo=timezone.utc)
    item = Item(title="Ünïcode: ../../etc/passwd — a very long headline " * 4,
                web_url="https://www.x.example/a?utm_source=feed")  # fmt: skip
    name = relative_path(item, day)
    assert re.fullmatch(r"2025/03/14/[a-z0-9-]{1,60}-[0-9a-f]{10}\.md", name), name
    assert name.startswith("2025/03/14/unicode-etc-passwd-a-very-long-headline")
    twin = Item(title=item.title, web_url="https://x.example/a")  # same normalised URL
    assert relative_path(twin, day) == name
    assert relative_path(twin, day, attempt=1) == name.replace(".md", "-2.md")
    assert slug("!!!") == "article" and slug("日本語") == "article"


def test_external_entities_are_refused_and_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    feed = tmp_path / "feed.xml"
    text = (FEEDS / "xxe-local-file.xml").read_text(encoding="utf-8")
    feed.write_text(text.replace("{secret}", str(secret)), encoding="utf-8")
    (result,) = read(feed)
    assert result.items == []
    assert result.error == "refused: the document declares external entity 'secret'"


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("entity-bomb.xml", "refused: the document declares entity 'b' that expands"),
        ("broken-truncated.xml", "cannot parse the feed: "),
    ],
)
def test_bombs_and_broken_feeds_are_one_error(name: str, error: str) -> None:
    (result,) = read(FEEDS / name)
    assert result.items == [] and result.error and result.error.startswith(error)


def test_entities_hidden_in_utf16_or_a_broken_document_are_refused(tmp_path: Path) -> None:
    text = (FEEDS / "entity-bomb.xml").read_text(encoding="utf-8")
    utf16 = tmp_path / "utf16.xml"
    utf16.write_bytes(text.replace('<?xml version="1.0"?>', "").encode("utf-16"))
    broken = tmp_path / "broken.xml"  # expat gives up (a bad name) before the entities
    broken.write_text(text.replace("<!DOCTYPE rss [", "<!DOCTYPE 1rss ["), encoding="utf-8")
    for path in (utf16, broken):
        (result,) = read(path)
        assert result.error and result.error.startswith("refused: the document declares")


def test_what_is_not_a_feed_says_so(tmp_path: Path) -> None:
    cases = {
        "page.html": (b"<!doctype html><html><body>hi</body></html>", "not a feed"),
        "data.json": (b'{"status": "ok"}', "not a feed: a JSON document without items"),
        "deep.json": (b"[" * 100_000, "cannot parse the JSON"),
        "text.txt": (b"hello", "not a feed: neither XML nor JSON"),
        "empty.xml": (b"", "empty document"),
    }
    for name, (data, error) in cases.items():
        (tmp_path / name).write_bytes(data)
        (result,) = read(tmp_path / name)
        assert result.error and result.error.startswith(error), (name, result.error)
    (missing,) = read(tmp_path / "nope.xml")
    assert missing.error == "no such file"
    (scheme,) = read_source(Source("file:///etc/passwd"), Limits(), lambda url: (None, None))
    assert scheme.error == "only files and http(s) URLs can be imported"


def test_feedparser_gets_at_most_100_category_elements_an_item(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """feedparser checks each category against all before it (200,000 in one item: many
    minutes); an item's first 100 reach it, every item's own (RSS, Atom, dc:subject)."""
    import feedparser  # type: ignore[import-untyped]

    many = "".join(f"<category>c{n}</category>" for n in range(5000))
    atom = "".join(f'<category term="t{n}"/>' for n in range(300))
    rss = tmp_path / "many.rss"
    rss.write_text(
        '<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<channel><title>C</title><item><title>cats</title><link>https://r.example/c</link>"
        f"{many}<dc:subject>s</dc:subject></item><item><title>two</title>"
        "<link>https://r.example/d</link><category>x</category><dc:subject>y</dc:subject>"
        f"</item><entry>{atom}</entry></channel></rss>",
        encoding="ascii",
    )
    given: list[bytes] = []
    parse = feedparser.parse

    def seen(stream: Any, **options: Any) -> Any:
        given.append(stream.getvalue())
        return parse(stream, **options)

    monkeypatch.setattr(feedparser, "parse", seen)
    found = items(rss)
    first, second, third = (
        given[0].split(b"<item>")[1],
        given[0].split(b"<item>")[2],
        given[0].split(b"<entry>")[1],
    )
    assert first.count(b"<category>") == 100 and b"<dc:subject>" not in first
    assert b"<category>x</category><dc:subject>y</dc:subject>" in second
    assert third.count(b"<category ") == 100
    assert len(found[0].topics) == 50 and found[0].topics[:2] == ["c0", "c1"]
    assert found[1].topics == ["x", "y"]


@pytest.mark.parametrize(
    "data",
    [
        b'<rss version="2.0"/>',
        b'<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom" />\n<!-- x -->\n',
        '<?xml version="1.0" encoding="utf-16"?><rss version="2.0"/>'.encode("utf-16"),
    ],
)
def test_an_empty_feed_closed_in_its_tag_is_whole(data: bytes) -> None:
    """h129 5: `<rss version="2.0"/>` was told "the document ends before its end"."""
    from newscli.ingest.feeds import parse_feed, prepare_xml

    feed = parse_feed(prepare_xml(data))
    assert (feed.items, feed.cut) == ([], False)
    cut = b'<rss version="2.0"><channel><title>x</title><item><title>a</title>'
    cut += b"<link>https://x.example/a</link></item><item><title>b"
    assert parse_feed(prepare_xml(cut)).cut  # (one cut short still is)
