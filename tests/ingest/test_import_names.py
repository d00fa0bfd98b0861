"""h153 LOW: `import` left a mark that turns the text's direction (U+202E, an isolate,
RLM) and a line separator in the topics, categories and provider it wrote, while it
took the controls out of them, so `--topic AI` never found `AI<U+202E>` and `tag add`
refused to write such a name. Now the names runs select by hold none (a name of nothing
else goes); the title keeps them (text for people: every terminal and HTML output
shows them harmless). Through the installed command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conftest import run_cli

RSS = (
    '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>C</title>'
    "<item><title>Hello &#x202e;gnp.exe</title><link>https://c.example/1</link>"
    "<category>AI&#x202e;&#x7;</category><category>&#x2067;Cli&#x2028;mate&#x2069;</category>"
    "<category>&#x202e;&#x200f;</category><category>&#x5e2;&#x5d1;&#x200f;</category>"
    "</item></channel></rss>"
)


def _imported(tmp_path: Path, name: str, text: str) -> dict[str, Any]:
    """The one article imported from the feed ``text`` (file ``name``) that `--topic AI`
    selects, as JSON; each of its topics then taken by `tag add` (no name it refuses)."""
    (tmp_path / name).write_text(text, encoding="utf-8")
    env = {"NEWSCLI_STATE_DIR": str(tmp_path / "state")}
    done = run_cli("import", name, "--into", "feeds", "--quiet", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    found = run_cli("export", "feeds", "--topic", "AI", "--format", "jsonl", "--no-cache",
                    cwd=tmp_path)  # fmt: skip
    (record,) = map(json.loads, found.stdout.splitlines())
    article = next((tmp_path / "feeds").rglob("*.md"))
    tagged = run_cli("tag", "add", *record["topics"], str(article), cwd=tmp_path, env=env)
    assert tagged.returncode == 0, tagged.stderr
    return dict(record)


def test_imported_names_hold_nothing_a_selection_cannot_name(tmp_path: Path) -> None:
    record = _imported(tmp_path, "f.xml", RSS)
    # (a line separator is a blank, as line breaks are; the blank category is gone)
    assert record["topics"] == ["AI", "Cli mate", "עב"], record
    assert record["title"] == "Hello \u202egnp.exe"  # (the title as the feed gave it)


def test_invisible_characters_are_left_out_of_imported_names(tmp_path: Path) -> None:
    """h154: a zero-width space, a soft hyphen, a BOM, a word joiner, a grapheme joiner
    were kept in imported names (`A<ZWSP>I`: --topic AI never found it, tag add refuses
    it); a Hangul filler or a blank braille pattern made a topic that looks blank; a
    name cut at 100 characters could end in a zero-width joiner."""
    tags = ["A\u200bI", "AI\u00ad", "\ufeffAI", "A\u2060I", "A\u034fI", "\u3164", "\u2800",
            "x" * 99 + "\u200dy", "Caf\u00e9 \U0001f469\u200d\U0001f4bb"]  # fmt: skip
    item = {"id": "1", "url": "https://j.example/1", "title": "One", "tags": tags}
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": [item]}
    record = _imported(tmp_path, "f.json", json.dumps(feed))
    # (the emoji's joiner is part of it, not hidden: kept)
    assert record["topics"] == ["AI", "x" * 99, "Caf\u00e9 \U0001f469\u200d\U0001f4bb"], record
