"""RSS 0.9x/1.0/2.0 and Atom, read with feedparser (imported here only)."""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from html import unescape
from typing import Any
from xml.sax import SAXException

from newscli.ingest.detect import SourceError
from newscli.ingest.feed_dates import feed_date
from newscli.ingest.item import CONTENT_ID, Feed, Item
from newscli.ingest.known import url_keys
from newscli.ingest.markup import REFERENCE
from newscli.ingest.text import (
    control_bytes,
    domain_of,
    excerpt,
    identifier,
    merged,
    plain_text,
    squeeze,
    strings,
    text_or_none,
    web_url,
)

_HTML_TYPES = ("text/html", "application/xhtml+xml", "html", "xhtml")


def _text(value: Any, detail: Any) -> str | None:
    """Plain text: HTML reduced to words. Text said to be plain that is HTML all the
    same (an escaped title, as many feeds write them: ingest/markup.py) is reduced too."""
    if not isinstance(value, str):
        return None
    kind = (detail or {}).get("type", "") if isinstance(detail, dict) else ""
    return plain_text(value, kind in _HTML_TYPES) or None


def _plain(value: Any, loose: bool) -> Any:
    """A plain value's entities decoded where the lenient parser left them (h94: a
    category "Arts &amp; Culture" of a feed with one bare "&" in a title)."""
    if loose and isinstance(value, str) and REFERENCE.search(value):
        return unescape(value)
    return value


def _int(value: Any) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 100_000 else None


