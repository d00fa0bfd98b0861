"""Undoing a journal batch (edit/journal.py keeps the batches): ``undo_last`` and
``undo_batch`` only plan, reading each file to tell which of them still hold what the
edit wrote; the caller writes the old bytes through its own atomic, locked writer and
then calls ``finish_undo``. ``begin_undo`` marks a batch as being undone, for
`history`; ``forget_last`` drops the newest batch. This module never writes an
article file. No typer or rich here.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Collection
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from newscli.article.reading import MAX_FILE_BYTES
from newscli.edit.journal import (
    ALREADY,
    CHANGED,
    MISSING,
    RESTORE,
    SHOWN,
    BatchGoneError,
    BatchInfo,
    JournalError,
    Stamp,
    _alive,
    _read_json,
    _read_regular,
    _Record,
    _records,
    _remove,
    _write_json,
    list_batches,
    sha256,
)


@dataclass(frozen=True, slots=True)
class FileRestore:
    """One file of an undo: what to write back, and whether to."""

    path: str
    old: bytes  # the bytes to restore
    status: str  # RESTORE, ALREADY (holds the old bytes), CHANGED, MISSING (both refused)
    expected: bytes | None = None  # what the file holds now, when RESTORE
    touched: bool = False  # same content as the edit wrote, but a different stamp
    number: int = 0  # its record in the batch (finish_undo keeps the refused ones)
    names: tuple[str, ...] = ()  # its other names the edit kept (engine.restore_file)
    named: str = ""  # the symbolic link the edit was given for it ("": its own name)

    @property
    def shown(self) -> str:
        """The name undo gives it: the link the edit was given, while that still leads
        here (h130 4: the edit said the link's name, undo its target's), else its own."""
        if self.named and os.path.realpath(self.named) == os.path.realpath(self.path):
            return self.named
        return self.path

    @property
    def reason(self) -> str:
        return {
            RESTORE: "restored",
            ALREADY: "already as before the edit",
            CHANGED: "changed since the edit; not reverted",
            MISSING: "no longer exists; not reverted",
        }[self.status]


@dataclass(frozen=True, slots=True)
class UndoPlan:
    batch: BatchInfo
    files: tuple[FileRestore, ...]


def _plan_file(record: _Record, stamps: dict[str, Any]) -> FileRestore:
    path, old, number = record.path, record.old, record.number
    try:  # (an article is never over MAX_FILE_BYTES: a bigger file is another one)
        current = _read_regular(path, MAX_FILE_BYTES)
    except FileNotFoundError:
        return FileRestore(path, old, MISSING, number=number)
    except OSError:
        return FileRestore(path, old, CHANGED, number=number)
    digest = sha256(current)
    if digest == record.new_sha256:
        stamp = stamps.get(str(record.number))
        touched = isinstance(stamp, list) and Stamp(*stamp) != Stamp.of(path)
        return FileRestore(path, old, RESTORE, current, touched, number, record.names)
    if digest == record.old_sha256:
        return FileRestore(path, old, ALREADY, number=number)
    return FileRestore(path, old, CHANGED, number=number)


class BatchBeingWrittenError(JournalError):
    """The newest batch is another live run's, still being written: it is the last
    edit, and undoing the one before would undo the wrong edit (h44: `undo` during a
    `set` of 300 files took the edit before it, found its file changed by the `set`,
    and advised `undo --forget`, which then dropped the 300 files' batch)."""


def undo_last(root: Path | None = None) -> UndoPlan:
    """The plan to revert the newest batch. A file whose content is not what the batch
    wrote (by SHA-256) is refused (status CHANGED); one with that content but another
    stamp (touched, or rewritten with the same bytes) is restored and flagged
    ``touched``.

    Raises BatchBeingWrittenError when the newest batch is another live run's, still
    being written, and JournalError when there is nothing to undo."""
    for info in list_batches(root):
        if info.damaged:
            raise _damaged_batch(info)
        header = _read_json(info.folder / "batch.json") or {}
        if not info.complete and _alive(header):
            raise _being_written(header)
        return _plan(info, header)
    raise JournalError("nothing to undo")


def _being_written(header: dict[str, Any]) -> BatchBeingWrittenError:
    command = header.get("command")
    shown = " ".join(map(str, command)) if isinstance(command, list) else "an edit"
    if len(shown) > SHOWN:
        shown = shown[: SHOWN - 1] + "…"
    return BatchBeingWrittenError(
        f"another newscli run (process {header.get('pid')}) is still making its edit, "
        f"the last one: `{shown}`; try again once it ends, or pass --wait SECONDS"
    )


def undo_batch(folder: Path, root: Path | None = None) -> UndoPlan:
    """The plan to revert the batch in ``folder``, whatever batches came after it (a
    review session's own last decision): each file is checked as undo_last checks it,
    so one a later batch changed again is refused, never overwritten."""
    for info in list_batches(root):
        if info.folder == folder:
            if info.damaged:
                raise _damaged_batch(info)
            return _plan(info, _read_json(info.folder / "batch.json") or {})
    raise BatchGoneError("that edit is no longer in the undo journal (undone, or pruned)")


def _damaged_batch(info: BatchInfo) -> JournalError:
    return JournalError(
        f"the undo journal batch {info.folder} is damaged (batch.json); nothing was "
        "restored; `newscli undo --forget` drops it"
    )


def _plan(info: BatchInfo, header: dict[str, Any]) -> UndoPlan:
    stamps = header.get("stamps") or {}
    forgotten = set(header.get("forgotten") or ())
    records = [r for r in _records(info.folder) if r.number not in forgotten]
    # A file replaced (it has a stamp) always had its old bytes recorded first: one
    # missing from the log means the log was damaged, not torn by a crash.
    replaced = {int(n) for n in stamps if str(n).isdigit()} - forgotten
    missing = replaced - {r.number for r in records}
    if missing:
        raise JournalError(
            f"the undo journal batch {info.folder} is damaged (its old.log lacks "
            f"{len(missing)} of its {len(replaced)} files); nothing was restored; "
            "`newscli undo --forget` drops it"
        )
    planned = [replace(_plan_file(r, stamps), named=r.named) for r in records]
    return UndoPlan(info, tuple(planned))


def begin_undo(plan: UndoPlan) -> None:
    """Mark the batch as being undone before the first file is restored, so that an
    undo killed part way (SIGKILL: nothing else is written) is told in `history` (h98:
    it showed the batch whole, with no mark; finish_undo rewrites the header)."""
    check_changeable(plan.batch.folder)
    path = plan.batch.folder / "batch.json"
    header = _read_json(path)
    if header is not None:
        # (and by which process, from when: `history` tells one running from one stopped)
        header.update(undo_begun=True, undo_pid=os.getpid(), undo_time=time.time())
        # (only a mark for `history`: a journal that cannot be written now stops no
        # undo; its end says so, test_journal_full)
        with contextlib.suppress(JournalError, OSError):
            _write_json(path, header)


def check_changeable(batch: Path) -> None:
    """Raise JournalError, before any file is restored, where the batch could not be
    dropped from the journal after (h137 MED: on a read-only journal, `undo` restored
    the files, exit 0, and the batch stayed: every undo after "restored 0, already 1",
    and the ones before it out of reach). A full disk stops no undo: dropping a batch
    needs no room."""
    from newscli.edit.locking import unwritable

    reason = unwritable(str(batch.parent))
    if reason is not None:
        raise JournalError(
            f"cannot change the undo journal {batch.parent} ({reason}): nothing restored"
        )


def _drop(folder: Path, after: str) -> None:
    """Drop a batch from the journal; JournalError where it stays (h138: `undo --forget`
    on a read-only journal said it forgot a batch that stayed; h139: an undo whose batch
    stayed, past check_changeable's guess, said nothing)."""
    failure = _remove(folder)
    if failure is not None:
        raise JournalError(
            f"the batch {folder} could not be dropped from the undo journal "
            f"({failure.strerror or failure}){after}"
        )


def finish_undo(plan: UndoPlan, kept: Collection[int] = (), *, interrupted: bool = False) -> None:
    """After the caller has written the restores: drop the batch from the journal, or,
    when some files were refused (``kept``: their record numbers), keep the batch with
    only those, marked ``undo_refused``, so that a later undo can still restore them
    (``interrupted``: kept because the undo was stopped; not marked)."""
    if not kept:
        _drop(
            plan.batch.folder,
            "; its files are restored (`newscli undo --forget` drops it once that is mended)",
        )
        return
    path = plan.batch.folder / "batch.json"
    header = _read_json(path)
    if header is None:
        raise JournalError(f"the undo journal batch {plan.batch.folder} is damaged (batch.json)")
    done = {f.number for f in plan.files if f.number not in kept}
    forgotten = sorted(set(header.get("forgotten") or ()) | done)
    header.update(count=len(set(kept)), complete=True, forgotten=forgotten)
    for key in ("undo_begun", "undo_pid", "undo_time"):
        header.pop(key, None)
    header["undo_refused"] = header.get("undo_refused", False) or not interrupted
    _write_json(path, header)


def forget_last(root: Path | None = None) -> BatchInfo:
    """Drop the newest batch from the journal without reverting anything (``undo
    --forget``: a batch whose files were changed since, for good, or a damaged one).
    Returns it. Raises BatchBeingWrittenError when the newest batch is another live
    run's, still being written (the one before is not the newest: left alone)."""
    for info in list_batches(root):
        header = {} if info.damaged else _read_json(info.folder / "batch.json") or {}
        if not info.complete and _alive(header):
            raise _being_written(header)
        _drop(info.folder, "; nothing was forgotten")
        return info
    raise JournalError("nothing to undo")
