"""JSON sources: JSON Feed 1.x and aggregator documents (items that carry the article
fields themselves, in an array at the top or under ``news``, ``value`` or
``articles``)."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from newscli.article.model import INT64_MAX, INT64_MIN, QUALITY_MAX, QUALITY_MIN
from newscli.article.timeparse import parse_timestamp
from newscli.edit.yaml_render import render_key
from newscli.ingest.detect import SourceError
from newscli.ingest.feed_dates import feed_date
from newscli.ingest.item import IMAGE_KEYS, Feed, Item
from newscli.ingest.text import (
    excerpt,
    html_to_text,
    identifier,
    merged,
    plain_or_none,
    squeeze_surrogates,
    strings,
    text_or_none,
    web_url,
)

WRAPPERS = ("news", "value", "articles")
_JSON_FEED = "https://jsonfeed.org/version/1"


def _date(value: Any) -> datetime | None:
    """A JSON date: RFC 3339 as front matter reads it, else as an RSS or Atom date is
    read (h108: a leap second, "2025/03/14" or an RFC 822 date was no date here, but a
    date in an RSS feed); a year before 1000 (0001-01-01, a placeholder) is none, as there."""
    if not isinstance(value, str):
        return None
    try:
        when: datetime | None = parse_timestamp(value)
    except ValueError:
        when = feed_date(None, value)
    return when if when is not None and when.year >= 1000 else None


def _integer(value: Any, low: int, high: int) -> int | None:
    """An integer, also one written with a fraction of 0 (h120: `quality: 80.0` was
    none: JSON does not tell 80 from 80.0), within the bounds."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if low <= value <= high else None


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _number(digits: str) -> int | None:
    """An integer of the document; one too long for any field (Python would refuse to
    convert it, failing the whole document) is no value."""
    return int(digits) if len(digits) <= 100 else None


_LONG_NUMBER = re.compile(rb"\d{101}")


def load_json(data: bytes) -> Any:
    try:
        if _LONG_NUMBER.search(data):  # (only then: parse_int costs a call a number)
            return json.loads(data, parse_int=_number)
        return json.loads(data)
    except RecursionError:
        raise SourceError("cannot parse the JSON: nested too deeply") from None
    except UnicodeDecodeError as exc:  # (h150: the codec's own words were shown)
        raise SourceError(f"cannot parse the JSON: not {exc.encoding.upper()}") from None
    except ValueError as exc:  # JSONDecodeError
        raise SourceError(f"cannot parse the JSON: {exc}") from None


def parse_json(data: bytes) -> Feed:
    """The items of a JSON Feed or an aggregator document."""
    doc = load_json(data)
    if isinstance(doc, dict) and str(doc.get("version", "")).startswith(_JSON_FEED):
        return _json_feed(doc)
    items = doc if isinstance(doc, list) else None
    if isinstance(doc, dict):
        items = next((doc[k] for k in WRAPPERS if isinstance(doc.get(k), list)), None)
    if items is None:
        raise SourceError(
            "not a feed: a JSON document without items (an array, or news, value or articles)"
        )
    feed = Feed("aggregator")
    for entry in items:
        item = aggregator_item(entry) if isinstance(entry, dict) else None
        if item is None:
            feed.skipped += 1
        else:
            feed.items.append(item)
    return feed


def _images(value: Any) -> list[dict[str, Any]]:
    images = []
    for image in value if isinstance(value, list) else []:
        image = _mapping(image)
        url = web_url(image.get("url"))
        if not url:
            continue
        kept: dict[str, Any] = {"url": url}
        for key in ("width", "height"):
            number = _integer(image.get(key), 0, INT64_MAX)
            if number is not None:
                kept[key] = number
        if isinstance(image.get("isCached"), bool):
            kept["isCached"] = image["isCached"]
        for key in ("title", "attribution"):
            text = text_or_none(image.get(key))
            if text:
                kept[key] = text
        kept.update(_others(image, IMAGE_KEYS))  # (h118: a caption, credit or alt was lost)
        images.append(kept)
    return images


def _others(mapping: dict[str, Any], known: Iterable[str]) -> dict[str, Any]:
    """A mapping's keys other than ``known``, with their values as they are."""
    found = json_value({k: v for k, v in mapping.items() if k not in known})
    return found if isinstance(found, dict) else {}


_NOTHING = object()
MAX_DEPTH = 8  # levels of lists and mappings kept in an aggregator's value
MAX_TEXT = 65_536  # characters of a text kept in one
MAX_KEY = 1000  # characters of a key as YAML writes it (a key on one line: 1,024 at most)
MAX_RELATED = 1_000  # entries of `related` kept


def json_value(value: Any, depth: int = 0) -> Any:
    """A value of an aggregator's item kept as it is (h118: `related` was dropped, and
    with it the evidence of a story): text (lone surrogates as U+FFFD when written),
    numbers (not infinite or NaN), true/false, null, and lists and mappings of them
    MAX_DEPTH deep; what is not (a text over MAX_TEXT characters, a key over MAX_KEY as
    written, a second key of one name once lone surrogates are U+FFFD, deeper levels)
    is left out (_NOTHING)."""
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else _NOTHING
    if isinstance(value, str):
        return value if len(value) <= MAX_TEXT else _NOTHING
    if depth >= MAX_DEPTH:
        return _NOTHING
    if isinstance(value, list):
        values = (json_value(v, depth + 1) for v in value)
        return [v for v in values if v is not _NOTHING]
    if isinstance(value, dict):
        kept: dict[str, Any] = {}
        for key, item in value.items():
            name = squeeze_surrogates(key)  # ("\ud800" and "\udc00" are one key then: the
            # first kept, h119; a key of controls is longer written: measured so)
            if name in kept or len(name) > MAX_KEY or len(render_key(name)) > MAX_KEY:
                continue
            found = json_value(item, depth + 1)
            if found is not _NOTHING:
                kept[name] = found
        return kept
    return _NOTHING


