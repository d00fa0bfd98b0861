"""The story part of a --where expression (select/where_story): True or False where the
story values decide it whatever the other fields hold, None where they do not; a
comparison of story fields alone as compile_where makes it."""

from datetime import datetime, timezone

import pytest

from newscli.select.where_story import story_fields, story_test

NOW = datetime(2025, 1, 1, tzinfo=timezone.utc)
ALONE = {"size": 1, "rank": 1, "outlets": 0, "first": None, "id": "abc"}
SEVERAL = {"size": 3, "rank": 2, "outlets": 2, "first": NOW, "id": "def"}


@pytest.mark.parametrize(
    ("expression", "alone", "several"),
    [
        ("story.size > 1", False, True),
        ("story.size > 1 and quality >= 50", False, None),
        ("story.size > 1 or quality >= 50", None, True),
        ("not (story.size = 1 and quality < 50)", None, True),
        ("not (story.size > 1) or title contains 'x'", True, None),
        ("story.outlets >= 2 and not published", False, None),
        ("story.first = null", True, False),
        ("story.first < 2025-01-02 or story.rank = 1", True, True),
        ('story.id in ["abc", "xyz"]', True, False),
        ("story.id", True, True),  # a field alone: set and not empty
        ("story.size > story.rank", False, True),
        ("story.first < date", None, None),  # another field in the comparison
        ("(story.size = 1 or heat > 9) and (story.rank = 1 or heat < 3)", True, None),
    ],
)
def test_story_test_decides_what_the_story_values_decide(
    expression: str, alone: bool | None, several: bool | None
) -> None:
    test = story_test(expression)
    assert test(ALONE, NOW) is alone
    assert test(SEVERAL, NOW) is several


def test_story_fields_named() -> None:
    assert story_fields("story.size > 1 and (quality > 2 or not story.id = 'x')") == {"size", "id"}
    assert story_fields("title contains 'story.size'") == set()
