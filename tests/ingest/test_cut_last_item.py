"""A feed cut short inside its last item leaves that item out (h94 MED): it was imported
with what the cut left of it (no date: filed under today, undated for good), and the whole
item of the next run was "already there". An item the cut left whole is imported. Through
the installed command, on local files."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli

ITEMS = [
    ("First story here", "https://t.example/1", "Mon, 10 Mar 2025 10:00:00 GMT"),
    ("Government announces budget cuts", "https://t.example/2", "Mon, 10 Mar 2025 11:00:00 GMT"),
]
FULL = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
    "<link>https://t.example/</link>"
    + "".join(
        f"<item><title>{t}</title><link>{u}</link><description>About {t}.</description>"
        f"<pubDate>{d}</pubDate></item>"
        for t, u, d in ITEMS
    )
    + "</channel></rss>"
)


def _import(tmp_path: Path, text: str, name: str) -> tuple[str, list[str]]:
    source = tmp_path / name
    source.write_text(text, encoding="utf-8")
    env = {"NEWSCLI_STATE_DIR": str(tmp_path / "state")}
    done = run_cli("import", str(source), "--into", str(tmp_path / "feeds"), env=env)
    assert done.returncode == 0, done.stderr
    dates = run_cli("list", str(tmp_path / "feeds"), "--format", "tsv", "--columns",
                    "title,publishedDateTime", "--sort", "title", "--no-cache")  # fmt: skip
    return done.stderr, dates.stdout.splitlines()[1:]


def test_an_item_cut_short_comes_whole_next_time(tmp_path: Path) -> None:
    said, found = _import(tmp_path, FULL[: FULL.index("11:00")], "cut.xml")
    assert found == ["First story here\t2025-03-10T10:00:00Z"]
    assert "its items so far, but the last, unfinished there, are imported" in said
    said, found = _import(tmp_path, FULL, "full.xml")
    assert found == [
        "First story here\t2025-03-10T10:00:00Z",
        "Government announces budget cuts\t2025-03-10T11:00:00Z",
    ]
    assert "imported 1 new article from 1 source (1 already there)" in said


def test_an_item_cut_inside_its_cdata_comes_whole_next_time(tmp_path: Path) -> None:
    """h95 HIGH: a cut inside a CDATA section was no cut (expat says "unclosed CDATA
    section"): the item was imported without its excerpt, no note, and for good."""
    full = FULL.replace(
        "<description>About Government announces budget cuts.</description>",
        "<description><![CDATA[<p>Ministers said on Monday</p>]]></description>",
    )
    assert "CDATA" in full
    said, found = _import(tmp_path, full[: full.index("Ministers") + 4], "cut.xml")
    assert found == ["First story here\t2025-03-10T10:00:00Z"]
    assert "but the last, unfinished there" in said
    said, found = _import(tmp_path, full, "full.xml")
    assert len(found) == 2 and "(1 already there)" in said


@pytest.mark.parametrize(
    "text",
    ["<![CDATA[Items end with </item> then]]>", "<!-- items end with </item> then -->"],
    ids=["cdata", "comment"],
)
def test_an_item_end_in_its_text_is_no_end(tmp_path: Path, text: str) -> None:
    """h96 HIGH: "</item>" in a CDATA section or a comment counted as an item's end, so
    an item cut after it was taken as whole, imported without its excerpt, for good."""
    full = FULL.replace("<description>About Government announces budget cuts.</description>",
                        f"<description>{text} more</description>")  # fmt: skip
    assert "then" in full
    said, found = _import(tmp_path, full[: full.index("then")], "cut.xml")
    assert found == ["First story here\t2025-03-10T10:00:00Z"]
    assert "but the last, unfinished there" in said


def test_an_item_the_cut_left_whole_is_imported(tmp_path: Path) -> None:
    said, found = _import(tmp_path, FULL[: FULL.index("</channel>") + 3], "cut.xml")
    assert "(cut short?): its items so far are imported" in said
    assert len(found) == 2 and all("2025-03-10T1" in line for line in found)


def test_a_cut_inside_a_character_is_no_encoding_problem(tmp_path: Path) -> None:
    """h96 LOW: cut between the two bytes of "é", a UTF-8 feed was said to be "parsed as
    windows-1252" or to hold "1 sequence not valid UTF-8": the cut is said, nothing else."""
    full = FULL.replace("About Government", "<![CDATA[Un café noir]]> Government")
    data = full.encode("utf-8")
    cut = data[: data.index("é".encode()) + 1]
    source = tmp_path / "cut.xml"
    source.write_bytes(cut)
    env = {"NEWSCLI_STATE_DIR": str(tmp_path / "state")}
    done = run_cli("import", str(source), "--into", str(tmp_path / "feeds"), env=env)
    assert done.returncode == 0, done.stderr
    assert "(cut short?)" in done.stderr
    assert "windows-1252" not in done.stderr and "not valid UTF-8" not in done.stderr


def test_a_cut_is_told_whatever_else_the_feed_does_wrong(tmp_path: Path) -> None:
    """h97 HIGH: a feed the lenient parser reads for another fault (here a DOCTYPE
    declaring an entity, left as it is) and cut inside its last item was no cut: its
    parser tells the first fault, not the end. A document not ending with its root's end
    tag is cut."""
    doctype = '<!DOCTYPE rss [ <!ENTITY co "Acme"> ]>'
    full = FULL.replace('<rss version="2.0">', f'{doctype}<rss version="2.0">').replace(
        "First story here", "First story &co; AT&T here"
    )
    said, found = _import(tmp_path, full[: full.index("11:00")], "cut.xml")
    assert len(found) == 1 and "(cut short?)" in said and "unfinished" in said
    said, found = _import(tmp_path, full, "full.xml")
    assert len(found) == 2 and any("2025-03-10T11:00:00Z" in line for line in found)
