"""The one edit engine (edit/engine.py), in process: journal before replace, verified
transforms, symbolic links edited through."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest
from conftest import article_text, write

import newscli.edit.atomic as atomic
import newscli.edit.engine as engine
from newscli.edit.engine import ABSENT, EditRefusedError, FieldChange, LazyBatch, Plan, edit_file
from newscli.edit.journal import list_batches
from newscli.edit.locking import folder_locks
from newscli.edit.text_verify import Change
from newscli.edit.transforms import assign, set_fields, tag_add, unset_fields
from newscli.edit.undo_plan import undo_last


def test_old_bytes_are_journaled_before_the_file_is_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, under_lock: None
) -> None:
    path = write(tmp_path / "a.md", article_text(quality=10))
    original = path.read_bytes()
    real, real_fsync = engine.write_atomic, os.fsync
    seen: list[int] = []
    synced: list[str] = []  # the files synced so far (h53: the log's sync, untested)

    def recording_fsync(fd: int) -> None:
        synced.append(os.path.basename(os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    def checking_write(
        target: str, data: bytes, before_replace: Any = None, prepare: Any = None
    ) -> None:
        seen.append(sum(b.count for b in list_batches()))  # what a crash now could undo
        assert "old.log" in synced, synced  # and on the disk, not only in its cache
        real(target, data, before_replace, prepare)

    monkeypatch.setattr(os, "fsync", recording_fsync)
    monkeypatch.setattr(engine, "write_atomic", checking_write)
    batch = LazyBatch(["newscli", "set", "quality=20"])
    outcome = edit_file(str(path), set_fields([(("quality",), 20)]), batch=batch)
    batch.commit()
    assert seen == [1]
    assert outcome.report == (FieldChange("quality", 10, 20),)
    assert undo_last().files[0].old == original


def test_a_failed_write_is_forgotten(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "a.md", article_text(quality=10))
    before = path.read_bytes()

    def failing_write(
        target: str, data: bytes, before_replace: Any = None, prepare: Any = None
    ) -> None:
        raise engine.OutputError("disk full")

    monkeypatch.setattr(engine, "write_atomic", failing_write)
    batch = LazyBatch(["newscli", "set"])
    with pytest.raises(EditRefusedError, match="disk full"):
        edit_file(str(path), set_fields([(("quality",), 20)]), batch=batch)
    batch.commit()
    assert path.read_bytes() == before
    assert list_batches() == []  # nothing changed: no batch


def test_a_transform_that_changes_more_than_it_says_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "a.md", article_text(title="Old", quality=10))
    before = path.read_bytes()

    def sloppy(text: str, data: dict[str, Any]) -> Plan:
        new = text.replace("quality: 10", "quality: 20").replace('"Old"', '"New"')
        return Plan(new, (Change(("quality",), 20),), (FieldChange("quality", 10, 20),))

    with pytest.raises(EditRefusedError, match="could not be verified"):
        edit_file(str(path), sloppy)
    assert path.read_bytes() == before


def test_an_edit_that_would_make_the_article_invalid_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "a.md", article_text())
    before = path.read_bytes()
    with pytest.raises(EditRefusedError, match="invalid"):
        edit_file(str(path), unset_fields([("title",)]))
    assert path.read_bytes() == before


def test_a_symbolic_link_is_edited_through(tmp_path: Path) -> None:
    target = write(tmp_path / "real" / "a.md", article_text(topics="AI"))
    link = tmp_path / "link.md"
    link.symlink_to(target)
    with folder_locks([str(link)]):  # (its target's folder)
        outcome = edit_file(str(link), tag_add("topics", ["Science"]))
    assert outcome.report == (FieldChange("topics", ["AI"], ["AI", "Science"]),)
    assert link.is_symlink()
    assert b"topics: [AI, Science]" in target.read_bytes()


def test_dry_run_and_no_change_write_nothing(tmp_path: Path) -> None:
    from newscli.edit.field_values import parse_assignment

    path = write(tmp_path / "a.md", article_text(quality=10))
    before = path.read_bytes()
    stamp = path.stat().st_mtime_ns
    dry = edit_file(str(path), assign([parse_assignment("status=held")]), dry_run=True)
    assert dry.report == (FieldChange("status", ABSENT, "held"),)
    same = edit_file(str(path), assign([parse_assignment("quality=10")]))
    assert not same.changed
    assert path.read_bytes() == before and path.stat().st_mtime_ns == stamp


def test_a_failed_write_names_the_file_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report's line names the file (`a.md: ...`): the reason does not again."""
    path = write(tmp_path / "a.md", article_text(quality=10))

    def full_disk(fd: int) -> None:  # the new file's bytes do not fit (atomic's own path)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    before = path.read_bytes()
    monkeypatch.setattr(atomic.os, "fsync", full_disk)  # (no batch: the journal's fsync too)
    with pytest.raises(EditRefusedError) as refused:
        edit_file(str(path), set_fields([(("quality",), 20)]))
    assert refused.value.reason == "cannot write it: No space left on device"
    assert path.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["a.md"]
