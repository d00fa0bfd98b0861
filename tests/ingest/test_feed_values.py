"""Feed values that feedparser leaves odd: a date whose day cannot exist (2025-02-30,
month 13, year 1) is no date, as a missing one is (feedparser rolls it over into another
real date, which import would have written); a title with escaped markup is plain text."""

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
        "Fri, 28 Feb 2025 10:00:00 +2500",
        "2025-03-01T10:00:00+24:00",
        "99999-03-01T00:00:00Z",
        "12025-03-01T10:00:00Z",
        "-2025-03-01T10:00:00Z",
        "2025-03-01T24:00:00Z",
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
        ("14 Mar 25 09:12 GMT", datetime(2025, 3, 14, 9, 12, tzinfo=timezone.utc)),
        ("2025-03-01T10:00:00+05:30", datetime(2025, 3, 1, 4, 30, tzinfo=timezone.utc)),
    ],
)
def test_a_real_date_is_read_in_utc(date: str, expected: datetime) -> None:
    (item,) = parse_feed(rss(date)).items
    assert item.published == expected


def test_a_title_with_escaped_markup_is_plain_text() -> None:
    """A plain-text title that still holds tags (escaped once more, as many feeds write
    titles) is reduced to its words; a lone '<' or '&' stays."""
    doc = (
        b'<rss version="2.0"><channel><title>T</title><item><title>&lt;b&gt;Bold&lt;/b&gt;'
        b" &amp;amp; &lt;script&gt;x()&lt;/script&gt; R&amp;D 3 &lt; 4</title>"
        b"<link>https://a.example/x</link></item></channel></rss>"
    )
    assert parse_feed(doc).items[0].title == "Bold & R&D 3 < 4"
    plain = doc.replace(b"&lt;b&gt;Bold&lt;/b&gt; &amp;amp; &lt;script&gt;x()&lt;/script&gt; ", b"")
    assert parse_feed(plain).items[0].title == "R&D 3 < 4"
