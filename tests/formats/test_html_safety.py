"""The HTML newsletter is well-formed HTML5 and inert, whatever the articles hold."""

from __future__ import annotations

import json
import re
from pathlib import Path

import html5lib
import pytest
from conftest import HOSTILE, SAMPLES
from typer.testing import CliRunner

from newscli.cli import app

NS = "{http://www.w3.org/1999/xhtml}"
NASTY = "<script>alert(1)</script><img src=x onerror=alert(2)>\"' & {{ 7*7 }}"
HOSTILE_ARTICLE = f"""---
title: {json.dumps(NASTY)}
excerpt: "\\"><svg onload=alert(3)> <a href='javascript:alert(4)'>x</a>"
publishedDateTime: 2025-03-01T10:00:00Z
webUrl: "javascript:alert(5)"
provider:
  name: "<b onmouseover=alert(6)>Outlet</b>"
  domain: "evil.example"
topics:
  - "<script>alert(7)</script>"
images:
  - url: "javascript:alert(8)"
    width: 10
    height: 10
  - url: "https://img.example/no-size.jpg"
  - url: "https://img.example/ok.jpg\\" onload=\\"alert(9)"
    width: 640
    height: 360
related:
  - title: "Other"
    webUrl: "data:text/html,<script>alert(10)</script>"
    provider:
      name: "<iframe src=javascript:alert(11)>"
---
"""


def parse_strict(html: str) -> object:
    """html5lib in strict mode: any parse error raises."""
    return html5lib.HTMLParser(strict=True).parse(html)


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    (tmp_path / "nasty.md").write_text(HOSTILE_ARTICLE, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("group_by", ["topic", "story", "provider", "date"])
def test_newsletter_parses_and_nothing_in_it_can_run(hostile: Path, group_by: str) -> None:
    args = ["export", str(hostile), str(HOSTILE / "valid"), str(SAMPLES), "--format", "html"]
    args += ["--group-by", group_by, "--feed-title", NASTY, "--now", "2025-03-20T00:00:00Z"]
    result = CliRunner().invoke(app, args, catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    html = result.stdout
    tree = parse_strict(html)
    elements = list(tree.iter())  # type: ignore[attr-defined]
    tags = {e.tag.removeprefix(NS) for e in elements if isinstance(e.tag, str)}
    assert not tags & {"script", "iframe", "svg", "object", "embed", "form", "link"}
    for element in elements:
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name)
            assert "javascript:" not in value.lower() and "data:" not in value.lower()
            if name in ("href", "src"):
                assert re.match(r"https?://", value), value
    images = [e for e in elements if e.tag == f"{NS}img"]
    assert len(images) > 10
    for image in images:
        assert image.get("width", "").isdigit() and image.get("height", "").isdigit()
        assert image.get("loading") == "lazy"
    headings = ["".join(e.itertext()) for e in elements if e.tag == f"{NS}h3"]
    assert NASTY in headings  # the hostile title is shown as text, whole
    assert "<script>alert(1)" not in html and "{{ 7*7 }}" in html and "49" not in html
    assert "https://img.example/no-size.jpg" not in html  # no size: left out
    # (its quotes and blank percent-encoded, as no URI holds them: h94)
    assert 'src="https://img.example/ok.jpg%22%20onload=%22alert(9)"' in html


def test_broken_html_fails_the_strict_parser() -> None:
    """The check above can fail: the strict parser refuses what a browser would repair."""
    with pytest.raises(html5lib.html5parser.ParseError):
        parse_strict("<!DOCTYPE html><p><b>unclosed <i>nesting</b></p>")
