"""RSS 2.0 and Atom 1.0 feeds, built with ElementTree (never by string concatenation).

A feed is a function of its articles: its dates come from them, never from the clock,
so the same articles give the same bytes (a feed rewritten with nothing new is
unchanged, for HTTP caches, rsync and readers).
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import format_datetime
from urllib.parse import urlsplit

from newscli import __version__
from newscli.article.model import Article
from newscli.article.timeparse import format_rfc3339
from newscli.errors import QueryError
from newscli.sanitize import clean
from newscli.select.story_urls import ascii_host

ATOM = "http://www.w3.org/2005/Atom"
DC = "http://purl.org/dc/elements/1.1/"
ET.register_namespace("atom", ATOM)
ET.register_namespace("dc", DC)
_NOT_XML = re.compile("[\ufffe\uffff]")


RSS_NEEDS_LINK = (
    "--format rss needs --feed-link URL, the site's absolute http(s) address "
    "(RSS requires a channel link; Atom does not)"
)
# Atom requires a date on the feed and on each entry: with no article date to give,
# the start of 1970 (stable, and sorted last by readers).
NO_DATE = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True, slots=True)
class FeedInfo:
    """``link``: the site the feed belongs to (an absolute http(s) URL), or None;
    ``url``: where the feed itself is published, or None (no self link then: a self
    link naming the site would make a reader subscribe to the site's page)."""

    title: str = "newscli export"
    link: str | None = None
    description: str = "Articles selected with newscli"
    url: str | None = None  # the feed's own address (--feed-url): its rel="self" link


def feed_id(info: FeedInfo) -> str:
    """The feed's link, or a stable tag URI derived from its title."""
    link = web_url(info.link)
    if link:
        return link
    digest = hashlib.sha256(info.title.encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return f"tag:newscli,2025:feed:{digest}"


def text(value: str | None) -> str:
    """One inert line that XML 1.0 can hold."""
    return _NOT_XML.sub("\ufffd", clean(value or ""))


_HOST = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)(?:\.(?!-)[a-z0-9-]{1,63}(?<!-))*\.?", re.ASCII)


UNTITLED = "(untitled)"  # a title blank once made inert, as the newsletter and digest show it


def title_text(title: str | None) -> str:
    """An item's title: text(), else UNTITLED (h111 LOW: a blank title or one of
    controls only made `<title />` items, an RSS item of neither title nor description,
    while the newsletter and the digest said "(untitled")."""
    return text(title).strip() or UNTITLED


def tags(topics: Sequence[str]) -> list[str]:
    """The topics as a reader's tags: cleaned, each once, none left empty by cleaning
    (a topic of invisible characters only)."""
    return list(dict.fromkeys(t for t in (text(topic).strip() for topic in topics) if t))


# ASCII that no URI holds as is (RFC 3986), brackets past the host (an IPv6 host's
# only) and a "%" that starts no escape (h94, h95)
_NOT_IN_PATH = re.compile(r'[ "<>\\^`{|}\[\]]|%(?![0-9A-Fa-f]{2})')


def _encoded(match: re.Match[str]) -> str:
    return f"%{ord(match.group()):02X}"


# private-use characters and specials (U+FFF0-FFFF: U+FFFD too): no IRI holds them
_PRIVATE_USE = re.compile("[\ue000-\uf8ff\ufff0-\uffff\U000f0000-\U000ffffd\U00100000-\U0010fffd]")


def _utf8_encoded(match: re.Match[str]) -> str:
    return "".join(f"%{byte:02X}" for byte in match.group().encode("utf-8"))


def web_url(value: str | None) -> str | None:
    """The URL if it is an absolute http(s) URL, else None (never a javascript: link).
    Blanks, quotes, angle brackets, brackets, a "%" that starts no escape and a second
    "#" in its path, query or fragment are percent-encoded, as browsers send them (h94,
    h95: feed validators refused such links); a host holding one is no URL. Other text
    (IRIs: non-ASCII) stays."""
    if not value:
        return None
    value = value.strip()
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    try:
        parts.port  # noqa: B018 (a port that is no number 0-65535 raises)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    netloc = parts.netloc.replace("[", "").replace("]", "")
    if text(value) != value or _NOT_IN_PATH.search(netloc) or _PRIVATE_USE.search(netloc):
        return None  # (a stray "%" or a private-use character in a user name too, h96-97)
    if parts.netloc.count("@") > 1:  # (two user names: no URI, h97)
        return None
    start = value.index(parts.netloc) + len(parts.netloc)  # (past the scheme and host)
    rest = _NOT_IN_PATH.sub(_encoded, value[start:])
    if not rest.isascii():  # (a private-use character: an IRI has none past its query, h96)
        rest = _PRIVATE_USE.sub(_utf8_encoded, rest)
    if rest.count("#") > 1:  # (one fragment: a second "#" is its text, h95)
        head, _, fragment = rest.partition("#")
        rest = f"{head}#{fragment.replace('#', '%23')}"
    return value[:start] + rest


def site_url(domain: str | None) -> str | None:
    """``https://DOMAIN/`` for a host name (IDN allowed), else None: never a URL made of
    ``good.example@evil.example``, markup or a path."""
    host = ascii_host((domain or "").strip().lower()) or ""  # (h119: not IDNA 2003's)
    if len(host) > 253 or not _HOST.fullmatch(host):
        return None
    return f"https://{host}/"


def entry_id(article: Article) -> str:
    """The article URL, or a stable tag URI derived from its real path."""
    url = web_url(article.url)
    if url:
        return url
    # (of its real path: the same in any spelling or through a link, h114, h115; until
    # 2026-12-06 as typed)
    where = os.path.realpath(article.path)
    digest = hashlib.sha256(where.encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return f"tag:newscli,2025:{digest}"


def entry_ids(articles: Sequence[Article]) -> list[str]:
    """Each article's id (entry_id), none given twice in one feed (h111 HIGH: different
    articles under one URL, a live blog's or a section's page, had one id, so readers
    showed one of them only): each of the articles with one id gets it with a fragment
    of its own (_own_names: of the id, its file's name and folder, and its publication
    time; h112-h115: not of the path as typed, nor of which others are there), none
    another item's id. When a later export holds one of them alone, it has the URL
    again: a reader may show it twice, never take one for an update of another within
    one export."""
    ids = [entry_id(article) for article in articles]
    taken = set(ids)
    holders: dict[str, list[int]] = {}
    for i, value in enumerate(ids):
        holders.setdefault(value, []).append(i)
    for value, several in holders.items():
        if len(several) < 2:
            continue
        base = value.partition("#")[0]  # (one fragment: h113 L5; the URL's own in the
        # digest, so that `live#1` and `live` in two feeds give two ids, h115)
        for i, own in zip(several, _own_names([articles[i] for i in several]), strict=True):
            ids[i] = _fragment_id(base, f"{value}\0{own}", taken)
    return ids


def _fragment_id(base: str, own: str, taken: set[str]) -> str:
    """``base`` with a fragment made of ``own``, none of ``taken`` (h114: a URL that
    holds such a fragment itself), which it joins."""
    salt = ""
    while True:
        data = (own + salt).encode("utf-8", "surrogateescape")
        made = f"{base}#newscli-{hashlib.sha256(data).hexdigest()[:16]}"
        if made not in taken:
            taken.add(made)
            return made
        salt += "\0"


def _own_names(articles: Sequence[Article]) -> list[str]:
    """What tells each of these articles apart: its file's name and folder (the last two
    parts of its real path: the same path in any spelling or through a link, and the
    same whatever other files are there, h114, h115) and publication time; more of its
    folders only where two have all that alike."""
    parts = [os.path.realpath(a.path).split(os.sep) for a in articles]
    times = [format_rfc3339(a.published_at) if a.published_at else "" for a in articles]
    deepest = max(map(len, parts))

    def name(i: int, depth: int) -> str:
        return "/".join(parts[i][-depth:]) + "\0" + times[i]

    found: dict[int, str] = {}
    depth = 2
    while len(found) < len(articles):
        at_depth = [name(i, depth) for i in range(len(articles))]
        counts = Counter(at_depth)
        for i, own in enumerate(at_depth):
            if i not in found and (counts[own] == 1 or depth >= deepest):
                found[i] = own
        depth += 1
    return [found[i] for i in range(len(articles))]


def _sub(parent: ET.Element, tag: str, value: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if value is not None:
        element.text = value
    return element


def _provider(article: Article) -> tuple[str | None, str | None]:
    name = article.provider_name or article.provider_domain
    domain = article.provider_domain
    home = site_url(domain)
    return (text(name) if name else None), home


def _serialise(root: ET.Element) -> str:
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n"


def newest(articles: Sequence[Article]) -> datetime | None:
    """The latest change among the articles (updated, else published), if any has a date."""
    dates = [d for a in articles if (d := a.updated_at or a.published_at)]
    return max(dates, default=None)


def rss(articles: Sequence[Article], info: FeedInfo) -> str:
    """RSS 2.0; its channel must have a link (QueryError without one)."""
    link = web_url(info.link)
    if link is None:
        raise QueryError(RSS_NEEDS_LINK)
    root = ET.Element("rss", {"version": "2.0"})
    channel = _sub(root, "channel")
    _sub(channel, "title", text(info.title))
    _sub(channel, "link", link)
    _sub(channel, "description", text(info.description))
    built = newest(articles)
    if built is not None:  # optional in RSS: left out rather than taken from the clock
        _sub(channel, "lastBuildDate", format_datetime(built, usegmt=True))
    _sub(channel, "generator", f"newscli {__version__}")
    own = web_url(info.url)
    if own:
        _sub(channel, f"{{{ATOM}}}link", href=own, rel="self", type="application/rss+xml")
    for article, given in zip(articles, entry_ids(articles), strict=True):
        item = _sub(channel, "item")
        _sub(item, "title", title_text(article.title))
        url = web_url(article.url)
        if url:
            _sub(item, "link", url)
        _sub(item, "guid", given, isPermaLink="true" if url and given == url else "false")
        if article.published_at:
            _sub(item, "pubDate", format_datetime(article.published_at, usegmt=True))
        if text(article.excerpt).strip():
            # RSS readers take an item's description as (entity-encoded) HTML: the
            # excerpt is text, so its own markup is escaped once more, as it is in the
            # HTML newsletter (Atom says type="text" instead).
            _sub(item, "description", html.escape(text(article.excerpt), quote=False))
        for tag in tags(article.topics):
            _sub(item, "category", tag)
        name, home = _provider(article)
        if name:
            _sub(item, f"{{{DC}}}creator", name)
            # (the outlet's site, never the feed an import read, sourceFeed: that URL may
            # hold a key or name an internal host, and an export is published, h121)
            if home:
                _sub(item, "source", name, url=home)
    return _serialise(root)


def atom(articles: Sequence[Article], info: FeedInfo) -> str:
    """Atom 1.0; without a link the feed's id is a tag URI and it has no link."""
    root = ET.Element("feed", {"xmlns": ATOM})  # the default namespace
    link, own = web_url(info.link), web_url(info.url)
    _sub(root, "id", feed_id(info))
    _sub(root, "title", text(info.title))
    _sub(root, "subtitle", text(info.description))
    _sub(root, "updated", format_rfc3339(newest(articles) or NO_DATE))
    if link:
        _sub(root, "link", href=link, rel="alternate")
    if own:
        _sub(root, "link", href=own, rel="self", type="application/atom+xml")
    _sub(root, "author").append(_name("newscli"))
    _sub(root, "generator", "newscli", version=__version__)
    for article, given in zip(articles, entry_ids(articles), strict=True):
        entry = _sub(root, "entry")
        _sub(entry, "id", given)
        _sub(entry, "title", title_text(article.title), type="text")
        url = web_url(article.url)
        if url:
            _sub(entry, "link", href=url, rel="alternate")
        when = article.updated_at or article.published_at or NO_DATE
        _sub(entry, "updated", format_rfc3339(when))
        if article.published_at:
            _sub(entry, "published", format_rfc3339(article.published_at))
        name, home = _provider(article)
        if name:
            author = _sub(entry, "author")
            author.append(_name(name))
            if home:
                _sub(author, "uri", home)
        for tag in tags(article.topics):
            _sub(entry, "category", term=tag)
        excerpt = text(article.excerpt)
        if excerpt.strip():
            _sub(entry, "summary", excerpt, type="text")
        if not url:  # (RFC 4287 4.1.1: an entry without content needs an alternate link)
            _sub(
                entry,
                "content",
                excerpt if excerpt.strip() else title_text(article.title),
                type="text",
            )
    return _serialise(root)


def _name(value: str) -> ET.Element:
    element = ET.Element("name")
    element.text = value
    return element
