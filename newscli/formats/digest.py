"""A Markdown digest grouped by topic, ready to paste into a newsletter."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from newscli.article.model import Article
from newscli.article.timeparse import format_day
from newscli.formats.feeds import web_url
from newscli.sanitize import clean

_SPECIAL = re.compile(r"([\\`*_\[\]{}()<>#+!|~])")
OTHER = "Other"


def md_text(value: str | None) -> str:
    """Inert Markdown text: one line, control characters gone, markup escaped."""
    escaped = _SPECIAL.sub(r"\\\1", clean(value or "").strip())
    return "\\" + escaped if escaped[:1] in ("-", "=") else escaped


def md_url(url: str) -> str:
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def group_by_topic(articles: Sequence[Article]) -> list[tuple[str, list[Article]]]:
    """Topics in alphabetical order (case-insensitive, first spelling seen), an article
    under each of its topics, articles without topics last under "Other"."""
    groups: dict[str, tuple[str, list[Article]]] = {}
    untagged: list[Article] = []
    for article in articles:
        seen: set[str] = set()
        for topic in article.topics:
            key = topic.casefold()
            if key not in seen:
                seen.add(key)
                groups.setdefault(key, (topic, []))[1].append(article)
        if not seen:
            untagged.append(article)
    ordered = [groups[key] for key in sorted(groups)]
    return ordered + ([(OTHER, untagged)] if untagged else [])


def _item(article: Article) -> Iterator[str]:
    title = md_text(article.title) or "(untitled)"
    url = web_url(article.url)
    heading = f"[{title}]({md_url(url)})" if url else title
    details = [md_text(article.provider_name or article.provider_domain)]
    if article.published_at:
        details.append(format_day(article.published_at))
    meta = ", ".join(d for d in details if d)
    yield f"- **{heading}**" + (f" — {meta}" if meta else "")
    if article.excerpt:
        yield f"  {md_text(article.excerpt)}"


def markdown(articles: Sequence[Article], title: str) -> str:
    lines = [f"# {md_text(title)}", ""]
    if not articles:
        lines += ["No articles.", ""]
    for topic, members in group_by_topic(articles):
        lines += [f"## {md_text(topic)}", ""]
        for article in members:
            lines.extend(_item(article))
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
