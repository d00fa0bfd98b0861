import json
from pathlib import Path

from conftest import HOSTILE, check_golden

from newscli.article.reading import load_file
from newscli.formats.records import LIST_COLUMNS, export_record, to_json, to_tsv
from newscli.index.loader import load_paths
from newscli.select.query import Selection, select


def sample_articles():
    result = load_paths(["sample_feeds"])
    assert result.problems == []
    return select(result.articles, Selection())


def test_json_export_of_sample_feeds_matches_golden(in_repo: Path) -> None:
    check_golden("sample_feeds.json", to_json(sample_articles()))


def test_tsv_listing_of_sample_feeds_matches_golden(in_repo: Path) -> None:
    check_golden("sample_feeds.tsv", to_tsv(sample_articles()))


def test_export_record_keeps_every_field_and_normalises_dates(in_repo: Path) -> None:
    path = "sample_feeds/ai-chip-export-rules.md"
    record = export_record(load_file(path))
    assert record["publishedDateTime"] == "2025-03-14T09:12:00Z"
    assert record["editorNote"] == "Check figures with the wire copy"
    assert record["sourceFeed"] == {"id": 4471, "region": "eu-west"}
    assert record["secured"].startswith("pTyGJMuHbEL31IeL2HPcHyGcFRl1SPnXNYvMIHa/2o76")
    assert record["related"][0]["publishedDateTime"] == "2025-03-14T11:40:00Z"
    assert record["path"] == path
    source_keys = [
        line.split(":")[0] for line in Path(path).read_text().splitlines() if line[:1].isalpha()
    ]
    assert list(record) == [*source_keys, "path"]


def test_dates_become_rfc3339_utc() -> None:
    def exported(name: str) -> str:
        return export_record(load_file(str(HOSTILE / "valid" / name)))["publishedDateTime"]

    assert exported("date-only.md") == "2024-06-01T00:00:00Z"
    assert exported("naive-timestamp.md") == "2024-06-01T12:30:00Z"
    assert exported("offset-timestamp.md") == "2024-06-01T10:30:00Z"
    assert exported("quoted-timestamp.md") == "2024-06-01T12:30:00Z"


def test_json_is_strict_and_hostile_text_is_escaped() -> None:
    articles = load_paths([str(HOSTILE / "valid")]).articles
    text = to_json(articles)
    assert "\x1b" not in text and "\u202e" not in text and "\x9b" not in text
    parsed = json.loads(text, parse_constant=lambda name: (_ for _ in ()).throw(ValueError(name)))
    by_name = {Path(r["path"]).name: r for r in parsed}
    assert by_name["nonfinite-unknown.md"]["score"] is None
    assert by_name["escape-title.md"]["title"].startswith("\x1b[31mRED")  # value kept exactly
    assert by_name["content-handler-keys.md"]["content"] == "a key named content"


def test_tsv_cells_are_single_inert_lines() -> None:
    articles = load_paths([str(HOSTILE / "valid")]).articles
    lines = to_tsv(articles).splitlines()
    assert lines[0].split("\t") == list(LIST_COLUMNS)
    assert all(len(line.split("\t")) == len(LIST_COLUMNS) for line in lines)
    assert not any(c in "".join(lines) for c in "\x1b\x07\x9b\u202e")


def test_empty_export_is_an_empty_array() -> None:
    assert to_json([]) == "[]\n"
