"""Text similarity of headlines: words, their weights, and grouping by story centroid.

An article's text (title, and excerpt where present) becomes a set of content words
(lower case, a light plural/possessive stem, English function words and its own outlet's
name left out; wire prefixes such as ``UPDATE 1-`` and a ``| Outlet`` suffix cut off).
Each word weighs its inverse document frequency over the articles grouped together
(``log((N + 1) / df)``; within one window, df counted at most up to the rare-word
limit below: _burst_counted): a word most articles have weighs little, and a word no
other article has is left out (it matches nothing).

Grouping walks the units (articles already joined by URL or ``related``) in time
order and compares each with the stories open so far as a whole: the cosine of its
vector with the story's core (the ``CORE`` heaviest words of the sum of its members'
vectors: what most of its members say; the long tail of words that only some of them
use would make a large, loose story look like anything).
It joins the most similar story when that cosine reaches ``THRESHOLD``, the two share
enough content words (``MIN_SHARED`` for two single articles, ``MIN_SHARED_CORE`` with
the core of a story of several), and the story began at most ``window`` earlier;
otherwise it opens a story of its own. Stories whose cores are alike then merge, most
similar first. Candidates are found through rare words only
(a word in more than ``sqrt(N)`` units, at least ``MIN_BLOCK_DF``, names no single
story): no article is compared with all the others. A unit with no rare word (a
headline reprinted by more outlets than that, or made of common words) is found by its
title's words as a whole (``_title_key``), so that its copies still meet.

Two articles of one outlet (one of its keys in common: its provider's domain or name,
else a URL host: stories.outlet_keys) published ``RECURRING_GAP`` or more apart (a date
alone as noon) are never one story by their words (``headline_rules.recurring``): a
recurring headline's days ("Morning briefing", "Daily market update", a dated column
whose words change each day), or the outlet's next day's article on a story, which is
news again. Neither joins a story holding the other,
and two stories holding them never merge. (An outlet's copies of one article, crawled
again under another URL, came hours apart in the development data: 7 at most.)

Two sentence-case headlines that are one pattern told of two events ("Arsenal beat
Chelsea 2-1 in Premier League", "Liverpool beat Everton 3-0 in Premier League": see
``apart``) are never one story: a unit whose most similar story holds such a title opens
its own, and two stories holding such titles never merge. A Title Case headline tells no
names.
"""

from __future__ import annotations

import bisect
import functools
import heapq
import html
import itertools
import math
import operator
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from newscli.select.headline_rules import (
    FirstNames,
    hold,
    recurring,
    recurs,
    recurs_seed,
    told_apart,
)
from newscli.select.word_runs import STOP_WORDS, WORD, has_unspaced, words_of

METHOD = 56  # bumped when the grouping changes: stored groupings are made again (what each
# method changed: docs/stories.md, "The grouping's methods")

THRESHOLD = 0.33  # cosine with the story centroid (see bench/stories_eval.py)
MERGE_THRESHOLD = 0.33  # cosine of two story cores (merged most similar first)
MIN_SHARED = 3  # content words two single articles share, at least, to become a story
MIN_SHARED_CORE = 2  # with the core of a story of several articles (its words are confirmed)
UNSPACED_SHARE = 0.5  # of a Han or kana title's character pairs, shared (unspaced_need)
CORE = 32  # the heaviest words of a story's centroid that it is compared by
UNIQUE_WEIGHT = 0.3  # a word no other unit has matches nothing, but still counts against
MIN_BLOCK_DF = 64  # a word this rare or rarer may always propose candidates
MAX_CANDIDATES = 48  # stories compared per unit, at most (nearest in time first)
REACH = 4 * MAX_CANDIDATES  # the merge's posting entries looked at per word, at most
HEAVIEST = 8  # a story's blocking keys in the merge: its heaviest rare words
PREFIX = 6  # words compare by their first letters: taper ~ tapering, Malaysia ~ Malaysian
EXCERPT_WEIGHT = 0.5  # excerpt words count half as much as title words
EXCERPT_WORDS = 12  # and only the first content words of it (its lead) count
TITLE_WORDS = 48  # a title's first content words (headlines have under 20): a title of
# a whole book costs what a long headline does

