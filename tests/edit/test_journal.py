"""The undo journal: where it lives, the batch protocol, undo plans, refusals, pruning."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from newscli.edit import journal, state_place, undo_plan


def _edit(batch: journal.Batch, path: Path, new: bytes) -> None:
    """What the edit engine does for one file: journal, replace, stamp."""
    number = batch.record_old(str(path), path.read_bytes(), new)
    path.write_bytes(new)
    batch.record_new(number, journal.Stamp.of(path))


def test_state_dir_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("NEWSCLI_STATE_DIR", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_STATE_HOME", raising=False)
    assert state_place.state_dir() == tmp_path / "home" / ".local" / "state" / "newscli"
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    assert state_place.state_dir() == tmp_path / "xdg" / "newscli"
    monkeypatch.setenv("NEWSCLI_STATE_DIR", str(tmp_path / "explicit"))
    assert state_place.state_dir() == tmp_path / "explicit"


def test_undo_restores_old_bytes_batch_by_batch(tmp_path: Path) -> None:
    state = tmp_path / "state"
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_bytes(b"\xef\xbb\xbf---\r\nquality: 1\r\n---\r\nno newline")
    b.write_bytes(b"---\nquality: 2\n---\n")
    originals = {a: a.read_bytes(), b: b.read_bytes()}
    first = journal.Batch.begin(["newscli", "set", "quality=5"], root=state, now=1000.0)
    _edit(first, a, b"A1")
    _edit(first, b, b"B1")
    first.commit()
    second = journal.Batch.begin(["newscli", "tag", "add", "X"], root=state, now=2000.0)
    _edit(second, a, b"A2")
    second.commit()

    batches = journal.list_batches(state)
    assert [(x.command[1], x.count, x.complete) for x in batches] == [
        ("tag", 1, True),
        ("set", 2, True),
    ]
    assert batches[0].time == 2000.0
    header = json.loads((batches[1].folder / "batch.json").read_text())
    assert header["command"] == ["newscli", "set", "quality=5"]

    plan = undo_plan.undo_last(state)
    assert plan.batch.command[1] == "tag"
    assert [(f.path, f.old, f.status) for f in plan.files] == [(str(a), b"A1", journal.RESTORE)]
    for restore in plan.files:
        Path(restore.path).write_bytes(restore.old)
    undo_plan.finish_undo(plan)

    plan = undo_plan.undo_last(state)
    assert plan.batch.command[1] == "set"
    for restore in plan.files:
        assert restore.status == journal.RESTORE
        assert restore.expected == Path(restore.path).read_bytes()
        Path(restore.path).write_bytes(restore.old)
    undo_plan.finish_undo(plan)
    assert {a: a.read_bytes(), b: b.read_bytes()} == originals
    with pytest.raises(journal.JournalError, match="nothing to undo"):
        undo_plan.undo_last(state)


def test_files_changed_since_the_batch_are_refused(tmp_path: Path) -> None:
    state = tmp_path / "state"
    paths = [tmp_path / f"{name}.md" for name in "abcd"]
    for path in paths:
        path.write_bytes(b"old " + path.name.encode())
    batch = journal.Batch.begin(["newscli", "set", "x=1"], root=state)
    for path in paths:
        _edit(batch, path, b"new " + path.name.encode())
    batch.commit()
    paths[0].write_bytes(b"edited by hand")  # changed since: refused
    paths[1].unlink()  # gone: refused
    paths[2].write_bytes(b"old c.md")  # already back to the old bytes
    os.utime(paths[3], ns=(1, 1))  # touched, same bytes: restored, flagged
    plan = undo_plan.undo_last(state)
    status = {Path(f.path).name: (f.status, f.touched) for f in plan.files}
    assert status == {
        "a.md": (journal.CHANGED, False),
        "b.md": (journal.MISSING, False),
        "c.md": (journal.ALREADY, False),
        "d.md": (journal.RESTORE, True),
    }
    assert "not reverted" in plan.files[0].reason


def test_a_crash_mid_batch_keeps_every_old_version(tmp_path: Path) -> None:
    """A batch left incomplete (the run died) by a process that no longer runs is undone
    from what it recorded: the file replaced gets its old bytes, the one whose old
    bytes were recorded but never replaced is left as it is."""
    state = tmp_path / "state"
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_bytes(b"old a")
    b.write_bytes(b"old b")
    batch = journal.Batch.begin(["newscli", "set", "x=1"], root=state)
    number = batch.record_old(str(a), b"old a", b"new a")
    a.write_bytes(b"new a")  # replaced, then the crash came before record_new
    batch.record_old(str(b), b"old b", b"new b")  # recorded, never replaced
    header = json.loads((batch.folder / "batch.json").read_text())
    header["pid"] = _dead_pid()
    (batch.folder / "batch.json").write_text(json.dumps(header))
    assert not journal.list_batches(state)[0].complete
    plan = undo_plan.undo_last(state)
    assert [(Path(f.path).name, f.status) for f in plan.files] == [
        ("a.md", journal.RESTORE),
        ("b.md", journal.ALREADY),
    ]
    assert plan.files[0].old == b"old a"
    assert number == 1


def test_an_interrupted_batch_counts_only_the_files_replaced(tmp_path: Path) -> None:
    """Interrupted (abandon) after a file's write failed (forget): history counts, and
    undo plans, only the files replaced; with none replaced the batch is dropped."""
    state = tmp_path / "state"
    a, b, c = tmp_path / "a.md", tmp_path / "b.md", tmp_path / "c.md"
    for path in (a, b, c):
        path.write_bytes(b"old")
    batch = journal.Batch.begin(["newscli", "set", "x=1"], root=state)
    _edit(batch, a, b"new a")
    batch.forget(batch.record_old(str(b), b"old", b"new b"))  # its write failed
    _edit(batch, c, b"new c")
    batch.abandon()
    header = json.loads((batch.folder / "batch.json").read_text())
    header["pid"] = _dead_pid()  # the interrupted run has ended
    (batch.folder / "batch.json").write_text(json.dumps(header))
    [info] = journal.list_batches(state)
    assert (info.count, info.complete) == (2, False)
    plan = undo_plan.undo_last(state)
    assert [(Path(f.path).name, f.status) for f in plan.files] == [
        ("a.md", journal.RESTORE),
        ("c.md", journal.RESTORE),
    ]
    undo_plan.finish_undo(plan)
    only_failed = journal.Batch.begin(["newscli", "set", "x=2"], root=state)
    only_failed.forget(only_failed.record_old(str(b), b"old", b"new b"))
    only_failed.abandon()
    assert journal.list_batches(state) == []


def test_a_torn_last_record_is_ignored(tmp_path: Path) -> None:
    state = tmp_path / "state"
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_bytes(b"old a")
    b.write_bytes(b"old b")
    batch = journal.Batch.begin(["newscli", "set", "x=1"], root=state)
    _edit(batch, a, b"new a")
    batch.record_old(str(b), b"old b", b"new b")
    log = batch.folder / "old.log"
    log.write_bytes(log.read_bytes()[:-2])  # the crash cut the second record short
    batch.commit()
    plan = undo_plan.undo_last(state)
    assert [(Path(f.path).name, f.status, f.old) for f in plan.files] == [
        ("a.md", journal.RESTORE, b"old a")
    ]


def _one_done(tmp_path: Path) -> tuple[Path, Path]:
    """(the state folder, a.md) after one committed batch, `newscli first`."""
    state = tmp_path / "state"
    a = tmp_path / "a.md"
    a.write_bytes(b"v0")
    done = journal.Batch.begin(["newscli", "first"], root=state, now=1.0)
    _edit(done, a, b"v1")
    done.commit()
    return state, a


def test_a_batch_still_being_written_by_a_live_run_is_the_last_edit(tmp_path: Path) -> None:
    """h44: it was skipped, and undo (or --forget) took the edit before it."""
    state, _ = _one_done(tmp_path)
    running = journal.Batch.begin(["newscli", "second"], root=state, now=time.time())
    header = json.loads((running.folder / "batch.json").read_text())
    header["pid"] = os.getppid()  # alive, began before the batch, and not this process
    (running.folder / "batch.json").write_text(json.dumps(header))
    said = f"another newscli run \\(process {os.getppid()}\\) is still making its edit"
    with pytest.raises(undo_plan.BatchBeingWrittenError, match=said + ".*`newscli second`"):
        undo_plan.undo_last(state)
    with pytest.raises(undo_plan.BatchBeingWrittenError, match=said):
        undo_plan.forget_last(state)
    assert len(journal.list_batches(state)) == 2  # none forgotten
    running.commit()  # (nothing in it: dropped)
    assert undo_plan.undo_last(state).batch.command == ("newscli", "first")


def test_a_batch_whose_run_is_a_zombie_or_whose_pid_was_reused_is_not_skipped(
    tmp_path: Path,
) -> None:
    """h40: a killed edit's process, not yet reaped (or its number given to another
    process since), was taken for a run still writing its batch: `undo` silently reverted
    the batch before it."""
    state, a = _one_done(tmp_path)
    zombie = subprocess.Popen(["true"])  # exits, not reaped: a zombie
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with open(f"/proc/{zombie.pid}/stat", "rb") as stat:
            if stat.read().rsplit(b")", 1)[1].split()[0] == b"Z":
                break
        time.sleep(0.01)
    for pid, began in ((zombie.pid, time.time()), (os.getppid(), 2.0)):  # (reused: began later)
        killed = journal.Batch.begin(["newscli", "second"], root=state, now=began)
        _edit(killed, a, b"v2")
        header = json.loads((killed.folder / "batch.json").read_text())
        header["pid"] = pid
        (killed.folder / "batch.json").write_text(json.dumps(header))
        assert undo_plan.undo_last(state).batch.command == ("newscli", "second"), pid
        shutil.rmtree(killed.folder)
    zombie.wait()


def test_an_empty_batch_is_dropped_and_pruning_keeps_the_newest(tmp_path: Path) -> None:
    state = tmp_path / "state"
    empty = journal.Batch.begin(["newscli", "set", "x=1"], root=state)
    empty.commit()
    assert journal.list_batches(state) == []
    target = tmp_path / "a.md"
    target.write_bytes(b"0")
    for n in range(1, 8):
        batch = journal.Batch.begin(["newscli", str(n)], root=state, now=float(n))
        _edit(batch, target, str(n).encode())
        batch.commit(keep=5)
    assert [b.command[1] for b in journal.list_batches(state)] == ["7", "6", "5", "4", "3"]
    assert journal.prune(2, root=state) == 3
    assert len(journal.list_batches(state)) == 2
    assert not [p for p in (state / "journal").iterdir() if p.name.startswith(".")]


def test_the_journal_keeps_the_last_50_edits_as_the_readme_says(tmp_path: Path) -> None:
    """h53: KEEP_BATCHES could be 49 with no test failing; the README promises 50."""
    from conftest import REPO

    readme = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    assert "and the last 50 batches" in readme
    state = tmp_path / "state"
    target = tmp_path / "a.md"
    target.write_bytes(b"0")
    for n in range(1, 53):
        batch = journal.Batch.begin(["newscli", str(n)], root=state, now=float(n))
        _edit(batch, target, str(n).encode())
        batch.commit()  # (the default: what every edit command keeps)
    kept = [int(b.command[1]) for b in journal.list_batches(state)]
    assert kept == list(range(52, 2, -1))  # 50, the newest first


def test_a_batch_whose_removal_was_stopped_goes_at_the_next_edit(tmp_path: Path) -> None:
    """A run stopped while it deleted a batch (renamed to .trash-..., then removed file
    by file: h15 saw one left after an undo signalled as it ended) left it in the
    journal for good: the next edit's pruning removes it."""
    state = tmp_path / "state"
    target = tmp_path / "a.md"
    target.write_bytes(b"0")
    first = journal.Batch.begin(["newscli", "first"], root=state, now=1.0)
    _edit(first, target, b"1")
    first.commit()
    left = state / "journal" / ".trash-20260101-abc123"
    (left / "sub").mkdir(parents=True)
    (left / "sub" / "old.log").write_bytes(b"x" * 100)
    second = journal.Batch.begin(["newscli", "second"], root=state, now=2.0)
    _edit(second, target, b"2")
    second.commit()
    assert [b.command[1] for b in journal.list_batches(state)] == ["second", "first"]
    assert not left.exists()


