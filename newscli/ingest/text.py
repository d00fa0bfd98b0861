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
_NOT_IN_URL = re.compile(r"[\s\x00-\x1f\x7f]")
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
# A terminal's escape sequence as a whole (CSI "ESC [ ... m", OSC "ESC ] ... BEL" ended
# within 512 characters: one never ended takes nothing after it), or another control
# character that is no whitespace: no headline means one.
CONTROLS = "\x00-\x08\x0e-\x1b\x7f"
_CONTROL = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]{0,512}(?:\x07|\x1b\\))?" f"|[{CONTROLS}]"
)


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
