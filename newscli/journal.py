"""The undo journal: per edit command (a batch), the exact old bytes of every file it
changed and the stamp and hash of what it wrote.

Layout, under ``$NEWSCLI_STATE_DIR``, else ``$XDG_STATE_HOME/newscli``, else
``~/.local/state/newscli``::

    journal/<batch id>/batch.json   {"time", "command", "cwd", "pid", "count", "complete"}
    journal/<batch id>/00001.old    the file's bytes before the edit, exactly
    journal/<batch id>/00001.json   {"path", "old_sha256", "new_sha256", "new_stamp"}

Batch ids sort by time. Every journal file is written atomically (temporary file,
fsync, rename, folder fsync). Protocol, so that a crash never loses an old version:
``Batch.begin`` writes batch.json (complete: false); ``record_old`` writes the old
bytes and the hash of the new bytes *before* the caller replaces the file;
``record_new`` adds the new file's stamp after; ``commit`` marks the batch complete
and prunes old batches. An incomplete batch (a crash) can still be undone: each file
whose content is the recorded new content gets its old bytes back.

``undo_last`` only plans: the caller writes the old bytes (through its own atomic,
locked writer) and then calls ``finish_undo``, which drops the batch. This module
never writes an article file. No typer or rich here.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newscli.errors import NewscliError

KEEP_BATCHES = 50
RESTORE, ALREADY, CHANGED, MISSING = "restore", "already", "changed", "missing"


class JournalError(NewscliError):
    """The journal cannot be read or written, or holds nothing to undo."""


def state_dir() -> Path:
    explicit = os.environ.get("NEWSCLI_STATE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(
        os.path.expanduser("~"), ".local", "state"
    )
    return Path(base) / "newscli"


def journal_dir(root: Path | None = None) -> Path:
    return (root or state_dir()) / "journal"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class Stamp:
    size: int
    mtime_ns: int
    inode: int

    @classmethod
    def of(cls, path: str | os.PathLike[str]) -> Stamp:
        info = os.stat(path)
        return cls(info.st_size, info.st_mtime_ns, info.st_ino)


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write(path: Path, data: bytes) -> None:
    """Atomically: a temporary file, fsync, rename, folder fsync."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise JournalError(f"cannot write the undo journal {path}: {exc.strerror}") from None
    _fsync_folder(path.parent)


def _write_json(path: Path, value: dict[str, Any]) -> None:
    _write(path, json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8"))


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        value = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


class Batch:
    """The journal of one edit command, being written."""

    def __init__(self, folder: Path, header: dict[str, Any]):
        self.folder = folder
        self.header = header
        self.count = 0

    @classmethod
    def begin(
        cls, command: Sequence[str], *, root: Path | None = None, now: float | None = None
    ) -> Batch:
        """Start a batch for the command line ``command`` (argv)."""
        base = journal_dir(root)
        stamp = time.time() if now is None else now
        folder = base / f"{int(stamp * 1e9):020d}-{os.getpid()}-{os.urandom(3).hex()}"
        try:
            base.mkdir(parents=True, exist_ok=True, mode=0o700)
            folder.mkdir(mode=0o700)
        except OSError as exc:
            raise JournalError(f"cannot write the undo journal in {base}: {exc.strerror}") from None
        header = {
            "time": stamp,
            "command": list(command),
            "cwd": os.getcwd(),
            "pid": os.getpid(),
            "count": 0,
            "complete": False,
        }
        _write_json(folder / "batch.json", header)
        return cls(folder, header)

    def record_old(self, path: str, old: bytes, new: bytes) -> int:
        """Before path is replaced: keep its old bytes and the hash of what replaces them.
        Returns the number record_new takes."""
        self.count += 1
        number = self.count
        _write(self.folder / f"{number:05d}.old", old)
        entry = {
            "path": os.path.abspath(path),
            "old_sha256": sha256(old),
            "new_sha256": sha256(new),
            "new_stamp": None,
        }
        _write_json(self.folder / f"{number:05d}.json", entry)
        return number

    def record_new(self, number: int, stamp: Stamp) -> None:
        """After the file was replaced: its stamp."""
        meta = self.folder / f"{number:05d}.json"
        entry = _read_json(meta)
        if entry is None:
            raise JournalError(f"the undo journal lost {meta}")
        entry["new_stamp"] = [stamp.size, stamp.mtime_ns, stamp.inode]
        _write_json(meta, entry)

    def forget(self, number: int) -> None:
        """The file was not replaced after all (the write failed): drop its record."""
        for suffix in (".json", ".old"):
            with contextlib.suppress(OSError):
                os.unlink(self.folder / f"{number:05d}{suffix}")

    def commit(self, keep: int = KEEP_BATCHES) -> None:
        """Mark the batch complete (a batch that changed nothing is dropped) and keep
        only the last ``keep`` batches."""
        if not _entries(self.folder):
            _remove(self.folder)
        else:
            self.header.update(count=len(_entries(self.folder)), complete=True)
            _write_json(self.folder / "batch.json", self.header)
        prune(keep, root=self.folder.parent.parent)


def _entries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("[0-9]*.json"))


