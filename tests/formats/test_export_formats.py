"""export --format: golden outputs, feeds parsed back, spreadsheet safety, inert text."""

import csv
import io
import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from conftest import HOSTILE, REPO, SAMPLES, check_golden, run_cli
from typer.testing import CliRunner

from newscli.article.reading import load_file
from newscli.cli import app
from newscli.formats.records import json_chunks, jsonl_chunks, record_texts

runner = CliRunner()
NOW = "2025-03-20T00:00:00Z"
FORMULA = REPO / "tests" / "fixtures" / "formats"
FORMATS = ["json", "jsonl", "csv", "tsv", "rss", "atom", "markdown"]


def export(*args: str) -> str:
    result = runner.invoke(app, ["export", *args, "--now", NOW], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("fmt", FORMATS)
def test_golden_output_for_each_format(in_repo: Path, fmt: str) -> None:
    args = ["export", "sample_feeds", "--format", fmt, "--feed-title", "Sample picks"]
    args += ["--feed-link", "https://news.example/"]
    result = runner.invoke(app, [*args, "--now", NOW], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    text = result.stdout_bytes.decode("utf-8")  # as written: .stdout turns CRLF into LF
    suffix = {"markdown": "md", "rss": "rss.xml", "atom": "atom.xml"}.get(fmt, fmt)
    check_golden(f"export.{suffix}", text)


def test_jsonl_is_one_object_per_line_matching_json(in_repo: Path) -> None:
    lines = export("sample_feeds", "-f", "jsonl").splitlines()
    assert [json.loads(line) for line in lines] == json.loads(export("sample_feeds"))


def test_json_and_jsonl_are_streamed(in_repo: Path) -> None:
    first = load_file("sample_feeds/rate-decision.md")

    def articles():
        yield first
        raise RuntimeError("the second article was asked for")

    for make in (json_chunks, jsonl_chunks):
        chunks = make(record_texts(articles()))
        assert "Central bank holds rates" in next(chunks)  # written before the next is made
        with pytest.raises(RuntimeError):
            next(chunks)


def test_rss_parses_back_with_every_item(in_repo: Path) -> None:
    records = json.loads(export("sample_feeds"))
    feed = feedparser.parse(
        export("sample_feeds", "-f", "rss", "--feed-title", "Picks", "--feed-link",
               "https://news.example/", "--feed-description", "Chosen by hand")
    )  # fmt: skip
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "rss20"
    assert feed.feed.title == "Picks" and feed.feed.link == "https://news.example/"
    assert feed.feed.subtitle == "Chosen by hand"
    assert len(feed.entries) == len(records) == 18
    for entry, record in zip(feed.entries, records, strict=True):
        assert entry.title == record["title"]
        assert entry.link == record["webUrl"]
        assert entry.id == record["webUrl"]
        assert entry.summary == record["excerpt"]
        published = entry.published_parsed
        assert (
            f"{published.tm_year:04}-{published.tm_mon:02}-{published.tm_mday:02}"
            == (record["publishedDateTime"][:10])
        )
        assert [t.term for t in entry.tags] == record["topics"]
        assert entry.source.href == f"https://{record['provider']['domain']}/"
        assert entry.author == record["provider"]["name"]


def test_atom_parses_back_with_every_item(in_repo: Path) -> None:
    records = json.loads(export("sample_feeds"))
    feed = feedparser.parse(export("sample_feeds", "-f", "atom", "--feed-title", "Picks"))
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "Picks"
    assert len(feed.entries) == 18
    for entry, record in zip(feed.entries, records, strict=True):
        assert entry.title == record["title"]
        assert entry.link == record["webUrl"]
        assert entry.id == record["webUrl"]
        assert entry.published == record["publishedDateTime"]
        assert entry.updated == (record.get("updatedDateTime") or record["publishedDateTime"])
        assert [t.term for t in entry.tags] == record["topics"]
        assert entry.author == record["provider"]["name"]
        assert entry.summary == record["excerpt"]


def test_csv_header_columns_lists_and_formula_guard() -> None:
    text = export(str(FORMULA), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 1
    row = rows[0]
    assert row["title"] == '\'=HYPERLINK("https://evil.example", "click")'
    assert row["excerpt"] == "'+1 and more"
    assert row["provider.name"] == "'@attacker"
    assert row["topics"] == "'-negative; Tabs"
    assert row["note"] == "' starts with a tab"
    assert row["heat"] == "-1" and row["score"] == "-5"  # numbers stay numbers
    assert ",40,-1,false," in text  # quality, heat, published: not quoted, not prefixed
    assert list(row)[:3] == ["path", "title", "excerpt"]


def test_csv_file_uses_crlf(tmp_path: Path) -> None:
    out = tmp_path / "a.csv"
    assert run_cli("export", str(FORMULA), "-f", "csv", "-o", str(out)).returncode == 0
    assert out.read_bytes().count(b"\r\n") == 2


def test_tsv_export_and_fields(in_repo: Path) -> None:
    text = export("sample_feeds", "-f", "tsv", "--fields", "title,heat,topics", "--limit", "2")
    assert text.splitlines() == [
        "title\theat\ttopics",
        "Central bank holds rates, signals cuts later in the year\t650\tEconomy",
        "Chipmakers brace for licensing regime on AI hardware\t120\tAI; Economy",
    ]


def test_fields_do_not_apply_to_feeds(in_repo: Path) -> None:
    link = ["--feed-link", "https://news.example/"]
    result = runner.invoke(app, ["export", "sample_feeds", "-f", "rss", "--fields", "title", *link])
    assert result.exit_code == 2
    assert "--fields does not apply to --format rss" in result.stderr


def test_markdown_escapes_and_links_only_http() -> None:
    text = export(str(FORMULA), "-f", "markdown")
    assert "javascript:" not in text
    assert '=HYPERLINK\\("https://evil.example", "click"\\)' in text
    assert text.startswith("# newscli export\n")


def test_markdown_text_keeps_its_entities_as_text(tmp_path: Path) -> None:
    """A title "Q&amp;A &lt;b&gt;" reads so once the digest is rendered (CommonMark,
    markdown-it): before, its entities were decoded ("Q&A <b>"), a text changed."""
    from markdown_it import MarkdownIt

    title = "Q&amp;A &lt;b&gt; &#60;i&#62;"
    (tmp_path / "a.md").write_text(
        f'---\ntitle: "{title}"\nwebUrl: https://a.example/x\nexcerpt: "&copy; 2025"\n---\n'
    )
    result = run_cli("export", str(tmp_path / "a.md"), "-f", "markdown")
    assert result.returncode == 0, result.stderr
    html = MarkdownIt("commonmark").render(result.stdout)
    shown = "Q&amp;amp;A &amp;lt;b&amp;gt; &amp;#60;i&amp;#62;"  # the title, as written
    assert f'<a href="https://a.example/x">{shown}</a>' in html
    assert "&amp;copy; 2025" in html


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize("fmt", FORMATS)
def test_hostile_text_stays_inert_in_every_format(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    link = ["--feed-link", "https://news.example/"]
    result = run_cli("export", str(HOSTILE / "valid"), "-f", fmt, "-o", str(out), *link)
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    text = data.decode("utf-8")
    for char in "\x1b\x07\x9b\u202e\u202c":
        assert char not in text, (fmt, repr(char))
    if fmt in ("rss", "atom"):
        ET.fromstring(data)  # well-formed XML
        assert not feedparser.parse(data).bozo
    if fmt == "json":
        titles = [r["title"] for r in json.loads(text)]
        osc8 = "\x1b]8;;https://evil.example\x07click\x1b]8;;\x07"
        assert f"\x1b[31mRED\x1b[0m {osc8} \u202eevil\u202c end" in titles  # kept exactly
    elif fmt != "jsonl":
        assert "RED click evil end" in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_unwritable_output_fails_cleanly(fmt: str, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("a file, so no folder can be made here")
    target = tmp_path / "file" / "out"
    link = ["--feed-link", "https://news.example/"]
    result = run_cli("export", "sample_feeds", "-f", fmt, "-o", str(target), *link)
    assert result.returncode == 1
    assert "cannot write" in result.stderr
    assert sorted(os.listdir(tmp_path)) == ["file"]


def test_feed_url_is_the_feeds_self_link_and_nothing_else_is() -> None:
    """A self link names the feed itself (--feed-url), never the site (--feed-link): a
    reader given the site as the feed's address would subscribe to a page."""
    site, own = "https://news.example/", "https://news.example/ai.xml"
    for fmt, path in (("rss", "channel/{http://www.w3.org/2005/Atom}link"),
                      ("atom", "{http://www.w3.org/2005/Atom}link")):  # fmt: skip
        for extra, expected in (([], []), (["--feed-url", own], [own])):
            made = run_cli("export", str(SAMPLES), "--format", fmt, "--feed-link", site, *extra)
            assert made.returncode == 0, made.stderr
            found = ET.fromstring(made.stdout).findall(path)
            assert [e.get("href") for e in found if e.get("rel") == "self"] == expected
