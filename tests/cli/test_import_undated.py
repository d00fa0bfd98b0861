"""An item imported without a date newscli could read is filed under today, and the
summary says how many were."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli, write

RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<link>https://t.example/</link>
<item><title>One</title><link>https://t.example/1</link><pubDate>not a date</pubDate></item>
<item><title>Two</title><link>https://t.example/2</link>
<pubDate>Mon, 01 Dec 2025 10:00:00 GMT</pubDate></item>
<item><title>Three</title><link>https://t.example/3</link></item>
</channel></rss>
"""


def test_undated_items_are_counted_in_the_summary(tmp_path: Path, private_state: Path) -> None:
    write(tmp_path / "feed.xml", RSS)
    result = run_cli("import", "feed.xml", "--into", "feeds", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        "newscli: imported 3 new articles from 1 source "
        "(0 already there, 2 without a date it could read, filed under today)\n"
    )
    dated = [line for line in result.stdout.splitlines() if "/2025/12/01/" in line]
    assert dated == [line for line in result.stdout.splitlines() if line.endswith(": Two")]
    again = run_cli("import", "feed.xml", "--into", "feeds", cwd=tmp_path)
    assert again.stderr == "newscli: imported 0 new articles from 1 source (3 already there)\n"
