"""Headlines of one sentence, two events or one, as headline_rules.apart tells them.
Two rules tried this stop were taken back, each by a breaking pass that found as many
events reworded in that shape as pairs of two events, and each with no evidence in the
development data: method 43's "open frame" (h104: "Fed raises rates to fight stubborn
inflation" / "... to highest level since 2001" was taken apart; 14 same-story pairs of
the development data, no pair of two stories) and method 44/46's "first word and
numbers" (h105: "Stocks fall 2% as ..." / "Shares fall 2.1% as ...", "Blast kills 10
..." / "Explosion kills 12 ..."). Both shapes are documented limits (docs/stories.md);
these tests pin both sides, so that a rule that returns says what it costs."""

from __future__ import annotations

import pytest

from newscli.select.headline_rules import apart, title_pattern

# Two events, not told apart by the words alone (limits: the similarity decides)
LIMITS = [
    (
        "Trump signs executive order on tariffs for steel imports",
        "Trump signs executive order on immigration for asylum seekers",
    ),
    (
        "Senate passes bill to expand veterans health care",
        "Senate passes bill to ban stock trading by lawmakers",
    ),
    (
        "Supreme Court rules on abortion pill access",
        "Supreme Court rules on Trump ballot eligibility",
    ),
    ("Amazon to cut 10,000 jobs in restructuring", "Google to cut 12,000 jobs in restructuring"),
    (
        "Amazon to cut 10,000 jobs in restructuring",
        "Meta Platforms to cut 11,000 jobs in restructuring",
    ),
]

# One event told two ways: never apart
ONE_EVENT = [
    # h104: reworded after one clause
    (
        "Fed raises rates to fight stubborn inflation",
        "Fed raises rates to highest level since 2001",
    ),
    (
        "Senate passes bill to avert government shutdown",
        "Senate passes bill to keep federal agencies funded",
    ),
    (
        "Tesla recalls 2 million vehicles over Autopilot safety concerns",
        "Tesla recalls 2 million vehicles over flawed driver monitoring",
    ),
    # h105: a synonym for the first word, the figures rounded or updated
    ("Stocks fall 2% as inflation fears grow", "Shares fall 2.1% as inflation fears grow"),
    (
        "Oil jumps 5% after drone attack on Saudi refinery",
        "Crude jumps 6% after drone attack on Saudi refinery",
    ),
    (
        "Blast kills 10 at crowded market in central Kabul",
        "Explosion kills 12 at crowded market in central Kabul",
    ),
    ("Ukraine says 30 drones shot down overnight", "Kyiv says 31 drones shot down overnight"),
    # the frame is the event, told two ways
    (
        "Mt. Gox files for US bankruptcy to halt class action",
        "Mt. Gox files for US bankruptcy as hackers publish company records",
    ),
    (
        "Trump signs executive order on tariffs for steel imports",
        "Trump signs order imposing tariffs on steel imports",
    ),
    ("Amazon to cut 10,000 jobs in restructuring", "Amazon to cut 12,000 jobs in restructuring"),
    ("Researchers find new species in Amazon", "Scientists find new species in Amazon"),
]


@pytest.mark.parametrize(("a", "b"), LIMITS)
def test_two_events_of_one_sentence_are_not_told_apart_by_words(a: str, b: str) -> None:
    assert not apart(title_pattern(a), title_pattern(b))


@pytest.mark.parametrize(("a", "b"), ONE_EVENT)
def test_one_event_told_two_ways_is_not_taken_apart(a: str, b: str) -> None:
    assert not apart(title_pattern(a), title_pattern(b))
    assert not apart(title_pattern(b), title_pattern(a))


def test_one_pattern_told_of_two_events_is_still_apart() -> None:
    """The rule that stays (methods 5, 32): names swapped with one more difference."""
    assert apart(
        title_pattern("Arsenal beat Chelsea 2-1 in Premier League"),
        title_pattern("Liverpool beat Everton 3-0 in Premier League"),
    )
