"""Counts and times in words: ``1 file``, ``2 files``, ``3 days ago``."""

from __future__ import annotations

from datetime import datetime, timedelta


def count(number: int, singular: str, plural: str | None = None) -> str:
    """``count(1, "file")`` -> ``1 file``; ``count(2, "story", "stories")`` -> ``2 stories``."""
    if number == 1:
        return f"{number} {singular}"
    return f"{number} {plural or singular + 's'}"


def relative(when: datetime, now: datetime) -> str:
    """ "3 days ago", "in 2 hours", "just now"."""
    delta = now - when
    seconds = abs(delta.total_seconds())
    for unit, size in (("year", 31536000), ("month", 2592000), ("week", 604800),
                       ("day", 86400), ("hour", 3600), ("minute", 60)):  # fmt: skip
        if seconds >= size:
            label = count(int(seconds // size), unit)
            return f"in {label}" if delta < timedelta(0) else f"{label} ago"
    return "just now"