_WORD = WORD  # (word_runs.words_of: also pairs of Han and kana characters)
_WIRE_PREFIX = re.compile(r"^\s*(?:[A-Z][A-Z0-9 ]{1,24}[-:]\s*)+(?=\S)")
_SUFFIX = re.compile(r"\s+[|\u2013\u2014-]\s+([^|\u2013\u2014-]{1,60})$")


def _squash(text: str) -> str:
    return re.sub(r"[^\w]+", "", text.casefold())


def clean_title(title: str, outlet_names: Sequence[str] = ()) -> str:
    """The headline without wire prefixes (``UPDATE 1-``, ``RPT-``) and without a
    trailing ``| Site`` segment or a ``- Outlet`` naming its own outlet."""
    text = html.unescape(title).strip()
    stripped = _WIRE_PREFIX.sub("", text)
    if stripped and stripped != text and any(c.islower() for c in stripped):
        text = stripped
    while match := _SUFFIX.search(text):
        tail = _squash(match.group(1))
        own = any(tail and (tail in _squash(n) or _squash(n) in tail) for n in outlet_names if n)
        if "|" not in match.group(0) and not own:
            break
        text = text[: match.start()]
    return text


@functools.lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    for ending in ("'s", "\u2019s"):
        if word.endswith(ending):
            word = word[: -len(ending)]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    return word[:PREFIX]


def words(text: str, outlet_names: Sequence[str] = (), limit: int = 0) -> set[str]:
    """Content words of a text: casefolded, stemmed, without function words, one-letter
    words or the outlet's own name (``limit``: the first that many words only)."""
    own = {_stem(w) for n in outlet_names if n for w in words_of(n.casefold())}
    found: list[str] = []
    for word in words_of(text.casefold()):
        # (a stem may be empty: the "'s" after a Han character; it is no word, and
        # counts toward no limit, as story_words counts them)
        if word not in STOP_WORDS and (stem := _stem(word)):
            found.append(stem)
            if len(found) == limit:
                break
    return {w for w in found if len(w) > 1 and w not in own}


@dataclass(slots=True)
class Unit:
    """What is compared: one article, or articles already joined by URL/related."""

    key: str  # a stable tie-break (the smallest path)
    time: float | None  # the earliest publication, POSIX seconds
    title_words: tuple[str, ...]
    excerpt_words: tuple[str, ...]
    outlets: tuple[str, ...] = ()  # its outlets' keys (stories.outlet_keys: one outlet's days)
    pattern: str = ""  # its title's words in order, names marked (title_pattern)
    # for a unit of several articles: each outlet key with its articles' first and last
    # times (headline_rules.day_time); () for the unit's time and outlets
    outlet_times: tuple[tuple[str, float, float], ...] = ()


class _Story:
    """A story open so far: its first and last dates, the sum of its members' vectors
    (shared words only), its first unit and size, and its core (the CORE heaviest words
    of that sum), by which it is compared."""

    __slots__ = ("_norm", "centroid", "core", "first", "heaviest", "last", "ranked", "seed", "size")

    def __init__(self, first: float, last: float, centroid: dict[str, float], seed: int) -> None:
        self.first = first
        self.last = last
        self.seed = seed
        self.size = 1  # units
        self.heaviest: list[str] | None = None  # its blocking keys, until it changes
        self.ranked: tuple[str, ...] | None = None  # its words, lightest first, if let go
        self.fill(centroid)

    def fill(self, centroid: dict[str, float]) -> None:
        """Set the centroid (a story made before its words were weighed: group())."""
        self.centroid = centroid
        self._norm = -1.0  # the core's length, once asked for
        if len(centroid) <= CORE:  # a headline's words: all of them, the same dict
            self.core = centroid  # (until add() changes it: then a core of its own)
        else:
            self._set_core(centroid.items())

    @property
    def core_norm(self) -> float:
        if self._norm < 0:
            values = self.core.values()
            self._norm = math.sqrt(sum(map(operator.mul, values, values)))
        return self._norm

    def _set_core(self, items: Iterable[tuple[str, float]]) -> None:
        top = heapq.nlargest(CORE, items, key=_weight_then_word)
        self.core = dict(top)
        self._norm = math.sqrt(sum(v * v for _, v in top))

    def add(self, vector: dict[str, float]) -> None:
        """Add a unit's vector (or a story's centroid) to the centroid."""
        centroid = self.centroid
        for w, v in vector.items():
            centroid[w] = centroid.get(w, 0.0) + v
        self.heaviest = None
        # Weights only grow: a word outside the core that did not change stays outside.
        changed = {**self.core, **{w: centroid[w] for w in vector}}
        self._set_core(changed.items())

    def needs(self, other_size: int) -> int:
        """Shared words needed to join a story (or unit) of ``other_size`` units."""
        return MIN_SHARED_CORE if max(self.size, other_size) > 1 else MIN_SHARED


