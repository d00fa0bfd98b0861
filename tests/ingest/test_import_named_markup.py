"""h118 HIGH: text a feed calls plain (an Atom `type="text"` title, an RSS title, an
aggregator's excerpt) that only names markup was reduced as HTML: "Why the <script>
tag still matters" was imported as "Why the", "Inbox <noreply@example.com> spoofing
wave" lost the address, "vector<int>" its "<int>". Such text is HTML only when it holds
a closing tag or a character reference and every tag in it names an HTML element (a
title escaped twice, as many feeds write them, is still reduced); text declared HTML
still is. Through the installed command; the files read back with PyYAML."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from conftest import run_cli

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>urn:uuid:f</id>
<updated>2025-03-14T00:00:00Z</updated>{entries}</feed>"""
ENTRY = """<entry><title{kind}>{title}</title><id>urn:uuid:{n}</id>
<link href="https://a.example/{n}"/><updated>2025-03-14T09:00:00Z</updated>{summary}</entry>"""

# (title type, title as written in the XML, summary as written or "", title, excerpt)
CASES = [
    (' type="text"', "Why the &lt;script&gt; tag still matters",
     '<summary type="text">Use &lt;div&gt; and &lt;span&gt; wisely</summary>',
     "Why the <script> tag still matters", "Use <div> and <span> wisely"),
    ("", "Inbox &lt;noreply@example.com&gt; spoofing wave", "",
     "Inbox <noreply@example.com> spoofing wave", None),
    (' type="text"', "C++ templates: vector&lt;int&gt; vs array&lt;int, 3&gt;", "",
     "C++ templates: vector<int> vs array<int, 3>", None),
    # escaped twice: still HTML (a closing tag of an element, a reference)
    (' type="text"', "&lt;b&gt;Bold&lt;/b&gt; move by AT&amp;amp;T", "", "Bold move by AT&T", None),
    (' type="text"', "AT&amp;amp;T buys &lt;x&gt; corp", "", "AT&T buys <x> corp", None),
    # h119, h120: a reference beside a tag whose element hides its content
    (' type="text"', "&lt;head&gt; &amp;amp; body tags explained", "",
     "<head> & body tags explained", None),
    (' type="text"', "Why &lt;noscript&gt; &amp;amp; SEO clash", "", "Why <noscript> & SEO clash",
     None),
    ("", "Stop using &lt;textarea&gt; &amp;amp; &lt;select&gt; blindly", "",
     "Stop using <textarea> & <select> blindly", None),
    # declared HTML: an element never ended keeps what follows it
    (' type="html"', "Why &lt;script&gt; tag isn&amp;#8217;t dead", "", "Why tag isn\u2019t dead",
     None),
    # declared HTML is HTML
    (' type="html"', "&lt;b&gt;Html&lt;/b&gt; title &amp;amp; more",
     '<summary type="html">Use &lt;div&gt;x&lt;/div&gt; &lt;script&gt;g()&lt;/script&gt;</summary>',
     "Html title & more", "Use x"),
]  # fmt: skip


def imported(folder: Path) -> dict[str, object]:
    found = {}
    for path in folder.rglob("*.md"):
        data = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        found[data["webUrl"]] = data
    return found


def test_text_that_names_markup_is_kept(tmp_path: Path) -> None:
    entries = "".join(
        ENTRY.format(kind=kind, title=title, n=n, summary=summary)
        for n, (kind, title, summary, _, _) in enumerate(CASES)
    )
    (tmp_path / "a.xml").write_text(ATOM.format(entries=entries), encoding="utf-8")
    done = run_cli("import", "a.xml", "--into", "in", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    found = imported(tmp_path / "in")
    for n, (_, _, _, title, excerpt) in enumerate(CASES):
        data = found[f"https://a.example/{n}"]
        assert (data["title"], data["excerpt"]) == (title, excerpt)


def test_rss_titles_and_json_titles_and_excerpts(tmp_path: Path) -> None:
    (tmp_path / "r.xml").write_text(
        '<rss version="2.0"><channel><title>F</title><item><title>Why the &lt;script&gt; '
        "tag still matters</title><link>https://r.example/1</link></item><item><title>"
        "<![CDATA[Why the <script> tag isn&#8217;t dead]]></title>"
        "<link>https://r.example/2</link></item></channel></rss>",
        encoding="utf-8",
    )
    items = [
        {"title": "Inbox <a@b.example> wave", "webUrl": "https://j.example/1",
         "excerpt": "vector<int> and <style> tricks"},
        {"title": "<p>Tom &amp; Jerry</p>", "webUrl": "https://j.example/2",
         "excerpt": "<p>Tom &amp; Jerry</p>"},
    ]  # fmt: skip
    (tmp_path / "j.json").write_text(json.dumps({"news": items}), encoding="utf-8")
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": [
        {"id": "1", "url": "https://k.example/1", "title": "a <b>bold</b> move",
         "summary": "AT&amp;T <p>para</p>"}]}  # fmt: skip
    (tmp_path / "k.json").write_text(json.dumps(feed), encoding="utf-8")
    done = run_cli("import", "r.xml", "j.json", "k.json", "--into", "in", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    found = {url: (d["title"], d["excerpt"]) for url, d in imported(tmp_path / "in").items()}
    assert found == {
        "https://r.example/1": ("Why the <script> tag still matters", None),
        "https://r.example/2": ("Why the <script> tag isn\u2019t dead", None),
        "https://j.example/1": ("Inbox <a@b.example> wave", "vector<int> and <style> tricks"),
        "https://j.example/2": ("Tom & Jerry", "Tom & Jerry"),
        "https://k.example/1": ("a bold move", "AT&T para"),
    }
