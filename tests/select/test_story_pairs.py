"""The merge's first candidate pairs, found at once (similarity_pairs.first_pairs),
are those that asking each story in turn (story_merge.merge's push_pairs) finds, caps
included: the same joins and scores, to the last bit, as the per-story search alone."""

import random
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newscli.select import similarity, similarity_pairs, story_merge
from newscli.select.similarity import Unit, group
from newscli.select.stories import members_of

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import stories_eval

WINDOW = 48 * 3600.0


def _dev_units(copies: int) -> list[Unit]:
    rows = stories_eval.read_rows(stories_eval.DEFAULT)
    members = members_of(stories_eval.articles_for(rows, copies))
    return [
        Unit(path, when, title, excerpt)
        for path, when, (_, _, title, excerpt, _) in zip(
            members.paths, members.times, members.data(), strict=True
        )
    ]


def _random_units(seed: int, size: int = 600, words: int = 100) -> list[Unit]:
    """Few words, times in whole hours (pairs exactly a window apart), some untimed."""
    rnd = random.Random(seed)
    vocabulary = [f"w{n}" for n in range(words)]
    units = []
    for n in range(size):
        title = tuple(sorted(set(rnd.sample(vocabulary, rnd.randrange(2, 8)))))
        excerpt = tuple(sorted(set(rnd.sample(vocabulary, rnd.randrange(0, 6)))))
        when = None if rnd.random() < 0.05 else float(rnd.randrange(0, 240)) * 3600
        units.append(Unit(f"{n:04}", when, title, excerpt))
    return units