def _weight_then_word(item: tuple[str, float]) -> tuple[float, str]:
    return item[1], item[0]


def _vector(unit: Unit, idf: dict[str, float], df: dict[str, int]) -> dict[str, float]:
    """Unit-length tf-idf. Words no other unit has are left out of the mapping (they
    match nothing) but count in its length."""
    vector = {w: idf[w] * EXCERPT_WEIGHT for w in unit.excerpt_words}
    vector.update({w: idf[w] for w in unit.title_words})
    square = sum([v * v for v in vector.values()])  # a list: the same sum, made faster
    if not square:
        return {}
    norm = math.sqrt(square)
    return {w: v / norm for w, v in vector.items() if v > 0 and df[w] > 1}


class _Weigher:
    """_vector for every unit of one grouping, with its tables made once: the same
    vectors, to the last bit (every weight is positive: log((N + 1) / df) with df <= N)."""

    def __init__(self, idf: dict[str, float], df: dict[str, int]) -> None:
        self.title = idf.__getitem__
        self.excerpt = {w: v * EXCERPT_WEIGHT for w, v in idf.items()}.__getitem__
        self.shared = {w for w, d in df.items() if d > 1}

    def _weighed(self, unit: Unit) -> tuple[dict[str, float], float]:
        """Each word's weight, and the vector's length."""
        title, excerpt = unit.title_words, unit.excerpt_words
        vector = dict(zip(excerpt, map(self.excerpt, excerpt), strict=True))
        vector.update(zip(title, map(self.title, title), strict=True))
        values = vector.values()
        square = sum(map(operator.mul, values, values))  # in order, as _vector sums
        return vector, math.sqrt(square)

    def vector(self, unit: Unit) -> dict[str, float]:
        vector, norm = self._weighed(unit)
        if not norm:
            return {}
        shared = self.shared
        return {w: v / norm for w, v in vector.items() if w in shared}

    def heaviest(self, unit: Unit, keys: set[str]) -> list[str]:
        """story_merge._heaviest of a story of this unit alone, without making its vector: the
        same values (weight / length) of the words among ``keys`` (all shared)."""
        vector, norm = self._weighed(unit)
        found = [(vector[w] / norm, w) for w in keys.intersection(vector)]
        return [w for _, w in sorted(found, reverse=True)[:HEAVIEST]]

    def words(self, unit: Unit) -> set[str]:
        """The words of the unit's vector (without weighing them)."""
        return self.shared.intersection(itertools.chain(unit.title_words, unit.excerpt_words))

    def any_words(self, unit: Unit) -> bool:
        """Whether the unit's vector has a word (words(unit) is not empty)."""
        shared = self.shared
        return not (shared.isdisjoint(unit.title_words) and shared.isdisjoint(unit.excerpt_words))


Weights = tuple[dict[str, float], dict[str, int]]  # each word's idf, and its df


def weights(units: Sequence[Unit], window: float) -> Weights:
    """Each word's weight (idf) and document frequency over the units; ``window``: the
    story window, within which a word's count stops at the rare-word limit
    (_burst_counted)."""
    n = len(units)
    each = ({*unit.title_words, *unit.excerpt_words} for unit in units)
    df = dict(Counter(itertools.chain.from_iterable(each)))
    counted = _burst_counted(units, df, block_limit(n), window)
    idf = {
        w: math.log((n + 1) / counted.get(w, d)) * (1.0 if d > 1 else UNIQUE_WEIGHT)
        for w, d in df.items()
    }
    return idf, df


