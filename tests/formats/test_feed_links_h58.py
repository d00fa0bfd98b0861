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
