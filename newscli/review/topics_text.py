"""The topics prompt's text: topics separated by commas; a topic holding a comma, a
quote first, blanks at its ends or nothing at all is written in double quotes (``""``
for a quote), so that the text read back gives the same topics (h36: "Washington,
D.C." came back as two topics, " padded " trimmed, from a prompt left as it was)."""

from __future__ import annotations

from collections.abc import Iterable

from newscli.formats.topic_list import topics_text

__all__ = ["read_topics", "shown_topics", "topics_read_back", "topics_text"]


def shown_topics(topics: Iterable[str]) -> str:
    """The prompt's text for ``topics``: each made inert first (sanitize.escaped: an
    escape sequence written as ``\\x1b``..., a backslash as ``\\\\``), since the prompt
    draws its text as it is (h39: a feed's topic wrote to the reviewer's clipboard
    through OSC 52)."""
    return topics_text(map(_shown, topics))


def _shown(topic: str) -> str:
    """A topic made inert, a backslash of its own doubled first, so that no two topics
    look alike (h47: "a\\nb", written with a backslash, and "a<line break>b" both showed
    as ``a\nb``, and deleting one removed the other)."""
    from newscli.sanitize import escaped

    return escaped(topic.replace("\\", "\\\\"))


def topics_read_back(text: str, topics: Iterable[str]) -> list[str] | None:
    """The topics a prompt's ``text`` asks for, each shown one of ``topics`` given back
    as it is in the file; None when the text is the prompt's, as it was shown."""
    have = list(topics)
    if text == shown_topics(have):
        return None
    raw = {_shown(topic): topic for topic in have}
    return [raw.get(topic, topic) for topic in read_topics(text)]


def read_topics(text: str) -> list[str]:
    """The topics a prompt's text gives: items between commas, blanks around them
    dropped (and empty ones), a quoted item as written, even empty (an unclosed quote
    runs to the end of the text)."""
    found: list[str] = []
    at, end = 0, len(text)
    while at <= end:
        while at < end and text[at] in " \t":
            at += 1
        if at < end and text[at] == '"':
            topic, at = _quoted(text, at + 1)
            comma = text.find(",", at)
            rest = text[at:] if comma < 0 else text[at:comma]
            found.append(topic + rest.rstrip())  # (after the closing quote: as typed)
        else:
            comma = text.find(",", at)
            topic = (text[at:] if comma < 0 else text[at:comma]).strip()
            if topic:
                found.append(topic)
        at = end + 1 if comma < 0 else comma + 1
    return found


def _quoted(text: str, at: int) -> tuple[str, int]:
    """The quoted item starting at ``at`` (after its quote), and where it ends."""
    pieces: list[str] = []
    while at < len(text):
        if text[at] == '"':
            if text[at + 1 : at + 2] == '"':
                pieces.append('"')
                at += 2
                continue
            return "".join(pieces), at + 1
        pieces.append(text[at])
        at += 1
    return "".join(pieces), at
