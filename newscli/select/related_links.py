"""Which `related` links join two articles into one story (stories._linked).

The article format defines `related` as other outlets' coverage of the same story, and
an aggregator gives every member of one story's coverage a list of the others. But a
list can name several stories: an evening briefing lists the day's events, a roundup
its topics (h73 1: a briefing made three events one story, and cron shipped one and
marked all). So a link is evidence only where the lists agree:

- A link joins only within the story window (either undated: within it; a date without
  a time is that whole day in any time zone, as for a URL's copies), and never one
  outlet's two articles RECURRING_GAP or more apart (a date alone as noon: its next
  day's article is news again, as by their words; h71 2). An article's link to a copy
  of itself (an URL of its own, or of an article it is joined to by URL) is no link.
- An article whose list names one URL joins the article it names.
- An article whose list names several joins those present when they agree: one of
  them, if it lists the article back or the two lists name a third URL in common (the
  rest of a story's coverage, not in the folder yet); several, if their own links hold
  them together, each linked to two of the others at least (a cluster whose members
  list one another, h76 1; a briefing's events, linked to nothing but it or another
  briefing, are not).
- Otherwise it joins several it names once other evidence made them one story (URL,
  the other links, and after the grouping by words, similarity: h76 4), and one it
  names alone never (a briefing that came with one of its events, h76 5).
- No link joins two stories into one holding one outlet's articles RECURRING_GAP or
  more apart (h76 3: Reuters' next day's article listing Reuters' and AP's of the day
  before joined through AP's). Links are taken in order of the linking article's date
  (then its addresses, then its path), so the story that keeps its articles is the
  earlier's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

from newscli.select.headline_rules import RECURRING_GAP, day_time, outlet_keys, outlet_spans
from newscli.select.url_copies import date_span

__all__ = ["Deferred", "join_deferred", "join_related"]

Spans = dict[str, tuple[float, float]]


class _Parts(Protocol):
    edges: list[Any]

    def find(self, i: int) -> int: ...

    def union(self, i: int, j: int, by: str, score: float | None = None) -> None: ...


Deferred = list[tuple[int, list[int]]]  # an article, and the articles it names


def join_related(
    data: Sequence[Any],
    order: Sequence[int],
    owner: dict[str, int],
    times: Sequence[float | None],
    window: float,
    parts: _Parts,
) -> Deferred:
    """Join the articles by their `related` lists as the module says (``owner``: the
    article each URL key names; ``order``: path order); return the articles left to
    join once other evidence made what they name one story (join_deferred)."""
    n = len(data)
    base = [parts.find(i) for i in range(n)]  # (the articles' copies, joined by URL)
    keys = _Keys(data)
    listed = _Listed(data, owner, base)
    named: dict[int, dict[int, int]] = {}  # its targets: their copies' root -> article
    here = owner.keys()
    for i in order:
        if here.isdisjoint(data[i][1]):
            continue  # (most lists: of articles not in the folder)
        found: dict[int, int] = {}
        for url in sorted(listed(i)):
            j = owner.get(url)
            if j is None or base[j] in found:
                continue  # (nothing here, or named already; itself is not listed)
            if _near(i, j, times, window, keys):
                found[base[j]] = j
        if found:
            named[i] = found
    if not named:
        return []
    out: dict[int, set[int]] = {}  # a root -> the roots its articles name
    for i, found in named.items():
        out.setdefault(base[i], set()).update(found)
    place = {i: n for n, i in enumerate(order)}
    spans = _SpanKeeper(parts, keys, times, base)
    taken, deferred = [], []
    # (by date; at one instant, a date without a time, by address before file name)
    for i in sorted(named, key=lambda i: (times[i] is None, times[i] or 0.0, data[i][0], place[i])):
        found = named[i]
        if len(listed(i)) == 1 or _agree(i, found, listed, out, base):
            taken.append(i)
        elif len(found) > 1:  # (one named, not agreeing: a briefing with one of its
            # events, the others not here yet, h76 5; it waits for them)
            deferred.append((i, list(found.values())))
    for i in taken:
        for j in named[i].values():
            spans.union(i, j)
    return _settle(deferred, spans)


def join_deferred(
    deferred: Deferred,
    keys: Callable[[int], Iterable[str]],
    times: Sequence[float | None],
    parts: _Parts,
) -> None:
    """Join the articles join_related left, where other evidence (the grouping by
    words among it) has since made what each names one story (``keys``: an article's
    outlet keys)."""
    if deferred:
        base = [parts.find(i) for i in range(len(times))]
        _settle(deferred, _SpanKeeper(parts, keys, times, base))


def _settle(deferred: Deferred, spans: _SpanKeeper) -> Deferred:
    """Join each article to what it names once that is one story, again and again until
    none joins; the articles left."""
    find = spans.parts.find
    while deferred:
        left = []
        for i, targets in deferred:
            if len({find(j) for j in targets}) == 1:
                spans.union(i, targets[0])
            else:
                left.append((i, targets))
        if len(left) == len(deferred):
            break
        deferred = left
    return deferred


def _near(i: int, j: int, times: Sequence[float | None], window: float, keys: _Keys) -> bool:
    """Whether article i's link may join article j: within the window (either undated:
    within it), and not one outlet's two articles RECURRING_GAP or more apart."""
    when, other = times[i], times[j]
    if when is None or other is None:
        return True
    (start, end), (other_start, other_end) = date_span(when), date_span(other)
    if max(start, other_start) - min(end, other_end) > window:
        return False  # (a date without a time: that whole day, as a URL's copies count it)
    far = abs(day_time(when) - day_time(other)) >= RECURRING_GAP
    return not (far and not keys(i).isdisjoint(keys(j)))


