"""A Markdown digest grouped by topic, ready to paste into a newsletter."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from newscli.article.folding import fold
from newscli.article.model import Article
from newscli.sanitize import clean

_SPECIAL = re.compile(r"([\\`*_\[\]{}()<>#+!|~&])")  # & too: "&lt;" stays text, not "<"
OTHER = "Other"
TOPIC_SECTIONS = 10  # an article's first topics that it is listed under, at most (h43: one
# of 3,000 topics made the newsletter pass 512 MiB, and stopped it for every article)


def md_text(value: str | None) -> str:
    """Inert Markdown text: one line, control characters gone, markup escaped."""
    escaped = _SPECIAL.sub(r"\\\1", clean(value or "").strip())
    # `1. item` at a line's start is an ordered list (`1)` is escaped by _SPECIAL)
    escaped = _ORDERED.sub(r"\1\\.", escaped)
    return "\\" + escaped if escaped[:1] in ("-", "=") else escaped


_ORDERED = re.compile(r"^([0-9]{1,9})\.")


def md_url(url: str) -> str:
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def group_by_topic(articles: Sequence[Article]) -> list[tuple[str, list[Article]]]:
    """Topics in alphabetical order (case-insensitive, first spelling seen), an article
    under each of its first TOPIC_SECTIONS topics, articles without topics last under
    "Other" (other_name). A topic that cleaning leaves empty (invisible characters only) is no
    section, as it is no feed's tag (h99: an empty heading)."""
    groups: dict[str, tuple[str, list[Article]]] = {}
    untagged: list[Article] = []
    for article in articles:
        seen: set[str] = set()
        for topic in article.topics:
            plain = topic.isascii() and topic.isprintable() and topic.strip()
            if not plain and not clean(topic).strip():
                continue
            key = fold(topic)
            if key not in seen and len(seen) < TOPIC_SECTIONS:
                seen.add(key)
                groups.setdefault(key, (topic, []))[1].append(article)
        if not seen:
            untagged.append(article)
    # in the order of the names as shown (h111 LOW: a leading control or invisible
    # character, cleaned from the heading, put its topic first)
    ordered = [groups[key] for key in sorted(groups, key=lambda k: (_shown_key(groups[k][0]), k))]
    if not untagged:
        return ordered
    return [*ordered, (other_name((name for name, _ in ordered), "topic"), untagged)]


def other_name(sections: Iterable[str], kind: str) -> str:
    """The heading of the last section, of the articles without a ``kind`` ("topic",
    "provider"): "Other", or "No topic", ... when another section is named so (h125
    LOW: a topic or a provider named "Other" and the articles without one were two
    sections under one heading)."""
    shown = {_shown_key(name) for name in sections}
    names = (OTHER, f"No {kind}", f"Without a {kind}", f"({kind} not given)")
    return next((name for name in names if fold(name) not in shown), f"{OTHER} ({len(shown)})")


def _shown_key(topic: str) -> str:
    return fold(clean(topic).strip())


def markdown(articles: Sequence[Article], title: str) -> str:
    """The digest: the built-in ``digest.md`` template (see formats/templating)."""
    from datetime import datetime, timezone

    from newscli.formats.feeds import FeedInfo
    from newscli.formats.templating import outputs

    selection = outputs.Selection(articles, FeedInfo(title), datetime.now(timezone.utc))
    return outputs.render(outputs.MARKDOWN, selection)