def _images(entry: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for media in entry.get("media_content") or []:
        medium, mime = media.get("medium", ""), media.get("type", "")
        if medium == "image" or mime.startswith("image/") or (not medium and not mime):
            found.append({"url": media.get("url"), "width": _int(media.get("width")),
                          "height": _int(media.get("height"))})  # fmt: skip
    for thumb in entry.get("media_thumbnail") or []:
        found.append({"url": thumb.get("url"), "width": _int(thumb.get("width")),
                      "height": _int(thumb.get("height"))})  # fmt: skip
    for enclosure in entry.get("enclosures") or []:
        if str(enclosure.get("type", "")).startswith("image/"):
            found.append({"url": enclosure.get("href")})
    images, seen = [], set()
    for image in found:
        url = web_url(image["url"])
        if url and url not in seen:
            seen.add(url)
            images.append({k: v for k, v in {**image, "url": url}.items() if v is not None})
    return images


def _link(entry: Any) -> str | None:
    for link in entry.get("links") or []:
        if link.get("rel", "alternate") == "alternate" and web_url(link.get("href")):
            return web_url(link.get("href"))
    if entry.get("guidislink", False):  # an RSS guid that is the permalink
        return web_url(entry.get("id"))
    return web_url(entry.get("link"))


# expat's words for a document that ends before its end (h95: inside a CDATA section too)
_CUT = ("no element found", "unclosed token", "unclosed CDATA section")
_CLOSED = re.compile(rb"</(?:[\w.-]+:)?(?:item|entry)\s*>")  # an item's or entry's end
# text where such an end is no end (h96: "</item>" in a CDATA section or a comment), the
# last one perhaps cut short
_NOT_MARKUP = re.compile(rb"<!\[CDATA\[.*?(?:\]\]>|\Z)|<!--.*?(?:-->|\Z)", re.DOTALL)


_ROOT = re.compile(rb"<(?![?!])([^\s/>]+)")  # the first element: the document's root


def _ends_whole(data: bytes) -> bool:
    """Whether the document ends with its root's end tag, but for blanks, comments and
    processing instructions (a cut one does not, whatever error the lenient parser
    tells first: h97, a feed with another fault, cut inside an item, was no cut)."""
    root = _ROOT.search(data)
    if root is None:
        return True  # (no element at all: the parser's own error says it)
    body = data.rstrip()
    while body.endswith((b"-->", b"?>")):
        start = body.rfind(b"<!--" if body.endswith(b"-->") else b"<?")
        if start < 0:
            break
        body = body[:start].rstrip()
    if re.fullmatch(rb"<[^\s/>]+(?:\s[^<>]*)?/>", body[root.start() :]):
        return True  # (the root alone, closed in its tag: an empty feed, h129 5)
    end = b"</" + root.group(1)
    tail = body[body.rfind(b"</") :] if b"</" in body else b""
    return tail.startswith(end) and tail[len(end) :].strip() == b">"


def _items_ended(data: bytes) -> int:
    """How many items or entries end in the document (not in its text)."""
    if b"<!" in data:
        data = _NOT_MARKUP.sub(b"", data)
    return len(_CLOSED.findall(data))


def _self_link(feed: Any) -> str | None:
    """The feed's own URL (RSS ``atom:link rel="self"``, Atom ``link rel="self"``)."""
    for link in feed.get("links") or []:
        if link.get("rel") == "self" and web_url(link.get("href")):
            return web_url(link.get("href"))
    return None


def _item(entry: Any, loose: bool = False) -> Item | None:
    """An entry as an item; ``loose``: the document was no well-formed XML, so its
    lenient parser left the entities of plain values (a category) undecoded."""
    link = _link(entry)
    summary = _text(entry.get("summary"), entry.get("summary_detail"))
    title = _text(entry.get("title"), entry.get("title_detail")) or (
        excerpt(summary)[:120] if summary else None
    )
    guid = identifier(entry.get("id"))
    tags = entry.get("tags") or []
    if not title:
        return None
    if not guid and (not link or not url_keys([link])):
        # (h118: an item of a title alone was left out; h121: one whose only link is
        # the site's front page, which names no article, is one of a title alone)
        guid = _content_id(entry)
    source = entry.get("source") or {}
    # feedparser gives an RSS pubDate as both published and updated
    published, updated = (
        feed_date(entry.get("published_parsed"), entry.get("published")),
        feed_date(dict.get(entry, "updated_parsed"), dict.get(entry, "updated")),
    )
    return Item(
        title=title,
        excerpt=excerpt(summary) if summary else None,
        published=published or updated,
        updated=updated if published and updated != published else None,
        web_url=link,
        original_url=link,
        source_id=guid if guid != link else None,
        topics=merged(strings([_plain(t.get("term") or t.get("label"), loose) for t in tags])),
        provider_name=text_or_none(_plain(source.get("title"), loose)),
        provider_domain=domain_of(web_url(source.get("href"))),
        images=_images(entry),
    )


def _content_id(entry: Any) -> str:
    """The id of an item that gives neither a link nor an id of its own: a digest of
    its title, summary, dates, author, content, enclosures and categories as the feed
    writes them (a feed reader's way), so the same item read again is the same, and one
    that says anything else is another."""
    parts = [entry.get(key) for key in ("title", "summary", "published", "updated", "author")]
    # (h119: two "Alert" items of other enclosures or content were one item)
    parts += [c.get("value") for c in entry.get("content") or () if isinstance(c, dict)]
    parts += [e.get("href") for e in entry.get("enclosures") or () if isinstance(e, dict)]
    parts += [t.get("term") for t in entry.get("tags") or () if isinstance(t, dict)]
    text = "\0".join(part if isinstance(part, str) else "" for part in parts)
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{CONTENT_ID}{digest[:32]}"


_CHAR_REF = re.compile(rb"&#([xX][0-9a-fA-F]+|[0-9]+);")


def _char_ref(match: re.Match[bytes]) -> bytes:
    """A numeric character reference as it is if it names a character XML allows, or a
    control (text.control_bytes makes it a stand-in until read); else U+FFFD
    (a surrogate, zero, beyond U+10FFFF: feedparser's lenient parser would fail on them
    with an exception of its own)."""
    digits = match.group(1)
    hexadecimal = digits[:1] in (b"x", b"X")
    body = (digits[1:] if hexadecimal else digits).lstrip(b"0") or b"0"
    if len(body) > 8:  # beyond any character (and int() of a long run of digits)
        return b"&#xFFFD;"
    code = int(body, 16 if hexadecimal else 10)
    allowed = 0 < code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF
    return match.group(0) if allowed else b"&#xFFFD;"


# An item's or entry's opening tag, or one of its category elements (feedparser checks
# each new one against all before: time grows with the square of their number).
_ITEM_OR_CATEGORY = re.compile(
    rb"<(?:item|entry)\b|<(category|dc:subject)\b[^>]*?(?:/>|>.*?</\1\s*>)", re.DOTALL
)
CATEGORIES_KEPT = 100  # an item's first category elements given to feedparser


def _fewer_categories(data: bytes) -> bytes:
    """The document with at most CATEGORIES_KEPT category elements an item (topics keep
    their first 50 anyway: ingest/limits)."""
    count = 0

    def keep(match: re.Match[bytes]) -> bytes:
        nonlocal count
        if match.group(1) is None:  # an item begins
            count = 0
            return match.group(0)
        count += 1
        return match.group(0) if count <= CATEGORIES_KEPT else b""

    return _ITEM_OR_CATEGORY.sub(keep, data)


# A UTF-8 sequence of two to four bytes (no overlong form, no surrogate, at most U+10FFFF).
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([^"']*)["']""")


def _mostly_utf8(data: bytes, declared: re.Match[bytes] | None) -> tuple[bytes, str | None]:
    """A document declared UTF-8 (or declaring nothing, so UTF-8) that is not valid
    UTF-8 but holds more UTF-8 sequences than stray bytes: those bytes become U+FFFD and
    the rest keeps its text (feedparser would read all of it as windows-1252, every
    accented letter of every item turned into two). With the note said of it.
    ``declared``: its XML declaration's encoding (_DECLARED), if any."""
    name = declared.group(1).decode("ascii", "replace").lower() if declared else "utf-8"
    if name not in ("utf-8", "utf8") or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data, None
    if b"\0" in data[:4]:  # UTF-16 or UTF-32 without a BOM ("<\0?\0"): not UTF-8 at all
        return data, None  # (its CJK letters can look like UTF-8 pairs: none is repaired)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.end == len(data):
            # (cut inside its last character, h96: no stray byte, the cut is told as such)
            data = data[: exc.start]
            if _valid_utf8(data):
                return data, None
    else:
        return data, None
    text = data.decode("utf-8", "replace")
    stray = text.count("\ufffd") - data.count("\ufffd".encode())  # (less those written so)
    if len(_UTF8_SEQUENCE.findall(data)) <= stray:
        return data, None  # windows-1252 more likely: feedparser's reading (said below)
    from newscli.wording import count

    return text.encode("utf-8"), f"{count(stray, 'sequence')} not valid UTF-8 read as U+FFFD"


def _valid_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class Prepared:
    """An XML document as feedparser's parsers read it (see prepare_xml)."""

    data: bytes  # UTF-8, declared so
    encoding: str | None  # what to say of its encoding (Feed.encoding), if anything


# The commonest ways a feed is no well-formed XML, outside CDATA sections and comments
# (where they are text): a bare "&" ("AT&T", "Johnson & Johnson") and an HTML entity XML
# does not define ("&nbsp;"). Written "&amp;" and as a character reference, the feed is
# read by the strict parser, its text as written (the lenient parser wrote "AT&T;", h95,
# and "&amp;" in ids, h96): see _references.
_REFERENCE = re.compile(
    rb"<!\[CDATA\[.*?\]\]>|<!--.*?-->|&(?:#[0-9]+;|#[xX][0-9a-fA-F]+;|([A-Za-z_][\w.-]*);)?",
    re.DOTALL,
)
_XML_ENTITIES = frozenset((b"amp", b"lt", b"gt", b"quot", b"apos"))


def _references(data: bytes) -> bytes:
    """The document with HTML entities as character references, each bare "&" as
    "&amp;", and an entity neither XML nor HTML defines as its text ("&foo;", as a
    browser shows it: h97, one such entity sent the whole feed to the lenient parser,
    which wrote "AT&T;" and "id&b;=2", so an item came in twice). A document declaring
    entities (a DOCTYPE with an internal subset) is left as it is (its entities are
    surveyed and read as before)."""
    from html.entities import html5

    if _SUBSET.search(data[:4096]):
        return data

    def known(match: re.Match[bytes]) -> bytes:
        name = match.group(1)
        if name is None:
            return b"&amp;" if match.group() == b"&" else match.group()
        if name in _XML_ENTITIES:
            return match.group()
        text = html5.get(name.decode("ascii", "replace") + ";")
        if text is None:
            return b"&amp;" + match.group()[1:]
        return b"".join(b"&#%d;" % ord(char) for char in text)

    return _REFERENCE.sub(known, data)


_SUBSET = re.compile(rb"<!DOCTYPE[^>\[]*\[", re.IGNORECASE)


def prepare_xml(data: bytes) -> Prepared:
    """The document as feedparser's parsers will read it: a mostly-UTF-8 one repaired
    (_mostly_utf8), numeric references XML forbids made U+FFFD's, at most
    CATEGORIES_KEPT categories an item, then decoded as feedparser decodes it (the
    declared encoding, else UTF-8, windows-1252, iso-8859-2) and written as UTF-8 with a
    UTF-8 declaration. So the survey of its entities (detect.survey_xml) reads the text
    the parsers will read, whatever the declared encoding: one expat reads another way
    (``\\x3c!ENTITY`` under unicode_escape, ``+ADw-!ENTITY`` under UTF-7) hides nothing
    from it, and one expat cannot read at all (Shift_JIS, GB2312, Big5, EUC-KR, a name no
    codec knows) is read rather than failing the whole run. Raises SourceError when the
    declared codec fails in a way feedparser does not catch (punycode, idna)."""
    from feedparser.encodings import convert_to_utf8  # type: ignore[import-untyped]

    declared = _DECLARED.match(data[:1024])
    bom = data.startswith(b"\xef\xbb\xbf")
    data, replaced = _mostly_utf8(data, declared)
    if b"&#" in data:
        data = _CHAR_REF.sub(_char_ref, data)
    if data.count(b"<category") + data.count(b"<dc:subject") > CATEGORIES_KEPT:
        data = _fewer_categories(data)
    result: dict[str, Any] = {}
    try:
        data = convert_to_utf8({}, data, result)
    except (ValueError, UnicodeError) as exc:  # a codec's own error
        raise SourceError(f"cannot parse the feed: {squeeze(str(exc))}") from None
    data = control_bytes(data)  # (UTF-8 now: no such byte in a letter)
    if b"&" in data:  # (h95: feedparser's lenient parser made "AT&T" "AT&T;" for good)
        data = _references(data)
    override = result.get("bozo_exception")
    if replaced is None and type(override).__name__ == "CharacterEncodingOverride":
        said = squeeze(str(override)).replace("document ", "", 1)
        if not bom and not declared:
            # (feedparser says "declared as utf-8" of a document that declares nothing)
            said = said.replace("declared as utf-8", "declaring no encoding (so utf-8)", 1)
        replaced = said
    return Prepared(data, replaced)


def parse_feed(data: bytes | Prepared) -> Feed:
    """The items of an RSS or Atom document (its bytes, or as prepare_xml made it)."""
    import feedparser  # type: ignore[import-untyped]

    prepared = data if isinstance(data, Prepared) else prepare_xml(data)
    # A stream, never a string: feedparser would take a string for a URL or a file
    # name and open it. Its sanitizer is not needed (text.html_to_text keeps words
    # only) and dropped words of its own: "Why <script> tag isn&#8217;t dead" as HTML
    # was "Why" and a quotation mark (h120).
    try:
        parsed = feedparser.parse(
            io.BytesIO(prepared.data), sanitize_html=False, resolve_relative_uris=True
        )
    except (ValueError, OverflowError, UnicodeError) as exc:  # its lenient parser's
        raise SourceError(f"cannot parse the feed: {squeeze(str(exc))}") from None
    entries = parsed.get("entries") or []
    if not entries and (parsed.get("bozo") or not parsed.get("version")):
        reason = parsed.get("bozo_exception")
        detail = squeeze(str(reason)) if reason else "no feed found"
        raise SourceError(f"cannot parse the feed: {detail}")
    version = str(parsed.get("version") or "")
    feed = parsed.get("feed") or {}
    result = Feed(
        "atom" if version.startswith("atom") else "rss",
        title=_text(feed.get("title"), feed.get("title_detail")),
        link=web_url(feed.get("link")),
        self_link=_self_link(feed),
        own_id=identifier(feed.get("id")) if version.startswith("atom") else None,
        encoding=prepared.encoding,
    )
    ended = str(parsed.get("bozo_exception") or "")  # (h51: a download without a length,
    result.cut = any(cut in ended for cut in _CUT) or not _ends_whole(prepared.data)
    if result.cut and entries and _items_ended(prepared.data) < len(entries):
        # the last item is unfinished (h94: its date lost, it was imported undated, and
        # the whole item of the next run was "already there"): it comes whole next time
        entries = entries[:-1]
        result.unfinished = True
    loose = isinstance(parsed.get("bozo_exception"), SAXException)  # (not well-formed)
    for entry in entries:
        item = _item(entry, loose)
        if item is None:
            result.skipped += 1
        else:
            item.locale = text_or_none(entry.get("language")) or text_or_none(feed.get("language"))
            result.items.append(item)
    return result
