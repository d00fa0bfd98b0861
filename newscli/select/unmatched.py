"""--topic, --provider and --prefer-provider values that no article has: most likely a
typo, worth a note.

Values are matched exactly as the selection matches them (case-insensitive; a provider
by name or by domain: story_urls.asked_outlet). Looking stops as soon as every value is seen.
"""

from __future__ import annotations

from collections.abc import Iterable

from newscli.article.folding import fold
from newscli.select.query import Selection
from newscli.select.story_urls import article_outlet, asked_outlet


class Unmatched:
    """The --topic and --provider values of a selection, and the --prefer-provider
    values, not yet seen in an article."""

    def __init__(self, selection: Selection, preferred: Iterable[str] = ()):
        self.topics = {fold(t): t for t in selection.topics}
        self.providers = {p: asked_outlet(p) for p in selection.providers}
        self.preferred = {p: asked_outlet(p) for p in preferred}

    def __bool__(self) -> bool:
        return bool(self.topics or self.providers or self.preferred)

    def see(self, topics: Iterable[str], name: str | None, domain: str | None) -> None:
        """One article's topics and provider."""
        if self.topics:
            for topic in topics:
                self.topics.pop(fold(topic), None)
        if (self.providers or self.preferred) and (name or domain):
            keys = article_outlet(name, domain)
            for values in (self.providers, self.preferred):
                for value, names in list(values.items()):
                    if names & keys:
                        del values[value]

    def notes(self) -> list[str]:
        return (
            [f"note: no article has topic {t!r}" for t in self.topics.values()]
            + [f"note: no article is from provider {p!r}" for p in self.providers]
            + [
                f"note: no article is from provider {p!r} (--prefer-provider)"
                for p in self.preferred
            ]
        )
