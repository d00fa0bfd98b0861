"""Tags and summaries of the reader's feeds, through the installed command (h92 LOW): the
feeds clean text for readers, so a topic made only of invisible characters became an
empty tag (`""`, `<category></category>`, `term=""`) and a summary of one tag character
an empty one; each topic is now one tag, none empty, and an excerpt cleaned to nothing
gives no summary. JSON keeps every value exactly, as before."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import run_cli, write

ATOM = "{http://www.w3.org/2005/Atom}"
# topics: a zero-width space, a tag character, a blank one, then AI twice and Space
FRONT = (
    '---\ntitle: "Launch"\nexcerpt: "\\U000E0041\\u200b"\n'
    'topics: ["\\u200b", "\\U000E0041", " ", "AI", "Space", "AI"]\n'
    "publishedDateTime: 2025-03-01T10:00:00Z\n---\n"
)


def _export(tmp_path: Path, fmt: str) -> str:
    write(tmp_path / "f" / "a.md", FRONT)
    link = ["--feed-link", "https://me.example/"]
    run = run_cli("export", "f", "--format", fmt, *link, "--no-cache", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    return run.stdout


@pytest.mark.parametrize("fmt", ["jsonfeed", "rss", "atom"])
def test_a_feed_has_no_empty_tag_or_summary(tmp_path: Path, fmt: str) -> None:
    out = _export(tmp_path, fmt)
    if fmt == "jsonfeed":
        (item,) = json.loads(out)["items"]
        found, summary = item["tags"], item.get("summary")
    elif fmt == "rss":
        entry = ET.fromstring(out).find("channel/item")
        assert entry is not None
        found = [c.text for c in entry.findall("category")]
        summary = entry.findtext("description")
    else:
        entry = ET.fromstring(out).find(f"{ATOM}entry")
        assert entry is not None
        found = [c.get("term") for c in entry.findall(f"{ATOM}category")]
        summary = entry.findtext(f"{ATOM}summary")
    assert found == ["AI", "Space"]
    assert summary is None


def test_json_keeps_the_topics_exactly(tmp_path: Path) -> None:
    (record,) = json.loads(_export(tmp_path, "json"))
    assert record["topics"] == ["\u200b", "\U000e0041", " ", "AI", "Space", "AI"]
    assert record["excerpt"] == "\U000e0041\u200b"
