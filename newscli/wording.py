"""Counts in words: ``1 file``, ``2 files``."""

from __future__ import annotations


def count(number: int, singular: str, plural: str | None = None) -> str:
    """``count(1, "file")`` -> ``1 file``; ``count(2, "story", "stories")`` -> ``2 stories``."""
    if number == 1:
        return f"{number} {singular}"
    return f"{number} {plural or singular + 's'}"