def test_journal_files_are_private_and_a_forgotten_file_is_not_undone(tmp_path: Path) -> None:
    state = tmp_path / "state"
    a = tmp_path / "a.md"
    a.write_bytes(b"old")
    batch = journal.Batch.begin(["newscli", "x"], root=state)
    number = batch.record_old(str(a), b"old", b"new")
    assert (batch.folder / "old.log").read_bytes().endswith(b"\nold")
    assert (batch.folder / "old.log").stat().st_mode & 0o077 == 0
    assert batch.folder.stat().st_mode & 0o077 == 0
    batch.forget(number)  # the write failed: nothing to undo for it
    batch.commit()
    assert journal.list_batches(state) == []


def test_an_unwritable_state_dir_is_a_journal_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(journal.JournalError, match="cannot write the undo journal"):
        journal.Batch.begin(["newscli"], root=blocker / "state")


def _dead_pid() -> int:
    """The id of a process that has exited."""
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    return pid


def test_a_failed_fsync_after_a_cut_never_pads_the_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """h154 MED: a forgotten file's record is cut off the log; the fsync after the cut
    failed (EIO) and the log's size was not taken, so the next forgotten record's cut
    went past the log's end and padded it with zeros: undo then found none of the
    records after them ("its old.log lacks 3 of its 6 files"), and restored nothing.
    Every file replaced is restored, and the complete batch's log size is its file's."""
    state = tmp_path / "state"
    paths = [tmp_path / f"{name}.md" for name in "abcd"]
    for n, path in enumerate(paths):
        path.write_bytes(b"old " + bytes([97 + n]) * (20_000 if n == 1 else 50))
    batch = journal.Batch.begin(["newscli", "set", "x=1"], root=state)
    _edit(batch, paths[0], b"new a")
    forgotten = batch.record_old(str(paths[1]), paths[1].read_bytes(), b"new b")
    real_fsync, failed = os.fsync, []

    def fsync_failing_once(fd: int) -> None:
        if not failed:
            failed.append(fd)
            raise OSError(5, "Input/output error")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync_failing_once)
    batch.forget(forgotten)  # (its write failed; the fsync after the cut fails)
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert failed
    batch.forget(batch.record_old(str(paths[2]), paths[2].read_bytes(), b"new c"))
    _edit(batch, paths[3], b"new d")
    batch.commit()
    log = (batch.folder / "old.log").read_bytes()
    header = json.loads((batch.folder / "batch.json").read_text())
    assert header["log_size"] == len(log) and b"\0" not in log
    [info] = journal.list_batches(state)
    assert (info.count, info.complete, info.damaged) == (2, True, False)
    plan = undo_plan.undo_last(state)
    assert [(Path(f.path).name, f.status) for f in plan.files] == [
        ("a.md", journal.RESTORE),
        ("d.md", journal.RESTORE),
    ]
