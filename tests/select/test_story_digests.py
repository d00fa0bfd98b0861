"""The two digests a stored grouping is found by (select/story_data): of its files'
versions and of its content. Whatever differs in what the grouping is made of gives
another digest; equal inputs, the same one."""

from itertools import permutations

import pytest

from newscli.select.story_data import content_digest, grouping_digest
from newscli.select.story_rules import StoryRules

RULES = StoryRules()
PATHS = ["/f/a.md", "/f/b.md", "/f/c.md"]
KEYS = ["/r/f/a.md", "/r/f/b.md", "/r/f/c.md"]
STAMPS = [(10, 1_700_000_000_000_000_000, 5), (11, -5, 6), (12, 3, 2**40)]
TIMES: list[float | None] = [1.5, None, 0.0]
SUMS = [b"a" * 16, b"b" * 16, b"c" * 16]


def test_the_versions_digest_names_every_part_of_its_input() -> None:
    base = grouping_digest(PATHS, KEYS, STAMPS, RULES)
    assert base == grouping_digest(list(PATHS), list(KEYS), [*STAMPS], RULES)
    others = {
        grouping_digest(PATHS[::-1], KEYS[::-1], STAMPS[::-1], RULES),  # another order
        grouping_digest(["/f/a.md", "/f/b.md", "/f/d.md"], KEYS, STAMPS, RULES),
        grouping_digest(PATHS, ["/r/f/a.md", "/r/f/b.md", "/r/g/c.md"], STAMPS, RULES),
        grouping_digest(PATHS[:2], KEYS[:2], STAMPS[:2], RULES),
        grouping_digest(["/f/a.md/f/b.md", "", "/f/c.md"], KEYS, STAMPS, RULES),
        grouping_digest(PATHS, KEYS, STAMPS, StoryRules(window=1.0)),
        grouping_digest(PATHS, KEYS, STAMPS, StoryRules(evidence=frozenset({"url"}))),
    }
    for n in range(3):
        for part in range(3):
            changed = [list(stamp) for stamp in STAMPS]
            changed[n][part] += 1
            others.add(grouping_digest(PATHS, KEYS, changed, RULES))  # type: ignore[arg-type]
    # Numbers past 64 bits (an inode of some file systems) are hashed too.
    huge = [(10, 1, 2**64 + 1), (11, 2, 6), (12, 3, 7)]
    others.add(grouping_digest(PATHS, KEYS, huge, RULES))
    others.add(grouping_digest(PATHS, KEYS, [(10, 1, 2**64 + 2), *huge[1:]], RULES))
    assert base not in others and len(others) == 7 + 9 + 2


def test_the_content_digest_names_every_part_of_its_input() -> None:
    base = content_digest(PATHS, TIMES, SUMS, RULES)
    assert base == content_digest(list(PATHS), list(TIMES), list(SUMS), RULES)
    others = {
        content_digest(PATHS, [1.5, 0.0, 0.0], SUMS, RULES),  # no time is not 1970
        content_digest(PATHS, [1.5, None, None], SUMS, RULES),
        content_digest(PATHS, [1.5000000000000002, None, 0.0], SUMS, RULES),
        content_digest(PATHS, TIMES, [SUMS[0], b"x" * 16, SUMS[2]], RULES),
        content_digest(PATHS, TIMES, [SUMS[0], b"b" * 15, b"c" * 17], RULES),
        content_digest(["/f/a.md", "/f/b.md", "/f/x.md"], TIMES, SUMS, RULES),
        content_digest(PATHS, TIMES, SUMS, StoryRules(window=1.0)),
    }
    for order in list(permutations(range(3)))[1:]:
        others.add(
            content_digest(
                [PATHS[i] for i in order],
                [TIMES[i] for i in order],
                [SUMS[i] for i in order],
                RULES,
            )
        )
    assert base not in others and len(others) == 7 + 5
    # (Digests of other lengths than 16 bytes, which the cache never gives: told apart.)
    first = content_digest(PATHS, TIMES, [b"x" * 15, b"x" * 17, SUMS[2]], RULES)
    assert first != content_digest(PATHS, TIMES, [b"x" * 17, b"x" * 15, SUMS[2]], RULES)
    assert grouping_digest(PATHS, KEYS, STAMPS, RULES) != base


def test_a_new_grouping_method_is_a_new_digest(monkeypatch: pytest.MonkeyPatch) -> None:
    """A grouping stored by an older method (similarity.METHOD) is never replayed: both
    digests name the method."""
    from newscli.select import similarity

    before = (
        grouping_digest(PATHS, KEYS, STAMPS, RULES),
        content_digest(PATHS, TIMES, SUMS, RULES),
    )
    monkeypatch.setattr(similarity, "METHOD", similarity.METHOD + 1)
    after = (
        grouping_digest(PATHS, KEYS, STAMPS, RULES),
        content_digest(PATHS, TIMES, SUMS, RULES),
    )
    assert before[0] != after[0] and before[1] != after[1]
