"""What is already in the folder an import writes to, and which items of a document
are some of it.

Feeds identify their items badly in every way (h29-h32): ids numbered 1, 2, 3 (alike
across feeds, or by position, so that an id moves to another item), one id or one link
for every item (a home page, a section page, a live blog's fragments), headlines and
links changed under an id, the same feed under another URL. A lost item is worse than
a duplicate, so a stored article S is an item of a document only on evidence:

- strong: S has one of the item's URLs and its title; or S has its id and title, from
  the same feed (or stored before feeds were written, or an id unique anywhere: ``urn:``,
  ``tag:``), or with the same date (or neither dated): the same feed under another name;
  an id match yields to another item of the document holding S by URL and title;
- weak, only for an S no other item of the document holds by strong evidence:
  1. S has one of its URLs, that URL is evidence (the document's items under it tell
     of one thing: their titles share a content word, and they give no two ids), their
     titles share a content word (and are the same title when both are dated 18 hours
     or more apart: headline_rules.RECURRING_GAP), and S is not one of several articles
     its feed gave that URL under other ids;
  2. an id unique anywhere, for an item without a link, that no other article holds
     and no other item of the document gives;
  3. the same title and date from the same feed, the item having no URL that is
     evidence and S no other URL (items renumbered by position, without a link or under
     one link for all), S not written from this document; for an item whose id newscli
     made of its content (item.CONTENT_ID: its content names it), only an S of no id."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from newscli.errors import ArticleChangedError, InvalidArticleError
from newscli.ingest.item import CONTENT_ID, Item
from newscli.select.stories import URL_FIELDS, normalise_url

ID_FIELD = "sourceId"  # where an item's own id (RSS guid, Atom id) is kept
FEED_FIELD = "sourceFeed"  # and the feed it is the id in
GLOBAL_IDS = ("urn:", "tag:")  # ids unique wherever they are given (RFC 8141, RFC 4151)


def url_keys(urls: Iterable[str]) -> set[str]:
    """The keys of an article's URLs (normalised: one story under http and https, with
    and without tracking parameters, is one); a site's front page names no article
    (h33: feeds give it to items without a link of their own), so it is none."""
    from newscli.select.story_urls import names_an_article

    return {key for key in map(normalise_url, urls) if key and names_an_article(key)}


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
    """The articles already there (and those written in this run), indexed so that each
    item costs about the same however many share its link, id or title."""

    by_url: dict[str, list[Stored]] = field(default_factory=dict)
    by_url_title: dict[tuple[str, str], list[Stored]] = field(default_factory=dict)
    by_id_title: dict[tuple[str, str], list[Stored]] = field(default_factory=dict)
    by_id_url: dict[tuple[str, str], list[Stored]] = field(default_factory=dict)
    id_count: dict[str, int] = field(default_factory=dict)
    by_id: dict[str, list[Stored]] = field(default_factory=dict)  # ids unique anywhere
    by_title_when: dict[tuple[str, datetime | None], list[Stored]] = field(default_factory=dict)
    url_ids: dict[tuple[str, str | None], set[str]] = field(default_factory=dict)
    # the folders the stored articles are in (where a killed import's temporary file
    # would be: write_items removes those of processes gone)
    folders: set[str] = field(default_factory=set)
    by_feed: dict[str, int] = field(default_factory=dict)  # articles per sourceFeed

    def add(self, stored: Stored) -> None:
        if stored.feed:
            self.by_feed[stored.feed] = self.by_feed.get(stored.feed, 0) + 1
        for url in stored.urls:
            self.by_url.setdefault(url, []).append(stored)
            self.by_url_title.setdefault((url, stored.title), []).append(stored)
            if stored.source_id:
                self.url_ids.setdefault((url, stored.feed), set()).add(stored.source_id)
                self.by_id_url.setdefault((stored.source_id, url), []).append(stored)
        if stored.source_id:
            key = (stored.source_id, stored.title)
            self.by_id_title.setdefault(key, []).append(stored)
            self.id_count[stored.source_id] = self.id_count.get(stored.source_id, 0) + 1
            if stored.source_id.startswith(GLOBAL_IDS):
                self.by_id.setdefault(stored.source_id, []).append(stored)
        self.by_title_when.setdefault((stored.title, stored.when), []).append(stored)

    def add_item(self, item: Item, document: int) -> None:
        self.add(_stored(item, document))

    def document(self, items: Sequence[Item], number: int) -> Document:
        """The matching of one document's items (``number``: its place in the run)."""
        raws = [frozenset(item.urls()) for item in items]
        return Document(self, [_stored(item, number) for item in items], number, raws)