def _each_story_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every story crowded: push_pairs for each one, as before first_pairs."""

    def none_at_once(heaviest: Sequence[Any], *rest: Any) -> tuple[set[int], dict[int, Any]]:
        return set(range(len(heaviest))), {}

    monkeypatch.setattr(story_merge, "first_pairs", none_at_once)


def _spy(monkeypatch: pytest.MonkeyPatch, seen: list[tuple[int, int, int]]) -> None:
    real: Callable[..., Any] = story_merge.first_pairs

    def spy(*args: Any) -> Any:
        crowded, mates = real(*args)
        seen.append((len(crowded), len(mates), len(args[0])))
        return crowded, mates

    monkeypatch.setattr(story_merge, "first_pairs", spy)


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize(
    ("caps", "cases"),
    [
        ((48, 192), ["dev", 0, 1, 2]),  # the real caps: rarely reached
        ((8, 16), ["dev", 3, 4, 5]),  # small caps: many stories crowded
    ],
)
def test_pairs_found_at_once_are_the_per_story_search(
    monkeypatch: pytest.MonkeyPatch, caps: tuple[int, int], cases: list[Any]
) -> None:
    monkeypatch.setattr(similarity, "MAX_CANDIDATES", caps[0])
    monkeypatch.setattr(similarity, "REACH", caps[1])
    if caps[0] < 48:  # buckets swept every few stories (else never, at these sizes)
        monkeypatch.setattr(similarity_pairs, "LIVE", 16)
    seen: list[tuple[int, int, int]] = []
    for case in cases:
        units = _dev_units(2) if case == "dev" else _random_units(case)
        with monkeypatch.context() as inner:
            _spy(inner, seen)
            at_once = group(units, WINDOW)
        with monkeypatch.context() as inner:
            _each_story_asked(inner)
            asked = group(units, WINDOW)
        assert at_once == asked, case
        assert len(at_once) > 20, "too few joins to compare"
    assert all(mates for _, mates, _ in seen), "no pair found at once: nothing compared"
    if caps[0] < 48:  # some stories crowded, not all: both ways tested together
        assert all(0 < crowded < stories for crowded, _, stories in seen), seen


def _deferred_units(seed: int) -> list[Unit]:
    """Titles of common words only (no blocking word: every unit deferred), excerpts of
    many rarer ones (a deferred story's keys: more than HEAVIEST of them for some)."""
    rnd = random.Random(seed)
    common = [f"c{n}" for n in range(4)]
    rare = [f"r{n}" for n in range(40)]
    units = []
    for n in range(300):
        title = tuple(sorted(set(rnd.sample(common, 3))))
        excerpt = tuple(sorted(set(rnd.sample(rare, rnd.randrange(2, 16)))))
        units.append(Unit(f"{n:04}", float(rnd.randrange(0, 200)) * 3600, title, excerpt))
    return units


def test_a_deferred_units_keys_are_those_of_its_vector() -> None:
    """_Weigher.heaviest (a deferred unit's blocking keys, without its vector) ranks as
    _heaviest ranks the story of that vector, whatever subset of words are keys."""
    rnd = random.Random(3)
    for seed in range(4):
        units = _deferred_units(seed)
        weigher = similarity._Weigher(*similarity.weights(units, 48 * 3600.0))
        words = sorted({w for u in units for w in (*u.title_words, *u.excerpt_words)})
        many = 0
        for unit in units:
            keys = {w for w in words if rnd.random() < 0.7}
            story = similarity._Story(0.0, 0.0, weigher.vector(unit), 0)
            expected = story_merge._heaviest(story, keys)
            assert weigher.heaviest(unit, keys) == expected, unit
            many += len(expected) == similarity.HEAVIEST
        assert many > 50, "too few units with HEAVIEST keys or more"


def test_deferred_stories_merge_as_weighed_at_once() -> None:
    """Every unit deferred (no blocking word), many with more keys than HEAVIEST: the
    merge gives the same joins, to the last bit, as when every unit is weighed at once."""
    for seed in range(4):
        units = _deferred_units(seed)
        deferred = group(units, WINDOW)
        assert len(deferred) > 20, "too few merges to compare"
        assert deferred == group(units, WINDOW, defer=False)


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize("case", ["dev", 11, 12])
def test_closed_stories_let_go_merge_as_kept(case: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Stories of one unit closed (begun over a window before the unit) let their vectors
    go, and are weighed again only if the merge scores them: the same joins, to the last
    bit, as with every vector kept (defer=False); some were let go and weighed again."""
    units = _dev_units(2) if case == "dev" else _random_units(case, size=1500, words=300)
    window = WINDOW if case == "dev" else 12 * 3600.0
    again: list[int] = []
    real = similarity._Story.fill

    def fill(story: similarity._Story, centroid: dict[str, float]) -> None:
        if centroid and getattr(story, "centroid", None) == {} and story.size == 1:
            again.append(story.seed)
        real(story, centroid)

    monkeypatch.setattr(similarity._Story, "fill", fill)
    keys: list[list[list[str]]] = []
    real_pairs: Callable[..., Any] = story_merge.first_pairs

    def spy(heaviest: list[list[str]], *rest: Any) -> Any:
        keys.append([list(found) for found in heaviest])
        return real_pairs(heaviest, *rest)

    monkeypatch.setattr(story_merge, "first_pairs", spy)
    let_go = group(units, window)
    assert again, "no closed story was weighed again: the path is not tested"
    assert len(let_go) > 20, "too few joins to compare"
    assert let_go == group(units, window, defer=False)
    # Every story's blocking keys in the merge, as its vector would give them.
    assert keys[0] == keys[1]
    assert sum(len(found) == similarity.HEAVIEST for found in keys[0]) > 10


def test_first_pairs_are_every_pair_sharing_two_keys_within_the_window(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Against every pair counted by hand: stories (in order of first date, whole hours,
    many exactly a window apart) of 0-6 keys from a few words, buckets swept often."""
    monkeypatch.setattr(similarity_pairs, "LIVE", 8)
    rnd = random.Random(7)
    for _ in range(20):
        words = [f"k{n}" for n in range(rnd.randrange(4, 14))]
        firsts = sorted(float(rnd.randrange(0, 30)) * 3600 for _ in range(rnd.randrange(2, 90)))
        heaviest = [rnd.sample(words, rnd.randrange(0, 5)) for _ in firsts]
        postings: dict[str, list[int]] = {}
        for s, keys in enumerate(heaviest):
            for w in keys:
                postings.setdefault(w, []).append(s)
        window = 6 * 3600.0
        _, mates = similarity_pairs.first_pairs(heaviest, postings, firsts, window, 99, 999)
        pairs = {(s, t) for s, found in mates.items() for t in found if s < t}
        assert all(s in mates[t] for s, found in mates.items() for t in found)
        expected = {
            (s, t)
            for s in range(len(firsts))
            for t in range(s + 1, len(firsts))
            if len(set(heaviest[s]) & set(heaviest[t])) >= 2 and firsts[t] - firsts[s] <= window
        }
        assert pairs == expected


def test_a_story_one_entry_or_one_mate_over_a_cap_is_crowded() -> None:
    """The per-story search is capped by more than ``reach`` entries of a posting within
    the window either way, or more than ``most`` stories sharing two keys: at exactly
    one over either, the story is left to that search."""
    most, reach, window = 3, 5, 10.0
    # Story 0 and ``count`` others, all sharing the keys a, b (each another's mate).
    for count, crowded in ((most, False), (most + 1, True)):
        heaviest = [["a", "b"]] * (count + 1)
        postings = {"a": list(range(count + 1)), "b": list(range(count + 1))}
        firsts = [0.0] * (count + 1)
        found, _ = similarity_pairs.first_pairs(heaviest, postings, firsts, window, most, 99)
        assert (0 in found) == crowded, count
    # Story 1 (at 10) in key a's posting of reach + 1 entries within 10 of it either way,
    # two of them exactly that far (sharing one key, none is a mate).
    firsts = [0.0, 10.0, 11.0, 12.0, 13.0, 20.0]
    postings = {"a": list(range(len(firsts)))}
    heaviest = [["a"]] * len(firsts)
    found, mates = similarity_pairs.first_pairs(heaviest, postings, firsts, window, most, reach)
    assert 1 in found and not mates


def test_the_mates_kept_are_bounded_however_many_stories_share_keys() -> None:
    """1,000 stories at one date sharing three keys: 499,500 pairs, every story crowded
    (MAX_CANDIDATES mates reached) and its mates dropped then, not kept to the end."""
    import tracemalloc

    count = 1000
    heaviest = [["a", "b", "c"]] * count
    postings = {w: list(range(count)) for w in "abc"}
    firsts = [0.0] * count
    tracemalloc.start()
    try:
        crowded, mates = similarity_pairs.first_pairs(
            heaviest, postings, firsts, 1.0, similarity.MAX_CANDIDATES, 10 * count
        )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert crowded == set(range(count)) and not mates
    assert peak < 2_000_000, peak  # (every pair kept: about 50 MB)


def _exactly_a_window_later() -> tuple[float, float, float]:
    """A first date, a window and a date exactly that window later, to the microsecond, as
    articles' dates and --story-window give them (datetime.timestamp, total_seconds):
    the later date is more than a window after the first (its difference, exact), yet
    the first plus the window rounds up to it."""
    from datetime import datetime, timedelta, timezone

    first = datetime(2025, 3, 6, 12, 0, 2, 254257, tzinfo=timezone.utc)
    span = timedelta(seconds=9, microseconds=549657)
    when, window, later = first.timestamp(), span.total_seconds(), (first + span).timestamp()
    assert later - when > window and when + window == later
    return when, window, later


def test_a_story_a_rounded_window_later_is_counted_as_the_search_counts_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """MAX_CANDIDATES + 1 stories alike at one date (the titles' words common: each its
    own story, merged later) and one more a window later, to the microsecond, whose date
    the per-story search's bisect counts as within the window (first + window rounds up
    to it): with it, each of the first has one candidate too many. The joins are those
    of the per-story search, to the last bit."""
    when, window, later = _exactly_a_window_later()
    rare = ("alpha", "bravo", "charli", "delta")
    alike = similarity.MAX_CANDIDATES + 1
    units = [Unit(f"a{n:02}", when, ("c0", "c1"), rare) for n in range(alike)]
    units.append(Unit("b", later, ("c0", "c1"), rare))
    # Enough more units with the titles' words for them to block nothing (all deferred).
    units += [Unit(f"f{n:02}", when - 1e6, ("c0", "c1"), (f"u{n}",)) for n in range(30)]
    at_once = group(units, window)
    with monkeypatch.context() as inner:
        _each_story_asked(inner)
        asked = group(units, window)
    assert len(asked) == similarity.MAX_CANDIDATES
    assert at_once == asked


@pytest.mark.parametrize(
    ("dates", "window", "words"),
    [
        # 1.0 - -1e-17 rounds to 1.0, within the window; b's search looks from 1.0 - 1.0 = 0
        ((-1e-17, 1.0), 1.0, (("r3", "r1", "r0", "r2"), ("r3", "r1", "r2", "r0"))),
        # b - a rounds to the window; a's search looks up to a + window, rounded below b
        (
            (-0.5902776863195436, -0.09027768631954323),
            0.5000000000000003,
            (("r3", "r1", "r2", "r0"), ("r3", "r1", "r0", "r2")),
        ),
    ],
)
def test_a_pair_is_scored_only_the_ways_the_search_looks(
    monkeypatch: pytest.MonkeyPatch,
    dates: tuple[float, float],
    window: float,
    words: tuple[tuple[str, ...], tuple[str, ...]],
) -> None:
    """Two stories alike (their words in other orders: the two ways of a pair score apart
    in the last bit) whose dates' difference rounds to within the window, but one's
    search (its bisect bounds, also rounded) does not look at the other's date: only the
    other way is scored, as in the per-story search (not the way that scores higher).
    The buckets are swept before each story: one a window away by either bound is kept."""
    monkeypatch.setattr(similarity_pairs, "LIVE", 0)
    units = [
        Unit("a", dates[0], ("c0", "c1"), words[0]),
        Unit("b", dates[1], ("c0", "c1"), words[1]),
    ]
    # Titles' words common (a and b deferred: each its own story), rare words' weights apart.
    # (their days apart: within one window, past the rare-word limit, c0 and c1 would
    # weigh as at the limit, method 11, and the rare words' last bits would differ)
    units += [Unit(f"f{n:02}", -1e6 * (n + 1), ("c0", "c1"), ()) for n in range(70)]
    extra = ["r0", "r0", "r1", "r2", "r3", "r3"]
    units += [Unit(f"g{n}", -1e6 * (n + 2), (), (w,)) for n, w in enumerate(extra)]
    at_once = group(units, window)
    with monkeypatch.context() as inner:
        _each_story_asked(inner)
        asked = group(units, window)
    assert asked == [(1, 0, 1.0)]  # (not 1.0000000000000002: the way not looked at)
    assert at_once == asked


_DATES = (0.0, 1.0, -1e-17, 1741262402.254257, 1741262411.803914)


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(_DATES),
            st.lists(st.integers(0, 5), max_size=3),
            st.lists(st.integers(0, 5), min_size=2, max_size=5),
        ),
        min_size=2,
        max_size=40,
    ),
    st.sampled_from([0.0, 1.0, 9.549657]),
    st.integers(1, 4),
    st.integers(1, 6),
)
def test_any_small_grouping_is_the_per_story_searchs(
    rows: list[tuple[float, list[int], list[int]]], window: float, most: int, reach: int
) -> None:
    """Units of a few words in any order (the two ways of a pair may score apart), some
    with no title (deferred: each its own story, merged later), a few dates (ties, a
    window apart, a rounded window apart, near 0), tiny caps, a sweep before each
    story: the joins are those of every story asked in turn."""
    units = [
        Unit(f"{n:02}", when, tuple(f"w{k}" for k in title), tuple(f"w{k}" for k in excerpt))
        for n, (when, title, excerpt) in enumerate(rows)
    ]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(similarity, "MAX_CANDIDATES", most)
        patch.setattr(similarity, "REACH", reach)
        patch.setattr(similarity_pairs, "LIVE", 0)
        at_once = group(units, window)
        _each_story_asked(patch)
        assert at_once == group(units, window)


