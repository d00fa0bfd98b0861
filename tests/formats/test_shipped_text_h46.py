"""h46, what newscli ships to people. A line holding only "." ended the email at
`sendmail -t` (a story's heading, a topic, a provider or a title of "."); an excerpt's
markup became live HTML in RSS readers (a description is HTML to them); a `.html`
template's include of another name escaped nothing; `%(key)999999999s` was not
bounded (test_template_reach.py); a digest excerpt "1. item" became a numbered list.
Installed command."""

from __future__ import annotations

import email
import re
import xml.etree.ElementTree as ET
from email import policy
from pathlib import Path

import pytest
from conftest import SAMPLES, run_cli, write


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_no_line_of_the_email_is_a_lone_dot(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    write(feeds / "a.md", '---\ntitle: "."\npublishedDateTime: 2025-01-11T00:00:00Z\n'
          'webUrl: https://a.example/x\nprovider: {name: "."}\ntopics: ["."]\nexcerpt: "."\n'
          "---\n")  # fmt: skip
    write(feeds / "b.md", (SAMPLES / "ocean-heat-study.md").read_text(encoding="utf-8"))
    for group in ("story", "topic", "provider"):
        out = tmp_path / f"{group}.eml"
        run = run_cli("export", str(feeds), "--format", "email", "--group-by", group,
                      "--feed-title", ".", "--to", "r@example.org", "-o", str(out))  # fmt: skip
        assert run.returncode == 0, run.stderr
        data = out.read_bytes()
        assert b"\n.\n" not in data and not data.startswith(b".\n"), group
        parsed = email.message_from_bytes(data, policy=policy.default)
        assert not parsed.defects and str(parsed["Subject"]) == "."
        text = parsed.get_body(("plain",))
        page = parsed.get_body(("html",))
        assert text is not None and page is not None
        assert "\n.\n" in text.get_content()  # the dot is still there, decoded
        assert "Ocean heat" in text.get_content() and "Ocean heat" in page.get_content()


def test_an_rss_description_is_the_excerpt_as_text_for_html_readers(tmp_path: Path) -> None:
    excerpt = ('Pixel <img src="https://tracker.example/p.gif"> and <a href="https://phish.'
               'example/">sign in</a>. If a<b and c>d, <T> is generic & fine.')  # fmt: skip
    feeds = tmp_path / "feeds"
    write(feeds / "a.md", f"---\ntitle: t\nexcerpt: '{excerpt}'\n"
          "publishedDateTime: 2025-03-14T09:12:00Z\n"
          "webUrl: https://news.example/a\n---\n")  # fmt: skip
    run = run_cli("export", str(feeds), "--format", "rss", "--feed-link", "https://n.example/")
    assert run.returncode == 0, run.stderr
    description = ET.fromstring(run.stdout).find("channel/item/description")
    assert description is not None
    html = description.text or ""  # what an RSS reader takes as HTML
    assert "<" not in html and ">" not in html  # no element at all: text
    import html as html_module

    assert html_module.unescape(html) == excerpt  # shown as written
    feedparser = pytest.importorskip("feedparser")
    entry = feedparser.parse(run.stdout).entries[0]
    assert "<img" not in entry.summary and "<a " not in entry.summary
    assert "&lt;T&gt;" in entry.summary  # kept, as text


def test_what_an_html_template_includes_is_escaped_whatever_its_name(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    write(feeds / "s.md", '---\ntitle: "<script>alert(1)</script>"\n---\n')
    write(tmp_path / "t" / "page.html", '<p>{% include "part.inc" %}</p>\n')
    write(tmp_path / "t" / "part.inc", "{{ articles[0].title }}")
    run = run_cli("export", str(feeds), "--template", str(tmp_path / "t" / "page.html"))
    assert run.returncode == 0, run.stderr
    assert run.stdout == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
    write(tmp_path / "t" / "plain.txt", '{% include "part.inc" %}\n')  # text: as written
    text = run_cli("export", str(feeds), "--template", str(tmp_path / "t" / "plain.txt"))
    assert text.stdout.strip() == "<script>alert(1)</script>"


def test_small_mapped_widths_and_a_percent_sign_still_work(tmp_path: Path) -> None:
    write(tmp_path / "ok.txt", '{{ "%(t)s %(n)5d %%(a)999999999s" % {"t": "x", "n": 7} }}\n')
    result = run_cli("export", str(SAMPLES), "-q", "--template", "ok.txt", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "x     7 %(a)999999999s\n"), result.stderr


def test_a_digest_excerpt_that_reads_as_a_numbered_list_is_text(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    write(feeds / "a.md", '---\ntitle: "2025. A year"\nexcerpt: "1. item"\n---\n')
    run = run_cli("export", str(feeds), "--format", "markdown")
    assert run.returncode == 0, run.stderr
    assert "  1\\. item" in run.stdout.splitlines()
    assert re.search(r"\*\*2025\\\. A year\*\*", run.stdout), run.stdout


def test_fields_in_the_newsletter_are_text_not_python(tmp_path: Path) -> None:
    one = str(SAMPLES / "ocean-heat-study.md")
    args = ["--fields", "provider,topics,publishedDateTime"]
    page = run_cli("export", one, "--format", "html", *args)
    mail = run_cli("export", one, "--format", "email", "--to", "r@example.org", *args)
    assert page.returncode == 0 and mail.returncode == 0, page.stderr + mail.stderr
    parsed = email.message_from_string(mail.stdout, policy=policy.default)
    text = parsed.get_body(("plain",))
    assert text is not None
    for shown in (page.stdout, text.get_content()):
        assert "['" not in shown and "{'" not in shown and "&#39;" not in shown
        assert "topics: Climate; Science" in shown
        assert "publishedDateTime: 2025-01-11T00:00:00Z" in shown
    assert "provider: {&#34;name&#34;: &#34;Summit Times&#34;" in page.stdout  # JSON, escaped


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("{{ articel.title }}", "'articel' is undefined"),
        ("{% for a in article %}x{% endfor %}", "'article' is undefined"),
        ("{% if feeed.title %}x{% endif %}", "'feeed' is undefined"),
        ("{{ articles[0].titel }}", "'titel' is not a name this value has"),
        ("{{ feed.titel }}", "'titel' is not a name this value has"),
        ("{{ counts.article }}", "'article' is not a name this value has"),
        # h51: a test, a comparison, a sort key and a date's attribute took a typo too
        ("{{ articles[0].titel is none }}", "'titel' is not a name this value has"),
        ("{{ articles[0].titel == 'x' }}", "'titel' is not a name this value has"),
        (
            "{% for a in articles|sort(attribute='qualty') %}{{ a.title }}{% endfor %}",
            "'qualty' is not a name this value has",
        ),
        ("{{ now.yeer }}", "'datetime.datetime object' has no attribute 'yeer'"),
    ],
)
def test_a_name_the_template_gets_wrong_is_an_error(tmp_path: Path, text: str, said: str) -> None:
    """h46: a typo rendered as empty text, exit 0: a newsletter of blanks went out."""
    write(tmp_path / "t.txt", text + "\n")
    run = run_cli("export", str(SAMPLES), "-q", "--template", "t.txt", cwd=tmp_path)
    assert (run.returncode, run.stdout) == (2, ""), run.stderr
    assert run.stderr == f"newscli: error: t.txt:1: {said}\n"


def test_data_a_file_lacks_is_still_empty(tmp_path: Path) -> None:
    write(tmp_path / "t.txt", "{% if foo is defined %}x{% endif %}{{ bar|default('d') }}|"
          "{{ articles[0].record.nothere.deeper }}|{{ articles[0].image.url }}|"
          "{{ articles[0].title }}|{{ articles[0].record.nothere is none }}|"
          "{{ now.year > 2000 }}|{{ articles|sort(attribute='quality')|length }}\n")  # fmt: skip
    one = str(SAMPLES / "ocean-heat-study.md")
    run = run_cli("export", one, "--template", "t.txt", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("d||https://") and "Ocean heat" in run.stdout
    assert run.stdout.endswith("|False|True|1\n"), run.stdout


def test_a_wrong_key_of_an_articles_image_is_an_error(tmp_path: Path) -> None:
    """h51: `image` is a mapping newscli makes (url, width, height, alt): `image.ulr`
    rendered empty."""
    write(tmp_path / "t.txt", "{% for a in articles %}{{ a.image.ulr }}{% endfor %}\n")
    one = str(SAMPLES / "ai-chip-export-rules.md")
    run = run_cli("export", one, "--template", "t.txt", cwd=tmp_path)
    assert (run.returncode, run.stdout) == (2, ""), run.stderr
    assert run.stderr == "newscli: error: t.txt:1: 'ulr' is not a name this value has\n"
