"""The reasons `clusters` gives (which article each joined, and the score) are the same
whatever the files are named: ties between equally alike articles go to the earliest
(h130 2: by path, three copies renamed were shown joined through other pairs, and one
"similar 0.84 with" an article while its copy at 1.00 was in the story)."""

from __future__ import annotations

import random

import pytest

from newscli.article.model import Article, article_from_mapping
from newscli.select.stories import Story, group_stories

COPIES = [  # (outlet, title, minute): one wire story and its copies, at distinct times
    ("reuters.com", "UPDATE 1-Fed raises rates by quarter point | Reuters", 0),
    ("yahoo.example", "UPDATE 1-Fed raises rates by quarter point", 5),
    ("ms.example", "Fed raises rates by quarter point -Reuters", 10),
    ("cnbc.example", "Fed raises rates by a quarter point", 12),
    ("wire.example", "Fed raises interest rates by quarter point", 20),
    ("daily.example", "Fed raises rates by quarter point, signals more", 31),
]
OTHERS = [
    ("a.example", "Heavy rain floods streets in coastal towns", 3),
    ("b.example", "City council approves new bike lanes downtown", 8),
    ("c.example", "Festival organisers cancel final day over storm", 14),
]


def _articles(names: list[str]) -> list[Article]:
    made = []
    for name, (outlet, title, minute) in zip(names, COPIES + OTHERS, strict=True):
        data = {
            "title": title,
            "publishedDateTime": f"2025-03-19T18:{minute:02d}:00Z",
            "webUrl": f"https://{outlet}/x",
            "quality": 80,
            "provider": {"name": outlet, "domain": outlet},
        }
        made.append(article_from_mapping(name, data))
    return made


def _reasons(names: list[str]) -> set[tuple[str, str, str]]:
    """Each article's outlet, the outlet of the one it joined, and why."""
    return _shown(group_stories(_articles(names)))


def _shown(stories: list[Story]) -> set[tuple[str, str, str]]:
    found = set()
    for story in stories:
        for path, (via, link) in story.joined().items():
            outlet = next(a for a in story.articles if a.path == path).provider_name
            found.add((str(outlet), str(via.provider_name), link.reason()))
    return found


@pytest.mark.parametrize("seed", range(8))
def test_renamed_files_give_the_same_reasons(seed: int) -> None:
    count = len(COPIES) + len(OTHERS)
    first = _reasons([f"{n:02d}.md" for n in range(count)])
    names = [f"{n:02d}.md" for n in range(count)]
    random.Random(seed).shuffle(names)
    assert _reasons(names) == first
    assert len(first) == len(COPIES) - 1
    # (the two UPDATE copies are the same words: each is shown joined to the other)
    assert ("yahoo.example", "reuters.com", "similar 1.00") in first or (
        "reuters.com",
        "yahoo.example",
        "similar 1.00",
    ) in first


TAILS = ["as expected", "again", "to fight inflation", "amid slowdown", "in March",
         "today", "as markets wait", "citing prices", "signals more", "for third time",
         "on Wednesday", "after meeting", "despite risks", "to 5.5%", "as jobs hold",
         "with caution", "and holds outlook", "as inflation cools", "in split vote",
         "as Powell speaks"]  # fmt: skip


def _big(names: list[str]) -> set[tuple[str, str, str]]:
    """A story of 26 articles, the last 8 under one URL (more than story_links.LEFT
    on a side): the first ones compared on each side are the earliest, whatever the
    names."""
    made = []
    for n, name in enumerate(names):
        outlet = f"o{n}.example"
        title = f"Fed raises rates by quarter point {TAILS[n % len(TAILS)]}"
        if n >= len(TAILS):
            title = f"Federal Reserve lifts rates by a quarter point {TAILS[n % len(TAILS)]}"
        data = {
            "title": title,
            "publishedDateTime": f"2025-03-19T{10 + n // 6:02d}:{n % 6 * 10:02d}:00Z",
            "webUrl": "https://wire.example/fed" if n >= 18 else f"https://{outlet}/x",
            "provider": {"name": outlet},
        }
        made.append(article_from_mapping(name, data))
    return _shown(group_stories(made))


