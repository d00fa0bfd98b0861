"""A row of the index cache whose value is of another type than this code stores
(DamagedRecordError, h149) met by `review`'s grouping, which loads every article from
the cache's rows (index.light.load_walked, beside the queue shown from the rows): the
file is read instead, the damage said, the database marked for the next run to rebuild
(h152 LOW: that fallback had no test of its own)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from review_helpers import corpus
from sqlite_pages import flip_type
from test_review_ahead import _query

from newscli.index.cache import DAMAGED, FILE_NAME
from newscli.review.start import open_queue

TITLE = 9  # the files table's title column


@pytest.fixture
def warm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """review_helpers.corpus in the current folder; its cache (made by a first review)."""
    corpus(tmp_path, fillers=2)
    monkeypatch.chdir(tmp_path)
    return tmp_path / "cache"


def test_reviews_grouping_reads_a_damaged_rows_file_instead(warm: Path) -> None:
    cache = warm
    _, stories = open_queue(["feeds"], _query(cache), strict=False, wait=0)
    whole = {a.path: a.title for a in stories.group()[1]}
    stories.close()
    assert whole["feeds/c.md"] == "Gamma" and len(whole) == 6
    flip_type(cache / FILE_NAME, b"c.md", TITLE, 1)  # (the title read as bytes)

    _, stories = open_queue(["feeds"], _query(cache), strict=False, wait=0)
    assert stories.walked is not None  # (from the cache's rows: the path under test)
    grouped = stories.group()
    stories.close()
    assert {a.path: a.title for a in grouped[1]} == whole
    assert [story[0].title for story in grouped[0]][:3] == ["Alpha story", "Beta", "Gamma"]
    assert os.path.exists(str(cache / FILE_NAME) + DAMAGED)  # (rebuilt by the next run)
