"""newscli.formats.stats: counts by published state, topic, provider, type and quality."""

from __future__ import annotations

from typing import Any

import pytest

from newscli.article.model import Article, article_from_mapping
from newscli.formats.stats import NO_QUALITY, QUALITY_BUCKETS, compute, quality_bucket, rows


def make(path: str = "a.md", **data: Any) -> Article:
    return article_from_mapping(path, {"title": path, **data})


@pytest.mark.parametrize(
    ("quality", "bucket"),
    [(0, "0-9"), (9, "0-9"), (10, "10-19"), (89, "80-89"), (90, "90-100"), (100, "90-100")],
)
def test_quality_buckets(quality: int, bucket: str) -> None:
    assert quality_bucket(quality) == bucket


def test_no_quality_has_its_own_bucket() -> None:
    assert quality_bucket(None) == NO_QUALITY == "none"
    assert len(QUALITY_BUCKETS) == 10 and QUALITY_BUCKETS[-1] == "90-100"


ARTICLES = [
    make("a.md", topics=["ai", "AI", "Space"], quality=95, published=True, type="video",
         provider={"name": "Orbit"}),
    make("b.md", topics=["AI"], quality=5, provider={"domain": "orbit.example"}),
    make("c.md", topics=["space"], provider={"name": "orbit"}, type="Video"),
    make("d.md", quality=100),
]  # fmt: skip


def test_compute() -> None:
    summary = compute(ARTICLES)
    assert summary["total"] == 4
    assert summary["published"] == {"published": 1, "unpublished": 3}
    # Once per article whatever the case; the first article's spelling; count, then name.
    assert summary["topics"] == [{"name": "ai", "count": 2}, {"name": "Space", "count": 2}]
    assert summary["providers"] == [
        {"name": "Orbit", "count": 2},  # name, case-insensitively
        {"name": None, "count": 1},
        {"name": "orbit.example", "count": 1},  # the domain when there is no name
    ]
    assert summary["types"] == [{"name": None, "count": 2}, {"name": "video", "count": 2}]
    quality = {q["bucket"]: q["count"] for q in summary["quality"]}
    assert list(quality) == [*QUALITY_BUCKETS, "none"]
    assert quality["90-100"] == 2 and quality["0-9"] == 1 and quality["none"] == 1
    assert sum(quality.values()) == 4


def test_compute_of_nothing() -> None:
    summary = compute([])
    assert summary["total"] == 0 and summary["topics"] == []
    assert all(q["count"] == 0 for q in summary["quality"])


def test_rows_for_tsv() -> None:
    out = rows(compute(ARTICLES[:2]))
    assert out[:3] == [
        ("total", "articles", "2"),
        ("published", "published", "1"),
        ("published", "unpublished", "1"),
    ]
    assert ("topics", "ai", "2") in out and ("topics", "Space", "1") in out
    assert ("providers", "Orbit", "1") in out and ("types", "(none)", "1") in out
    assert out[-11:] == [("quality", b, "1" if b in ("0-9", "90-100") else "0") for b in
                         [*QUALITY_BUCKETS, "none"]]  # fmt: skip


def test_provider_names_count_trimmed() -> None:
    """h48: " Reuters " and "Reuters" were two providers; a blank name hid the domain."""
    summary = compute([
        make("a.md", provider={"name": " Reuters "}),
        make("b.md", provider={"name": "reuters"}),
        make("c.md", provider={"name": "  ", "domain": "apnews.com"}),
    ])  # fmt: skip
    assert summary["providers"] == [
        {"name": "Reuters", "count": 2},
        {"name": "apnews.com", "count": 1},
    ]