def _closing_units(seed: int) -> tuple[list[Unit], float]:
    """Stories of one to three units, 8 to 14 title words from 80 (more than HEAVIEST
    keys each, many shared), over 100 hours with a 4-hour window: most stories close
    (their vectors let go) while later units come, and many are merged."""
    rnd = random.Random(seed)
    vocabulary = [f"w{n}" for n in range(80)]
    units: list[Unit] = []
    for _ in range(80):
        base = rnd.sample(vocabulary, rnd.randint(8, 14))
        start = float(rnd.randrange(0, 100)) * 3600
        for _ in range(rnd.choice([1, 1, 2, 3])):
            title = list(base)
            for _ in range(rnd.randint(0, 4)):
                title[rnd.randrange(len(title))] = rnd.choice(vocabulary)
            excerpt = rnd.sample(vocabulary, rnd.randint(0, 6))
            when = start + float(rnd.randrange(0, 9)) * 3600
            words = list(dict.fromkeys(title))
            rnd.shuffle(words)  # (any order: ties of weight broken by the word)
            units.append(Unit(f"{len(units):04}", when, tuple(words), tuple(excerpt)))
    return units, 4 * 3600.0


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_stories_closed_early_merge_as_kept() -> None:
    """Random stories, the window a fraction of their span: the joins and scores of
    every vector kept (defer=False), case by case (a breakage of the closed stories'
    keys shows in a case in four or more)."""
    for seed in range(30):
        units, window = _closing_units(seed)
        assert group(units, window) == group(units, window, defer=False), seed


def test_the_merge_keys_cap_is_one_value_for_every_story(monkeypatch: pytest.MonkeyPatch) -> None:
    """HEAVIEST is read when used, by stories weighed at once and by those let go alike
    (h13: a default argument fixed it at import, so changing it changed only some)."""
    monkeypatch.setattr(similarity, "HEAVIEST", 3)
    differed = 0
    for seed in range(2):
        rnd = random.Random(seed)
        words = [f"w{n}" for n in range(120)]
        units = [
            Unit(
                f"{n:04}",
                float(rnd.randrange(0, 400)) * 3600,
                tuple(sorted(set(rnd.sample(words, rnd.randrange(2, 10))))),
                tuple(sorted(set(rnd.sample(words, rnd.randrange(0, 12))))),
            )
            for n in range(800)
        ]
        joins = group(units, 12 * 3600.0)
        assert joins == group(units, 12 * 3600.0, defer=False), seed
        with monkeypatch.context() as inner:
            inner.setattr(similarity, "HEAVIEST", 8)
            differed += joins != group(units, 12 * 3600.0)
    assert differed, "the cap changed no grouping: the test cannot tell"
