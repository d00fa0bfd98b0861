"""What feeds link to, through the installed command (h58: two mutations survived): a
URL holding a control character is no link (one such article made the whole Atom or RSS
feed unreadable XML), and an article's link is its webUrl before its originalUrl."""

from __future__ import annotations

import xml.dom.minidom
from pathlib import Path

import pytest
from conftest import run_cli, write


@pytest.mark.parametrize("fmt", ["atom", "rss"])
def test_links_of_a_feed(tmp_path: Path, fmt: str) -> None:
    write(tmp_path / "f" / "bad.md", '---\ntitle: "Control"\nwebUrl: "https://a.example/x\\x01y"\n'
          "publishedDateTime: 2025-03-01T10:00:00Z\n---\n")  # fmt: skip
    both = "webUrl: https://site.example/story\noriginalUrl: https://wire.example/orig\n"
    write(tmp_path / "f" / "both.md", f'---\ntitle: "Both"\n{both}'
          "publishedDateTime: 2025-03-02T10:00:00Z\n---\n")  # fmt: skip
    run = run_cli("export", "f", "--format", fmt, "--feed-link", "https://me.example/",
                  "--no-cache", cwd=tmp_path)  # fmt: skip
    assert run.returncode == 0, run.stderr
    document = xml.dom.minidom.parseString(run.stdout.encode())  # well-formed, whole
    text = document.toxml()
    assert "https://site.example/story" in text and "wire.example/orig" not in text
    assert "a.example/x" not in text  # (no link at all rather than a broken one)


def test_a_json_feed_item_without_excerpt_or_provider_name(tmp_path: Path) -> None:
    """h58 (F16, F17): without an excerpt, content_text is the title (it may not be
    empty); a blank provider name makes no author of an empty name."""
    import json

    write(tmp_path / "f" / "a.md", '---\ntitle: "No excerpt here"\nprovider:\n  name: "  "\n'
          "webUrl: https://a.example/x\n---\n")  # fmt: skip
    run = run_cli("export", "f", "--format", "jsonfeed", "--no-cache", cwd=tmp_path)
    (item,) = json.loads(run.stdout)["items"]
    assert item["content_text"] == "No excerpt here"
    assert all(author.get("name", "").strip() for author in item.get("authors", []))


def test_an_address_holding_delete_is_refused(tmp_path: Path) -> None:
    """h58 (F14): DEL (0x7f) passed the control-character check of --to."""
    write(tmp_path / "f" / "a.md", "---\ntitle: A\n---\n")
    run = run_cli("export", "f", "--format", "email", "--to", "a\x7f@b.example", cwd=tmp_path)
    assert run.returncode == 2 and run.stdout == ""
    assert "--to: an address cannot hold a control character" in run.stderr


RAW = 'https://ok.example/a b"><x>\\y?q={1}|z'
ENCODED = "https://ok.example/a%20b%22%3E%3Cx%3E%5Cy?q=%7B1%7D%7Cz"


@pytest.mark.parametrize("fmt", ["atom", "rss", "jsonfeed", "html"])
def test_a_link_holds_no_character_a_uri_cannot(tmp_path: Path, fmt: str) -> None:
    """h94: a webUrl with a blank, quotes or angle brackets was written as is (escaped for
    the format, but no URI: feed validators refused the items); it is percent-encoded, as
    browsers send it, and so is --feed-link. A host holding one is no link."""
    import json
    import re

    quoted = RAW.replace("\\", "\\\\").replace('"', '\\"')
    write(tmp_path / "f" / "a.md", f'---\ntitle: "Odd link"\nwebUrl: "{quoted}"\n'
          "publishedDateTime: 2025-03-01T10:00:00Z\n---\n")  # fmt: skip
    write(tmp_path / "f" / "b.md", '---\ntitle: "Odd host"\nwebUrl: "https://a b.example/x"\n'
          "publishedDateTime: 2025-03-02T10:00:00Z\n---\n")  # fmt: skip
    run = run_cli("export", "f", "--format", fmt, "--feed-link", "https://me.example/a b",
                  "--no-cache", cwd=tmp_path)  # fmt: skip
    assert run.returncode == 0, run.stderr
    if fmt == "jsonfeed":
        feed = json.loads(run.stdout)
        links = [feed["home_page_url"], *(i.get("url") for i in feed["items"])]
        assert links == ["https://me.example/a%20b", None, ENCODED]  # (newest first)
        return
    if fmt == "html":
        links = re.findall(r'href="([^"]*)"', run.stdout)
    else:
        document = xml.dom.minidom.parseString(run.stdout.encode())
        links = [e.getAttribute("href") for e in document.getElementsByTagName("link")] + [
            e.firstChild.data for e in document.getElementsByTagName("link") if e.firstChild
        ]
    links = [link.replace("&amp;", "&") for link in links if link]
    assert ENCODED in links and "https://me.example/a%20b" in links
    assert not [link for link in links if re.search(r'[ "<>\\^`{|}]', link) or "a b" in link]


@pytest.mark.parametrize(
    ("raw", "link"),
    [
        ("https://ex.example/%41%zz%", "https://ex.example/%41%25zz%25"),
        ("https://ex.example/#a#b", "https://ex.example/#a%23b"),
        ("https://ex.example/]]>", "https://ex.example/%5D%5D%3E"),
        ("https://[::1]:8080/a[b]", "https://[::1]:8080/a%5Bb%5D"),
        ("https://odd.example/a\ue000b", "https://odd.example/a%EE%80%80b"),  # (h96)
        ("https://n.example/a\ufffdb\ufffc", "https://n.example/a%EF%BF%BDb%EF%BF%BC"),  # h97
    ],
)
def test_a_stray_percent_hash_or_bracket_is_encoded(tmp_path: Path, raw: str, link: str) -> None:
    """h95: a "%" starting no escape, a second "#" and brackets past the host were
    written as is (no URI, no IRI); they are percent-encoded, the host's brackets kept."""
    import json

    write(tmp_path / "f" / "a.md", f'---\ntitle: "Odd"\nwebUrl: "{raw}"\n---\n')
    for fmt in ("jsonfeed", "atom"):
        run = run_cli("export", "f", "--format", fmt, "--no-cache", cwd=tmp_path)
        assert run.returncode == 0, run.stderr
        if fmt == "jsonfeed":
            assert [i.get("url") for i in json.loads(run.stdout)["items"]] == [link]
        else:
            document = xml.dom.minidom.parseString(run.stdout.encode())
            hrefs = [e.getAttribute("href") for e in document.getElementsByTagName("link")]
            assert link in hrefs


@pytest.mark.parametrize(
    "url",
    [
        "https://user:p%w@odd.example/a",  # (h96)
        "https://us\\ue000er@n.example/u",  # (h97: a private-use character)
        "https://a@b@n.example/u",
        "https://n.ex\\ufffdample/x",
    ],
)
def test_an_odd_user_name_or_host_makes_no_link(tmp_path: Path, url: str) -> None:
    """h96, h97: a stray "%", a private-use character or a second "@" in a user name, or
    a special (U+FFFD) in a host, was written as is: no URI, no IRI."""
    import json

    write(tmp_path / "f" / "a.md", f'---\ntitle: "Odd"\nwebUrl: "{url}"\n---\n')
    run = run_cli("export", "f", "--format", "jsonfeed", "--no-cache", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert [item.get("url") for item in json.loads(run.stdout)["items"]] == [None]
