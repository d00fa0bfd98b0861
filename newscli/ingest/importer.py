"""Importing sources into a folder: what is already there (by normalised URL or id, from
the index cache), and one new article file per new item."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from newscli.errors import OutputError
from newscli.ingest.item import Item
from newscli.ingest.render import relative_path, render
from newscli.ingest.sources import Read
from newscli.select.stories import URL_FIELDS, normalise_url

ID_FIELD = "sourceId"  # where an item's own id (RSS guid, Atom id) is kept
FEED_FIELD = "sourceFeed"  # and the feed it is the id in
MAX_NAME_ATTEMPTS = 20


GLOBAL_IDS = ("urn:", "tag:", "http://", "https://")  # unique wherever they are given


def url_keys(urls: Iterable[str]) -> set[str]:
    """The keys of an article's URLs (normalised: one story under http and https, with
    and without tracking parameters, is one)."""
    return {key for key in map(normalise_url, urls) if key}


def id_keys(source_id: str, feed: str | None, title: str, alone: bool = True) -> set[str]:
    """The keys an id gives an article: the id with the title, within the feed (feeds
    number their items 1, 2, 3 alike, and some by position: the same id with another
    title and another URL is another article, h30); and a globally unique id (a URN, a
    tag: URI, a URL) alone, wherever it is from, when ``alone``."""
    keys = {f"id:{feed or ''}\n{source_id}\n{title}"}
    if alone and source_id.startswith(GLOBAL_IDS):
        keys.add(f"gid:{source_id}")
    return keys


def item_keys(item: Item, shared: bool = False) -> tuple[set[str], set[str]]:
    """(the keys that find ``item`` already there, the keys it is known by once written).
    An id stored without its feed (files from before ids had one) matches any feed's;
    an id ``shared`` by several items of one document counts only with its title."""
    keys = url_keys(item.urls())
    if not item.source_id:
        return keys, keys
    known_by = keys | id_keys(item.source_id, item.source_feed, item.title, not shared)
    return known_by | id_keys(item.source_id, None, item.title, False), known_by


def existing_keys(folder: str, cache_folder: str | None) -> set[str]:
    """The keys of every valid article below folder (read through the index cache, so
    an unchanged folder costs a walk and one cache read)."""
    from newscli.article.record import prefetch_exports
    from newscli.index.cache import IndexCache, default_folder
    from newscli.index.loader import load_paths

    if not os.path.isdir(folder):
        return set()
    cache, _ = IndexCache.open(cache_folder or default_folder())
    try:
        loaded = load_paths([folder], cache=cache)
        prefetch_exports(loaded.articles)
        keys: set[str] = set()
        for article in loaded.articles:
            try:
                data = json.loads(article.export_text()) if article.export_text else {}
            except ValueError:
                data = {}
            urls = [v for k in URL_FIELDS if isinstance(v := data.get(k), str)]
            if article.url:
                urls.append(article.url)
            source_id, feed = data.get(ID_FIELD), data.get(FEED_FIELD)
            title = data.get("title")
            if isinstance(source_id, str) and source_id and isinstance(title, str):
                keys |= id_keys(source_id, feed if isinstance(feed, str) else None, title)
            keys |= url_keys(urls)
        return keys
    finally:
        if cache is not None:
            cache.close()


@dataclass(slots=True)
class Outcome:
    """What happened to one read source."""

    read: Read
    written: int = 0
    skipped: int = 0  # already there (or twice in this run)
    undated: int = 0  # written without a date it could read: filed under today
    error: str | None = None


Written = Callable[[str, Item], None]


def _day(item: Item, now: datetime) -> datetime:
    return item.published or item.updated or now


def _write(folder: str, item: Item, now: datetime, dry_run: bool, made: set[str]) -> str:
    """Write the item's file under a free name; returns its path. ``made``: the folders
    written into (to fsync once at the end)."""
    text = render(item).encode("utf-8")
    for attempt in range(MAX_NAME_ATTEMPTS):
        path = os.path.join(folder, relative_path(item, _day(item, now), attempt))
        if dry_run:
            if not os.path.lexists(path):
                return path
            continue
        from newscli.edit.atomic import create_new

        try:
            parent = os.path.dirname(path)
            if parent not in made:
                os.makedirs(parent, exist_ok=True)
                made.add(parent)
            create_new(path, text, sync_folder=False)
        except FileExistsError:
            continue
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
        return path
    raise OutputError(f"cannot write {path}: {MAX_NAME_ATTEMPTS} names taken")


def write_items(
    reads: Sequence[Read],
    folder: str,
    known: set[str],
    on_written: Written,
    *,
    dry_run: bool = False,
    now: datetime | None = None,
    outcomes: list[Outcome] | None = None,
    between: Callable[[], None] | None = None,
) -> list[Outcome]:
    """Write each new item of the reads (in order) into folder; ``known`` (the keys
    already there) grows with every item written. A write failure ends that source
    (its outcome carries the error) and the next goes on. ``outcomes``: the list the
    outcomes go into as they come (so a run stopped by a signal can say how far).
    ``on_written`` is called with signals held, as the file is made and counted (so it
    must not block: queue, not write); ``between``, after each file, without them."""
    moment = now or datetime.now(timezone.utc)
    outcomes = [] if outcomes is None else outcomes
    made: set[str] = set()
    try:
        _write_reads(reads, folder, known, on_written, dry_run, moment, made, outcomes, between)
    finally:
        from newscli.edit.atomic import sync_folders

        sync_folders(sorted(made, reverse=True))  # the new files' folders, then theirs
        sync_folders(_parents(made, folder))
    return outcomes


def _parents(made: set[str], top: str) -> list[str]:
    """The folders between the written ones and top (new day and month folders)."""
    found: set[str] = set()
    for path in made:
        parent = os.path.dirname(path)
        while parent.startswith(top) and parent not in found and parent not in made:
            found.add(parent)
            if parent == top:
                break
            parent = os.path.dirname(parent)
    return sorted(found, reverse=True)


def _shared_ids(items: Sequence[Item]) -> set[str]:
    """The ids that more than one of the items give (a feed that reuses its ids)."""
    seen: set[str] = set()
    shared: set[str] = set()
    for item in items:
        if item.source_id:
            (shared if item.source_id in seen else seen).add(item.source_id)
    return shared


def _write_reads(
    reads: Sequence[Read],
    folder: str,
    known: set[str],
    on_written: Written,
    dry_run: bool,
    moment: datetime,
    made: set[str],
    outcomes: list[Outcome],
    between: Callable[[], None] | None,
) -> None:
    for read in reads:
        outcome = Outcome(read, error=read.error)
        outcomes.append(outcome)
        shared = _shared_ids(read.items)
        for item in read.items:
            finding, keys = item_keys(item, item.source_id in shared)
            seen = bool(finding & known)
            if seen:
                outcome.skipped += 1
                continue
            from newscli.index.parallel import signals_held

            with signals_held():  # (a signal comes once the file made is counted)
                try:
                    path = _write(folder, item, moment, dry_run, made)
                except OutputError as exc:
                    outcome.error = str(exc)
                    break
                known |= keys
                outcome.written += 1
                outcome.undated += item.published is None and item.updated is None
                on_written(path, item)  # (made, counted and said, or none of them)
            if between is not None:  # (not held: a stdout nobody reads must not hold one)
                between()
