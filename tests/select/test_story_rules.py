"""Which texts ask for stories: a story.* name among an expression's words, a field
list or a sort key; not the same letters inside a quoted string."""

import pytest

from newscli.select.story_rules import uses_story_fields


@pytest.mark.parametrize(
    "text",
    [
        "story.size > 1",
        "quality >= 50 and (story.outlets >= 2 or not published)",
        "title,story.id,story.rank",
        "story.size:desc",  # (a sort key: not an expression; taken as asking)
        "story.size >",  # (a bad expression: its own error follows)
    ],
)
def test_story_names_ask_for_stories(text: str) -> None:
    assert uses_story_fields(text)


@pytest.mark.parametrize(
    "text",
    ["title contains 'story.'", 'excerpt =~ "story.size"', "title,quality", "", None],
)
def test_the_letters_in_a_string_do_not(text: str | None) -> None:
    assert not uses_story_fields(text)


def test_any_of_several_texts() -> None:
    assert uses_story_fields("title contains 'story.'", None, "story.first")
    assert not uses_story_fields("title contains 'story.'", None, "quality")
