"""Which exports read their records' export JSON from the cache while the walk goes on
(h155: `--limit 10` read up to the whole budget ahead for ten records)."""

import pytest

from newscli.cli.export_parts import ExportFormat, reads_ahead


@pytest.mark.parametrize(
    ("fmt", "names", "page", "ahead"),
    [
        (ExportFormat.json, [], (0, None), True),
        (ExportFormat.jsonl, [], (0, None), True),
        (ExportFormat.json, [], (0, 10), False),  # --limit 10
        (ExportFormat.jsonl, [], (5, None), False),  # --offset 5
        (ExportFormat.json, ["title"], (0, None), False),  # --fields: no whole records
        (ExportFormat.csv, [], (0, None), False),  # (its cells, not the export JSON)
        (ExportFormat.rss, [], (0, None), False),
    ],
)
def test_only_whole_records_of_every_article_are_read_ahead(
    fmt: ExportFormat, names: list[str], page: tuple[int, int | None], ahead: bool
) -> None:
    assert reads_ahead(fmt, names, page) is ahead
