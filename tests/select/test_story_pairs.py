"""The merge's first candidate pairs, found at once (similarity_pairs.first_pairs),
are those that asking each story in turn (similarity._merge's push_pairs) finds, caps
included: the same joins and scores, to the last bit, as the per-story search alone."""

import random
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from newscli.select import similarity
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
