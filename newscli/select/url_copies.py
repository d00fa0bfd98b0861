"""When articles sharing a URL are copies of one article (stories' url evidence).

A URL names one article, but a feed may give each item without a link of its own its
section's, tag's or live blog's page, which then names other events: copies are told
from those by their dates and titles (docs/stories.md, "The evidence"; h62, h64-h67).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from newscli.select.headline_rules import (
    RECURRING_GAP,
    apart,
    headline_words,
    outlet_keys,
    outlet_spans,
)

if TYPE_CHECKING:
    from newscli.select.story_data import Data

SHARED_WITH_COPIES = 2  # content words a URL's titles share
MOST_TITLES = 16  # titles of other words one article's address carries (its updates), at most
DAY = 24 * 3600.0
ZONES = 14 * 3600.0  # the farthest a local date is from UTC's


def copy_runs(
    indexes: Sequence[int], data: Sequence[Data], times: Sequence[float | None], window: float
) -> list[list[int]]:
    """The articles under one URL (the earliest first) that are copies of one article, run
    by run: re-crawled, re-sent, syndicated under their source's address, or retitled.
    A run holds articles published within the window of one another (a date without a
    time, midnight UTC, is that whole day in any time zone: date_span), in order of date;
    the undated ones go with the first. In a run, copies are found title by title
    (_copies): a section's, tag's or live blog's page that a feed gives each item is
    shared by articles of other events, which are no copies of one another; a copy
    re-sent days later starts a run of its own, and a copy of other words joins no
    pair it is not a copy of, nor undoes one (h62, h64, h65, h67)."""
    dated = sorted((when, n, i) for n, i in enumerate(indexes) if (when := times[i]) is not None)
    undated = [i for i in indexes if times[i] is None]
    place = {i: n for n, i in enumerate(indexes)}
    runs: list[list[int]] = []
    low = high = 0.0  # the run's latest start and earliest end (date_span)
    for when, _, i in dated:
        start, end = date_span(when)
        if runs and max(low, start) - min(high, end) <= window:
            runs[-1].append(i)
            low, high = max(low, start), min(high, end)
        else:
            runs.append([i])
            low, high = start, end
    if undated:
        if runs:
            runs[0] += undated
        else:
            runs.append(undated)
    found = []
    for run in runs:
        for group in _copies(run, data, times):
            if len(group) > 1:
                found.append(sorted(group, key=place.__getitem__))
    return found


def date_span(when: float) -> tuple[float, float]:
    """The times an article's date may stand for: itself, or for midnight UTC (a date
    without a time) that whole day in any time zone (h64 3, h65 4)."""
    return (when - ZONES, when + DAY + ZONES) if when % DAY == 0 else (when, when)


def _copies(
    members: Sequence[int], data: Sequence[Data], times: Sequence[float | None]
) -> list[list[int]]:
    """The articles of one run under one URL, grouped by the article they are copies
    of: one title's articles are copies unless it is on two days (_days_apart: a
    recurring headline's days, as similarity tells them apart), and two titles are one
    article's (_retitled) when they share SHARED_WITH_COPIES content words and half
    the words of the shorter (copies share most of their words; the items of a topic's,
    tag's or live blog's page a name: "Donald Trump meets Macron in Paris", "Donald
    Trump fires FBI director", in any language, h65 1, h66 1-2), a title of one word
    its word, and are not one pattern told of two events (headline_rules.apart) nor,
    alike but for numbers, on two days (a dated column's: headline_words), nor one
    outlet's on two days (RECURRING_GAP apart: its column's, h70 2). A URL
    carrying more than MOST_TITLES titles of other words is a page: no copies but of
    one title. Decided pair by pair, in no order that paths give (h64 2, h67 1)."""
    titles: dict[tuple[str, ...], list[int]] = {}
    for i in members:
        titles.setdefault(data[i][2], []).append(i)
    keys = sorted(titles)  # (in no order that paths give)
    dates = [[when for i in titles[k] if (when := times[i]) is not None] for k in keys]
    alone = [not _days_apart(found) for found in dates]
    # (without a provider, the URL's host, the same for every article under the URL: a
    # URL's two days of titles of other words are then no copies, h71 4)
    outlets = [outlet_spans(titles[k], lambda i: outlet_keys(data[i]), times) for k in keys]
    sets: list[set[int]] = [{n} for n in range(len(keys))]  # each title's group of titles
    if len(keys) <= MOST_TITLES:
        patterns = [data[titles[k][0]][4] for k in keys]
        headlines = [headline_words(k) for k in keys]
        alike = {
            (a, b)
            for a, b in itertools.combinations(range(len(keys)), 2)
            if alone[a]
            and alone[b]
            and _retitled(keys[a], keys[b], patterns[a], patterns[b])
            # (titles alike but for numbers on two days: a dated column's, never one
            # article; each may still have its day's copies, h65 6, h69 1)
            and not (headlines[a] == headlines[b] and _days_apart(dates[a] + dates[b]))
            # (nor are one outlet's titles on two days: its column's, h70 2)
            and not _one_outlets_days(outlets[a], outlets[b])
        }
        # Complete links: two groups join when every title of one is a copy of every
        # title of the other (a chain of titles each sharing half the next one's words,
        # a live blog's, is no one article), the titles nearest in time first (a copy
        # of a day's article goes with it, not with its update of the next day: h69 1)
        firsts = [min(found, default=math.inf) for found in dates]

        def apart_in_time(pair: tuple[int, int]) -> tuple[float, int, int]:
            x, y = firsts[pair[0]], firsts[pair[1]]
            return (abs(x - y) if x < math.inf and y < math.inf else math.inf, *pair)

        for a, b in sorted(alike, key=apart_in_time):
            one, other = sets[a], sets[b]
            if one is not other and all(
                (min(x, y), max(x, y)) in alike for x in one for y in other
            ):
                one |= other
                for n in other:
                    sets[n] = one
    found: dict[int, list[int]] = {}
    for n, key in enumerate(keys):
        if alone[n]:
            found.setdefault(id(sets[n]), []).extend(titles[key])
    return list(found.values())


def _one_outlets_days(
    one: dict[str, tuple[float, float]], other: dict[str, tuple[float, float]]
) -> bool:
    """Whether two titles have articles of one outlet RECURRING_GAP or more apart."""
    for key in one.keys() & other.keys():
        (low, high), (low2, high2) = one[key], other[key]
        if max(high2 - low, high - low2) >= RECURRING_GAP:
            return True
    return False


def _retitled(
    one: tuple[str, ...], other: tuple[str, ...], pattern_one: Any, pattern_other: Any
) -> bool:
    """Whether two titles' words (and patterns: story_data) are one article's (_copies)."""
    if not one or not other:
        return False
    shared = set(one).intersection(other)
    fewest = min(len(set(one)), len(set(other)))
    if len(shared) < (1 if fewest == 1 else max(SHARED_WITH_COPIES, (fewest + 1) // 2)):
        return False  # (a title of one word: its word in the other)
    first = pattern_one[0] if pattern_one else ""
    second = pattern_other[0] if pattern_other else ""
    return not (first and second and apart(first, second))


def _days_apart(dates: list[float]) -> bool:
    """Whether one title's dates are two days of it: RECURRING_GAP or more apart, where
    a date at midnight UTC counts as a date without a time: a whole day, in any time
    zone (h64 3: an aggregator's copy dated 2025-03-14 and another at 19:30 that day
    are one article; two at midnight are two days)."""
    if len(dates) < 2:
        return False
    dates = sorted(dates)
    days = [when for when in dates if when % DAY == 0]
    timed = [when for when in dates if when % DAY != 0]
    if len(set(days)) > 1 or (timed and timed[-1] - timed[0] >= RECURRING_GAP):
        return True
    if days and timed:  # that day, in some zone: from 14 hours before to 14 after it
        return timed[0] < days[0] - ZONES or timed[-1] >= days[0] + DAY + ZONES
    return False