class Document:
    """One document's items against what is known: ``holds(k)`` for the k-th item, in
    order (items written meanwhile are known to the later ones)."""

    def __init__(
        self,
        known: Known,
        items: list[Stored],
        number: int,
        raws: Sequence[frozenset[str]],
    ) -> None:
        self.known, self.items, self.number = known, items, number
        self.words: dict[str, frozenset[str]] = {}
        under: dict[str, list[int]] = {}
        for place, item in enumerate(items):
            for url in item.urls:
                under.setdefault(url, []).append(place)
        self.evidence = {
            url: self._one_thing([items[p] for p in places]) and not _one_page(places, items, raws)
            for url, places in under.items()
        }
        ids = [item.source_id for item in items if item.source_id]
        self.shared_ids = {i for i, n in _counts(ids).items() if n > 1}
        # The stored articles an item holds by strong evidence: by URL and title first
        # (an id that moved yields to it), then by id and title.
        self.url_claims: dict[int, int] = {}  # id(stored) -> the item's place
        for place, item in enumerate(items):
            for stored in self._by_url_title(item):
                self.url_claims.setdefault(id(stored), place)
        self.claims = dict(self.url_claims)
        for place, item in enumerate(items):
            for stored in self._by_id_title(item, place):
                self.claims.setdefault(id(stored), place)
        # weak rule 3's candidates by (title, date): stored before this document, held
        # by no item's strong evidence, each taken by one item at most (h33: a scan of
        # every article of a ticker's "Update" per item was quadratic)
        self.renumbered: dict[tuple[str, datetime | None], list[Stored]] = {}

    def holds(self, place: int) -> bool:
        item = self.items[place]
        if any(True for _ in self._by_url_title(item)):
            return True
        if any(True for _ in self._by_id_title(item, place)):
            return True
        known = self.known
        for url in item.urls:
            if not self.evidence[url]:
                continue
            for stored in known.by_url.get(url, ()):
                # (held by another item under this URL: a copy of it, as this one is)
                free = self._free(stored, place) or url in self.items[self.claims[id(stored)]].urls
                if free and self._alike(item, stored, url):
                    return True
        if self._unique_alone(item):
            (stored,) = known.by_id[item.source_id or ""]
            if self._free(stored, place):
                return True
        # (an item newscli named by its content is not one stored with another id, h120:
        # a council's next "Road closure" notice of one date, another street, was taken
        # for the last one's; one stored with none, before such ids, still is)
        content_id = (item.source_id or "").startswith(CONTENT_ID)
        if not any(self.evidence[url] for url in item.urls):
            candidates = self._renumbered(item)
            for number, stored in enumerate(candidates):
                if content_id and stored.source_id:
                    continue
                # (undated: only under the same link, or, without an id on either side,
                # a front page as the only link: h34, written again every run)
                idless = not item.source_id and not stored.source_id
                if stored.urls <= item.urls and (item.when is not None or stored.urls or idless):
                    del candidates[number]  # (taken: it explains one item only)
                    return True
        return False

    def _renumbered(self, item: Stored) -> list[Stored]:
        """Weak rule 3's candidates for ``item``: the same title and date (or both
        undated), from the same feed, stored before this document, held by no item."""
        key = (item.title, item.when)
        found = self.renumbered.get(key)
        if found is None:
            found = self.renumbered[key] = [
                stored
                for stored in self.known.by_title_when.get(key, ())
                if stored.feed in (item.feed, None)
                and stored.document != self.number
                and id(stored) not in self.claims
            ]
        return found

    def _by_url_title(self, item: Stored) -> Iterable[Stored]:
        """Strong: one of its URLs (evidence) and its title, or its id (h33: a headline
        rewritten under the same link and guid is the same article)."""
        for url in item.urls:
            if not self.evidence[url]:
                continue
            if item.source_id:
                for stored in self.known.by_id_url.get((item.source_id, url), ()):
                    if stored.feed in (item.feed, None) or item.source_id.startswith(GLOBAL_IDS):
                        yield stored
            for stored in self.known.by_url_title.get((url, item.title), ()):
                # (h33: "Morning briefing" on one landing page, each day's with its own
                # id and date, is each day's)
                if not (_other(item.source_id, stored.source_id) and _other_time(item, stored)):
                    yield stored

    def _by_id_title(self, item: Stored, place: int) -> Iterable[Stored]:
        if not item.source_id:
            return
        unique = item.source_id.startswith(GLOBAL_IDS)
        for stored in self.known.by_id_title.get((item.source_id, item.title), ()):
            holder = self.url_claims.get(id(stored), place)
            if self.items[holder].source_id != item.source_id:
                continue  # an item with another id holds it by URL and title (it moved)
            if _other_time(item, stored) and not item.urls & stored.urls:
                continue  # another day, another link: another article (h33)
            if unique or stored.feed in (item.feed, None):
                yield stored
            elif stored.when == item.when and not (item.urls and stored.urls):
                yield stored  # (the same feed under another name: its links kept)
            elif stored.when == item.when and item.urls & stored.urls:
                yield stored

    def _free(self, stored: Stored, place: int) -> bool:
        """No other item of the document holds ``stored`` by strong evidence."""
        return self.claims.get(id(stored), place) == place

    def _alike(self, item: Stored, stored: Stored, url: str) -> bool:
        """Weak rule 1: the titles share a content word, and ``stored`` is not one of
        several articles its feed gave ``url`` under other ids (a home page for all)."""
        if not self._shares_word(item.title, stored.title):
            return False
        if item.title != stored.title and _apart(item, stored):
            return False  # another headline a day apart, from any feed: another item (h34)
        if _other(item.source_id, stored.source_id) and _other_time(item, stored):
            return False  # another id and another day: another article (h33)
        if (
            item.feed is not None
            and stored.feed == item.feed
            and item.title != stored.title
            and _other_time(item, stored)
        ):
            return False  # one feed's other headline at another time: its latest (h34)
        if (
            item.source_id
            and stored.source_id
            and stored.source_id != item.source_id
            and stored.feed in (item.feed, None)
        ):
            return len(self.known.url_ids.get((url, stored.feed), ())) < 2
        return True

    def _unique_alone(self, item: Stored) -> bool:
        """Weak rule 2 applies: a linkless item, an id unique anywhere that one article
        holds and no other item of the document gives."""
        return bool(
            item.source_id
            and item.source_id.startswith(GLOBAL_IDS)
            and not item.urls
            and item.source_id not in self.shared_ids
            and self.known.id_count.get(item.source_id) == 1
        )

    def _one_thing(self, group: list[Stored]) -> bool:
        """Whether a document's items under one URL tell of one thing (as stories do:
        select.stories._one_thing) and give no two ids: only then is the URL evidence."""
        if len(group) == 1:
            return True
        if len({item.source_id for item in group if item.source_id}) > 1:
            return False
        if len({item.when for item in group if item.when is not None}) > 1:
            return False  # (h33: a live blog's posts, each with its time)
        common: set[str] | None = None
        for item in group:
            words = self._words(item.title)
            if words:
                common = set(words) if common is None else common & words
                if not common:
                    return False
        return True

    def _shares_word(self, one: str, other: str) -> bool:
        first, second = self._words(one), self._words(other)
        return not first or not second or bool(first & second)

    def _words(self, title: str) -> frozenset[str]:
        found = self.words.get(title)
        if found is None:
            from newscli.select.similarity import words

            found = self.words[title] = frozenset(words(title))
        return found


