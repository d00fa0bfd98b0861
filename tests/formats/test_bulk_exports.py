"""Outputs that read each article's export JSON read it from the cache in bulk, 500 at a
time, not with one query per article (issue 15)."""

from datetime import datetime, timezone
from pathlib import Path

import pytest

from newscli.formats import records, tabular
from newscli.formats.feeds import FeedInfo
from newscli.formats.jsonfeed import jsonfeed
from newscli.formats.templating.context import build
from newscli.index.cache import IndexCache
from newscli.index.loader import load_paths

NOW = datetime(2025, 3, 20, tzinfo=timezone.utc)


def test_outputs_read_export_json_in_bulk(
    feeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache, _ = IndexCache.open(str(tmp_path / "cache"))
    assert cache is not None
    load_paths([str(feeds)], cache=cache, jobs=1)  # cold: fills the cache
    articles = load_paths([str(feeds)], cache=cache, jobs=1).articles  # warm
    expected = [load_paths([str(feeds)]).articles]  # without the cache
    one_by_one = IndexCache.export

    def prefetched_only(self: IndexCache, key: str) -> str | None:
        assert key in self._ready, f"{key}: read from the cache alone"
        return one_by_one(self, key)

    monkeypatch.setattr(IndexCache, "export", prefetched_only)
    names = ["title", "webUrl", "images.url"]
    info = FeedInfo("t", None, "d")
    for use in (articles, *expected):
        columns, _ = tabular.columns_for(use)
        outputs = (
            "".join(tabular.csv_chunks(use, columns, NOW)),
            records.to_tsv(use, names, NOW),
            records.to_json(use, fields=names, now=NOW),
            records.to_json(use, now=NOW),
            jsonfeed(use, info, now=NOW),
        )
        if use is articles:
            cached = outputs
    assert cached == outputs  # the same as without the cache
    # templates: the items too (their stories are grouped first, one article at a time)
    monkeypatch.undo()
    assert str(build(articles, feed=info, now=NOW)) == str(build(expected[0], feed=info, now=NOW))
