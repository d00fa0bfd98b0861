"""Import's "already there" rules at their boundaries, through the installed command
(h58: mutations of both went uncaught). An id several items of one document share names
none of them; a link that two ids of one feed share is a live page, whose third post is
a new article, not a copy."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli

HEAD = '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>T</title><link>https://t.example/</link>\n'
TAIL = "</channel></rss>\n"


def _item(title: str, guid: str, hour: int, link: str = "") -> str:
    linked = f"<link>{link}</link>" if link else ""
    return (f'<item><title>{title}</title>{linked}<guid isPermaLink="false">{guid}</guid>'
            f"<pubDate>Mon, 03 Mar 2025 {hour:02d}:00:00 GMT</pubDate></item>\n")  # fmt: skip


def _titles(folder: Path) -> list[str]:
    found = [line for p in folder.rglob("*.md") for line in p.read_text("utf-8").splitlines()]
    return sorted(line for line in found if line.startswith("title: "))


def test_an_id_two_items_of_one_document_share_names_neither(tmp_path: Path) -> None:
    (tmp_path / "one.xml").write_text(HEAD + _item("Council budget vote", "urn:t:1", 10) + TAIL)
    (tmp_path / "two.xml").write_text(
        HEAD + _item("Council budget vote passes", "urn:t:1", 11)
        + _item("Storm closes harbour", "urn:t:1", 12) + TAIL
    )  # fmt: skip
    assert run_cli("import", "one.xml", "--into", "f", cwd=tmp_path).returncode == 0
    second = run_cli("import", "two.xml", "--into", "f", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert "imported 2 new articles" in second.stderr, second.stderr
    assert _titles(tmp_path / "f") == sorted([
        'title: "Council budget vote"', 'title: "Council budget vote passes"',
        'title: "Storm closes harbour"',
    ])  # fmt: skip


def test_a_live_page_s_third_post_is_a_new_article(tmp_path: Path) -> None:
    live = "https://t.example/live/budget"
    (tmp_path / "a.xml").write_text(
        HEAD + _item("Budget live: vote delayed", "g1", 10, live)
        + _item("Budget live: vote passes", "g2", 10, live) + TAIL
    )  # fmt: skip
    (tmp_path / "b.xml").write_text(
        HEAD + _item("Budget live: mayor resigns", "g3", 10, live) + TAIL
    )
    assert run_cli("import", "a.xml", "--into", "f", cwd=tmp_path).returncode == 0
    second = run_cli("import", "b.xml", "--into", "f", cwd=tmp_path)
    assert "imported 1 new article" in second.stderr, second.stderr
    assert 'title: "Budget live: mayor resigns"' in _titles(tmp_path / "f")