def _burst_counted(
    units: Sequence[Unit], df: dict[str, int], limit: int, window: float
) -> dict[str, int]:
    """The count a word weighs by, for the words in more units than ``limit`` within one
    window (the rest weigh by their df): the limit, plus its units outside its busiest
    window. Within one window, past the limit, a word's count tells how big its story
    is (a story of 300 articles names itself 300 times), not how little the word says;
    its count on other days is other stories' (a name in the news every day). Counting
    every unit made a story's own words weigh less the bigger it was, and the grouping
    of one story depend on how many other articles were grouped with it; capping every
    count made a name in the news all month weigh as a rare word (docs/stories.md,
    "Word weights")."""
    common = {w for w, d in df.items() if d > limit}
    if not common:
        return {}
    among = common.intersection
    dated = sorted([(u.time, i) for i, u in enumerate(units) if u.time is not None])
    # The units slot by slot, a quarter of a window wide (one date a slot, for a window
    # of 0), each slot's common words counted at once: a window lies within five slots
    # in a row (one), so a word that five never hold more than the limit of never is
    # (at 100,000 articles over months, most words: counting each one's dates costs
    # about as much as the grouping's pass).
    slots: dict[float, Counter[str]] = {}
    for slot, run in itertools.groupby(dated, key=lambda item: _slot(item[0], window)):
        members = [units[i] for _, i in run]
        found = map(among, map(itertools.chain, map(_title, members), map(_excerpt, members)))
        slots[slot] = Counter(itertools.chain.from_iterable(found))
    reach = SLOTS if window > 0 else 0
    least = limit // (reach + 1)  # (one of the slots holds more than this, if five do)
    near: set[str] = set()
    for slot, counts in slots.items():
        seeds = [w for w, count in counts.items() if count > least and w not in near]
        if not seeds:
            continue
        # the slots of every window holding one of this slot's units (this one among them)
        around = [c for k in range(-reach, reach + 1) if (c := slots.get(slot + k)) is not None]
        for w in seeds:
            row = [c.get(w, 0) for c in around]
            if any(sum(row[k : k + reach + 1]) > limit for k in range(len(row))):
                near.add(w)
    if not near:
        return {}
    times: dict[str, list[float]] = {w: [] for w in near}  # (each in order of date)
    wanted = near.intersection
    for when, i in dated:
        unit = units[i]
        for w in wanted(itertools.chain(unit.title_words, unit.excerpt_words)):
            times[w].append(when)
    counted = {}
    right = bisect.bisect_right
    for w, dates in times.items():
        # more than the limit in a window: some limit + 1 dates in a row within one
        if min(map(operator.sub, itertools.islice(dates, limit, None), dates)) > window:
            continue
        # the units within a window from each one's date on (as many as bisect finds)
        ends = map(right, itertools.repeat(dates), [when + window for when in dates])
        busiest = max(map(operator.sub, ends, itertools.count()))
        if busiest > limit:
            counted[w] = limit + df[w] - busiest
    return counted


SLOTS = 4  # slots a window wide (_burst_counted)


def _slot(when: float, window: float) -> float:
    """The slot of a date: slots are a SLOTS-th of a window wide (each date its own,
    for a window of 0)."""
    return when // (window / SLOTS) if window > 0 else when


_title = operator.attrgetter("title_words")
_excerpt = operator.attrgetter("excerpt_words")


def block_limit(n: int) -> int:
    """The most of ``n`` units a rare word is in: one that may propose candidates, and
    past which a word's weight no longer falls."""
    return max(MIN_BLOCK_DF, int(math.sqrt(n)))


def vector(unit: Unit, given: Weights) -> dict[str, float]:
    """A unit's (or one article's) unit-length vector under the weights ``given``."""
    return _vector(unit, *given)


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """The cosine of two unit-length vectors (summed in the smaller one's order: a
    vector made from the same words has the same order, whatever the file order)."""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return sum(v * large[w] for w, v in small.items() if w in large)


