"""Control characters in feed text (stop 53 LOW): a reference to one XML forbids
(`&#x1b;[31m`, `&#7;`) became U+FFFD in the article file ("Breaking\ufffd[31m news"), one
written raw was kept as a YAML escape, and a raw one sent the whole feed to feedparser's
lenient parser (which reads entities in ids otherwise). Now both are left out, an
escape sequence whole (CSI, C1's too; OSC, DCS and the like when they end within 512
characters; ESC ( B), the whitespace among them as a space, in RSS, Atom and JSON
alike, in HTML too; a sequence never ended takes nothing after it, and none takes XML's
markup (h113 H2, h112). Through the installed command."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli

RSS = (
    b'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>C</title>'
    b"<item><title>Breaking&#x1b;[31m news&#7; \x1b[32mraw\x07 here</title>"
    b'<link>https://c.example/1</link><guid isPermaLink="false">g&amp;1</guid>'
    b"<description>Lead\x0cline &#x1b;]8;;https://x.example"
    b"&#x7;link&#27;]8;;&#x1b;\\ end</description><category>Ai\x1b[0m</category></item>"
    b"<item><title>AT&T cuts \x1b]8;;never ended</title><link>https://c.example/2</link></item>"
    b"<item><title>Third item stays</title><link>https://c.example/3</link></item>"
    # h113 H2: an escape sequence cut short by the end of its element took "</t" with it
    b"<item><title>Cut \x1b[1</title><link>https://c.example/4</link></item>"
    b"<item><title>Ref cut &#x1b;[1</title><link>https://c.example/5</link></item>"
    b"<item><title>After the cuts</title><link>https://c.example/6</link></item>"
    # h112: sequences written as references, escaped once more (HTML in a text title),
    # and DCS and ESC ( B
    b"<item><title>C &#x1b;]0;t&#x7; D</title><link>https://c.example/7</link></item>"
    b"<item><title>K &amp;#x1b;[1m L</title><link>https://c.example/8</link></item>"
    b"<item><title>P \x1bP1;2|data\x1b\\ Q \x1b(B R</title><link>https://c.example/9</link>"
    b"</item>"
    # h114: C1 written raw (UTF-8) was made windows-1252's ("\xe2\x80\xba31m" for CSI)
    b"<item><title>Raw \xc2\x9b31m x \xc2\x85 y</title><link>https://c.example/10</link></item>"
    b"</channel></rss>"
)
JSON_FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "J",
    "items": [
        {
            "id": "j1",
            "url": "https://j.example/1",
            "title": "Markets\u001b[1;31m rally\u0007 again\u001b[0m\u009b7m",
            "summary": "Tab\there\u0000 and \u001b]0;title\u0007done",
            "tags": ["Econ\u001b[7momy"],
        },
        # h114: a C1 control in a link was kept in webUrl
        {"id": "j2", "url": "https://j.example/2\u009b", "title": "C1 link"},
    ],
}


def _records(folder: Path) -> dict[str, dict[str, object]]:
    found = run_cli("export", str(folder), "--format", "json", "--no-cache")
    assert found.returncode == 0, found.stderr
    return {
        r.get("webUrl") or r.get("originalUrl") or r["title"]: r for r in json.loads(found.stdout)
    }


def test_controls_are_left_out_of_imported_text(tmp_path: Path) -> None:
    (tmp_path / "feed.xml").write_bytes(RSS)
    (tmp_path / "feed.json").write_text(json.dumps(JSON_FEED), encoding="utf-8")
    into = tmp_path / "feeds"
    for source in ("feed.xml", "feed.json"):
        done = run_cli("import", str(tmp_path / source), "--into", str(into), "-q")
        assert done.returncode == 0, done.stderr
        # a well-formed document once its controls are out: not the lenient parser's
        assert "lenient" not in done.stderr and "not well-formed" not in done.stderr
    records = _records(into)
    assert len(records) == 12 and "C1 link" in records  # (its link: none)
    assert records["https://c.example/10"]["title"] == "Raw x y"
    titles = [records[f"https://c.example/{n}"]["title"] for n in range(2, 10)]
    assert titles == ["AT&T cuts 8;;never ended", "Third item stays", "Cut 1", "Ref cut 1",
                      "After the cuts", "C D", "K L", "P Q R"]  # fmt: skip
    first = records["https://c.example/1"]
    assert first["title"] == "Breaking news raw here"
    assert first["excerpt"] == "Lead line link end"  # (an OSC written as references too)
    assert first["topics"] == ["Ai"]
    # read by the strict parser (the lenient one kept "g&amp;1": another id than the
    # same feed gives without a control character, so its item would come in twice)
    assert first["sourceId"] == "g&1"
    jsoned = records["https://j.example/1"]
    assert jsoned["title"] == "Markets rally again"
    assert jsoned["excerpt"] == "Tab here and done"
    assert jsoned["topics"] == ["Economy"]
    for path in into.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        assert "\ufffd" not in text and "\\x1b" not in text and "\\e" not in text, path


def test_ids_differing_by_a_control_are_two_items(tmp_path: Path) -> None:
    """h115 HIGH: an id's control characters were left out as a title's are, so entries
    of one title and date whose ids differed by one ("u1", "u1\\x01", "u1&#x1b;[0m") were
    taken for one item, and all but one were lost, on a first import. Ids keep them; a
    second import adds nothing."""
    entries = "".join(
        f"<entry><title>Same</title><id>{given}</id><updated>2025-03-01T10:00:00Z</updated></entry>"
        for given in ("u1", "u1\x01", "u1\x02", "u1\x9b", "u1&#x1b;[0m", " u1\x1c")
    )
    atom = (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>'
        f"<id>urn:x:p</id><updated>2025-03-01T10:00:00Z</updated>{entries}</feed>"
    )
    (tmp_path / "p.atom").write_bytes(atom.encode("utf-8"))
    into = tmp_path / "fp"
    for _ in range(2):
        done = run_cli("import", str(tmp_path / "p.atom"), "--into", str(into), "-q")
        assert done.returncode == 0, done.stderr
    found = run_cli("export", str(into), "--format", "json", "--no-cache")
    ids = sorted(r["sourceId"] for r in json.loads(found.stdout))
    # (a reference to NEL at an id's end is feedparser's to strip, as any blank there)
    assert ids == sorted(["u1", "u1\x01", "u1\x02", "u1\x9b", "u1\x1b[0m", "u1\x1c"])
