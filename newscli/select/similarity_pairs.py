"""The first candidate pairs of the story merge (story_merge.merge), found at once.

Two stories are candidates when they share two or more of their heaviest rare words
(their blocking keys) and began close enough in time. Asking each story in turn which
others share its words walks every posting within the window once per story: at
100,000 headlines, 1.35 million steps to find a few hundred pairs. Here every pair of
each story's keys is a bucket: two stories share two keys exactly when they meet in a
bucket, and most buckets hold one story.

The per-story search caps what it looks at (the newest ``reach`` entries of a posting
within the window, the ``most`` stories sharing the most keys). A story whose
search could reach a cap is *crowded*: its pairs are left to that search, so the pairs
found are those the search would find, cap included (tests/select/test_story_pairs.py).

"Within the window" is as that search's bounds compute it, sums rounded: the later date
at most ``first + window`` of the earlier, or the earlier at least ``later - window``.
An exact difference can disagree in the last bit: a date exactly a window later, to the
microsecond, may be more than a window later and still reach the rounded sum (the search
counts it towards its caps); with dates near 0, a difference may round to the window
while a bound leaves the other date out. Stories are paired here if either bound reaches
the other's date; the caller scores a story with those its own search looks at.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence

LIVE = 1 << 15  # buckets kept before the first sweep (about 4 MB)


def first_pairs(
    heaviest: Sequence[Sequence[str]],
    postings: dict[str, list[int]],
    firsts: Sequence[float],
    window: float,
    most: int,
    reach: int,
) -> tuple[set[int], dict[int, set[int]]]:
    """The crowded stories, and each other story's mates: the stories sharing two or
    more keys with it and whose first dates are within ``window`` of its own, as the
    search's bounds compute it: for ``s < t``, ``firsts[s] >= firsts[t] - window`` or
    ``firsts[t] <= firsts[s] + window`` (``heaviest[s]``: story s's keys; ``postings``:
    each key's stories in index order, which is the order of ``firsts``). A story with
    more than ``most`` mates is crowded, its mates no longer kept: at most ``most`` + 1
    a story, however many stories share keys."""
    crowded: set[int] = set()
    for posting in postings.values():
        if len(posting) > reach:
            crowded.update(_crowded(posting, firsts, window, reach))
    mates: dict[int, set[int]] = {}

    def meet(s: int, t: int) -> None:
        """t is one of s's mates (s not crowded)."""
        found = mates.setdefault(s, set())
        found.add(t)
        if len(found) > most:
            crowded.add(s)
            del mates[s]

    # The buckets (two keys, in one order) of the stories so far, in index order; swept
    # of the stories that began more than a window ago whenever they have doubled (each
    # sweep costs what was added since the last: memory of about two windows' buckets).
    live: dict[tuple[str, str], list[int]] = {}
    most_live = LIVE
    for s, keys in enumerate(heaviest):
        if len(keys) < 2:
            continue
        when = firsts[s]
        since = when - window
        if len(live) > most_live:
            live = _recent(live, firsts, when, window)
            most_live = max(LIVE, 2 * len(live))
        for bucket in itertools.combinations(sorted(keys), 2):
            held = live.get(bucket)
            if held is None:
                live[bucket] = [s]
                continue
            for t in reversed(held):  # newest first: those that began within the window
                before = firsts[t]
                if before < since and before + window < when:
                    break  # (either bound: both grow with the date)
                if t not in crowded:
                    meet(t, s)
                if s not in crowded:
                    meet(s, t)
            held.append(s)
    return crowded, mates


def _crowded(posting: list[int], firsts: Sequence[float], window: float, reach: int) -> list[int]:
    """The stories of a posting with more than ``reach`` entries within ``window`` of
    their first date either way (what the per-story search looks at is within that)."""
    times = [firsts[s] for s in posting]
    left, right = bisect.bisect_left, bisect.bisect_right
    return [
        s
        for s, when in zip(posting, times, strict=True)
        if right(times, when + window) - left(times, when - window) > reach
    ]


def _recent(
    live: dict[tuple[str, str], list[int]], firsts: Sequence[float], when: float, window: float
) -> dict[tuple[str, str], list[int]]:
    """The buckets with the stories within ``window`` of ``when`` or a later date (as
    first_pairs counts it): the others can pair with no story from ``when`` on."""
    since = when - window
    kept = {}
    for bucket, held in live.items():
        newest = firsts[held[-1]]
        if newest >= since or newest + window >= when:
            kept[bucket] = [t for t in held if firsts[t] >= since or firsts[t] + window >= when]
    return kept
