"""Selecting articles: the filters shared by every command, and the default order."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from newscli.model import Article


@dataclass(frozen=True, slots=True)
class Selection:
    """Filters combined with AND. ``None`` means "no constraint"."""

    topics: tuple[str, ...] = ()
    min_quality: int | None = None
    max_quality: int | None = None
    published: bool | None = None
    _wanted: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_wanted", frozenset(t.casefold() for t in self.topics))

    def matches(self, article: Article) -> bool:
        if self._wanted and not any(t.casefold() in self._wanted for t in article.topics):
            return False
        if self.min_quality is not None or self.max_quality is not None:
            if article.quality is None:
                return False
            if self.min_quality is not None and article.quality < self.min_quality:
                return False
            if self.max_quality is not None and article.quality > self.max_quality:
                return False
        return self.published is None or article.published == self.published


def newest_first_key(article: Article) -> tuple[bool, float, str]:
    """Newest first; articles without a date last; ties by path for a stable order."""
    when = article.published_at
    return (when is None, -when.timestamp() if when else 0.0, article.path)


def select(articles: Iterable[Article], selection: Selection) -> list[Article]:
    """The matching articles, newest first."""
    return sorted((a for a in articles if selection.matches(a)), key=newest_first_key)
