"""Plain text out of feed text: HTML reduced to its words, whitespace collapsed; URLs
checked; values of the wrong type dropped."""

from __future__ import annotations

import itertools
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from newscli.article.folding import unique

EXCERPT_MAX = 1000  # characters; a longer description is cut at a word, with " ..."
_SPACES = re.compile(r"\s+")
_NOT_IN_URL = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")  # (C1 too, h114)
_SKIPPED = frozenset({"script", "style", "template", "noscript", "head", "title"})
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
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in _SKIPPED:
            self.hidden += 1
        elif tag in _BLOCKS:
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: Any) -> None:
        if tag in _BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


_SURROGATES = re.compile("[\ud800-\udfff]")
# Control characters in feed text (no headline means one), each left out, a terminal's
# escape sequence whole: CSI (ESC [ or U+009B ... final), OSC, DCS, SOS, PM and APC
# ended within 512 characters (BEL or ESC \; one never ended takes nothing after it),
# other escape sequences (ESC ( B, ESC 7), and C0 (but tab and line breaks), DEL and C1
# controls. In XML bytes (control_bytes) none takes "<", ">" or "&" with it, and C1 is
# left to the text (its bytes are UTF-8's).
_SEQUENCE = (
    "{esc}\\[[0-{p}]*[ -{i}]*[@-~]|{esc}[\\]P^_X][^\x07\x1b{x}]{{0,512}}(?:\x07|\x1b\\\\)"
    "|{esc}[ -{i}]*[0-{p}@-~]"
)
_CONTROL = re.compile(
    _SEQUENCE.format(esc="\x1b", p="?", i="/", x="")
    + "|\x9b[0-?]*[ -/]*[@-~]|[\x00-\x08\x0e-\x1b\x7f-\x9f]"
)
_CONTROL_BYTES = re.compile(
    _SEQUENCE.format(esc="\x1b", p=";=?", i="%'-/", x="<&").encode()
    # C1 as UTF-8 writes it (U+0080 to U+009F: no other character holds these two bytes;
    # h114: feedparser made them windows-1252's, U+009B U+203A), its CSI whole
    + rb"|\xc2\x9b[0-;=?]*[ -%'-/]*[@-~]|\xc2[\x80-\x9f]"
    + rb"|[\x00-\x08\x0b\x0c\x0e-\x1f]"
)
# a numeric reference to a C0 control (but tab and line breaks): made the control it
# names, then left out with its sequence (h112: "&#x1b;]0;t&#x7;" left "]0;t")
_CONTROL_REF = "&#(?:[xX]0*([0-9a-fA-F]{1,2})|0*([0-9]{1,2}));"


def _control_code(hexadecimal: str | bytes | None, decimal: str | bytes | None) -> int | None:
    code = int(hexadecimal, 16) if hexadecimal else int(decimal or "0")
    return code if 0 < code < 0x20 and code not in (0x9, 0xA, 0xD) else None


def _raw_text(match: re.Match[str]) -> str:
    code = _control_code(*match.groups())
    return match.group() if code is None else chr(code)


def _raw_bytes(match: re.Match[bytes]) -> bytes:
    code = _control_code(*match.groups())
    return match.group() if code is None else bytes((code,))


_CONTROL_REF_TEXT = re.compile(_CONTROL_REF)
_CONTROL_REF_BYTES = re.compile(_CONTROL_REF.encode())


def control_bytes(data: bytes) -> bytes:
    """An XML document (UTF-8: no such byte inside a letter) without control characters
    XML forbids, raw or as references, their escape sequences whole; the whitespace
    among them (vertical tab, form feed, U+001C to U+001F) as a blank. Then well-formed
    for them, it is read by feedparser's strict parser, not its lenient one."""
    if b"&#" in data:
        data = _CONTROL_REF_BYTES.sub(_raw_bytes, data)
    return _CONTROL_BYTES.sub(_blank_or_nothing, data)


def _blank_or_nothing(match: re.Match[bytes]) -> bytes:
    found = match.group()
    spaces = found in (b"\x0b", b"\x0c", b"\xc2\x85") or b"\x1c" <= found <= b"\x1f"
    return b" " if spaces else b""  # (NEL too)


def squeeze_surrogates(text: str) -> str:
    """A lone surrogate (JSON can hold one, UTF-8 cannot) as U+FFFD."""
    return text if text.isascii() else _SURROGATES.sub("\ufffd", text)


def squeeze(text: str) -> str:
    """Whitespace runs (line breaks, tabs) as one space, none at the ends; lone
    surrogates as U+FFFD; other control characters, and escape sequences whole, left
    out."""
    if not text.isprintable():
        text = _CONTROL.sub("", text)
    return _SPACES.sub(" ", squeeze_surrogates(text)).strip()


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
    return squeeze("".join(parser.parts))


_TAG = re.compile(r"<[a-zA-Z/!]")


def plain_text(text: str) -> str:
    """Text that may hold HTML (tags or entities) as plain text; other text squeezed."""
    if _TAG.search(text) or "&" in text:
        return html_to_text(text)
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
    value = squeeze_surrogates(value.strip())
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