def _agree(
    i: int,
    found: dict[int, int],
    listed: Callable[[int], frozenset[str]],
    out: dict[int, set[int]],
    base: list[int],
) -> bool:
    """Whether the articles a list of several URLs names (``found``: those present, by
    their copies' root) agree that they are i's story (see the module)."""
    if len(found) == 1:
        ((root, j),) = found.items()
        # it lists i back, or the two lists name a third URL (their own URLs are left
        # out of ``listed``)
        return base[i] in out.get(root, ()) or not listed(i).isdisjoint(listed(j))
    roots = set(found)
    links = {r: out.get(r, set()).intersection(roots) - {r} for r in roots}
    for r, others in list(links.items()):
        for other in others:
            links[other].add(r)
    return _held_together(roots, links)


def _held_together(roots: set[int], links: dict[int, set[int]]) -> bool:
    """Whether the roots are connected by their links, each linked to two of the
    others at least (two roots: linked): no one of them is the only link of another
    (a briefing's events, linked to nothing but another briefing listing them)."""
    if len(roots) == 2:
        a, b = roots
        return b in links[a]
    if any(len(links[r]) < 2 for r in roots):
        return False
    start = next(iter(roots))
    seen, todo = {start}, [start]
    while todo:
        for other in links[todo.pop()]:
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return len(seen) == len(roots)


class _Listed:
    """Each article's related URLs of other articles: without its own, or those of an
    article joined to it by URL (its copies), made when first asked."""

    def __init__(self, data: Sequence[Any], owner: dict[str, int], base: list[int]) -> None:
        self.data, self.owner, self.base = data, owner, base
        self.found: dict[int, frozenset[str]] = {}

    def __call__(self, i: int) -> frozenset[str]:
        urls = self.found.get(i)
        if urls is None:
            owner, base = self.owner, self.base
            cited = set(self.data[i][1]).difference(self.data[i][0])
            urls = self.found[i] = frozenset(
                u for u in cited if (j := owner.get(u)) is None or base[j] != base[i]
            )
        return urls


class _Keys:
    """Each article's outlet keys (headline_rules.outlet_keys), made when first asked."""

    def __init__(self, data: Sequence[Any]) -> None:
        self.data = data
        self.found: dict[int, frozenset[str]] = {}

    def __call__(self, i: int) -> frozenset[str]:
        keys = self.found.get(i)
        if keys is None:
            keys = self.found[i] = frozenset(outlet_keys(self.data[i]))
        return keys


class _SpanKeeper:
    """Unions that never put one outlet's articles RECURRING_GAP or more apart into one
    story where neither side had them: each story's outlet spans (outlet_spans), made
    from its members when first asked."""

    def __init__(
        self, parts: _Parts, keys: Callable[[int], Iterable[str]],
        times: Sequence[float | None], base: list[int],
    ) -> None:  # fmt: skip
        self.parts, self.keys, self.times = parts, keys, times
        self.members: dict[int, list[int]] = {}
        for i, root in enumerate(base):
            if root != i:
                self.members.setdefault(root, [root]).append(i)
        self.spans: dict[int, Spans] = {}

    def _spans(self, root: int) -> Spans:
        found = self.spans.get(root)
        if found is None:
            members = self.members.get(root, [root])
            found = self.spans[root] = outlet_spans(members, self.keys, self.times)
        return found

    def union(self, i: int, j: int) -> None:
        find = self.parts.find
        a, b = find(i), find(j)
        if a == b:
            return
        one, other = self._spans(a), self._spans(b)
        for key in one.keys() & other.keys():
            (low_a, high_a), (low_b, high_b) = one[key], other[key]
            width = max(high_a, high_b) - min(low_a, low_b)
            if width >= RECURRING_GAP and width > max(high_a - low_a, high_b - low_b):
                return  # (one outlet's two days, one on each side)
        self.parts.union(i, j, "related")
        root = find(i)
        merged = dict(one)
        for key, (low, high) in other.items():
            low_m, high_m = merged.get(key, (low, high))
            merged[key] = (min(low, low_m), max(high, high_m))
        self.spans.pop(a, None)
        self.spans.pop(b, None)
        self.spans[root] = merged
        self.members[root] = self.members.pop(a, [a]) + self.members.pop(b, [b])
