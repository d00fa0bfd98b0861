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
    ],
)
def test_a_markup_template_escapes_every_value(folder: Path, name: str, start: str) -> None:
    template = folder.parent / name
    template.write_text(start + BODY, encoding="utf-8")
    done = run_cli("export", str(folder), "--template", str(template))
    assert done.returncode == 0, done.stderr
    assert "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</p>" in done.stdout
    assert "<script>" not in done.stdout


@pytest.mark.parametrize("name", ["digest.txt", "digest.md", "notes.j2", "list.tpl"])
def test_a_text_template_writes_text_as_it_is(folder: Path, name: str) -> None:
    template = folder.parent / name
    template.write_text("Digest\n" + BODY, encoding="utf-8")
    done = run_cli("export", str(folder), "--template", str(template))
    assert done.returncode == 0, done.stderr
    assert f"<p>{HOSTILE}</p>" in done.stdout
