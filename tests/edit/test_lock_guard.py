"""h141: the edit engine writes a file only where this run holds its folder's lock as
the folder is now. A folder replaced by a copy after the run locked it has a lock file
of its own, which another run may hold while it edits the copy: the engine refused
nothing there, and wrote into the copy under the other run's lock."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import article_text, held_elsewhere, write

from newscli.edit.engine import EditRefusedError, edit_file
from newscli.edit.locking import LOCK_NAME, folder_locks, guarded
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
        assert "its folder was replaced while it was being edited" in refused.value.reason
        assert article.read_bytes() == before
        assert (tmp_path / "aside" / "a1.md").read_bytes() == before
        assert sorted(p.name for p in feeds.iterdir()) == sorted(["a1.md", LOCK_NAME])


def test_the_engine_writes_only_under_the_folders_lock(tmp_path: Path) -> None:
    """Every command locks the folders it edits in; an edit outside a lock (a path a
    command forgot to lock) is refused, not made unguarded."""
    article = write(tmp_path / "a.md", article_text())
    before = article.read_bytes()
    with pytest.raises(EditRefusedError, match="its folder was replaced"):
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
