"""The queue's actions without the screen: a story edit that fails halfway is taken
back whole, and a busy folder lock refuses the decision."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from conftest import held_elsewhere
from review_helpers import corpus, files, make_queue

import newscli.edit.engine as engine
from newscli.edit.journal import list_batches
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
    with (
        held_elsewhere(folder),
        pytest.raises(ReviewError, match=r"another newscli run.*start review with --wait SECONDS"),
    ):
        queue.publish(story)  # the folder is locked (by "another run"): refused
    assert files(folder) == before and story.state == PENDING
    assert queue.publish(story) == "publish: 2 files changed"
    assert all(b"published: true" in (folder / n).read_bytes() for n in ("a.md", "a2.md"))


def test_a_file_changed_meanwhile_is_said_not_taken_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """h123 MED: a story's decision refused at its second file, the first one changed
    by another program meanwhile: the first cannot be taken back (it is left as it is,
    in the journal for `newscli undo`), and the status line said "nothing changed"."""
    folder, _, queue, story = _first_story(tmp_path, monkeypatch)
    real = engine.edit_file

    def failing(path: str, *args: Any, **kwargs: Any) -> engine.Outcome:
        if path.endswith("a2.md"):
            with open(folder / "a.md", "a", encoding="utf-8") as other:  # another program
                other.write("appended\n")
            raise engine.EditRefusedError("read-only; left alone")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(engine, "edit_file", failing)
    with pytest.raises(ReviewError) as raised:
        queue.publish(story)
    said = str(raised.value)
    assert said.startswith("feeds/a2.md: read-only; left alone; not taken back: "), said
    assert "nothing changed" not in said and "newscli undo" in said
    assert b"published: true" in (folder / "a.md").read_bytes()  # left as it is
    assert story.state == PENDING


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


@pytest.mark.parametrize("cached", [False, True])
def test_a_decision_and_its_undo_keep_the_names_of_a_file_one_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cached: bool
) -> None:
    """A hard link in a subfolder (the walk reads the file once, as feeds/a.md) is made
    a name of the file the decision writes, and of the one its undo restores; with the
    cache, the queue's first rows come from it (review.start's light rows)."""
    folder = corpus(tmp_path, fillers=0)
    (folder / "sub").mkdir()
    other = folder / "sub" / "alpha.md"
    os.link(folder / "a.md", other)
    original = other.read_bytes()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWSCLI_CACHE_DIR", str(tmp_path / "cache"))
    if cached:
        make_queue(["feeds"], no_cache=False)  # (fills the cache)
        import newscli.index.loader as loader

        def no_load(*args: Any) -> None:
            raise AssertionError("loaded: the rows were not the cache's")

        monkeypatch.setattr(loader, "load_paths", no_load)
    queue = make_queue(["feeds"], no_cache=not cached)
    story = queue.items[0]
    assert story.kept.path == "feeds/a.md"
    assert queue.publish(story) == "publish: 2 files changed"
    assert other.samefile(folder / "a.md") and b"published: true" in other.read_bytes()
    assert queue.undo().startswith("undone")
    assert other.samefile(folder / "a.md") and other.read_bytes() == original


def test_a_name_replaced_while_deciding_is_left_alone_and_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newscli.edit import names

    folder = corpus(tmp_path, fillers=0)
    (folder / "sub").mkdir()
    other = folder / "sub" / "alpha.md"
    os.link(folder / "a.md", other)
    monkeypatch.chdir(tmp_path)
    queue = make_queue(["feeds"])
    finish = names.Relink.finish

    def replaced_first(self: names.Relink) -> None:
        (folder / "sub" / "new").write_bytes(b"a correction\n")
        os.replace(folder / "sub" / "new", other)
        finish(self)

    monkeypatch.setattr(names.Relink, "finish", replaced_first)
    said = "feeds/sub/alpha.md: changed since it was read, no longer the same file as feeds/a.md"
    assert queue.publish(queue.items[0]) == f"publish: 2 files changed; {said}; left alone"
    assert other.read_bytes() == b"a correction\n"
    monkeypatch.setattr(names.Relink, "finish", finish)
    said = said.replace("since it was read", "since the edit")
    assert queue.undo() == f"undone: the files hold their old bytes; {said}; left alone"
    assert other.read_bytes() == b"a correction\n"


def test_undo_takes_back_the_session_s_decision_after_another_run_edited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """h29: once any other run had edited anything, `u` refused, its hint naming the
    other run's edit. It now reverts the session's own batch; a file the other run
    changed again is refused, never overwritten; the other run's edit stays undoable."""
    from conftest import run_cli

    folder, before, queue, story = _first_story(tmp_path, monkeypatch)
    assert queue.publish(story) == "publish: 2 files changed"
    other = run_cli("set", "quality=5", "feeds/b.md", cwd=tmp_path)  # another run, after
    assert other.returncode == 0, other.stderr
    after_other = files(folder)
    assert queue.undo().startswith("undone")
    now = files(folder)
    assert now["a.md"] == before["a.md"] and now["a2.md"] == before["a2.md"]
    assert now["b.md"] == after_other["b.md"] != before["b.md"]  # the other run's edit kept
    assert len(list_batches()) == 1  # the session's batch left the journal, not the other
    assert run_cli("undo", cwd=tmp_path).returncode == 0  # and `newscli undo` reverts it
    assert files(folder) == before

    # the other run changed one file again: it is refused, with why, and left as it is;
    # the other file is restored, as `newscli undo` does (h31: nothing was restored)
    story = queue.items[0]
    published = files(folder)
    assert queue.publish(story) == "publish: 2 files changed"
    again = run_cli("set", "quality=1", "feeds/a.md", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    held = files(folder)
    assert queue.undo() == (
        "undone, except feeds/a.md: changed since the edit; not reverted (left as it is)"
    )
    now = files(folder)
    assert now["a.md"] == held["a.md"] and now["a2.md"] == published["a2.md"]
    assert story.state == PENDING
    # the refused file stays in the journal: once the other run's edit is undone, the
    # next `newscli undo` restores it too
    assert run_cli("undo", cwd=tmp_path).returncode == 0
    last = run_cli("undo", cwd=tmp_path)
    assert "restored 1, already 0, refused 0" in last.stderr, last.stderr
    assert files(folder) == published
    with pytest.raises(ReviewError, match="nothing to undo in this session"):
        queue.undo()


def test_undo_after_another_run_took_the_decision_back_goes_on_to_the_one_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """h30: once `newscli undo` (another run) had taken back the session's last batch,
    `u` said "no longer in the undo journal" every time, stuck on it, and the counts
    kept the decision. It now forgets that one (saying why) and the next `u` takes
    back the decision before it."""
    from conftest import run_cli

    folder, before, queue, story = _first_story(tmp_path, monkeypatch)
    second = queue.items[1]
    assert queue.publish(story) == "publish: 2 files changed"
    assert queue.publish(second).startswith("publish: ")
    assert queue.counts()["published"] == 2
    outside = run_cli("undo", cwd=tmp_path)  # takes back the newest batch: the second
    assert outside.returncode == 0, outside.stderr
    assert queue.undo().startswith("already taken back outside this session (newscli undo")
    assert queue.counts()["published"] == 1 and second.state == PENDING
    assert not second.kept.published  # the story shows its file as it is now
    assert queue.undo().startswith("undone: the files hold their old bytes")
    assert files(folder) == before and queue.counts()["published"] == 0
    with pytest.raises(ReviewError, match="nothing to undo in this session"):
        queue.undo()


def test_topics_replaced_whole_keep_a_block_list_a_block_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """h29: `t` replacing every topic with one that needs quotes turned a block list
    into a flow list (emptied on the way, written `[]`, then added to)."""
    folder, _, queue, _ = _first_story(tmp_path, monkeypatch)
    text = (folder / "b.md").read_text(encoding="utf-8")
    block = text.replace("topics: [AI]\n", "topics:\n  - AI\n  - Space\n")
    assert block != text
    (folder / "b.md").write_text(block, encoding="utf-8")
    queue = make_queue(["feeds"])
    story = next(i for i in queue.items if i.kept.path == "feeds/b.md")
    queue.set_topics(story, "yes, C: lang")
    after = (folder / "b.md").read_text(encoding="utf-8")
    assert after == block.replace("  - AI\n  - Space\n", '  - "yes"\n  - "C: lang"\n')


def test_a_published_field_counts_as_that_decision(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """h31: `e published=yes` published the file, but the counts said "published 0" and
    the story stayed to do."""
    folder, before, queue, story = _first_story(tmp_path, monkeypatch)
    queue.set_field(story, "published=yes")
    assert story.state == "published" and queue.counts()["published"] == 1
    queue.set_field(story, "published=false")
    assert story.state == PENDING and queue.counts()["published"] == 0
    queue.set_field(story, "published=true")
    queue.set_field(story, "quality=70")  # another field: the state as it was
    assert story.state == "published"
    for _ in range(4):
        queue.undo()
    assert files(folder) == before and story.state == PENDING


def test_a_field_named_like_a_known_one_is_refused_unless_the_article_has_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As `set`: `e qualty=5` would add a text field; one the file holds is edited."""
    folder, before, queue, story = _first_story(tmp_path, monkeypatch)
    with pytest.raises(
        ReviewError,
        match=r"^unknown field 'qualty'; did you mean 'quality'\? "
        r"\(`newscli set --new-field` sets it as named\)$",
    ):
        queue.set_field(story, "qualty=5")
    assert files(folder) == before
    path = folder / os.path.basename(story.kept.path)
    path.write_text(path.read_text().replace("\n---", "\nQuality: 1\n---", 1))
    queue = make_queue(["feeds"])
    story = next(i for i in queue.items if i.kept.path == story.kept.path)
    queue.set_field(story, "Quality=5")
    assert '\nQuality: "5"\n' in path.read_text()


def test_a_rejected_field_counts_as_that_decision(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """h36: `e rejected=true` wrote the text "true" (rejecting nothing) and the story
    stayed to do; now a boolean, and the decision it is."""
    folder, before, queue, story = _first_story(tmp_path, monkeypatch)
    queue.set_field(story, "rejected=yes")
    assert story.state == "rejected" and queue.counts()["rejected"] == 1
    assert "rejected: true\n" in (folder / os.path.basename(story.kept.path)).read_text()
    queue.set_field(story, "rejected=false")
    assert story.state == PENDING and queue.counts()["rejected"] == 0
    for _ in range(2):
        queue.undo()
    assert files(folder) == before and story.state == PENDING


def test_a_story_another_run_published_shows_published_once_reloaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """h47: a cron `export --mark-published` published the story while it was on screen;
    the key pressed then reloaded it ("changed on disk"), but the row, its label and the
    counts still said "to do"."""
    from conftest import run_cli

    _, _, queue, story = _first_story(tmp_path, monkeypatch)
    paths = [a.path for a in story.articles]
    other = run_cli("publish", *paths, cwd=tmp_path)
    assert other.returncode == 0, other.stderr
    with pytest.raises(ReviewError, match="changed on disk: reloaded"):
        queue.reject(story, None)
    assert story.state == "published" and queue.counts()["published"] == 1
    assert all(b"published: true" in (tmp_path / p).read_bytes() for p in paths)
    assert all(b"rejected" not in (tmp_path / p).read_bytes() for p in paths)


def test_a_story_another_run_published_in_part_stays_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """h58: only a story published whole was tested; one whose other article alone
    another run published is still to decide (its kept article is not published)."""
    from conftest import run_cli

    _, _, queue, story = _first_story(tmp_path, monkeypatch)
    other = story.articles[1].path
    assert run_cli("publish", other, cwd=tmp_path).returncode == 0
    with pytest.raises(ReviewError, match="changed on disk: reloaded"):
        queue.reject(story, None)
    assert story.state == PENDING and queue.counts()["published"] == 0
    assert b"published: false" in (tmp_path / story.kept.path).read_bytes()


@pytest.mark.parametrize(
    ("topics", "named"),
    [
        ("AI, Climate, Space", "tag add Space feeds/c.md"),
        ("AI", "tag remove Climate feeds/c.md"),
        ("AI, Space", "review topics feeds/c.md"),  # both ways: no one tag command does it
    ],
)
def test_history_names_the_command_a_topics_change_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, topics: str, named: str
) -> None:
    """h58: with a topic added and one removed, history named `tag remove` (running it
    would not add the other): the h49 kind of slip, untested."""
    import json

    from conftest import run_cli

    corpus(tmp_path, fillers=0)
    monkeypatch.chdir(tmp_path)
    queue = make_queue(["feeds"])
    item = next(i for i in queue.items if i.kept.path == "feeds/c.md")  # topics AI, Climate
    queue.set_topics(item, topics)
    (newest, *_) = json.loads(run_cli("history", "--format", "json", cwd=tmp_path).stdout)
    assert " ".join(newest["command"]).endswith(named), newest["command"]


def test_review_e_refuses_a_derived_field_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """h143: as `set` refuses it (tests/edit/test_set_derived.py)."""
    folder = corpus(tmp_path, fillers=0)
    monkeypatch.chdir(tmp_path)
    before = files(folder)
    queue = make_queue(["feeds"])
    with pytest.raises(ReviewError, match=r"'date' is publishedDateTime"):
        queue.set_field(queue.items[0], "date=2020-01-01")
    assert files(folder) == before
