"""h118 MED: an RSS item or Atom entry with a title but neither a link nor an id was
left out of `import` (the summary said "1 item left out"), so a feed of such items
imported nothing. It now gets an id made of its title, summary and dates as the feed
writes them: imported once, not again on the next run, and two items told apart by
their date are two. Through the installed command."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli

RSS = """<rss version="2.0"><channel><title>F</title><link>https://f.example/</link>
<item><title>Linkless headline</title><description>text</description></item>
<item><title>Linkless headline</title><description>text</description>
<pubDate>Fri, 14 Mar 2025 09:00:00 GMT</pubDate></item>
<item><title>Another</title></item></channel></rss>"""
ATOM = """<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
<entry><title>Entry alone</title><updated>2025-03-14T09:00:00Z</updated></entry></feed>"""


def test_items_without_link_or_id_are_imported_once(tmp_path: Path) -> None:
    (tmp_path / "n.xml").write_text(RSS, encoding="utf-8")
    (tmp_path / "a.xml").write_text(ATOM, encoding="utf-8")
    first = run_cli("import", "n.xml", "a.xml", "--into", "in", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "left out" not in first.stderr
    files = sorted((tmp_path / "in").rglob("*.md"))
    assert len(files) == 4, first.stdout
    ids = {line for f in files for line in f.read_text().splitlines() if "sourceId" in line}
    assert len(ids) == 4 and all("newscli:sha256:" in line for line in ids), ids
    again = run_cli("import", "n.xml", "a.xml", "--into", "in", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stdout == "" and sorted((tmp_path / "in").rglob("*.md")) == files
    assert "0 new articles" in again.stderr


NOTICE = """<rss version="2.0"><channel><title>Council</title><link>https://council.example/</link>
<item><title>Road closure</title><description>{street} closed.</description>
<pubDate>Fri, 14 Mar 2025 09:00:00 GMT</pubDate></item></channel></rss>"""


def test_a_later_notice_of_one_title_and_date_is_not_the_last_one(tmp_path: Path) -> None:
    """h120 HIGH: the next "Road closure" notice of the same date (another street),
    once the last had left the feed, was taken for it by the rule for items renumbered
    by position (the same title and date from one feed), and never came in."""
    for street in ("Elm Street", "Maple Drive"):
        (tmp_path / "c.xml").write_text(NOTICE.format(street=street), encoding="utf-8")
        done = run_cli("import", "c.xml", "--into", "in", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert done.stdout.endswith(": Road closure\n"), done.stderr
    texts = sorted(p.read_text() for p in (tmp_path / "in").rglob("*.md"))
    assert len(texts) == 2 and "Maple Drive" in texts[0] + texts[1]


def test_items_of_other_enclosures_or_content_are_two(tmp_path: Path) -> None:
    """h119: two "Alert" items with other enclosures, or the same description and other
    content, had one id: the second was taken for the first."""
    items = "".join(
        f"<item><title>Alert</title><description>d</description>{extra}</item>"
        for extra in (
            '<enclosure url="https://a.example/a.mp3" type="audio/mpeg" length="1"/>',
            '<enclosure url="https://a.example/b.mp3" type="audio/mpeg" length="1"/>',
            "<content:encoded>one</content:encoded>",
            "<content:encoded>two</content:encoded>",
        )
    )
    (tmp_path / "e.xml").write_text(
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>E</title>{items}</channel></rss>",
        encoding="utf-8",
    )
    done = run_cli("import", "e.xml", "--into", "in", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert len(list((tmp_path / "in").rglob("*.md"))) == 4, done.stderr


FRONT = """<rss version="2.0"><channel><title>Council</title><link>https://council.example/</link>
<item><title>Road closure</title><link>https://council.example/</link>
<description>{street} closed.</description>
<pubDate>Fri, 14 Mar 2025 09:00:00 GMT</pubDate></item></channel></rss>"""


def test_a_front_page_link_is_no_link_for_these_items(tmp_path: Path) -> None:
    """h121 MED: the same notices whose only link is the site's front page (which
    names no article): the second was taken for the first and never came in."""
    for street in ("Main Street", "Elm Street"):
        (tmp_path / "f.xml").write_text(FRONT.format(street=street), encoding="utf-8")
        done = run_cli("import", "f.xml", "--into", "in", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert done.stdout.endswith(": Road closure\n"), done.stderr
    again = run_cli("import", "f.xml", "--into", "in", cwd=tmp_path)
    assert (again.returncode, again.stdout) == (0, ""), again.stderr
    assert len(list((tmp_path / "in").rglob("*.md"))) == 2


def test_an_item_imported_before_content_ids_is_not_written_again(tmp_path: Path) -> None:
    """An item of a front-page link imported before such items were named by their
    content (a file without sourceId) is still found by its title and date: the upgrade
    writes no second copy of each."""
    (tmp_path / "f.xml").write_text(FRONT.format(street="Main Street"), encoding="utf-8")
    first = run_cli("import", "f.xml", "--into", "in", cwd=tmp_path)
    (path,) = (tmp_path / "in").rglob("*.md")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(x for x in lines if not x.startswith("sourceId:")), "utf-8")
    again = run_cli("import", "f.xml", "--into", "in", cwd=tmp_path)
    assert (first.returncode, again.returncode, again.stdout) == (0, 0, ""), again.stderr
    assert len(list((tmp_path / "in").rglob("*.md"))) == 1
