"""Plain text out of feed text: HTML reduced to its words, whitespace collapsed; URLs
checked; values of the wrong type dropped."""

from __future__ import annotations

import itertools
import re
from html import unescape
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from newscli.article.folding import unique
from newscli.ingest.markup import HIDING as _SKIPPED
from newscli.ingest.markup import REFERENCE, text_is_html

EXCERPT_MAX = 1000  # characters; a longer description is cut at a word, with " ..."
_SPACES = re.compile(r"\s+")
_NOT_IN_URL = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")  # (C1 too, h114)
_BLOCKS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    }
)


class _Text(HTMLParser):
    """The words of HTML; what a script, style, ... element holds is dropped once that
    element ends (h120: one never ended, `Why <noscript> &amp; SEO clash`, took every
    word after it, and a title of nothing else lost its item)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.held: list[str] = []  # what the open skipped elements hold so far
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in _SKIPPED:
            self.hidden += 1
        elif tag in _BLOCKS:
            (self.held if self.hidden else self.parts).append(" ")

    def handle_startendtag(self, tag: str, attrs: Any) -> None:
        if tag in _BLOCKS:
            (self.held if self.hidden else self.parts).append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.hidden = max(0, self.hidden - 1)
            if not self.hidden:
                self.held.clear()
        elif tag in _BLOCKS:
            (self.held if self.hidden else self.parts).append(" ")

    def handle_data(self, data: str) -> None:
        (self.held if self.hidden else self.parts).append(data)

    def words(self) -> str:
        """The text, once fed and closed: an element never ended keeps what it holds."""
        if self.hidden:  # (what the parser kept unread in a script or style, too)
            self.parts += [*self.held, " ", unescape(self.rawdata)]
        return "".join(self.parts)


_SURROGATES = re.compile("[\ud800-\udfff]")
# Control characters in feed text (no headline means one), each left out, a terminal's
# escape sequence whole: CSI (ESC [ or U+009B ... final), OSC, DCS, SOS, PM and APC
# ended within 512 characters (BEL or ESC \; one never ended takes nothing after it),
# other escape sequences (ESC ( B, ESC 7), and C0 (but tab and line breaks), DEL and C1
# controls. Ids keep them (identifier): two ids differing by one are two items (h115).
_CONTROL = re.compile(
    "\x1b\\[[0-?]*[ -/]*[@-~]|\x1b[\\]P^_X][^\x07\x1b]{0,512}(?:\x07|\x1b\\\\)"
    "|\x1b[ -/]*[0-~]|\x9b[0-?]*[ -/]*[@-~]|[\x00-\x08\x0e-\x1b\x7f-\x9f]"
)
# In an XML document (control_bytes), each C0 control XML forbids and each C1 control
# stands as a character of Supplementary Private Use Area-A (U+F0000 + its code) until
# the text is read (squeeze, identifier, web_url): the document is then well-formed,
# read by feedparser's strict parser, and no byte of its markup is taken (h113 H2)
STAND_IN = 0xF0000
_FROM_STAND_INS = {STAND_IN + code: code for code in range(0xA0)}
_STAND_IN_FOR = {code: chr(STAND_IN + code).encode() for code in range(0xA0)}
_RAW_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xc2[\x80-\x9f]")
# a numeric reference to a C0 control (but tab and line breaks): made the control it
# names (h112: "&#x1b;]0;t&#x7;" left "]0;t")
_CONTROL_REF = "&#(?:[xX]0*([0-9a-fA-F]{1,2})|0*([0-9]{1,2}));"


def _control_code(hexadecimal: str | bytes | None, decimal: str | bytes | None) -> int | None:
    code = int(hexadecimal, 16) if hexadecimal else int(decimal or "0")
    return code if 0 < code < 0x20 and code not in (0x9, 0xA, 0xD) else None


def _raw_text(match: re.Match[str]) -> str:
    code = _control_code(*match.groups())
    return match.group() if code is None else chr(code)


def _stand_in_ref(match: re.Match[bytes]) -> bytes:
    code = _control_code(*match.groups())
    return match.group() if code is None else _STAND_IN_FOR[code]


def _stand_in_raw(match: re.Match[bytes]) -> bytes:
    found = match.group()
    if found == b"\x00":  # (left out: a UTF-16 document feedparser did not decode is
        return b""  # then read for the entities it declares, as before)
    return _STAND_IN_FOR[found[-1]]  # (U+0080 to U+009F: "\xc2" and its code)


_CONTROL_REF_TEXT = re.compile(_CONTROL_REF)
_CONTROL_REF_BYTES = re.compile(_CONTROL_REF.encode())


def control_bytes(data: bytes) -> bytes:
    """An XML document (UTF-8: no such byte inside a letter) whose control characters
    XML forbids, raw or as references, and C1 controls written raw, are stand-ins
    (STAND_IN) until read. Then well-formed for them, it is read by feedparser's strict
    parser, not its lenient one, and feedparser makes no C1 control windows-1252's
    (h114: U+009B was U+203A)."""
    if b"&#" in data:
        data = _CONTROL_REF_BYTES.sub(_stand_in_ref, data)
    return _RAW_CONTROL_BYTES.sub(_stand_in_raw, data)


def controls_back(text: str) -> str:
    """The controls that stand-ins stand for (control_bytes), as they were."""
    return text if text.isascii() else text.translate(_FROM_STAND_INS)


def squeeze_surrogates(text: str) -> str:
    """A lone surrogate (JSON can hold one, UTF-8 cannot) as U+FFFD."""
    return text if text.isascii() else _SURROGATES.sub("\ufffd", text)


def squeeze(text: str) -> str:
    """Whitespace runs (line breaks, tabs) as one space, none at the ends; lone
    surrogates as U+FFFD; other control characters, and escape sequences whole, left
    out."""
    if not text.isprintable():
        text = _CONTROL.sub("", controls_back(text))
    return _SPACES.sub(" ", squeeze_surrogates(text)).strip()


_ASCII_SPACES = re.compile(r"[ \t\r\n]+")  # (an id's other blanks, NEL, U+001C, are its own)


def identifier(value: Any) -> str | None:
    """An item's or feed's id as text: runs of blanks, tabs and line breaks as one
    blank, none at the ends, its control characters (U+001C, NEL too) kept (two ids
    differing by one are two items, h115: "u1" and "u1\\x01" were one, and an item was
    lost); None for none."""
    if not isinstance(value, str):
        return None
    kept = _ASCII_SPACES.sub(" ", squeeze_surrogates(controls_back(value)))
    return kept.strip(" ") or None


def html_to_text(html: str) -> str:
    """The words of an HTML fragment: tags dropped (script and style with their
    content), entities decoded, whitespace collapsed."""
    if "<" not in html and "&" not in html:
        return squeeze(html)
    parser = _Text()
    if "&#" in html:  # (the parser drops a reference to a control, not its sequence)
        html = _CONTROL_REF_TEXT.sub(_raw_text, html)
    parser.feed(html)
    parser.close()
    return squeeze(parser.words())


def plain_text(text: str, html: bool = False) -> str:
    """Text as plain text: HTML (``html``, or text that looks like it: markup.py)
    reduced to its words; text that names markup kept as it is, its character
    references decoded (a title escaped twice); any other text squeezed."""
    if html or text_is_html(text):
        return html_to_text(text)
    if "&" in text and REFERENCE.search(text):
        if "&#" in text:  # (a reference to a control is the control: its sequence goes)
            text = _CONTROL_REF_TEXT.sub(_raw_text, text)
        return squeeze(unescape(text))
    return squeeze(text)


def excerpt(text: str) -> str:
    """Text cut to EXCERPT_MAX characters at a word boundary (" ..." marks the cut)."""
    if len(text) <= EXCERPT_MAX:
        return text
    cut = text[:EXCERPT_MAX].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.") + " ..."


def web_url(value: Any) -> str | None:
    """An absolute http(s) URL, else None (relative, javascript:, file:, not text); a
    lone surrogate in it as U+FFFD, as in text."""
    if not isinstance(value, str):
        return None
    value = squeeze_surrogates(controls_back(value).strip())
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if _NOT_IN_URL.search(value):
        return None
    return value


def domain_of(url: str | None) -> str | None:
    """The host of a URL without ``www.`` (lower case), or None."""
    if not url:
        return None
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return None
    host = host.removeprefix("www.")
    return host or None


def text_or_none(value: Any) -> str | None:
    """A non-empty string with its whitespace collapsed, else None."""
    if not isinstance(value, str):
        return None
    return squeeze(value) or None


def plain_or_none(value: Any) -> str | None:
    """A title or summary a source calls plain text (plain_text), non-empty, else None
    (h120: a JSON Feed's or an aggregator's title kept `<b>` and `&amp;` that the same
    text in an RSS title or an aggregator's excerpt lost)."""
    if not isinstance(value, str):
        return None
    return plain_text(value) or None


def strings(value: Any) -> list[str]:
    """A list of non-empty strings (a single string counts as one); others dropped."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    return [s for s in (text_or_none(v) for v in value) if s]


def merged(*lists: list[str]) -> list[str]:
    """The strings of every list in order, without case-insensitive repeats."""
    return unique(itertools.chain.from_iterable(lists))
