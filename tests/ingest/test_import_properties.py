"""Property test of what `import` counts as already there (h30: a feed numbering its
items by position lost one): over any run of snapshots of one feed whose items reuse
ids, titles and links, no item is lost (each is in the folder by its URL, or by its id
and title), a URL is written twice only for items with another id or title, and
importing a snapshot again writes nothing."""

from __future__ import annotations

import itertools
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from newscli.ingest.importer import write_items
from newscli.ingest.item import Item
from newscli.ingest.known import existing
from newscli.ingest.sources import Read, Source

NOW = datetime(2025, 3, 20, tzinfo=timezone.utc)
DAY = datetime(2025, 3, 14, 9, 12, tzinfo=timezone.utc)
FEED = "https://feed.example/rss"
ITEMS = st.tuples(
    st.sampled_from(["1", "2", "3", "urn:uuid:9"]),  # ids: numbered, and one unique anywhere
    st.sampled_from(["Harbour", "Lantern", "Quarry"]),  # titles
    st.sampled_from([None, "https://a.example/1", "https://a.example/2", "https://b.example/3"]),
    st.sampled_from([None, DAY, DAY + timedelta(days=1)]),  # publishedDateTime
)


Snapshot = list[tuple[str, str, "str | None", "datetime | None"]]


def _import(folder: Path, snapshot: Snapshot) -> int:
    items = [Item(title=title, web_url=link, source_id=id_, source_feed=FEED, published=day)
             for id_, title, link, day in snapshot]  # fmt: skip
    known, _ = existing(str(folder), str(folder.parent / "cache"))
    written: list[str] = []
    write_items([Read(Source(FEED), items)], str(folder), known,
                lambda path, item: written.append(path), now=NOW)  # fmt: skip
    return len(written)


def _files(folder: Path) -> list[dict[str, object]]:
    return [yaml.safe_load(p.read_text(encoding="utf-8").split("---")[1])
            for p in folder.rglob("*.md")]  # fmt: skip


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(ITEMS, min_size=1, max_size=4), min_size=1, max_size=4))
def test_no_item_lost_no_url_twice_and_again_writes_nothing(
    snapshots: list[Snapshot],
) -> None:
    with tempfile.TemporaryDirectory() as top:
        folder = Path(top) / "feeds"
        for snapshot in snapshots:
            _import(folder, snapshot)
            files = _files(folder)
            for id_, title, link, day in snapshot:
                by_url = link is not None and any(f.get("webUrl") == link for f in files)
                by_id = any(f.get("sourceId") == id_ and f.get("title") == title for f in files)
                unique_id = id_.startswith("urn:") and any(f.get("sourceId") == id_ for f in files)
                # renumbered, without a link or under a link several items give
                shared = sum(1 for _, _, other, _ in snapshot if other == link) > 1
                by_day = (
                    (link is None or shared)
                    and day is not None
                    and any(
                        f.get("webUrl") in (None, link)
                        and f["title"] == title
                        and f["publishedDateTime"] == day
                        for f in files
                    )
                )
                assert by_url or by_id or unique_id or by_day, (id_, title, link, files)
            # one URL twice only for items their ids or titles tell apart (h31, h32: a
            # feed linking several items to one page, a live blog's entries)
            for one, other in itertools.combinations(files, 2):
                if one.get("webUrl") and one.get("webUrl") == other.get("webUrl"):
                    assert (one["sourceId"], one["title"]) != (other["sourceId"], other["title"])
        assert _import(folder, snapshots[-1]) == 0
