"""What the index cache can test in SQL before any article is built.

A prefilter only ever lets through more than the selection it comes from: articles
that come back are still tested exactly, so it saves work and never changes a result.
The same test runs on a record just parsed (``admits``), so that a cold run keeps no
more than a warm one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from newscli.article.record import FIELDS, SEP, microseconds, topic_keys

__all__ = ["NOTHING", "Prefilter"]

_AT = {name: FIELDS.index(name) for name in FIELDS}


@dataclass(frozen=True, slots=True)
class Prefilter:
    """Bounds are inclusive; ``topics`` are casefolded (any of them, or all)."""

    published: bool | None = None
    min_quality: int | None = None
    max_quality: int | None = None
    min_heat: int | None = None
    max_heat: int | None = None
    since: datetime | None = None
    until: datetime | None = None
    topics: tuple[str, ...] = ()
    all_topics: bool = False
    rejected: bool | None = None

    def sql(self) -> tuple[str, list[Any]]:
        """(condition, parameters) over the cache's columns; "1" when there is none."""
        parts: list[str] = []
        params: list[Any] = []

        def add(condition: str, value: Any) -> None:
            parts.append(condition)
            params.append(value)

        # A value of another type than this code stores (damage: h151, one flipped bit
        # made `published` '' and the row matched neither --published nor
        # --unpublished, run after run) passes, so that loading it says the damage.
        if self.published is not None:
            add("(published = ? OR typeof(published) <> 'integer')", int(self.published))
        if self.rejected is not None:
            add("(rejected = ? OR typeof(rejected) <> 'integer')", int(self.rejected))
        for column, low, high in (
            ("quality", self.min_quality, self.max_quality),
            ("heat", self.min_heat, self.max_heat),
            ("published_at", microseconds(self.since), microseconds(self.until)),
        ):
            odd = f"typeof({column}) NOT IN ('integer', 'null')"
            if low is not None:
                add(f"({column} >= ? OR {odd})", low)
            if high is not None:
                add(f"({column} <= ? OR {odd})", high)
        # A topic SQLite cannot be given (a lone surrogate: a byte of the command line
        # that was no UTF-8, h117) is tested on the articles only: in an OR, so is the
        # whole test.
        topics = [t for t in self.topics if t.isascii() or not _SURROGATE.search(t)]
        if topics and (self.all_topics or len(topics) == len(self.topics)):
            # topic_keys is NULL when a topic holds the separator: such rows pass.
            tests = ["instr(topic_keys, ?) > 0"] * len(topics)
            joined = (" AND " if self.all_topics else " OR ").join(tests)
            # (a number: h152, one flipped bit made a topic's key one, and --topic left
            # the article out, run after run; let by, the articles' topics decide)
            parts.append(f"(topic_keys IS NULL OR ({joined}) OR typeof(topic_keys) = 'integer')")
            params.extend(f"{SEP}{topic}{SEP}" for topic in topics)
        return " AND ".join(parts) or "1", params

    def admits(self, record: tuple[Any, ...]) -> bool:
        """What sql() says of a valid file's record (its columns as the cache stores
        them): False only where the record cannot match."""
        at = _AT
        for flag, column in ((self.published, "published"), (self.rejected, "rejected")):
            value = record[at[column]]
            if flag is not None and type(value) is int and value != int(flag):
                return False
        for column, low, high in (
            ("quality", self.min_quality, self.max_quality),
            ("heat", self.min_heat, self.max_heat),
            ("published_at", microseconds(self.since), microseconds(self.until)),
        ):
            value = record[at[column]]
            if (low is not None or high is not None) and not isinstance(value, int):
                if value is None:  # NULL passes no bound
                    return False
                continue  # not a plain integer (SQL would order it its own way): let it by
            if (low is not None and value < low) or (high is not None and value > high):
                return False
        if self.topics:
            keys = topic_keys(record[at["topics"]])
            if keys is not None:
                found = (f"{SEP}{topic}{SEP}" in keys for topic in self.topics)
                return all(found) if self.all_topics else any(found)
        return True


_SURROGATE = re.compile("[\ud800-\udfff]")

# No valid row passes it: a load with it walks every file and builds no article.
NOTHING = Prefilter(min_quality=1, max_quality=0)