def group(
    units: Sequence[Unit], window: float, given: Weights | None = None, defer: bool = True
) -> list[tuple[int, int, float]]:
    """Joins found by similarity: ``(unit, unit it joined, cosine)``, where the second
    is the first unit of the story it joined. The result depends only on the units'
    contents, never on their order in ``units``. ``given``: weights(units), if made.
    ``defer``: weigh a unit without a blocking word only if the merge needs it (False:
    at once; the same result, tested)."""
    n = len(units)
    idf, df = given if given is not None else weights(units, window)
    block_df = block_limit(n)
    # In a selection of MIN_BLOCK_DF units or fewer every word is a rare one ("first",
    # "show"): no word is known to name a story, so every join needs the MIN_SHARED words
    # two single articles do (h72 1: a moon landing and an election's live blog of a
    # folder of 7 articles joined on "first" and "show")
    few = MIN_SHARED if n <= MIN_BLOCK_DF else 0
    # The words that may propose candidates, each with its sort key (rarest first).
    block_key = {w: (d, w) for w, d in df.items() if 1 < d <= block_df}
    weigher = _Weigher(idf, df)
    weigh = weigher.vector
    # By time, then words, then key, then place (the tuples made and compared in C; by
    # the words before the key: units of one time are walked in the same order whatever
    # their files are named, h131: renamed files of one time made other stories)
    timed = [
        (u.time, u.title_words, u.excerpt_words, u.key, i)
        for i, u in enumerate(units)
        if u.time is not None
    ]
    order = [entry[-1] for entry in sorted(timed)]
    del timed
    stories: list[_Story] = []
    postings: dict[str, list[int]] = {}
    joins: list[tuple[int, int, float]] = []
    later: dict[int, Unit] = {}  # stories whose words are weighed when the merge needs them
    # How many stories hold each shared word (what story_merge.merge blocks by): its df, less the
    # units that open no story (no time) and, at each join, the words the story had.
    spread = {w: d for w, d in df.items() if d > 1}
    for unit in units:
        if unit.time is None:
            for w in weigher.words(unit):
                spread[w] -= 1
    foes, outlets_of = recurring(units)
    told: dict[int, list[int]] = {}  # story -> the units with a pattern that joined it
    first_names = FirstNames(units)  # (asked of titles that differ in their first word)
    # story -> (outlet group -> the first and last time of its articles in the story),
    # for stories of several units (spans_of)
    spans: dict[int, dict[int, list[float]]] = {}

    def spans_of(s: int) -> dict[int, list[float]] | None:
        """A story's spans of outlet groups: kept once a second unit joined it, else its
        first unit's (at 100,000 units, most stories hold one: 30 MB of spans not made)."""
        held = spans.get(s)
        if held is None:
            seed = stories[s].seed
            seed_groups = foes.get(seed)
            if seed_groups is None:
                return None
            held = {}
            hold({0: held}, 0, seed_groups, units[seed], outlets_of)
        return held

    blocking = block_key.keys()
    rarest_first = block_key.__getitem__
    closed = 0  # the stories before it began over a window before the unit: no unit joins
    for i in order:
        unit = units[i]
        when = unit.time
        assert when is not None
        while closed < len(stories) and when - stories[closed].first > window:
            story = stories[closed]
            if defer and story.size == 1 and story.centroid:
                # A closed story of one unit keeps its words, heaviest first, and lets its
                # vector go: made again, the same, if the merge scores it (at 100,000
                # headlines, 27 MB less; 2,300 of 56,000 made again).
                items = story.centroid.items()
                story.ranked = tuple([w for _, w in sorted([(v, w) for w, v in items])])
                later[closed] = units[story.seed]
                story.fill({})
            closed += 1
        if blocking.isdisjoint(unit.title_words):
            keys = []
        else:
            keys = sorted([w for w in unit.title_words if w in block_key], key=rarest_first)
        if not keys:
            # No rare word to find candidates by (a headline of common words, or one
            # reprinted by more outlets than a word may name): its title's words as a
            # whole are its key, so that copies of one headline find one another.
            keys = [_title_key(unit)] if len(unit.title_words) >= MIN_SHARED else []
            if defer and not _open_within(keys, postings, stories, when, window):
                # Nothing to join: its story opens alone, its words weighed only if a
                # later copy or the merge needs them.
                if weigher.any_words(unit):  # else no vector: compared with nothing
                    for key in keys:
                        postings.setdefault(key, []).append(len(stories))
                    later[len(stories)] = unit
                    stories.append(_Story(when, when, {}, i))
                continue
        vector = weigh(unit)
        if not vector:
            continue
        unspaced = unspaced_need(unit.title_words)
        candidates: list[int] = []
        seen: set[int] = set()
        for w in keys:
            newest = itertools.islice(reversed(postings.get(w, ())), REACH)
            for s in newest:  # the newest entries only
                if len(candidates) >= MAX_CANDIDATES or when - stories[s].first > window:
                    break  # newest first: the rest began earlier still
                if s not in seen:
                    seen.add(s)
                    candidates.append(s)
        best, best_score = -1, 0.0
        against = foes.get(i)
        for s in candidates:
            story = stories[s]
            if when - story.first > window:
                continue
            if against is not None and (
                recurs(held, against, unit, outlets_of)
                if (held := spans.get(s)) is not None
                else (seed_groups := foes.get(story.seed)) is not None
                and recurs_seed(units[story.seed], seed_groups, against, unit, outlets_of)
            ):
                continue  # (one outlet's other day)
            if not story.centroid and s in later:  # opened alone by a copy (see above)
                story.fill(weigh(later.pop(s)))
            core = story.core
            shared = [w for w in vector if w in core]
            if len(shared) < max(story.needs(1), unspaced, few):
                continue
            score = sum(vector[w] * core[w] for w in shared) / story.core_norm
            if score > best_score or (score == best_score and s < best):
                best, best_score = s, score
        if (
            best >= 0
            and unit.pattern
            and told_apart(unit.pattern, best, stories, units, told, first_names)
        ):
            best = -1  # one pattern, another event: a story of its own (not the next best)
        if best >= 0 and best_score >= THRESHOLD:
            story = stories[best]
            had = story.centroid
            for w in vector:
                if w in had:
                    spread[w] -= 1
            story.add(vector)
            story.size += 1
            story.last = max(story.last, when)
            joins.append((i, story.seed, best_score))
            if unit.pattern:
                told.setdefault(best, []).append(i)
            target = best
        else:
            target = len(stories)
            stories.append(_Story(when, when, vector, i))
        if against is not None and target == best:  # (joined: a story of its first
            # unit alone keeps no spans, spans_of makes them)
            if target not in spans:
                spans[target] = spans_of(target) or {}
            hold(spans, target, against, unit, outlets_of)
        for w in keys:
            posting = postings.setdefault(w, [])
            if not posting or posting[-1] < target:
                posting.append(target)
            else:  # an older story joined: kept in index order (opened in time), which
                # the search's "newest first" and _open_within read (h24: appended, a
                # story ended the search before newer ones still open under the key)
                at = bisect.bisect_left(posting, target)
                if at == len(posting) or posting[at] != target:
                    posting.insert(at, target)
    from newscli.select.story_merge import merge  # (it uses this module's stories)

    patterns = (units, told, first_names)
    joins += merge(stories, window, later, weigher, spread, spans_of, patterns, few)
    return joins


def _title_key(unit: Unit) -> str:
    """The blocking key of a title's words as a whole (no word holds a space)."""
    return " " + " ".join(sorted(unit.title_words))


def _open_within(
    keys: list[str], postings: dict[str, list[int]], stories: list[_Story], when: float,
    window: float,
) -> bool:  # fmt: skip
    """Whether a story under one of these keys began within the window before ``when``."""
    return any(
        (posting := postings.get(key)) and when - stories[posting[-1]].first <= window
        for key in keys
    )


def unspaced_need(words: Sequence[str]) -> int:
    """The shared words a title of Han or kana pairs (its words, shared with other
    articles or not) needs besides MIN_SHARED: half of its pairs (word_runs: a run
    counts as its overlapping pairs, so one shared name of four characters is three
    shared "words", and two headlines of one pattern, "X announces ...", "Y announces
    ...", share a third of theirs; copies share all: h57); 0 for text with spaces. A
    story is held to its first title's."""
    if "".join(words).isascii():
        return 0
    pairs = sum(1 for w in words if has_unspaced(w))
    return math.ceil(UNSPACED_SHARE * pairs)
