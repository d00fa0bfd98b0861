"""One imported item, in article terms, before it becomes a file."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# The id newscli gives an item with neither a link nor an id of its own: a digest of
# what it says (feeds._content_id). It names its content: another content, another item.
CONTENT_ID = "newscli:sha256:"
# an image's own keys, in the order written (an aggregator's others come after them)
IMAGE_KEYS = ("url", "width", "height", "isCached", "title", "attribution")


@dataclass(slots=True)
class Item:
    """What a source says about one article; the fields keep the article format's names
        in meaning. ``images`` are mappings of url/width/height/isCached/title/attribution
    (and an aggregator's other keys); ``related``, an aggregator's entries as it gave
    them."""

    title: str
    excerpt: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    web_url: str | None = None
    original_url: str | None = None
    amp_url: str | None = None
    cdn_amp_url: str | None = None
    source_id: str | None = None
    source_feed: str | None = None  # the feed the id belongs to (ids are only unique there)
    type: str = "article"
    category: str | None = None
    categories: list[str] = field(default_factory=list)
    quality: int | None = None
    heat: int = -1
    provider_name: str | None = None
    provider_domain: str | None = None
    provider_other: dict[str, Any] = field(default_factory=dict)  # an aggregator's other keys
    topics: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    locale: str | None = None
    images: list[dict[str, Any]] = field(default_factory=list)
    related: list[dict[str, Any]] = field(default_factory=list)  # JSON values (json_value)
    secured: str | None = None

    def urls(self) -> list[str]:
        """Every URL of the item (for duplicate detection)."""
        found = (self.original_url, self.web_url, self.amp_url, self.cdn_amp_url)
        return [url for url in found if url]


@dataclass(slots=True)
class Feed:
    """A parsed source: its items and what it says about itself (for provider defaults).
    ``children``: the feed URLs an OPML list names (with their titles)."""

    kind: str  # rss, atom, json-feed, aggregator, opml
    items: list[Item] = field(default_factory=list)
    title: str | None = None
    link: str | None = None
    self_link: str | None = None  # the feed's own URL, as it gives it
    own_id: str | None = None  # the feed's own id (Atom's feed-level <id>)
    children: list[tuple[str, str | None]] = field(default_factory=list)
    skipped: int = 0  # items left out: no title, or no URL and no id
    encoding: str | None = None  # how text not in the encoding it declares was read
    cut: bool = False  # the document ends before its end (a download cut short?)
    unfinished: bool = False  # and its last item with it: left out (feeds.parse)