@pytest.mark.parametrize("seed", range(6))
def test_a_big_story_renamed_gives_the_same_reasons(seed: int) -> None:
    names = [f"{n:02d}.md" for n in range(26)]
    first = _big(names)
    random.Random(seed).shuffle(names)
    assert _big(names) == first and len(first) >= 20


SAME_TIMES = [  # (title, hour, URL): h131's folder, several articles at one time
    ("Markets rally after Fed signals pause in hikes", 8, "a.example/0"),
    ("Regulators in Beijing tighten grip on tech firms", 8, "b.example/10"),
    ("Sanctions from US hit Russian oil exports", 13, "a.example/5"),
    ("Retailers warn of weak holiday season", 13, "c.example/15"),
    ("Lawmakers question President Biden over border plan", 10, "s.example/2"),
    ("Investors cheer Alphabet buyback plan", 10, "s.example/12"),
    ("Storm batters coast as thousands lose power", 10, "wire.example/storm"),
    ("Storm batters coast, thousands lose power", 10, "wire.example/storm"),
    ("Storm batters coast as 40,000 lose power", 10, "wire.example/storm"),
    ("Powerful storm batters coast leaving thousands without power", 10, "wire.example/storm"),
    ("Storm leaves thousands without power on the coast", 10, "b.example/18"),
    ("Coast storm leaves thousands without power overnight", 10, "o.example/19"),
]


def _same_times(names: list[str]) -> tuple[set[tuple[str, ...]], set[tuple[str, ...]]]:
    """The stories (their outlets) and the joins, each as its two ends and reason (which
    end is shown joined depends on the kept article, whose last tie-break is its path)."""
    made = []
    for n, (name, (title, hour, url)) in enumerate(zip(names, SAME_TIMES, strict=True)):
        data = {"title": title, "publishedDateTime": f"2025-05-03T{hour:02d}:00:00Z",
                "webUrl": f"https://{url}", "provider": {"name": f"P{n}"}}  # fmt: skip
        made.append(article_from_mapping(name, data))
    stories = group_stories(made)
    members = {tuple(sorted(str(a.provider_name) for a in s.articles)) for s in stories}
    joins = {(*sorted((one, other)), why) for one, other, why in _shown(stories)}
    return members, joins


@pytest.mark.parametrize("seed", range(8))
def test_articles_of_one_time_renamed_make_the_same_stories(seed: int) -> None:
    """h131 LOW: with several articles at one time, the walk took them by path, so
    renamed files made other stories (and ids) and named other joins."""
    names = [f"{n:02d}.md" for n in range(len(SAME_TIMES))]
    first = _same_times(names)
    random.Random(seed).shuffle(names)
    assert _same_times(names) == first
    assert max(map(len, first[0])) >= 4  # (the storm's copies are one story)


def _one_title(names: list[str]) -> set[tuple[str, str, str]]:
    made = []
    for n, name in enumerate(names):
        data = {"title": "Washington economy shrinks in third quarter",
                "excerpt": f"Report number {13 + 9 * n} said details would follow.",
                "publishedDateTime": "2025-03-14T10:00:00Z",
                "webUrl": f"https://www.o{n}.example/a/{n}", "quality": 50 + 5 * n,
                "provider": {"name": f"O{n}"}}  # fmt: skip
        made.append(article_from_mapping(name, data))
    return _shown(group_stories(made))


@pytest.mark.parametrize("seed", range(6))
def test_equally_alike_articles_of_one_time_are_named_by_their_words(seed: int) -> None:
    """h132 LOW: three of one title and time, their excerpts apart, each pair equally
    alike: which one a join named went by path, and changed with a rename."""
    names = [f"{n}.md" for n in "abcd"]
    first = _one_title(names)
    random.Random(seed).shuffle(names)
    assert _one_title(names) == first and len(first) == 3
