"""h141: the edit engine writes a file only where this run holds its folder's lock as
the folder is now. A folder replaced by a copy after the run locked it has a lock file
of its own, which another run may hold while it edits the copy: the engine refused
nothing there, and wrote into the copy under the other run's lock."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import article_text, held_elsewhere, write

from newscli.edit.engine import EditRefusedError, edit_file
from newscli.edit.locking import LOCK_NAME, NOT_HELD, folder_locks, guarded
from newscli.edit.transforms import publish, set_fields


def test_a_folder_replaced_by_a_copy_after_its_lock_is_not_written(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    article = write(feeds / "a1.md", article_text(quality=10))
    with folder_locks([str(article)]):
        assert guarded(str(feeds.resolve()))
        feeds.rename(tmp_path / "aside")
        shutil.copytree(tmp_path / "aside", feeds)  # (its lock file copied: another file)
        before = article.read_bytes()
        with held_elsewhere(feeds), pytest.raises(EditRefusedError) as refused:
            edit_file(str(article), set_fields([(("quality",), 20)]))
        assert refused.value.reason == f"{NOT_HELD}; left alone"
        assert article.read_bytes() == before
        assert (tmp_path / "aside" / "a1.md").read_bytes() == before
        assert sorted(p.name for p in feeds.iterdir()) == sorted(["a1.md", LOCK_NAME])


def test_the_engine_writes_only_under_the_folders_lock(tmp_path: Path) -> None:
    """Every command locks the folders it edits in; an edit outside a lock (a path a
    command forgot to lock) is refused, not made unguarded."""
    article = write(tmp_path / "a.md", article_text())
    before = article.read_bytes()
    with pytest.raises(EditRefusedError, match="its folder was replaced, or its lock file"):
        edit_file(str(article), publish(True))
    assert article.read_bytes() == before
    with folder_locks([str(article)]):
        assert edit_file(str(article), publish(True)).changed
    assert b"published: true" in article.read_bytes()


def test_a_lock_file_replaced_is_not_guarded(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    with folder_locks([str(feeds)]):
        assert guarded(str(feeds))
        (feeds / LOCK_NAME).unlink()
        (feeds / LOCK_NAME).write_bytes(b"")
        assert not guarded(str(feeds))
    assert not guarded(str(feeds))


def test_a_lock_file_removed_mid_run_is_said_so(tmp_path: Path) -> None:
    """h146 MED: a lock file removed by a clean-up script was said to be "its folder
    was replaced" alone."""
    article = write(tmp_path / "a.md", article_text())
    before = article.read_bytes()
    with folder_locks([str(article)]):
        (tmp_path / LOCK_NAME).unlink()
        with pytest.raises(EditRefusedError) as refused:
            edit_file(str(article), publish(True))
    assert "or its lock file removed" in refused.value.reason
    assert article.read_bytes() == before


@pytest.mark.parametrize("lost", [False, True])
def test_another_name_is_relinked_only_under_its_folders_lock(tmp_path: Path, lost: bool) -> None:
    """h146 MED: an edited file's other (hard-linked) name in another folder was made a
    name of the new file with no look at that folder's lock: one replaced since the run
    locked it (or whose lock file went) is written under another run's lock. Now that
    name is left alone, and said."""
    from newscli.edit.names import OtherName, Relink, identity_of

    edited, other = write(tmp_path / "a" / "x.md", article_text()), tmp_path / "b" / "x.md"
    other.parent.mkdir()
    os.link(edited, other)
    new = write(tmp_path / "a" / "new.md", article_text(title="New"))
    with folder_locks([str(edited), str(other)]):
        accepted = identity_of(str(other))
        assert accepted is not None
        relink = Relink([OtherName("b/x.md", str(other), accepted)], "a/x.md")
        relink.prepare(str(new))
        if lost:  # (another run's lock file now: removed and made again)
            (other.parent / LOCK_NAME).unlink()
            (other.parent / LOCK_NAME).write_bytes(b"")
        relink.finish()
    if lost:
        assert relink.left == [("b/x.md", f"{NOT_HELD}; left alone")]
        assert other.samefile(edited) and not other.samefile(new)
    else:
        assert relink.left == [] and other.samefile(new)
    assert sorted(p.name for p in other.parent.iterdir()) == sorted([LOCK_NAME, "x.md"])
