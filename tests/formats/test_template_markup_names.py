"""h111 MED: a template of the user's escaped its values only when named .html, .htm or
.xml, so `page.xhtml`, `feed.rss`, `feed.atom`, `x.svg`, `x.xml.in`, and a `.tpl`
beginning with `<?xml` or `<!DOCTYPE html>`, wrote an excerpt's `<script>` raw. Each
now escapes every value; a text or Markdown template still writes the text as it is.
Through the installed command."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli

HOSTILE = "<script>alert(1)</script> & co"
BODY = "{% for a in articles %}<p>{{ a.excerpt }}</p>{% endfor %}\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    feeds = tmp_path / "x"
    feeds.mkdir()
    (feeds / "a.md").write_text(f'---\ntitle: t\nexcerpt: "{HOSTILE}"\n---\n', encoding="utf-8")
    return feeds


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("page.xhtml", "<html><body>"),
        ("feed.rss", ""),
        ("feed.atom", ""),
        ("x.svg", ""),
        ("x.xml.in", ""),
        ("page.html.tpl", ""),
        ("feed.tpl", '<?xml version="1.0"?>\n<rss>'),
        ("page.tpl", "{# a newsletter #}\n{% set n = 1 %}\n<!DOCTYPE html>\n<html>"),
        ("PAGE.TXT", "  <svg>"),
        # h113 M3: markup after an HTML comment or an expression, or of any tag, in a
        # template not named as text
        ("page.tpl", "<!-- newsletter -->\n<!DOCTYPE html>"),
        ("page.tpl", '{{ "" }}<!DOCTYPE html>'),
        ("head.tpl", "<head><title>x</title></head>"),
        ("part", "<div>"),
        ("part.j2", "Digest\n"),  # (BODY's <p> is a tag)
        # h129 8: a namespaced tag first, in a template named as text
        ("page.md", "<svg:svg>"),
        ("page.txt", "<xsl:stylesheet version='1.0'>"),
    ],
)
def test_a_markup_template_escapes_every_value(folder: Path, name: str, start: str) -> None:
    template = folder.parent / name
    template.write_text(start + BODY, encoding="utf-8")
    done = run_cli("export", str(folder), "--template", str(template))
    assert done.returncode == 0, done.stderr
    assert "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</p>" in done.stdout
    assert "<script>" not in done.stdout and "&lt;script&gt;alert(1)" in done.stdout


TEXT_BODY = "{% for a in articles %}- {{ a.excerpt }}{% if 1 < 2 %}.{% endif %}\n{% endfor %}"


@pytest.mark.parametrize(
    ("name", "body"),
    [("digest.txt", BODY), ("digest.md", BODY), ("notes.j2", TEXT_BODY),
     ("list.tpl", TEXT_BODY), ("plain", TEXT_BODY),
     ("links.j2", "<https://x.example/a> <mailto:a@x.example>\n" + TEXT_BODY)],
)  # fmt: skip
def test_a_text_template_writes_text_as_it_is(folder: Path, name: str, body: str) -> None:
    """Named as text, or holding no tag: not escaped (a tag after the text's start in
    a .txt or .md template is the user's)."""
    template = folder.parent / name
    template.write_text("Digest\n" + body, encoding="utf-8")
    done = run_cli("export", str(folder), "--template", str(template))
    assert done.returncode == 0, done.stderr
    assert HOSTILE in done.stdout


def test_many_leading_tags_are_read_at_once(folder: Path) -> None:
    """h113 H1: the first pattern backtracked over leading Jinja tags, doubling its time
    with each: 24 took 29 s, 40 would take days (run_cli's 120 s bound fails it)."""
    template = folder.parent / "digest.tpl"
    tags = "".join(f"{{% set v{n} = {n} %}}{{# note {n} #}}\n" for n in range(40))
    template.write_text(tags + "Digest\n" + TEXT_BODY, encoding="utf-8")
    done = run_cli("export", str(folder), "--template", str(template))
    assert done.returncode == 0, done.stderr
    assert HOSTILE in done.stdout


@pytest.mark.parametrize(
    ("name", "body", "beside"),
    [
        ("child.tpl", '{% extends "base.html" %}{% block b %}' + TEXT_BODY + "{% endblock %}",
         ("base.html", "<html>{% block b %}{% endblock %}</html>")),
        ("child.md", '{% extends "layout" %}{% block b %}' + TEXT_BODY + "{% endblock %}",
         ("layout", "<!DOCTYPE html>\n{% block b %}{% endblock %}")),
        ("part.txt", '{% include "row.xml" %}\n' + TEXT_BODY, ("row.xml", "<row/>")),
        ("mine.md", '{% include "newsletter.html" %}\n' + TEXT_BODY, None),
    ],
)  # fmt: skip
def test_a_template_reading_markup_escapes(
    folder: Path, name: str, body: str, beside: tuple[str, str] | None
) -> None:
    """h112: a template extending or including markup (a file beside it named or written
    as markup, or a built-in one named so) wrote a title's <script> raw into an HTML
    document: its output is markup, so every value is escaped."""
    if beside is not None:
        (folder.parent / beside[0]).write_text(beside[1], encoding="utf-8")
    template = folder.parent / name
    template.write_text(body, encoding="utf-8")
    done = run_cli("export", str(folder), "--template", str(template))
    assert done.returncode == 0, done.stderr
    assert "<script>" not in done.stdout and "&lt;script&gt;alert(1)" in done.stdout


def test_a_link_named_as_markup_escapes(folder: Path) -> None:
    """h114: a link `page.html` to `real.tpl` went by the target's name, unescaped."""
    real = folder.parent / "real.tpl"
    real.write_text(TEXT_BODY, encoding="utf-8")
    (folder.parent / "page.html").symlink_to(real)
    done = run_cli("export", str(folder), "--template", str(folder.parent / "page.html"))
    assert done.returncode == 0, done.stderr
    assert "<script>" not in done.stdout and "&lt;script&gt;alert(1)" in done.stdout


@pytest.mark.parametrize(
    "include",
    ['{% set n = "inc.html" %}{% include n %}', '{% include ("inc", "html")|join(".") %}'],
)
def test_an_include_named_at_run_time_escapes(folder: Path, include: str) -> None:
    """h114: an include whose name is made at run time (any file of the folder, or a
    built-in one) left the values raw beside the markup it brought in."""
    (folder.parent / "inc.html").write_text("<hr>", encoding="utf-8")
    template = folder.parent / "dyn.tpl"
    template.write_text(include + TEXT_BODY, encoding="utf-8")
    done = run_cli("export", str(folder), "--template", str(template))
    assert done.returncode == 0, done.stderr
    assert "<script>" not in done.stdout and "&lt;script&gt;alert(1)" in done.stdout


def test_a_tag_past_the_first_mebibyte_counts(folder: Path) -> None:
    """h114: markup was looked for in a template's first MiB only."""
    template = folder.parent / "big.tpl"
    template.write_text(TEXT_BODY + "a" * (1 << 20) + "<p>\n", encoding="utf-8")
    done = run_cli("export", str(folder), "--template", str(template))
    assert done.returncode == 0, done.stderr
    assert "<script>" not in done.stdout and "&lt;script&gt;alert(1)" in done.stdout


@pytest.mark.parametrize("name", ["a.xsl", "a.kml", "a.html.twig", "a.html.njk"])
def test_more_markup_names_escape(folder: Path, name: str) -> None:
    """h115: names of markup the list lacked wrote values raw."""
    template = folder.parent / name
    template.write_text(TEXT_BODY, encoding="utf-8")
    done = run_cli("export", str(folder), "--template", str(template))
    assert done.returncode == 0, done.stderr
    assert "<script>" not in done.stdout and "&lt;script&gt;alert(1)" in done.stdout


@pytest.mark.parametrize("start", ["<https://news.example/>\n", "<reader@example.org>\n"])
def test_an_address_in_angle_brackets_is_no_tag(folder: Path, start: str) -> None:
    """h115: a .txt or .md template beginning with a Markdown autolink was taken for
    markup, so `&` became `&amp;` in a plain-text digest."""
    template = folder.parent / "digest.md"
    template.write_text(start + TEXT_BODY, encoding="utf-8")
    done = run_cli("export", str(folder), "--template", str(template))
    assert done.returncode == 0, done.stderr
    assert HOSTILE in done.stdout
