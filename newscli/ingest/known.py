"""What is already in the folder an import writes to, and whether an item is one of it.

Feeds identify their items badly in every way (h29, h30, h31): some number them 1, 2, 3
(alike across feeds, or by position, so that an id moves to another item), some give
every item one id or one link (their home page, a live blog's fragments), some change a
headline or a link under the same id. A lost item is worse than a duplicate, so an item
is the stored article S only when they agree on more than one weak sign:

1. S has one of its URLs (normalised as stories are), unless both are from one feed,
   both have ids, and their ids and titles differ (one link given to several items);
2. S has its id, from the same feed (or stored before feeds were written, or a ``urn:``
   or ``tag:`` id, unique anywhere), and its title; or, for an item without a link, an
   id unique anywhere that no other article holds and no other item of the document
   gives; not when S's URL is another item's in the same document (an id that moved);
3. S has its id, its title and its date, from any feed (a feed whose identity changed);
4. neither has a link, and S is from the same feed with the same title and date (a
   feed numbering linkless items by position)."""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import datetime

from newscli.ingest.item import Item
from newscli.select.stories import URL_FIELDS, normalise_url

ID_FIELD = "sourceId"  # where an item's own id (RSS guid, Atom id) is kept
FEED_FIELD = "sourceFeed"  # and the feed it is the id in
GLOBAL_IDS = ("urn:", "tag:")  # ids unique wherever they are given (RFC 8141, RFC 4151)


def url_keys(urls: Iterable[str]) -> set[str]:
    """The keys of an article's URLs (normalised: one story under http and https, with
    and without tracking parameters, is one)."""
    return {key for key in map(normalise_url, urls) if key}


@dataclass(frozen=True, slots=True)
class Stored:
    """What identifies an article already there."""

    feed: str | None  # None: stored before sourceFeed was written
    source_id: str | None
    title: str
    urls: frozenset[str]  # normalised
    when: datetime | None  # publishedDateTime
    document: int = 0  # the document it was written from in this run (0: stored before)


@dataclass(slots=True)
class Known:
    """The articles already there (and those written in this run), by URL and by id."""

    by_url: dict[str, list[Stored]] = field(default_factory=lambda: defaultdict(list))
    by_id: dict[str, list[Stored]] = field(default_factory=lambda: defaultdict(list))
    linkless: dict[str, list[Stored]] = field(default_factory=lambda: defaultdict(list))

    def add(self, stored: Stored) -> None:
        for url in stored.urls:
            self.by_url[url].append(stored)
        if stored.source_id:
            self.by_id[stored.source_id].append(stored)
        if not stored.urls:
            self.linkless[stored.title].append(stored)

    def add_item(self, item: Item, document: int) -> None:
        self.add(_stored(item, document))

    def holds(
        self,
        item: Item,
        document: int,
        others: AbstractSet[str] = frozenset(),
        shared: bool = False,
    ) -> bool:
        """Whether ``item`` is already there (the module's rules; 3 and 4 never take two
        items of one document, ``document``, for one: their ids tell them apart).
        ``others``: the URLs of the other items of its document; ``shared``: its id is
        given to other items of its document too."""
        this = _stored(item, document)
        for url in this.urls:
            if any(not _told_apart(this, s) for s in self.by_url.get(url, ())):
                return True
        if this.source_id:
            holding = self.by_id.get(this.source_id, ())
            for s in holding:
                if s.urls & others:  # S is another item of this document
                    continue
                scoped = s.feed in (this.feed, None) or this.source_id.startswith(GLOBAL_IDS)
                if scoped and s.title == this.title:
                    return True
                alone = not this.urls and not shared and len(holding) == 1
                if scoped and alone and this.source_id.startswith(GLOBAL_IDS):
                    return True
                if s.document != document and _same_day(this, s):
                    return True
        if not this.urls and this.when is not None:
            return any(
                s.feed in (this.feed, None) and s.document != document and s.when == this.when
                for s in self.linkless.get(this.title, ())
            )
        return False


def _told_apart(item: Stored, stored: Stored) -> bool:
    """One link given to several items of one feed: their ids and titles tell them apart."""
    return bool(
        item.source_id
        and stored.source_id
        and item.source_id != stored.source_id
        and item.title != stored.title
        and stored.feed in (item.feed, None)
    )


def _same_day(item: Stored, stored: Stored) -> bool:
    """The same title and date (rule 3)."""
    return item.title == stored.title and item.when is not None and item.when == stored.when


def _stored(item: Item, document: int) -> Stored:
    return Stored(
        item.source_feed,
        item.source_id,
        item.title,
        frozenset(url_keys(item.urls())),
        item.published,
        document,
    )


def existing(folder: str, cache_folder: str | None) -> tuple[Known, int]:
    """The articles below folder (read through the index cache, so an unchanged folder
    costs a walk and one cache read), and how many files there are not valid articles
    (their items cannot be recognised: imported again)."""
    from newscli.article.record import prefetch_exports
    from newscli.article.timeparse import parse_timestamp
    from newscli.index.cache import IndexCache, default_folder
    from newscli.index.loader import load_paths

    known = Known()
    if not os.path.isdir(folder):
        return known, 0
    cache, _ = IndexCache.open(cache_folder or default_folder())
    try:
        loaded = load_paths([folder], cache=cache)
        prefetch_exports(loaded.articles)
        for article in loaded.articles:
            try:
                data = json.loads(article.export_text()) if article.export_text else {}
            except ValueError:
                data = {}
            urls = [v for k in URL_FIELDS if isinstance(v := data.get(k), str)]
            if article.url:
                urls.append(article.url)
            source_id, feed = data.get(ID_FIELD), data.get(FEED_FIELD)
            when = data.get("publishedDateTime")
            try:
                moment = parse_timestamp(when) if isinstance(when, str) else None
            except ValueError:
                moment = None
            known.add(
                Stored(
                    feed if isinstance(feed, str) else None,
                    source_id if isinstance(source_id, str) and source_id else None,
                    article.title,
                    frozenset(url_keys(urls)),
                    moment,
                )
            )
        return known, len(loaded.problems)
    finally:
        if cache is not None:
            cache.close()
