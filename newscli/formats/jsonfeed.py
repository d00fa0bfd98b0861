"""JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/).

Like the RSS and Atom feeds, a function of its articles (no clock), so the same
articles give the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from newscli.article.model import Article
from newscli.article.timeparse import format_rfc3339
from newscli.formats.feeds import (
    FeedInfo,
    entry_ids,
    site_url,
    tags,
    title_text,
    web_url,
)
from newscli.formats.records import export_record, field_record, json_value, prefetched
from newscli.formats.templating.context import first_image
from newscli.sanitize import clean

VERSION = "https://jsonfeed.org/version/1.1"


def _author(article: Article) -> dict[str, str] | None:
    name = article.provider_name or article.provider_domain
    if not name or not clean(name).strip():
        return None
    author = {"name": clean(name).strip()}
    site = article.provider_domain
    home = site_url(site)
    if home:
        author["url"] = home
    return author


def item(article: Article, given: str, fields: Sequence[str], now: datetime) -> dict[str, Any]:
    """One item; ``given``: its id among the feed's (feeds.entry_ids)."""
    record = export_record(article)
    entry: dict[str, Any] = {"id": given}
    url = web_url(article.url)
    if url:
        entry["url"] = url
    title = title_text(article.title)
    entry["title"] = title
    excerpt = clean(article.excerpt).strip() if article.excerpt else ""
    if excerpt:
        entry["summary"] = excerpt
    entry["content_text"] = excerpt or title  # an item needs content_text or content_html
    image = first_image(record, title)
    if image:
        entry["image"] = image["url"]
    if article.published_at:
        entry["date_published"] = format_rfc3339(article.published_at)
    if article.updated_at:
        entry["date_modified"] = format_rfc3339(article.updated_at)
    author = _author(article)
    if author:
        entry["authors"] = [author]
    topics = tags(article.topics)
    if topics:
        entry["tags"] = topics
    if fields:  # an extension object: JSON Feed readers ignore keys starting with "_"
        entry["_newscli"] = field_record(article, fields, now)
    return entry


def jsonfeed(
    articles: Sequence[Article],
    info: FeedInfo,
    *,
    feed_url: str | None = None,
    fields: Sequence[str] = (),
    now: datetime,
) -> str:
    feed: dict[str, Any] = {"version": VERSION, "title": clean(info.title)}
    home = web_url(info.link)
    if home:
        feed["home_page_url"] = home
    own = web_url(feed_url)
    if own:
        feed["feed_url"] = own
    feed["description"] = clean(info.description)
    ids = entry_ids(articles)
    feed["items"] = [
        item(a, i, fields, now) for a, i in zip(prefetched(articles), ids, strict=True)
    ]
    return json_value(feed)
