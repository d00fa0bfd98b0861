"""h111 LOW: the digest's topic sections were sorted by the topics' raw text, so a
topic beginning with an invisible or control character (cleaned from its heading)
came first or last out of alphabetical order. They are now in the order of the names
as shown. Through the installed command (Markdown and the HTML newsletter)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import run_cli

TOPICS = ["Zebra", "\\u200bApple", "\\e[1mBanana", "cherry"]


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_sections_follow_the_names_shown(tmp_path: Path, fmt: str) -> None:
    (tmp_path / "d").mkdir()
    for n, topic in enumerate(TOPICS):
        text = f'---\ntitle: t{n}\ntopics: ["{topic}"]\n---\n'
        (tmp_path / "d" / f"{n}.md").write_text(text, encoding="utf-8")
    done = run_cli("export", "d", "--format", fmt, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    pattern = r"^## (.+)$" if fmt == "markdown" else r"<h2[^>]*>([^<]+)</h2>"
    headings = re.findall(pattern, done.stdout, re.MULTILINE)
    assert [h.strip().lstrip("\u200b") for h in headings] == ["Apple", "Banana", "cherry", "Zebra"]
