"""h153 LOW: `import` left a mark that turns the text's direction (U+202E, an isolate,
RLM) and a line separator in the topics, categories and provider it wrote, while it
took the controls out of them, so `--topic AI` never found `AI<U+202E>` and `tag add`
refused to write such a name. Now the names runs select by hold none (a name of nothing
else goes); the title keeps them (text for people: every terminal and HTML output
shows them harmless). Through the installed command."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli

RSS = (
    '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>C</title>'
    "<item><title>Hello &#x202e;gnp.exe</title><link>https://c.example/1</link>"
    "<category>AI&#x202e;&#x7;</category><category>&#x2067;Cli&#x2028;mate&#x2069;</category>"
    "<category>&#x202e;&#x200f;</category><category>&#x5e2;&#x5d1;&#x200f;</category>"
    "</item></channel></rss>"
)


def test_imported_names_hold_nothing_a_selection_cannot_name(tmp_path: Path) -> None:
    (tmp_path / "f.xml").write_text(RSS, encoding="utf-8")
    env = {"NEWSCLI_STATE_DIR": str(tmp_path / "state")}
    done = run_cli("import", "f.xml", "--into", "feeds", "--quiet", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    found = run_cli("export", "feeds", "--topic", "AI", "--format", "jsonl", "--no-cache",
                    cwd=tmp_path)  # fmt: skip
    (record,) = map(json.loads, found.stdout.splitlines())
    # (a line separator is a blank, as line breaks are; the blank category is gone)
    assert record["topics"] == ["AI", "Cli mate", "עב"], record
    assert record["title"] == "Hello \u202egnp.exe"  # (the title as the feed gave it)
    article = next((tmp_path / "feeds").rglob("*.md"))
    tagged = run_cli("tag", "add", *record["topics"], str(article), cwd=tmp_path, env=env)
    assert tagged.returncode == 0, tagged.stderr  # (each name one tag add would take)
