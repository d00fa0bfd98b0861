"""The golden files agree with each other and with the sample files themselves.

A golden file is a snapshot of what the code printed when it was last accepted; on its
own it cannot tell a right output from a wrong one. Here the JSON goldens are checked
against the sample files read independently (python-frontmatter with PyYAML's safe
loader), and the TSV, CSV, table, Markdown digest and feed goldens against those JSON
records: same articles, same order, same values. None of this uses newscli's code, so
a golden rewritten with a wrong output fails here even when it matches the code.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date, datetime, timezone
from typing import Any

import frontmatter
import pytest
from conftest import GOLDEN, REPO, SAMPLES

# The export columns as the README lists them; fields found in the data follow, sorted.
README_COLUMNS = [
    "path", "title", "excerpt", "publishedDateTime", "updatedDateTime", "originalUrl",
    "webUrl", "ampWebUrl", "cdnAmpWebUrl", "type", "category", "categories", "quality",
    "heat", "published", "provider.name", "provider.domain", "topics", "tags", "locale",
    "images.url", "related.webUrl", "secured",
]  # fmt: skip
KNOWN_DATES = ("publishedDateTime", "updatedDateTime")


def golden(name: str) -> str:
    with open(GOLDEN / name, encoding="utf-8", newline="") as handle:
        return handle.read()


def records(name: str) -> list[dict[str, Any]]:
    loaded = json.loads(golden(name))
    assert isinstance(loaded, list)
    return loaded


# --- the JSON goldens against the files ------------------------------------------------


def _utc_text(value: datetime) -> str:
    value = value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value
    value = value.astimezone(timezone.utc)
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    if value.microsecond:
        text += f".{value.microsecond:06d}".rstrip("0")
    return text + "Z"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return _utc_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def expected_record(path: str) -> dict[str, Any]:
    """The export record of a sample file, made without newscli."""
    metadata = frontmatter.load(str(REPO / path)).metadata
    record = {key: _plain(value) for key, value in metadata.items()}
    for key in KNOWN_DATES:
        value = metadata.get(key)
        if isinstance(value, date) and not isinstance(value, datetime):
            record[key] = _utc_text(datetime(value.year, value.month, value.day))
    record["path"] = path
    return record


def _newest_first(record: dict[str, Any]) -> tuple[bool, float, str]:
    when = record.get("publishedDateTime")
    stamp = datetime.fromisoformat(when.replace("Z", "+00:00")).timestamp() if when else 0.0
    return (when is None, -stamp, record["path"])


@pytest.mark.parametrize("name", ["sample_feeds.json", "export.json"])
def test_json_goldens_hold_every_sample_file_as_written(name: str) -> None:
    got = records(name)
    files = sorted(p.relative_to(REPO).as_posix() for p in SAMPLES.rglob("*.md"))
    assert sorted(r["path"] for r in got) == files
    for record in got:
        expected = expected_record(record["path"])
        assert list(record) == list(expected), record["path"]  # names and order kept
        assert record == expected, record["path"]
    assert got == sorted(got, key=_newest_first)  # newest first, ties by path


def test_json_lines_golden_is_the_json_golden() -> None:
    lines = golden("export.jsonl").splitlines()
    assert [json.loads(line) for line in lines] == records("export.json")


# --- TSV and CSV -----------------------------------------------------------------------


def _lookup(value: Any, parts: list[str]) -> Any:
    for i, part in enumerate(parts):
        if isinstance(value, list):
            found = [_lookup(item, parts[i:]) for item in value]
            return [v for v in found if v is not None]
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def expected_cell(record: dict[str, Any], column: str) -> str:
    value = _lookup(record, column.split("."))
    text = _text(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return text
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text


def expected_columns(recs: list[dict[str, Any]]) -> list[str]:
    extra: set[str] = set()

    def visit(prefix: str, mapping: dict[str, Any]) -> None:
        for key, value in mapping.items():
            name = prefix + key
            if isinstance(value, dict):
                visit(name + ".", value)
            elif value is not None and name.split(".")[0] not in ("provider", "images", "related"):
                extra.add(name)

    for record in recs:
        visit("", record)
    return README_COLUMNS + sorted(extra - set(README_COLUMNS))


def _check_table_rows(rows: list[list[str]], recs: list[dict[str, Any]]) -> None:
    header, body = rows[0], rows[1:]
    assert header == expected_columns(recs)
    assert len(body) == len(recs)
    for row, record in zip(body, recs, strict=True):
        assert len(row) == len(header), record["path"]
        for column, cell in zip(header, row, strict=True):
            assert cell == expected_cell(record, column), (record["path"], column)


def test_tsv_export_golden_has_the_json_values() -> None:
    text = golden("export.tsv")
    assert "\r" not in text and text.endswith("\n")
    rows = list(csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))
    _check_table_rows(rows, records("export.json"))


def test_csv_export_golden_has_the_json_values() -> None:
    text = golden("export.csv")
    assert text.count("\r\n") == text.count("\n")  # CRLF line ends (no line breaks in cells)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    _check_table_rows(rows, records("export.json"))


def test_list_tsv_golden_has_the_json_values() -> None:
    rows = [line.split("\t") for line in golden("sample_feeds.tsv").splitlines()]
    header = ["date", "quality", "heat", "published", "topics", "provider", "title", "path"]
    assert rows[0] == header
    recs = records("sample_feeds.json")
    assert len(rows) - 1 == len(recs)
    for row, r in zip(rows[1:], recs, strict=True):
        provider = r.get("provider") or {}
        assert row == [
            r.get("publishedDateTime") or "",
            _text(r.get("quality")),
            _text(r.get("heat")),
            _text(r.get("published", False)),
            "; ".join(r.get("topics") or []),
            provider.get("name") or provider.get("domain") or "",
            r["title"],
            r["path"],
        ]


# --- the terminal table ----------------------------------------------------------------


def _shown(cell: str, full: str) -> bool:
    """A table cell shows the full value, or a cut of it ending in an ellipsis."""
    if cell.endswith("…"):
        return len(cell) > 1 and full.startswith(cell[:-1].rstrip())
    return cell == full


def test_table_golden_has_the_json_values() -> None:
    lines = golden("sample_feeds.table.txt").splitlines()
    header = lines[0]
    names = ["Date (UTC)", "Q", "Heat", "Topics", "Provider", "Title", "Pub"]
    starts = {name: header.index(name) for name in names}
    assert sorted(starts.values()) == list(starts.values())  # in this order
    rows = [line for line in lines[1:] if re.match(r"\d{4}-\d\d-\d\d |\s{16} ", line)]
    recs = records("sample_feeds.json")
    assert len(rows) == len(recs)
    assert any(re.fullmatch(rf"\s*{len(recs)} articles\s*", line) for line in lines[len(rows) :])

    def cut(line: str, start: int, end: int | None) -> str:
        return line[start:end].strip()

    q_end = starts["Q"] + 1
    heat_end = starts["Heat"] + len("Heat")
    for line, r in zip(rows, recs, strict=True):
        provider = r.get("provider") or {}
        when = r.get("publishedDateTime")
        assert cut(line, 0, starts["Date (UTC)"] + 16) == (
            f"{when[:10]} {when[11:16]}" if when else ""
        )
        assert cut(line, starts["Date (UTC)"] + 16, q_end) == _text(r.get("quality"))
        heat = r.get("heat")
        assert cut(line, q_end, heat_end) == ("" if heat is None or heat < 0 else str(heat))
        topics = cut(line, starts["Topics"], starts["Provider"])
        assert _shown(topics, ", ".join(r.get("topics") or [])), (topics, r["path"])
        name = provider.get("name") or provider.get("domain") or ""
        assert _shown(cut(line, starts["Provider"], starts["Title"]), name), r["path"]
        assert _shown(cut(line, starts["Title"], starts["Pub"]), r["title"]), r["path"]
        assert cut(line, starts["Pub"], None) == ("✓" if r.get("published") else "")


# --- the Markdown digest and the feeds -------------------------------------------------

_ITEM = re.compile(
    r"- \*\*(?:\[(?P<title>.*)\]\((?P<url>[^)]*)\)|(?P<bare>.*))\*\*(?: — (?P<meta>.*))?"
)


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def test_markdown_digest_golden_lists_each_article_under_each_topic() -> None:
    lines = golden("export.md").splitlines()
    assert lines[0] == "# Sample picks"
    sections: dict[str, list[tuple[dict[str, str], str | None]]] = {}
    current: list[tuple[dict[str, str], str | None]] = []
    for i, line in enumerate(lines):
        if line.startswith("## "):
            current = sections.setdefault(_unescape(line[3:]), [])
        elif line.startswith("- **"):
            match = _ITEM.fullmatch(line)
            assert match, line
            following = lines[i + 1] if i + 1 < len(lines) else ""
            excerpt = _unescape(following[2:]) if following.startswith("  ") else None
            current.append(({k: v for k, v in match.groupdict().items() if v}, excerpt))
    recs = records("export.json")
    expected: dict[str, list[dict[str, Any]]] = {}
    spelled: dict[str, str] = {}
    for r in recs:
        for topic in dict.fromkeys(t.casefold() for t in r.get("topics") or []):
            spelled.setdefault(topic, next(t for t in r["topics"] if t.casefold() == topic))
            expected.setdefault(topic, []).append(r)
    order = [spelled[key] for key in sorted(expected)]
    untagged = [r for r in recs if not r.get("topics")]
    assert list(sections) == order + (["Other"] if untagged else [])
    for topic, items in sections.items():
        members = expected[topic.casefold()] if topic != "Other" else untagged
        assert len(items) == len(members), topic
        for (item, excerpt), r in zip(items, members, strict=True):
            assert _unescape(item["title"]) == r["title"]
            assert item["url"] == r["webUrl"]
            provider = r["provider"].get("name") or r["provider"].get("domain")
            assert item["meta"] == f"{provider}, {r['publishedDateTime'][:10]}"
            assert excerpt == r.get("excerpt")


def test_feed_goldens_hold_the_json_articles_in_order() -> None:
    recs = records("export.json")
    channel = ET.fromstring(golden("export.rss.xml")).find("channel")
    assert channel is not None
    items = list(channel.iter("item"))
    assert [i.findtext("title") for i in items] == [r["title"] for r in recs]
    assert [i.findtext("link") for i in items] == [r["webUrl"] for r in recs]
    assert [[c.text for c in i.iter("category")] for i in items] == [r["topics"] for r in recs]
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = ET.fromstring(golden("export.atom.xml")).findall("a:entry", ns)
    assert [e.findtext("a:title", namespaces=ns) for e in entries] == [r["title"] for r in recs]
    assert [e.findtext("a:published", namespaces=ns) for e in entries] == [
        r["publishedDateTime"] for r in recs
    ]
    hrefs = [e.find("a:link", ns).get("href") for e in entries]  # type: ignore[union-attr]
    assert hrefs == [r["webUrl"] for r in recs]


# --- reports ---------------------------------------------------------------------------


def test_stats_golden_counts_the_json_articles() -> None:
    recs = records("sample_feeds.json")
    stats = json.loads(golden("stats.json"))
    assert stats["total"] == len(recs)
    published = sum(1 for r in recs if r.get("published"))
    assert stats["published"] == {"published": published, "unpublished": len(recs) - published}
    topics = Counter(t.casefold() for r in recs for t in dict.fromkeys(r.get("topics") or []))
    assert {i["name"].casefold(): i["count"] for i in stats["topics"]} == dict(topics)
    providers = Counter((r.get("provider") or {}).get("name") or "(none)" for r in recs)
    assert {i["name"]: i["count"] for i in stats["providers"]} == dict(providers)
    for section in ("topics", "providers", "types"):
        counts = [i["count"] for i in stats[section]]
        assert counts == sorted(counts, reverse=True), section
    buckets: Counter[str] = Counter()
    for r in recs:
        q = r.get("quality")
        buckets[
            "none" if q is None else "90-100" if q >= 90 else f"{q // 10 * 10}-{q // 10 * 10 + 9}"
        ] += 1
    assert {b["bucket"]: b["count"] for b in stats["quality"] if b["count"]} == dict(buckets)
    assert sum(b["count"] for b in stats["quality"]) == len(recs)


def test_clusters_golden_rows_are_json_articles() -> None:
    by_path = {r["path"]: r for r in records("sample_feeds.json")}
    rows = list(csv.DictReader(io.StringIO(golden("clusters.tsv")), delimiter="\t"))
    assert rows
    for row in rows:
        r = by_path[row["path"]]
        assert row["title"] == r["title"]
        assert row["date"] == r.get("publishedDateTime", "")
        assert row["quality"] == _text(r.get("quality"))
    stories = Counter(row["story"] for row in rows)
    assert all(count > 1 for count in stories.values())  # only stories of several articles
    kept = Counter(row["story"] for row in rows if row["kept"] == "true")
    assert kept == Counter(set(stories))  # one kept article each
    ids = {(row["story"], row["id"]) for row in rows}  # one story.id each, its own
    assert len(ids) == len(stories) == len({i for _, i in ids})
    assert all(re.fullmatch("[0-9a-f]{12}", i) for _, i in ids)
