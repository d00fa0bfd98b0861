"""Writing items: skipped when their URL or id is already under the folder, never over
an existing file, created whole."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

from newscli.edit.atomic import create_new
from newscli.ingest.importer import write_items
from newscli.ingest.item import Feed, Item
from newscli.ingest.known import existing, url_keys
from newscli.ingest.render import relative_path
from newscli.ingest.sources import Read, Source, feed_identity

NOW = datetime(2025, 3, 20, tzinfo=timezone.utc)


def run(folder: Path, items: list[Item], dry_run: bool = False) -> list[str]:
    written: list[str] = []
    known, _ = existing(str(folder), str(folder.parent / "cache"))
    reads = [Read(Source("test"), items)]
    write_items(reads, str(folder), known, lambda p, i: written.append(p), dry_run=dry_run,
                now=NOW)  # fmt: skip
    return written


def test_urls_and_ids_already_there_are_skipped_and_names_never_overwrite(tmp_path: Path) -> None:
    folder = tmp_path / "feeds"
    first = Item(title="First", web_url="https://www.a.example/1?utm_source=x", source_id="g-1")
    undated = Item(title="No date", source_id="urn:uuid:7")  # no URL: known by its id
    assert len(run(folder, [first, undated])) == 2
    undated_path = folder / relative_path(undated, NOW)
    assert undated_path.is_file()  # dated by the import day
    # the same URL in its AMP form; the unique id, linkless, retitled: already there
    again = [
        Item(title="First (AMP)", amp_url="https://amp.a.example/1/amp"),
        Item(title="Renamed", source_id="urn:uuid:7"),
    ]
    assert run(folder, again) == []
    # that id with a link and another title: told nothing for sure, imported (a
    # duplicate rather than a lost item: a feed may give all its items one id, h31)
    assert len(run(folder, [Item(title="Other", web_url="https://b.example/x",
                                 source_id="urn:uuid:7")])) == 1  # fmt: skip
    # a file already under the name an item would take is never replaced
    second = Item(title="Second", web_url="https://a.example/2",
                  published=datetime(2025, 3, 1, tzinfo=timezone.utc))  # fmt: skip
    assert second.published is not None
    taken = folder / relative_path(second, second.published)
    taken.parent.mkdir(parents=True)
    taken.write_text("not mine", encoding="utf-8")
    (path,) = run(folder, [second])
    assert path.endswith("-2.md") and taken.read_text(encoding="utf-8") == "not mine"
    assert "2025/03/01" in path
    assert run(folder, [second]) == []  # and now it is known


def test_dry_run_writes_nothing_and_one_run_writes_a_story_once(tmp_path: Path) -> None:
    folder = tmp_path / "feeds"
    twins = [Item(title="A", web_url="https://x.example/a?ref=rss"),
             Item(title="A again", web_url="http://m.x.example/a/")]  # fmt: skip
    assert len(run(folder, twins, dry_run=True)) == 1
    assert not folder.exists()
    assert len(run(folder, twins)) == 1
    assert set(existing(str(folder), None)[0].by_url) == url_keys(["https://x.example/a"])


def test_create_new_refuses_a_taken_name_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    create_new(str(target), b"one")
    try:
        create_new(str(target), b"two")
    except FileExistsError:
        pass
    else:
        raise AssertionError("an existing file was replaced")
    assert target.read_bytes() == b"one"
    assert os.listdir(tmp_path) == ["a.md"]
    assert oct(target.stat().st_mode & 0o777) != oct(0o600)  # the usual mode, not private


def test_an_id_belongs_to_the_feed_as_the_source_names_it(tmp_path: Path) -> None:
    """A URL source is its URL (whatever the feed says it is); a file is the URL the
    feed gives as its own, else the file's absolute path; a long one is a digest."""
    claims = Feed("rss", self_link="https://a.example/feed.xml")
    assert feed_identity(Source("https://b.example/rss"), claims) == "https://b.example/rss"
    assert feed_identity(Source("feed.xml"), claims) == "https://a.example/feed.xml"
    assert feed_identity(Source("feed.xml"), Feed("rss")) == os.path.abspath("feed.xml")
    deep = "d" * 2000 + "/feed.xml"
    named = feed_identity(Source(deep), Feed("rss"))
    assert named.startswith("sha256:") and len(named) == 7 + 64
    assert named == feed_identity(Source(deep), Feed("rss"))  # the same every run


def test_a_defect_met_in_one_source_fails_that_source_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """h107: an internal error in one source's content (an OverflowError of a date)
    stopped the whole import, every other source with it. That source fails with one
    line naming the error; read_source never raises it."""
    from newscli.ingest import sources
    from newscli.ingest.fetch import Limits

    feed = tmp_path / "f.json"
    feed.write_text('{"version": "https://jsonfeed.org/version/1.1", "items": []}\n')

    def broken(data: bytes, source: Source) -> Feed:
        raise OverflowError("date value out of range")

    monkeypatch.delenv("NEWSCLI_DEBUG", raising=False)
    monkeypatch.setattr(sources, "_parse", broken)
    (read,) = sources.read_source(Source(str(feed)), Limits(), lambda url: (None, None))
    assert read.error == (
        "internal error reading it (OverflowError: date value out of range; "
        "NEWSCLI_DEBUG=1 shows it)"
    )


def test_an_import_writes_only_under_the_lock_it_took(tmp_path: Path) -> None:
    """h146 MED: the folder imported into, replaced by another after the import locked
    it (held by another run), was still written into; now that source stops, said."""
    from newscli.edit.locking import LOCK_NAME, folder_locks, lock_folder_for

    folder = tmp_path / "inbox"
    folder.mkdir()
    known, _ = existing(str(folder), str(tmp_path / "cache"))
    locked = lock_folder_for(str(folder))
    written: list[str] = []
    with folder_locks([str(folder)], required=True):
        folder.rename(tmp_path / "aside")
        folder.mkdir()
        (folder / LOCK_NAME).write_bytes(b"")  # (the other run's)
        reads = [Read(Source("test"), [Item(title="One", web_url="https://a.example/1")])]
        outcomes = write_items(reads, str(folder), known, lambda p, i: written.append(p),
                               now=NOW, locked=locked)  # fmt: skip
    assert written == [] and outcomes[0].written == 0
    assert outcomes[0].error is not None and "its lock file removed" in outcomes[0].error
    assert sorted(p.name for p in folder.rglob("*")) == [LOCK_NAME]
