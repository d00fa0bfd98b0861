"""import's list of the articles already there reads their export texts from the index
cache: one stored anew by another run since they were loaded (h157 MED: the whole
import stopped, nothing imported) is read as the file is now."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import article_text, write

import newscli.article.record as record
from newscli.index.cache import IndexCache
from newscli.index.loader import load_paths
from newscli.ingest.known import existing


def test_an_article_stored_anew_meanwhile_is_known_as_it_is_now(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    feeds, cache = tmp_path / "feeds", str(tmp_path / "cache")
    text = article_text(title="Old title").replace(
        "\n---\n", '\nsourceId: "item-1"\nsourceFeed: "https://feed.example/rss"\n---\n'
    )
    path = write(feeds / "a.md", text)
    load_paths([str(feeds)], cache=IndexCache.open(cache)[0], jobs=1)  # (stored)
    real = record.prefetch_exports

    def another_run_first(articles: object) -> None:  # (the file rewritten, stored anew)
        path.write_text(text.replace("Old title", "New title"))
        load_paths([str(feeds)], cache=IndexCache.open(cache)[0], jobs=1)
        real(articles)  # type: ignore[arg-type]

    monkeypatch.setattr(record, "prefetch_exports", another_run_first)
    known, invalid = existing(str(feeds), cache)
    assert invalid == 0 and known.by_feed == {"https://feed.example/rss": 1}
    assert known.id_count == {"item-1": 1}
    assert list(known.by_id_title) == [("item-1", "Old title")]  # (the title as loaded)
