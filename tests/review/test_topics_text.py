"""The topics prompt's text reads back as the topics it was made from (h36: a prompt
left as it was split "Washington, D.C." in two, trimmed " padded ", dropped "")."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from review_helpers import corpus, files, make_queue

from newscli.review.app import ReviewApp, screen_text
from newscli.review.topics_text import read_topics, topics_text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=' ,"aZ\t-.', max_size=8), max_size=6))
def test_the_text_reads_back_as_the_topics(topics: list[str]) -> None:
    assert read_topics(topics_text(topics)) == topics


def test_typed_texts() -> None:
    assert read_topics('AI, "Washington, D.C.",  Space ,,') == ["AI", "Washington, D.C.", "Space"]
    assert read_topics('"", " "') == ["", " "]  # quoted: kept as written
    assert read_topics('"say ""x""", "open') == ['say "x"', "open"]
    assert topics_text(["A", "B, C", " p ", 'q"', '"r']) == 'A, "B, C", " p ", q", """r"'


def test_enter_on_the_prompt_as_it_was_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = corpus(tmp_path, fillers=2)
    (folder / "a.md").write_text(
        (folder / "a.md")
        .read_text(encoding="utf-8")
        .replace(
            "topics: [AI]",
            'topics:\n  - "Washington, D.C."\n  - " padded "\n  - AI\n  - ai\n  - ""',
        ),
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    before = files(folder)
    assert "Washington, D.C." in before["a.md"].decode()
    asyncio.run(_enter(make_queue(["feeds"]), folder, before))


async def _enter(queue: object, folder: Path, before: dict[str, bytes]) -> None:
    app = ReviewApp(queue)  # type: ignore[arg-type]
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("t", "enter")
        assert "topics unchanged" in screen_text(app)
        assert files(folder) == before
        await pilot.press("t", "end", *", Space", "enter")  # one added, the rest kept
        after = files(folder)["a.md"].decode()
        kept = '  - "Washington, D.C."\n  - " padded "\n  - AI\n  - ai\n  - ""\n'
        assert kept + '  - "Space"\n' in after  # (quoted as the item before it)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="\\\\n\x1b\n\u200ba,", max_size=5), max_size=5, unique=True))
def test_each_shown_topic_gives_back_its_own_topic(topics: list[str]) -> None:
    """h47: "a\\\\nb" (a backslash) and "a<line break>b" both showed as `a\\nb`;
    deleting the second removed the first. Every topic shows apart from the others, and
    deleting any one keeps exactly the others, as they are in the file."""
    from newscli.review.topics_text import shown_topics, topics_read_back

    shown = [shown_topics([t]) for t in topics]
    assert len(set(shown)) == len(shown)
    for gone in range(len(topics)):
        rest = [s for n, s in enumerate(shown) if n != gone]
        kept = topics_read_back(", ".join(rest), topics)
        assert kept == [t for n, t in enumerate(topics) if n != gone] or (
            kept is None and not rest and topics == []
        )