def _other(one: str | None, other: str | None) -> bool:
    """Two ids, and not the same."""
    return bool(one and other and one != other)


def _other_time(item: Stored, stored: Stored) -> bool:
    """Two dates, and not the same instant (not calendar days: a ticker renumbered
    within a day would lose its newer item, h33; so a time corrected under one id is
    written again, h34, a duplicate rather than a loss)."""
    return item.when is not None and stored.when is not None and item.when != stored.when


def _apart(item: Stored, stored: Stored) -> bool:
    """Both dated, RECURRING_GAP or more apart (as story grouping tells a recurring
    headline's days apart: an outlet's copies of one article come hours apart)."""
    from newscli.select.headline_rules import RECURRING_GAP

    if item.when is None or stored.when is None:
        return False
    return abs((item.when - stored.when).total_seconds()) >= RECURRING_GAP


def _one_page(
    places: Sequence[int], items: Sequence[Stored], raws: Sequence[frozenset[str]]
) -> bool:
    """Several headlines given one link exactly as written: a page they share (a
    council's notices), not copies of one article under tracking variants (h34)."""
    seen: dict[str, str] = {}
    for place in places:
        for raw in raws[place]:
            title = seen.setdefault(raw, items[place].title)
            if title != items[place].title:
                return True
    return False


def _counts(values: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


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
    from newscli.index.cache import IndexCache
    from newscli.index.cache_owner import default_folder
    from newscli.index.loader import load_paths

    known = Known()
    if not os.path.isdir(folder):
        return known, 0
    cache, _ = IndexCache.open(cache_folder or default_folder())
    try:
        loaded = load_paths([folder], cache=cache)
        prefetch_exports(loaded.articles)
        for article in loaded.articles:
            known.folders.add(os.path.dirname(article.path))
            try:
                data = json.loads(article.export_text()) if article.export_text else {}
            except ValueError:
                data = {}
            except ArticleChangedError:  # (stored anew since loaded: the file as it is now)
                data = _as_now(article.path)
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


def _as_now(path: str) -> dict[str, Any]:
    """A file's front matter as the export shows it, read now ({} if it went bad)."""
    from newscli.article.reading import load_file
    from newscli.article.record import front_matter_json

    try:
        article = load_file(path)
    except InvalidArticleError:
        return {}
    try:
        found = json.loads(
            front_matter_json(article.data, article.published_at, article.updated_at)
        )
    except ValueError:  # (never: the text is made here)
        return {}
    return found if isinstance(found, dict) else {}
