"""A feed date whose day cannot exist (2025-02-30, month 13, year 1) is no date, as a
missing one is: feedparser rolls it over into another real date, which import would have
written (and filed the article under)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from newscli.ingest.feeds import parse_feed


def rss(date: str) -> bytes:
    return (
        '<rss version="2.0"><channel><title>T</title><item><title>X</title>'
        f"<link>https://a.example/x</link><pubDate>{date}</pubDate></item></channel></rss>"
    ).encode()


@pytest.mark.parametrize(
    "date",
    [
        "2025-13-45T10:00:00Z",
        "2025-02-30T10:00:00Z",
        "Mon, 01 Jan 0001 00:00:00 +0100",
        "Sun, 30 Feb 2025 10:00:00 GMT",
    ],
)
def test_an_impossible_date_is_no_date(date: str) -> None:
    (item,) = parse_feed(rss(date)).items
    assert item.published is None


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("Fri, 14 Mar 2025 09:12:00 +0100", datetime(2025, 3, 14, 8, 12, tzinfo=timezone.utc)),
        ("2024-02-29T23:30:00-01:00", datetime(2024, 3, 1, 0, 30, tzinfo=timezone.utc)),
    ],
)
def test_a_real_date_is_read_in_utc(date: str, expected: datetime) -> None:
    (item,) = parse_feed(rss(date)).items
    assert item.published == expected