def _remove(folder: Path) -> None:
    """Rename first, so a half-deleted batch never looks like a batch."""
    trash = folder.with_name(f".trash-{folder.name}-{os.urandom(3).hex()}")
    try:
        os.rename(folder, trash)
    except OSError:
        return
    shutil.rmtree(trash, ignore_errors=True)


@dataclass(frozen=True, slots=True)
class BatchInfo:
    id: str
    time: float
    command: tuple[str, ...]
    count: int
    complete: bool
    folder: Path


def _info(folder: Path) -> BatchInfo | None:
    header = _read_json(folder / "batch.json")
    if header is None:
        return None
    return BatchInfo(
        id=folder.name,
        time=float(header.get("time", 0)),
        command=tuple(header.get("command", ())),
        count=len(_entries(folder)),
        complete=bool(header.get("complete")),
        folder=folder,
    )


def list_batches(root: Path | None = None) -> list[BatchInfo]:
    """The batches in the journal, newest first."""
    base = journal_dir(root)
    try:
        folders = sorted((p for p in base.iterdir() if p.name[:1].isdigit()), reverse=True)
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise JournalError(f"cannot read the undo journal {base}: {exc.strerror}") from None
    return [info for info in map(_info, folders) if info is not None]


def prune(keep: int = KEEP_BATCHES, *, root: Path | None = None) -> int:
    """Remove all but the newest ``keep`` batches; returns how many went."""
    doomed = list_batches(root)[keep:]
    for info in doomed:
        _remove(info.folder)
    return len(doomed)


@dataclass(frozen=True, slots=True)
class FileRestore:
    """One file of an undo: what to write back, and whether to."""

    path: str
    old: bytes  # the bytes to restore
    status: str  # RESTORE, ALREADY (holds the old bytes), CHANGED, MISSING (both refused)
    expected: bytes | None = None  # what the file holds now, when RESTORE
    touched: bool = False  # same content as the edit wrote, but a different stamp

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


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _plan_file(folder: Path, meta: Path) -> FileRestore | None:
    entry = _read_json(meta)
    try:
        old = (folder / (meta.stem + ".old")).read_bytes()
    except OSError:
        return None
    if entry is None or sha256(old) != entry.get("old_sha256"):
        return None  # written half-way before a crash: the file was never replaced
    path = str(entry["path"])
    try:
        current = Path(path).read_bytes()
    except FileNotFoundError:
        return FileRestore(path, old, MISSING)
    except OSError:
        return FileRestore(path, old, CHANGED)
    digest = sha256(current)
    if digest == entry.get("new_sha256"):
        stamp = entry.get("new_stamp")
        touched = isinstance(stamp, list) and Stamp(*stamp) != Stamp.of(path)
        return FileRestore(path, old, RESTORE, current, touched)
    if digest == entry.get("old_sha256"):
        return FileRestore(path, old, ALREADY)
    return FileRestore(path, old, CHANGED)


def undo_last(root: Path | None = None) -> UndoPlan:
    """The plan to revert the newest batch (a batch another live run is still writing
    is skipped). A file whose content is not what the batch wrote (by SHA-256) is
    refused (status CHANGED); one with that content but another stamp (touched, or
    rewritten with the same bytes) is restored and flagged ``touched``.

    Raises JournalError when there is nothing to undo."""
    for info in list_batches(root):
        header = _read_json(info.folder / "batch.json") or {}
        if not info.complete and _alive(int(header.get("pid", 0))):
            continue
        plans = (_plan_file(info.folder, meta) for meta in _entries(info.folder))
        files = tuple(plan for plan in plans if plan is not None)
        return UndoPlan(info, files)
    raise JournalError("nothing to undo")


def finish_undo(plan: UndoPlan) -> None:
    """After the caller has written the restores: drop the batch from the journal."""
    _remove(plan.batch.folder)
