"""The merge of the similarity pass (similarity.group): stories whose cores are alike,
fragments of one story that began apart, are joined, the most similar pair first.

Split from similarity.py (one sitting each); it works on that module's stories
(``_Story``) and word weights (``_Weigher``), and group() imports it when it runs.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Callable, Sequence

from newscli.select import similarity
from newscli.select.headline_rules import FirstNames, spans_recur, stories_told_apart, widen
from newscli.select.similarity import Unit, _Story, _Weigher, block_limit, unspaced_need
from newscli.select.similarity_pairs import first_pairs


def _cosine(a: _Story, b: _Story) -> tuple[float, int]:
    """The cosine of two stories' cores, and how many words they share."""
    large = b.core
    dot, shared = 0.0, 0
    for w, v in a.core.items():
        other = large.get(w)
        if other is not None:
            dot += v * other
            shared += 1
    return dot / (a.core_norm * b.core_norm), shared


def merge(
    stories: list[_Story],
    window: float,
    later: dict[int, Unit],
    weigher: _Weigher,
    spread: dict[str, int],
    recurring: Callable[[int], dict[int, list[float]] | None] | None = None,
    patterns: tuple[Sequence[Unit], dict[int, list[int]], FirstNames | None] = ((), {}, None),
    few: int = 0,
) -> list[tuple[int, int, float]]:
    """Join stories whose centroids are alike (fragments of one story that began apart):
    the most similar pair first, then the pairs of the merged story again, until no pair
    reaches MERGE_THRESHOLD. Candidates share two of their heaviest words among those
    found in few stories (at most sqrt of their number, or MIN_BLOCK_DF): a word spread
    over many stories names none of them. ``spread``: how many stories hold each word
    (the words of their centroids, or of a deferred unit's vector). ``recurring``: each
    story's spans of the outlet groups it holds (group's spans_of: headline_rules.hold),
    None for none: two stories holding one group's units RECURRING_GAP or more apart
    never merge. ``patterns``:
    the units, and each story's units with a title pattern that joined it: two stories
    told apart (headline_rules.told_apart) never merge. ``few``: the shared words every
    pair needs at least (group: a selection too small to tell common words)."""
    spans: dict[int, dict[int, list[float]]] = {}  # made when first asked (spans_of)

    def spans_of(s: int) -> dict[int, list[float]] | None:
        held = spans.get(s)
        if held is None and recurring is not None and (held := recurring(s)) is not None:
            spans[s] = held
        return held

    units, told, names = patterns
    # (read when it runs: similarity holds every constant of the pass, and tests set them)
    candidates, reach = similarity.MAX_CANDIDATES, similarity.REACH
    threshold = similarity.MERGE_THRESHOLD
    limit = block_limit(len(stories))
    keys = {w for w, n in spread.items() if 1 < n <= limit}
    if not keys:  # no story has a word that could pair it
        return []
    # A deferred unit's story is given its blocking keys now, if it has any, and its
    # vector only if a pair is scored (most never are: at 100,000 headlines, 36,000
    # vectors not made, 30 MB).
    pending: dict[int, Unit] = {}
    for s, unit in later.items():
        story = stories[s]
        if story.ranked is not None:  # (its words lightest first: see group())
            found = [w for w in reversed(story.ranked) if w in keys]
            story.heaviest = found[: similarity.HEAVIEST]
            story.ranked = None
            if found:
                pending[s] = unit
        elif keys.isdisjoint(unit.title_words) and keys.isdisjoint(unit.excerpt_words):
            story.heaviest = []
        else:
            story.heaviest = weigher.heaviest(unit, keys)
            pending[s] = unit
    alive = set(range(len(stories)))
    heaviest = [_heaviest(story, keys) for story in stories]
    postings: dict[str, list[int]] = {}
    for s, found in enumerate(heaviest):
        for w in found:
            postings.setdefault(w, []).append(s)
    version = [0] * len(stories)
    heap: list[tuple[float, int, int, int, int]] = []

    firsts = [story.first for story in stories]  # in index order: stories opened in time

    def push_pairs(s: int) -> None:
        """Score the stories sharing two or more of this one's heaviest rare words and
        within the window (postings are in index order, so in order of first date)."""
        story = stories[s]
        hits: dict[int, int] = {}
        for w in _heaviest(story, keys):
            posting = postings.get(w, [])
            low = bisect.bisect_left(posting, story.last - window, key=firsts.__getitem__)
            high = bisect.bisect_right(posting, story.first + window, key=firsts.__getitem__)
            for t in posting[max(low, high - reach) : high]:
                if t != s and t in alive:
                    hits[t] = hits.get(t, 0) + 1
        ranked = sorted((t for t, n in hits.items() if n >= 2), key=lambda t: (-hits[t], -t))
        for t in ranked[:candidates]:
            push_pair(s, t)

    def push_pair(s: int, t: int) -> None:
        """Score story s with story t (s's core against t's), pushed if they may merge."""
        story, other = stories[s], stories[t]
        if max(story.last, other.last) - min(story.first, other.first) > window:
            return
        for x in (s, t) if pending else ():
            unit = pending.pop(x, None)
            if unit is not None:
                stories[x].fill(weigher.vector(unit))
        score, shared = _cosine(story, other)
        need = max(story.needs(other.size), few)
        if units:  # (a Han or kana title: half its pairs, the smaller of the two firsts)
            firsts = units[story.seed].title_words, units[other.seed].title_words
            need = max(need, min(map(unspaced_need, firsts)))
        if shared >= need and score >= threshold:
            a, b = min(s, t), max(s, t)
            heapq.heappush(heap, (-score, a, b, version[a], version[b]))

    def looked_at(s: int, t: int) -> bool:
        """Whether push_pairs(s) looks at story t's date (its bisect bounds)."""
        story = stories[s]
        return story.last - window <= firsts[t] <= story.first + window

    # Every story's pairs, as push_pairs(s) for each s would push them (similarity_pairs).
    crowded, mates = first_pairs(heaviest, postings, firsts, window, candidates, reach)
    del heaviest
    for s in sorted(crowded):
        push_pairs(s)
    for s, others in mates.items():
        for t in others:
            if looked_at(s, t):
                push_pair(s, t)
    del mates
    joins: list[tuple[int, int, float]] = []
    while heap:
        negative, a, b, va, vb = heapq.heappop(heap)
        if a not in alive or b not in alive or version[a] != va or version[b] != vb:
            continue
        if (held_a := spans_of(a)) and (held_b := spans_of(b)) and spans_recur(held_a, held_b):
            continue  # (one outlet's two days, one in each)
        if units and stories_told_apart(a, b, stories, units, told, names):
            continue  # (one pattern, two events)
        keep, gone = stories[a], stories[b]
        if held_b := spans_of(b):
            kept = spans_of(a)
            if kept is None:
                kept = spans[a] = {}
            for group, (low, high) in held_b.items():
                widen(kept, group, low, high)
            spans.pop(b, None)
        gone_titles = told.pop(b, [])
        if units and units[gone.seed].pattern:
            gone_titles.insert(0, gone.seed)
        if gone_titles:
            told.setdefault(a, []).extend(gone_titles)
        keep.add(gone.centroid)
        keep.size += gone.size
        keep.last = max(keep.last, gone.last)  # keep.first <= gone.first: opened earlier
        alive.discard(b)
        version[a] += 1
        joins.append((gone.seed, keep.seed, -negative))
        for w in _heaviest(keep, keys):
            posting = postings.setdefault(w, [])
            at = bisect.bisect_left(posting, a)
            if at == len(posting) or posting[at] != a:
                posting.insert(at, a)
        push_pairs(a)
    return joins


def _heaviest(story: _Story, keys: set[str]) -> list[str]:
    """The story's heaviest words among the rare ones (``keys``): its blocking keys."""
    if story.heaviest is None:
        found = [(v, w) for w, v in story.centroid.items() if w in keys]
        # nlargest's result (no two items are equal), faster on a few dozen items
        story.heaviest = [w for _, w in sorted(found, reverse=True)[: similarity.HEAVIEST]]
    return story.heaviest
