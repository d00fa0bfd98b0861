"""Counts for `newscli stats`: by topic, provider, type, published state, quality."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from newscli.article.folding import fold
from newscli.article.model import Article
from newscli.select.story_urls import outlet_domain
from newscli.wording import provider_shown

QUALITY_BUCKETS = [f"{low}-{low + 9}" for low in range(0, 90, 10)] + ["90-100"]
NO_QUALITY = "none"


NONE_SHOWN = "(none)"  # how a table or TSV shows the count of articles without a value


def _ranked(counter: Counter[str], names: dict[str, str | None]) -> list[dict[str, Any]]:
    """Most frequent first, then by name; each name in the first spelling seen (None:
    the articles without one)."""
    ordered = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    return [{"name": names[key], "count": count} for key, count in ordered]


def _count(values: Iterable[str | None]) -> list[dict[str, Any]]:
    return _count_each(Counter(values).items())


def _count_each(
    counted: Iterable[tuple[str | None, int]], strip: bool = True
) -> list[dict[str, Any]]:
    """_ranked of (value, how many), values in the order first seen; ``strip``: blanks
    around a value are none of it (h48: " Reuters " is Reuters), else a value is as
    --topic matches it (h99: "AI " was counted as AI, which --topic AI does not find)."""
    counter: Counter[str] = Counter()
    names: dict[str, str | None] = {}
    for value, number in counted:
        label = ((value.strip() if strip else value) if value else "") or None
        # (h105: as --provider matches it; h111: none is null in JSON and a row apart
        # from a value written "(none)"; "" is no value's key, a blank one is none)
        key = "" if label is None else fold(label)
        names.setdefault(key, label)
        counter[key] += number
    return _ranked(counter, names)


def _provider(article: Article) -> str:
    """An article's provider as --provider matches it: its name, else its domain as an
    outlet (h109: "https://www.ist.example/", "IST.example" and "amp.ist.example/path"
    were three rows, which --provider ist.example selects together)."""
    name = provider_shown(article.provider_name, None)
    return name or outlet_domain(article.provider_domain) or ""


def quality_bucket(quality: int | None) -> str:
    if quality is None:
        return NO_QUALITY
    return QUALITY_BUCKETS[min(quality // 10, 9)]


def compute(articles: Sequence[Article]) -> dict[str, Any]:
    """Everything `stats` shows, as plain JSON-ready data in a stable order."""
    # Articles share few topic lists: each is looked at once, with how many have it.
    lists = Counter(a.topics for a in articles)
    spelled: dict[str, str] = {}  # the first spelling seen wins
    for topics in lists:
        for topic in topics:
            spelled.setdefault(fold(topic), topic)
    counted: Counter[str] = Counter()  # each topic once per article
    for topics, number in lists.items():
        for key in dict.fromkeys(map(fold, topics)):
            counted[spelled[key]] += number
    quality = Counter(quality_bucket(a.quality) for a in articles)
    published = sum(1 for a in articles if a.published)
    return {
        "total": len(articles),
        "published": {"published": published, "unpublished": len(articles) - published},
        "topics": _count_each(counted.items(), strip=False),
        "providers": _count(_provider(a) for a in articles),
        "types": _count(a.type for a in articles),
        "quality": [
            {"bucket": b, "count": quality.get(b, 0)} for b in [*QUALITY_BUCKETS, NO_QUALITY]
        ],
    }


def shown(name: str | None) -> str:
    """A counted name as a table or TSV shows it: NONE_SHOWN for none, its hidden
    characters written as escapes, and a value written so (or in quotes already) in
    double quotes, so that no two rows read alike (h112: a provider written "(none)"
    and the articles without one were two "(none)" rows)."""
    if name is None:
        return NONE_SHOWN
    from newscli.sanitize import escaped_apart

    text = escaped_apart(name)  # (its hidden characters as escapes, h121: "(none)\u200b"
    # read as the row of none; h123: an ESC and the typed text \x1b read alike)
    if text == NONE_SHOWN or (len(text) > 1 and text[0] == text[-1] == '"'):
        return f'"{text}"'
    return text


def rows(summary: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(section, name, count) rows for TSV."""
    out = [("total", "articles", str(summary["total"]))]
    out += [("published", k, str(v)) for k, v in summary["published"].items()]
    for section in ("topics", "providers", "types"):
        out += [(section, shown(item["name"]), str(item["count"])) for item in summary[section]]
    out += [("quality", item["bucket"], str(item["count"])) for item in summary["quality"]]
    return out
