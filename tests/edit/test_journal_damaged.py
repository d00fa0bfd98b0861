"""A batch header (batch.json) that was damaged (a bad disk, a hand edit) is listed as a
damaged batch (history shows it), and undo of it is one clear journal error: never an
internal error, and never silently skipped so that undo would revert an older batch
instead. (A damaged older batch blocks nothing newer: tests/cli/test_journal_damage.py.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newscli.edit import journal, undo_plan


def _batch(state: Path, target: Path) -> Path:
    batch = journal.Batch.begin(["newscli", "set", "note=x"], root=state, now=1000.0)
    number = batch.record_old(str(target), target.read_bytes(), b"new")
    target.write_bytes(b"new")
    batch.record_new(number, journal.Stamp.of(target))
    batch.commit()
    (folder,) = journal.journal_dir(state).iterdir()
    return folder / "batch.json"


@pytest.mark.parametrize(
    "damage",
    [
        b'{"time": "\\u001b[2J", "complete": true, "count": 1}',
        b'{"time": 1.0, "complete": true, "count": "many"}',
        b'{"time": 1e300, "complete": true, "count": 1}',
        b'{"time": NaN, "complete": true, "count": 1}',
        b'{"time": 1.0, "complete": true, "count": 1, "command": 5}',
        b'{"time": ',
        b"[]",
    ],
)
def test_a_damaged_header_is_listed_and_undo_refuses_it(tmp_path: Path, damage: bytes) -> None:
    state = tmp_path / "state"
    target = tmp_path / "a.md"
    target.write_bytes(b"old")
    header = _batch(state, target)
    assert json.loads(header.read_bytes())["complete"] is True
    header.write_bytes(damage)
    (info,) = journal.list_batches(state)
    assert info.damaged and info.command == ()
    with pytest.raises(journal.JournalError, match="damaged"):
        undo_plan.undo_last(state)


def test_an_edit_is_not_failed_by_a_damaged_old_batch(tmp_path: Path) -> None:
    state = tmp_path / "state"
    target = tmp_path / "a.md"
    target.write_bytes(b"old")
    _batch(state, target).write_bytes(b"{")
    batch = journal.Batch.begin(["newscli", "set", "note=y"], root=state, now=2000.0)
    number = batch.record_old(str(target), target.read_bytes(), b"newer")
    target.write_bytes(b"newer")
    batch.record_new(number, journal.Stamp.of(target))
    batch.commit(keep=1)  # the damaged batch is the oldest: pruned, no error
    assert [b.command for b in journal.list_batches(state)] == [("newscli", "set", "note=y")]
