"""The story.* values of files grouped from the index cache, before any article is built.

stories.attach gives every article of a grouping its story's id, size, outlets (distinct
providers), first (earliest date) and its rank in it (1: the article that represents
it). Here the same values come from the joins (story_light.grouping) and, for each file,
what its cache row holds of the article: its publication time, quality, heat and
provider (the rank and the outlets are found by the same functions, best_first_key and
outlet, over those values), and its member key (stories.url_member_key: the first own
URL key of its stored story data, its time and the data's sum; else its path), each
made on demand and kept per story.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from newscli.article.record import from_microseconds
from newscli.select.stories import (
    Components,
    best_first_key,
    count_outlets,
    key_id,
    outlet,
    path_key,
    url_member_key,
)

__all__ = ["NAMES", "RANK_COLUMNS", "StoryValues"]

NAMES = ("id", "size", "outlets", "first", "rank")  # as attach names them
RANK_COLUMNS = ("quality", "heat", "provider_name", "provider_domain", "rejected")  # cache rows


class Row(NamedTuple):
    """What best_first_key and outlet read of an article, from its cache row."""

    path: str
    published_at: datetime | None
    quality: int | None
    heat: int | None
    provider_name: str | None
    provider_domain: str | None
    rejected: bool  # (the cache's 1, 0 or NULL)


class StoryValues:
    """The story values of the files (by index) of a grouping: ``paths`` as shown,
    ``rows`` their publication times as the cache keeps them (microseconds), then their
    RANK_COLUMNS when rank or outlets is asked for (empty when only size is),
    ``prefer`` the outlets preferred (StoryRules.prefer). Member keys (for ids) are
    given with ``add_keys`` first (``wanting_keys`` says whose)."""

    def __init__(
        self,
        paths: Sequence[str],
        rows: Sequence[tuple[Any, ...]],
        parts: Components,
        prefer: Sequence[str],
    ) -> None:
        self.paths, self.rows, self.prefer = paths, rows, prefer
        self.several: dict[int, list[int]] = {}  # story (its root) -> its files, when several
        self.root: dict[int, int] = {}  # the root of each file in a story of several
        if parts.edges:
            stories: dict[int, list[int]] = {}
            for i in range(len(paths)):
                stories.setdefault(parts.find(i), []).append(i)
            for root, members in stories.items():
                if len(members) > 1:
                    self.several[root] = members
                    self.root.update(dict.fromkeys(members, root))
        self.keys: dict[int, str] = {}
        self._kept: dict[tuple[str, int], Any] = {}  # (name, root) -> a story's value
        self._get: dict[str, Callable[[int], Any]] = {
            "id": self._id,
            "size": self._size,
            "outlets": self._outlets,
            "first": self._first,
            "rank": self._rank,
        }

    def members(self, i: int) -> list[int]:
        """The files of file i's story (i alone, when it is alone)."""
        root = self.root.get(i)
        return [i] if root is None else self.several[root]

    def wanting_keys(self, indexes: Iterable[int]) -> list[int]:
        """The files whose member keys the ids of these files' stories need, not given."""
        found = {j for i in indexes for j in self.members(i) if j not in self.keys}
        return sorted(found)

    def add_keys(self, firsts: dict[int, tuple[str | None, bytes]]) -> None:
        """The first own URL key of each of these files (None: it has none), and the
        sum of its story data (story_cache.data_sum)."""
        rows = self.rows
        for i, (first, digest) in firsts.items():
            if first is None:
                self.keys[i] = path_key(self.paths[i])
            else:
                self.keys[i] = url_member_key(first, rows[i][0], self.paths[i], digest)

    def values(self, i: int, names: Iterable[str]) -> dict[str, Any]:
        """File i's story values of these NAMES."""
        return {name: self._get[name](i) for name in names}

    def column(self, name: str) -> list[Any]:
        """Every file's value of this NAME, in order, but ``first`` as microseconds
        (from_microseconds makes the value), so that many compare cheaply."""
        rows, n = self.rows, len(self.paths)
        if name in ("size", "rank"):
            found: list[Any] = [1] * n
        elif name == "first":
            found = [row[0] for row in rows]
        elif name == "outlets":  # (outlet reads the provider alone)
            pairs = zip(self.paths, rows, strict=True)
            found = [1 if outlet(Row(path, None, *row[1:])) else 0 for path, row in pairs]
        else:
            keys = self.keys
            found = [key_id([keys[i]]) for i in range(n)]
        for i in self.root:  # the files of stories of several
            found[i] = self._earliest(i) if name == "first" else self._get[name](i)
        return found

    def _story(self, name: str, i: int, make: Callable[[list[int]], Any]) -> Any:
        root = self.root[i]
        found = self._kept.get((name, root), self)
        if found is self:
            found = self._kept[(name, root)] = make(self.several[root])
        return found

    def _row(self, i: int) -> Row:
        when, *rest = self.rows[i]
        return Row(self.paths[i], from_microseconds(when), *rest)

    def _size(self, i: int) -> int:
        return len(self.members(i))

    def _first(self, i: int) -> datetime | None:
        return from_microseconds(self.rows[i][0] if i not in self.root else self._earliest(i))

    def _earliest(self, i: int) -> int | None:
        """The earliest publication time (microseconds) of the story of file i."""
        rows = self.rows
        return self._story(  # type: ignore[no-any-return]
            "first",
            i,
            lambda members: min(
                (us for j in members if (us := rows[j][0]) is not None), default=None
            ),
        )

    def _outlets(self, i: int) -> int:
        if i not in self.root:
            return 1 if outlet(self._row(i)) else 0
        return int(self._story("outlets", i, self._count_outlets))

    def _count_outlets(self, members: list[int]) -> int:
        return count_outlets(self._row(j) for j in members)

    def _rank(self, i: int) -> int:
        if i not in self.root:
            return 1
        ranks: dict[int, int] = self._story("rank", i, self._ranks)
        return ranks[i]

    def _ranks(self, members: list[int]) -> dict[int, int]:
        rows = {j: self._row(j) for j in members}
        ordered = sorted(members, key=lambda j: best_first_key(rows[j], self.prefer))
        return {j: rank for rank, j in enumerate(ordered, 1)}

    def _id(self, i: int) -> str:
        if i not in self.root:
            return key_id([self.keys[i]])
        return str(self._story("id", i, lambda members: key_id([self.keys[j] for j in members])))