def _related(value: Any) -> list[dict[str, Any]]:
    """An aggregator's `related`: its entries that are mappings, as they are."""
    if not isinstance(value, list):
        return []
    entries = (json_value(v) for v in value[:MAX_RELATED] if isinstance(v, dict))
    return [entry for entry in entries if entry]


def aggregator_item(entry: dict[str, Any]) -> Item | None:
    """An aggregator's item (its fields are the article's, its id `sourceId` or `id`);
    None without a title, or without a URL and an id. Values of the wrong type are left
    out."""
    title = plain_or_none(entry.get("title"))
    urls = {k: web_url(entry.get(k)) for k in ("originalUrl", "webUrl", "ampWebUrl",
                                               "cdnAmpWebUrl")}  # fmt: skip
    source_id = _identifier(entry.get("sourceId")) or _identifier(entry.get("id"))
    if not title or not (any(urls.values()) or source_id):
        return None
    provider = _mapping(entry.get("provider"))
    heat = _integer(entry.get("heat"), INT64_MIN, INT64_MAX)
    summary = plain_or_none(entry.get("excerpt"))
    return Item(
        title=title,
        excerpt=excerpt(summary) if summary else None,
        published=_date(entry.get("publishedDateTime")),
        updated=_date(entry.get("updatedDateTime")),
        original_url=urls["originalUrl"],
        web_url=urls["webUrl"],
        amp_url=urls["ampWebUrl"],
        cdn_amp_url=urls["cdnAmpWebUrl"],
        type=text_or_none(entry.get("type")) or "article",
        category=text_or_none(entry.get("category")),
        categories=merged(strings(entry.get("categories"))),
        quality=_integer(entry.get("quality"), QUALITY_MIN, QUALITY_MAX),
        heat=-1 if heat is None else heat,
        provider_name=text_or_none(provider.get("name")),
        provider_domain=text_or_none(provider.get("domain")),
        provider_other=_others(provider, ("name", "domain")),
        topics=merged(strings(entry.get("topics"))),
        tags=merged(strings(entry.get("tags"))),
        locale=text_or_none(entry.get("locale")),
        images=_images(entry.get("images")),
        related=_related(entry.get("related")),
        secured=entry.get("secured") if isinstance(entry.get("secured"), str) else None,
        source_id=source_id,
    )


def _identifier(value: Any) -> str | None:
    """An id as text: a string, or a number (h118: 1.5 was no id, the item lost)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):  # (1.0 is 1, as JSON has it: h120)
        if not math.isfinite(value):
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    return identifier(value)


def _json_feed_item(entry: dict[str, Any]) -> Item | None:
    link = web_url(entry.get("url")) or web_url(entry.get("external_url"))
    source_id = identifier(entry.get("id"))
    if isinstance(entry.get("id"), int) and not isinstance(entry.get("id"), bool):
        source_id = str(entry["id"])  # JSON Feed 1.0 feeds sometimes give a number
    summary = plain_or_none(entry.get("summary"))
    if summary is None and isinstance(entry.get("content_html"), str):
        summary = html_to_text(entry["content_html"]) or None
    if summary is None:
        summary = plain_or_none(entry.get("content_text"))
    title = plain_or_none(entry.get("title")) or (excerpt(summary)[:120] if summary else None)
    if not title or not (link or source_id):
        return None
    images = [{"url": url} for key in ("image", "banner_image") if (url := web_url(entry.get(key)))]
    for attachment in entry.get("attachments") or []:
        attachment = _mapping(attachment)
        url = web_url(attachment.get("url"))
        if url and str(attachment.get("mime_type", "")).startswith("image/"):
            images.append({"url": url})
    return Item(
        title=title,
        excerpt=excerpt(summary) if summary else None,
        published=_date(entry.get("date_published")) or _date(entry.get("date_modified")),
        updated=_date(entry.get("date_modified")) if entry.get("date_published") else None,
        web_url=link,
        original_url=link,
        source_id=source_id if source_id != link else None,
        topics=merged(strings(entry.get("tags"))),
        locale=text_or_none(entry.get("language")),
        images=list({image["url"]: image for image in images}.values()),
    )


def _json_feed(doc: dict[str, Any]) -> Feed:
    feed = Feed(
        "json-feed",
        title=text_or_none(doc.get("title")),
        link=web_url(doc.get("home_page_url")),
        self_link=web_url(doc.get("feed_url")),
    )
    items = doc.get("items")
    for entry in items if isinstance(items, list) else []:
        item = _json_feed_item(entry) if isinstance(entry, dict) else None
        if item is None:
            feed.skipped += 1
        else:
            item.locale = item.locale or text_or_none(doc.get("language"))
            feed.items.append(item)
    return feed
