"""Reading one source into items: fetch or read, tell the kind, parse, and fill in the
source's defaults (topics, quality, category, provider)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from newscli.ingest.detect import (
    SourceError,
    is_feed_root,
    kind_of,
    looks_like_html,
    survey_xml,
)
from newscli.ingest.fetch import STDIN, Fetched, Limits, fetch, is_url, read_file, read_stdin
from newscli.ingest.item import Feed, Item
from newscli.ingest.limits import ID_MAX, bounded
from newscli.ingest.text import (
    controls_back,
    domain_of,
    merged,
    squeeze,
    squeeze_surrogates,
    web_url,
)


@dataclass(frozen=True, slots=True)
class Source:
    """A file or an http(s) URL, with the defaults its items get."""

    location: str
    topics: tuple[str, ...] = ()
    quality: int | None = None
    category: str | None = None
    provider: str | None = None  # the provider name, when an item gives none
    listed: bool = False  # named by an OPML list (which may not name another list)


@dataclass(slots=True)
class Read:
    """What reading a source gave: items, or nothing new (304), or an error."""

    source: Source
    items: list[Item] = field(default_factory=list)
    not_modified: bool = False
    left_out: int = 0  # items without a title, or without a URL and an id
    error: str | None = None
    validators: tuple[str | None, str | None] = (None, None)  # ETag, Last-Modified
    encoding: str | None = None  # Feed.encoding: said once for the source
    cut: bool = False  # Feed.cut: said once for the source
    unfinished: bool = False  # Feed.unfinished: its last item left out (said with cut)


Validators = Callable[[str], "tuple[str | None, str | None]"]


def _parse(data: bytes, source: Source) -> Feed:
    if kind_of(data) == "json":
        from newscli.ingest.jsondocs import parse_json

        return parse_json(data)
    from newscli.ingest.feeds import parse_feed, prepare_xml

    prepared = prepare_xml(data)  # surveyed as the parsers will read it
    root, outlines = survey_xml(prepared.data)
    if root == "opml":
        if source.listed:
            raise SourceError("an OPML list inside an OPML list is not followed")
        return Feed("opml", children=outlines)
    if root is None and looks_like_html(data):
        raise SourceError("not a feed: an HTML page")
    if not is_feed_root(root):
        raise SourceError(f"not a feed: an XML document of <{root}>")
    return parse_feed(prepared)


def with_defaults(item: Item, source: Source, feed: Feed) -> Item:
    """The item with the source's defaults where it has no value of its own."""
    item.topics = merged(item.topics, list(source.topics))
    if item.quality is None:
        item.quality = source.quality
    item.category = item.category or source.category
    item.provider_name = item.provider_name or source.provider or feed.title
    item.provider_domain = (
        item.provider_domain or domain_of(item.web_url or item.original_url) or domain_of(feed.link)
    )
    return item


def feed_identity(source: Source, feed: Feed, data: bytes = b"") -> str:
    """What an item's id is unique within: the feed's URL as the source names it; for a
    file, what the feed says it is wherever the file lies (today's download and
    yesterday's are one feed): its own URL, else its Atom id, else its site's link with
    its title; else the file's absolute path, and for standard input its title, else a
    digest of the document ``data`` (an id is then one item only in the same document: a
    duplicate rather than two piped feeds' item 1 taken for one). Two feeds may both
    number their items 1, 2, 3: an id is the same item only in the same feed."""
    if is_url(source.location):
        found = source.location
    elif feed.self_link or feed.own_id:
        found = feed.self_link or feed.own_id or ""
    elif feed.link and feed.title:
        found = f"{feed.link} ({feed.title})"
    elif source.location == STDIN:  # (its title, h120: a digest of the document made
        # every new version another feed, and items renumbered in it came in twice)
        found = f"stdin:{feed.title}" if feed.title else "stdin:sha256:" + _digest(data)
    else:
        found = squeeze_surrogates(os.path.abspath(source.location))
    return bounded_scope(found)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def bounded_scope(found: str) -> str:
    """A feed's identity as its items' sourceFeed holds it (a long one as its hash)."""
    if len(found) > ID_MAX:  # kept within what a sourceId may be
        found = "sha256:" + hashlib.sha256(found.encode("utf-8", "surrogatepass")).hexdigest()
    return found


def read_source(source: Source, limits: Limits, validators: Validators) -> list[Read]:
    """The source's items (an OPML list: each listed feed's, in order). Never raises
    SourceError: a failure is a Read with its error."""
    try:
        if is_url(source.location):
            etag, modified = validators(source.location)
            fetched = fetch(source.location, limits, etag, modified)
        elif "://" in source.location:
            raise SourceError("only files and http(s) URLs can be imported")
        elif source.location == STDIN and not source.listed:
            fetched = Fetched(read_stdin(limits))
        else:
            fetched = Fetched(read_file(source.location, limits))
        if fetched.data is None:
            return [Read(source, not_modified=True, validators=(etag, modified))]
        feed = _parse(fetched.data, source)
    except SourceError as exc:
        return [Read(source, error=str(exc))]
    except MemoryError:
        raise
    except Exception as exc:  # (h107: a defect met in one source's content stopped the
        # whole import, every other source with it; this source fails, the others go on)
        if os.environ.get("NEWSCLI_DEBUG"):
            raise
        error = f"{type(exc).__name__}: {exc}"[:200]
        return [
            Read(source, error=f"internal error reading it ({error}; NEWSCLI_DEBUG=1 shows it)")
        ]
    if feed.kind == "opml":
        reads = []
        for listed, title in feed.children:
            # (as its controls were: h129 1, a stand-in of one was fetched, and said, as
            # part of the URL; a URL holding one is no URL, as an item's link is none)
            url = controls_back(listed)
            if web_url(url) is None:  # (an http(s) URL only)
                reads.append(Read(Source(url, listed=True), error="not an http(s) URL"))
                continue
            name = squeeze(title) if title else None
            child = replace(source, location=url, listed=True, provider=source.provider or name)
            reads += read_source(child, limits, validators)
        return reads or [Read(source)]
    items = [bounded(with_defaults(item, source, feed)) for item in feed.items]
    scope = feed_identity(source, feed, fetched.data)
    for item in items:
        item.source_feed = scope  # (every item's: rules within one feed need it, h34)
    # An item whose only URL or id was too long to keep has nothing to be known by
    # again: left out, as an item without a URL and an id is (else imported every run).
    kept = [item for item in items if item.urls() or item.source_id]
    # A document that ends before its end keeps no validators: the next run asks for it
    # whole, not "modified since" (its lost items would never come, h51)
    kept_validators = (None, None) if feed.cut else (fetched.etag, fetched.last_modified)
    return [Read(source, kept, left_out=feed.skipped + len(items) - len(kept),
                 validators=kept_validators, encoding=feed.encoding, cut=feed.cut,
                 unfinished=feed.unfinished)]  # fmt: skip
