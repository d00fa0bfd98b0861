"""The merge's first candidate pairs, found at once (similarity_pairs.first_pairs),
are those that asking each story in turn (similarity._merge's push_pairs) finds, caps
included: the same joins and scores, to the last bit, as the per-story search alone."""

import random
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from newscli.select import similarity, similarity_pairs
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
        for path, when, (_, _, title, excerpt) in zip(
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

    def none_at_once(heaviest: Sequence[Any], *rest: Any) -> tuple[set[int], set[Any]]:
        return set(range(len(heaviest))), set()

    monkeypatch.setattr(similarity, "first_pairs", none_at_once)


def _spy(monkeypatch: pytest.MonkeyPatch, seen: list[tuple[int, int, int]]) -> None:
    real: Callable[..., Any] = similarity.first_pairs

    def spy(*args: Any) -> Any:
        crowded, pairs = real(*args)
        seen.append((len(crowded), len(pairs), len(args[0])))
        return crowded, pairs

    monkeypatch.setattr(similarity, "first_pairs", spy)


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
    assert all(pairs for _, pairs, _ in seen), "no pair found at once: nothing compared"
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
        weigher = similarity._Weigher(*similarity.weights(units))
        words = sorted({w for u in units for w in (*u.title_words, *u.excerpt_words)})
        many = 0
        for unit in units:
            keys = {w for w in words if rnd.random() < 0.7}
            story = similarity._Story(0.0, 0.0, weigher.vector(unit), 0)
            expected = similarity._heaviest(story, keys)
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
        _, pairs = similarity_pairs.first_pairs(heaviest, postings, firsts, window, 99, 999)
        expected = {
            (s, t)
            for s in range(len(firsts))
            for t in range(s + 1, len(firsts))
            if len(set(heaviest[s]) & set(heaviest[t])) >= 2 and firsts[t] - firsts[s] <= window
        }
        assert pairs == expected
