"""What a source holds, told from its content (never its name), and the XML checks
made before any parser sees a document: entity declarations that could reach outside
the document (external entities) or multiply it (expansion bombs) are refused."""

from __future__ import annotations

import re
from typing import Any
from xml.parsers import expat

from newscli.errors import NewscliError

_ANY_ENTITY = re.compile(rb"<!\s*ENTITY", re.IGNORECASE)
SAFE_ENTITY_LENGTH = 64  # an internal entity this short, with no reference in it, is fine
# ... unless it is used so often that its uses add up to more text than this (a short
# entity referred to millions of times is a bomb too: the quadratic blowup)
EXPANSION_LIMIT = 1 << 20
_FEED_ROOTS = {"rss", "feed", "rdf:rdf", "rdf", "channel"}


class SourceError(NewscliError):
    """A source cannot be imported: unreadable, not a feed, broken, hostile, too big."""


class HostileError(SourceError):
    """An XML document declares entities that could read files or expand without bound."""


class _Stop(Exception):
    """Raised inside expat's handlers to end parsing."""


class _Survey:
    def __init__(self) -> None:
        self.root: str | None = None
        self.hostile: str | None = None
        self.outlines: list[tuple[str, str | None]] = []
        self.declared: dict[str, int] = {}  # internal entity name -> length of its text

    def entity(self, name: str, is_parameter: int, value: str | None, *rest: Any) -> None:
        if is_parameter:
            self.hostile = f"parameter entity {name!r}"
        elif value is None:
            self.hostile = f"external entity {name!r}"
        elif "&" in value or "%" in value or len(value) > SAFE_ENTITY_LENGTH:
            self.hostile = f"entity {name!r} that expands to other entities or long text"
        if self.hostile:
            raise _Stop()
        self.declared[name] = len(value or "")

    def external(self, *args: Any) -> int:
        self.hostile = "an external entity reference"
        raise _Stop()

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if self.root is None:
            self.root = name.lower()
            if self.root != "opml":
                raise _Stop()  # a feed: the rest is feedparser's
        elif name.lower() == "outline":
            lower = {k.lower(): v for k, v in attrs.items()}
            url = lower.get("xmlurl")
            if url:
                self.outlines.append((url.strip(), lower.get("title") or lower.get("text")))


def survey_xml(data: bytes) -> tuple[str | None, list[tuple[str, str | None]]]:
    """(the root element's name in lower case, or None when expat could not tell; the
    feeds of an OPML outline). Raises HostileError for a dangerous entity declaration."""
    survey = _Survey()
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = survey.entity
    parser.ExternalEntityRefHandler = survey.external
    parser.StartElementHandler = survey.start
    try:
        parser.Parse(data, True)
    except _Stop:
        pass
    except expat.ExpatError:
        # A broken document (feedparser may still read it loosely): make sure no entity
        # declaration hides before the point where expat gave up.
        if _ANY_ENTITY.search(data.replace(b"\x00", b"")):
            raise HostileError("refused: the document declares XML entities") from None
    if survey.hostile:
        raise HostileError(f"refused: the document declares {survey.hostile}")
    if survey.declared:
        plain = data.replace(b"\x00", b"")  # UTF-16 ASCII names counted too
        expanded = sum(
            length * plain.count(b"&" + name.encode("utf-8") + b";")
            for name, length in survey.declared.items()
        )
        if expanded > EXPANSION_LIMIT:
            raise HostileError("refused: the document's entities expand to more than 1 MiB of text")
    return survey.root, survey.outlines


def kind_of(data: bytes) -> str:
    """``json`` or ``xml`` from the first significant byte (a BOM and blank space
    skipped); raises SourceError for anything else."""
    head = data[:4096].replace(b"\x00", b"")
    head = head.removeprefix(b"\xef\xbb\xbf").removeprefix(b"\xff\xfe").removeprefix(b"\xfe\xff")
    head = head.lstrip(b" \t\r\n")
    if not head:
        raise SourceError("empty document")
    if head[:1] in (b"{", b"["):
        return "json"
    if head[:1] == b"<":
        return "xml"
    if head.startswith(b"---") and head[3:4] in (b"\n", b"\r"):  # (h150: not "-5")
        raise SourceError("not a feed: an article file (front matter), not XML or JSON")
    # (h102: "42", "true" or a string: JSON, but no document a feed is)
    if head[:1] in b'"-0123456789' or head.startswith((b"true", b"false", b"null")):
        raise SourceError("not a feed: JSON, but neither an object nor a list")
    raise SourceError("not a feed: neither XML nor JSON")


def looks_like_html(data: bytes) -> bool:
    """An HTML page (a site's front page instead of its feed, an error page)."""
    return re.search(rb"<(?:!doctype\s+)?html[\s>]", data[:4096], re.IGNORECASE) is not None


def is_feed_root(root: str | None) -> bool:
    return root is None or root.split(":")[-1] in _FEED_ROOTS or root in _FEED_ROOTS
