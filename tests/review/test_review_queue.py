"""The queue's actions without the screen: a story edit that fails halfway is taken
back whole, and a busy folder lock refuses the decision."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from review_helpers import corpus, files, make_queue

import newscli.edit.engine as engine
from newscli.edit.journal import list_batches
from newscli.edit.locking import folder_locks
from newscli.review.queue import PENDING, Item, Queue, ReviewError


def _first_story(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, dict[str, bytes], Queue, Item]:
    """The corpus's folder, its files' bytes, a queue over it and its first story."""
    folder = corpus(tmp_path, fillers=0)
    monkeypatch.chdir(tmp_path)
    queue = make_queue(["feeds"])
    return folder, files(folder), queue, queue.items[0]


def test_a_story_refused_halfway_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, before, queue, story = _first_story(tmp_path, monkeypatch)
    assert [a.path for a in story.articles] == ["feeds/a.md", "feeds/a2.md"]
    real = engine.edit_file

    def failing(path: str, *args: Any, **kwargs: Any) -> engine.Outcome:
        if path.endswith("a2.md"):
            raise engine.EditRefusedError("disk on fire")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(engine, "edit_file", failing)
    with pytest.raises(ReviewError, match=r"feeds/a2.md: disk on fire; nothing changed"):
        queue.publish(story)
    assert files(folder) == before  # a.md, written first, has its old bytes back
    assert story.state == PENDING and queue.done == []
    assert list_batches() == []  # the taken-back batch left the journal

    monkeypatch.setattr(engine, "edit_file", real)
    with folder_locks([str(folder)]), pytest.raises(ReviewError, match="another newscli run"):
        queue.publish(story)  # the folder is locked (by "another run"): refused
    assert files(folder) == before and story.state == PENDING
    assert queue.publish(story) == "publish: 2 files changed"
    assert all(b"published: true" in (folder / n).read_bytes() for n in ("a.md", "a2.md"))


def test_a_journal_that_cannot_be_written_changes_nothing_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, before, queue, story = _first_story(tmp_path, monkeypatch)
    blocked = tmp_path / "state-is-a-file"
    blocked.write_text("no journal can be made under a file\n")
    monkeypatch.setenv("NEWSCLI_STATE_DIR", str(blocked))
    with pytest.raises(ReviewError, match=r"cannot write the undo journal .*; nothing changed$"):
        queue.publish(story)
    assert files(folder) == before and story.state == PENDING and queue.done == []
