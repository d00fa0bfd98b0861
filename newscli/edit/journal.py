"""The undo journal: per edit command (a batch), the exact old bytes of every file it
changed and the stamp and hash of what it wrote.

Layout, under ``$NEWSCLI_STATE_DIR``, else ``$XDG_STATE_HOME/newscli``, else
``~/.local/state/newscli``::

    journal/<batch id>/batch.json  {"time", "command", "cwd", "pid", "count", "complete",
                                    "stamps": {number: [size, mtime_ns, inode]},
                                    "forgotten": [number, ...]}
    journal/<batch id>/old.log     per file, appended: one JSON line {"number", "path",
                                   "size", "old_sha256", "new_sha256"} (and, for a file
                                   with other names the edit keeps its names, "names":
                                   [path, ...]; for one edited through a symbolic link,
                                   the link, "named"), then the file's old bytes, exactly

Batch ids sort by time. batch.json is written atomically (temporary file, fsync,
rename, folder fsync); old.log is appended to and fsynced after every record (one
fsync per file edited). Protocol, so that a crash never loses an old version:
``Batch.begin`` writes batch.json (complete: false) and creates old.log;
``record_old`` appends the old bytes and the hash of the new bytes, durably, *before*
the caller replaces the file; ``record_new`` notes the new file's stamp; ``commit``
writes the stamps, marks the batch complete and prunes old batches. An incomplete
batch (a crash) can still be undone: each file whose content is the recorded new
content gets its old bytes back; a torn last record is ignored (its file was never
replaced). An interrupted run (``abandon``) leaves its batch incomplete
too, with the files whose write failed written down (``forgotten``).

Undoing a batch is edit/undo_plan.py's: ``undo_last`` only plans, the caller writes
the old bytes (through its own atomic, locked writer) and then calls ``finish_undo``,
which drops the batch, or keeps it with only the files it could not restore (changed
since, gone, unwritable), marked ``"undo_refused": true``, so a later undo tries them
again. This module never writes an article file. No typer or rich here.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import stat
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from newscli.edit.state_place import journal_dir
from newscli.errors import NewscliError

KEEP_BATCHES = 50
PROBE_SIZE = 8192  # bytes a batch is begun with, at least (written by check_writable)
SHOWN = 300  # characters of a command line shown, at most (history's JSON has it whole)
BATCH_FILES = 4  # a batch's folder, batch.json, its temporary file and old.log
RECORD_SIZE = 512  # a file's record in old.log besides its old bytes, about
RESTORE, ALREADY, CHANGED, MISSING = "restore", "already", "changed", "missing"


class JournalError(NewscliError):
    """The journal cannot be read or written, or holds nothing to undo."""


class BatchGoneError(JournalError):
    """The batch asked for is no longer in the journal (undone by a run, or pruned)."""


def shown(path: str) -> str:
    """A journaled (absolute) path, relative to the current folder when inside it (as
    it is when that folder was removed)."""
    try:
        relative = os.path.relpath(path)
    except OSError:
        return path
    return path if relative.startswith("..") else relative


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
    # ASCII JSON: a file name that is not UTF-8 (a lone surrogate) is kept as \\udcXX
    _write(path, json.dumps(value, ensure_ascii=True, sort_keys=True).encode("utf-8"))


def _read_regular(path: Path | str, limit: int | None = None) -> bytes:
    """A regular file's bytes, without blocking: a FIFO or device put in the place of a
    journal file or of an edited file (h98: `undo` and `history` waited for a FIFO's
    writer for ever) raises OSError, and so does a file of more than ``limit`` bytes."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"{path}: not a regular file")
        if limit is not None and info.st_size > limit:
            raise OSError(f"{path}: larger than {limit} bytes")
        with os.fdopen(os.dup(fd), "rb") as file:
            data = file.read() if limit is None else file.read(limit + 1)
    finally:
        os.close(fd)
    if limit is not None and len(data) > limit:
        raise OSError(f"{path}: larger than {limit} bytes")
    return data


_HEADER_LIMIT = 64 << 20  # batch.json: a few numbers per file edited


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        value = json.loads(_read_regular(path, _HEADER_LIMIT))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


_LOG = "old.log"


def _made(base: Path) -> None:
    """The journal's folder made (JournalError why not: a link to nothing on its way is
    said so, h112: it was "File exists")."""
    try:
        base.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        from newscli.wording import cannot_create

        why = cannot_create(str(base), exc).removeprefix(f"cannot create {base}: ")
        raise JournalError(f"cannot write the undo journal in {base}: {why}") from None


def check_writable(root: Path | None = None, need: int = 0) -> None:
    """Raise JournalError unless a batch could be begun now: the journal's folder made
    and a block written in it (h40: with HOME at /nonexistent, `export --mark-published`
    wrote its output, then could mark nothing, and shipped it all again at every run;
    h44: on a full disk an empty file is still made), and, where the file system tells
    its free space, ``need`` bytes free (the old versions of the files to be changed)."""
    base = journal_dir(root)
    _made(base)
    try:
        probe = base / f".probe-{os.getpid()}-{os.urandom(3).hex()}"
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, bytes(PROBE_SIZE))  # (a batch's header and first record)
            os.fsync(fd)
        finally:
            os.close(fd)
            with contextlib.suppress(OSError):
                probe.unlink()
        room = os.statvfs(base)
    except OSError as exc:
        raise JournalError(f"cannot write the undo journal in {base}: {exc.strerror}") from None
    if room.f_files and room.f_favail < BATCH_FILES:  # (h51: no inode left for a batch)
        raise JournalError(
            f"cannot write the undo journal in {base}: its file system has no room for "
            f"more files ({room.f_favail} free, a batch makes {BATCH_FILES})"
        )
    free = room.f_bavail * room.f_frsize
    if need and room.f_blocks and free < need + PROBE_SIZE:
        raise JournalError(
            f"cannot write the undo journal in {base}: it needs about {_size(need)} for "
            f"the old versions of the files, and {_size(free)} is free"
        )


def _size(count: int) -> str:
    return f"{count / 1e6:.1f} MB" if count >= 100_000 else f"{count / 1e3:.0f} kB"


class Batch:
    """The journal of one edit command, being written."""

    def __init__(self, folder: Path, header: dict[str, Any], log: int):
        self.folder = folder
        self.header = header
        self.count = 0
        self._log = log
        self._stamps: dict[str, list[int]] = {}
        self._forgotten: list[int] = []
        self._log_size = 0
        self._last = (0, 0)  # the last record's number, and where old.log was before it

    @classmethod
    def begin(
        cls, command: Sequence[str], *, root: Path | None = None, now: float | None = None
    ) -> Batch:
        """Start a batch for the command line ``command`` (argv)."""
        base = journal_dir(root)
        stamp = time.time() if now is None else now
        folder = base / f"{int(stamp * 1e9):020d}-{os.getpid()}-{os.urandom(3).hex()}"
        _made(base)
        try:
            folder.mkdir(mode=0o700)
        except OSError as exc:
            raise JournalError(f"cannot write the undo journal in {base}: {exc.strerror}") from None
        header = {
            "time": stamp,
            "command": list(command),
            "cwd": _cwd(),
            "pid": os.getpid(),
            "count": 0,
            "complete": False,
        }
        log = -1
        try:
            try:
                log = os.open(folder / _LOG, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            except OSError as exc:
                raise JournalError(
                    f"cannot write the undo journal in {base}: {exc.strerror}"
                ) from None
            _write_json(folder / "batch.json", header)  # fsyncs the folder: old.log is there
        except BaseException:  # (a full disk) no batch is begun: none is left half made,
            if log >= 0:  # which history would list as damaged and undo would stop at
                os.close(log)
            _remove(folder)
            raise
        _fsync_folder(base)
        return cls(folder, header, log)

    def record_old(
        self, path: str, old: bytes, new: bytes, names: Sequence[str] = (), named: str = ""
    ) -> int:
        """Before path is replaced: keep its old bytes and the hash of what replaces them,
        durably, its other names that are made names of the new file, and the name it
        was edited by (``named``: a symbolic link to it; kept when it is another).
        Returns the number record_new takes."""
        self.count += 1
        entry: dict[str, Any] = {
            "number": self.count,
            "path": os.path.abspath(path),
            "size": len(old),
            "old_sha256": sha256(old),
            "new_sha256": sha256(new),
        }
        if names:
            entry["names"] = [os.path.abspath(name) for name in names]
        if named and os.path.abspath(named) != entry["path"]:
            entry["named"] = os.path.abspath(named)
        line = json.dumps(entry, ensure_ascii=True).encode("utf-8") + b"\n"
        try:  # (where this record begins: the log's end, written by O_APPEND)
            start = os.fstat(self._log).st_size
        except OSError:
            start = -1  # (not cut off if forgotten)
        self._last = (self.count, start)
        try:
            view = memoryview(line + old)
            while view:
                view = view[os.write(self._log, view) :]
            os.fsync(self._log)
        except OSError as exc:
            # The file is not replaced: not counted (a torn record is ignored by _records)
            self.forget(self.count)
            raise JournalError(
                f"cannot write the undo journal {self.folder}: {exc.strerror}"
            ) from None
        self._log_size = (start if start >= 0 else self._log_size) + len(line) + len(old)
        return self.count

    def record_new(self, number: int, stamp: Stamp) -> None:
        """After the file was replaced: its stamp (written by commit)."""
        self._stamps[str(number)] = [stamp.size, stamp.mtime_ns, stamp.inode]

    def forget(self, number: int) -> None:
        """The file was not replaced after all (the write failed): no undo for it. Its
        record, the last, is cut off old.log too (which frees room and needs none: h153,
        on a full disk the header that lists it could not be written, and history
        counted one file more than the run changed)."""
        self._forgotten.append(number)
        last, start = self._last
        if number != last or start < 0 or self._log < 0:
            return
        try:  # (never past the log's end, which would pad it with zeros: h154)
            if os.fstat(self._log).st_size < start:
                return
            os.ftruncate(self._log, start)
        except OSError:
            return
        self._log_size = start  # (at once: a failed fsync below leaves it right, h154)
        with contextlib.suppress(OSError):
            os.fsync(self._log)

    def _close_log(self) -> None:
        """Close old.log once (a commit that failed is not the last call)."""
        if self._log >= 0:
            with contextlib.suppress(OSError):
                os.close(self._log)
            self._log = -1

    def abandon(self) -> None:
        """Stop writing: the batch stays incomplete (interrupted), as after a crash. The
        files whose write failed (``forget``) are written down, so that history counts,
        and undo plans, only the files replaced; a batch left with none is dropped."""
        self._close_log()
        if not self._forgotten:
            return
        if self.count - len(set(self._forgotten)) <= 0:
            _remove(self.folder)
            return
        self.header.update(forgotten=self._forgotten)
        with contextlib.suppress(JournalError):  # (else counted as after a crash)
            _write_json(self.folder / "batch.json", self.header)

    def commit(self, keep: int = KEEP_BATCHES) -> None:
        """Mark the batch complete (a batch that changed nothing is dropped) and keep
        only the last ``keep`` batches."""
        self._close_log()
        count = self.count - len(set(self._forgotten))
        if count <= 0:
            _remove(self.folder)
        else:
            self.header.update(
                count=count,
                complete=True,
                stamps=self._stamps,
                forgotten=self._forgotten,
                log_size=self._log_size,  # history tells a cut log without reading it
            )
            _write_json(self.folder / "batch.json", self.header)
        prune(keep, root=self.folder.parent.parent)


@dataclass(frozen=True, slots=True)
class _Record:
    number: int
    path: str
    old: bytes
    old_sha256: str
    new_sha256: str
    names: tuple[str, ...] = ()  # its other names, made names of the new file
    named: str = ""  # the link it was edited by ("": by its own name)


def _records(folder: Path) -> list[_Record]:
    """The complete records of a batch's log (a torn last record is left out)."""
    try:
        data = _read_regular(folder / _LOG)
    except OSError:
        return []
    records, pos = [], 0
    while pos < len(data):
        end = data.find(b"\n", pos)
        try:
            entry: dict[str, Any] = json.loads(data[pos:end]) if end >= 0 else {}
            size = int(entry["size"])
            old = data[end + 1 : end + 1 + size]
            if size < 0 or len(old) != size or sha256(old) != entry["old_sha256"]:
                break
            names = entry.get("names") or ()
            record = _Record(
                int(entry["number"]),
                str(entry["path"]),
                old,
                entry["old_sha256"],
                entry["new_sha256"],
                tuple(str(name) for name in names),
                str(entry.get("named") or ""),
            )
        except (ValueError, KeyError, TypeError, OverflowError):  # (h147: a number 1e400)
            break
        records.append(record)
        pos = end + 1 + size
    return records


def _remove(folder: Path) -> OSError | None:
    """Rename first, so a half-deleted batch never looks like a batch. The error that
    kept it in the journal, if any (a folder gone already is no error)."""
    trash = folder.with_name(f".trash-{folder.name}-{os.urandom(3).hex()}")
    try:
        os.rename(folder, trash)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return exc
    shutil.rmtree(trash, ignore_errors=True)
    return None


@dataclass(frozen=True, slots=True)
class BatchInfo:
    id: str
    time: float
    command: tuple[str, ...]
    count: int
    complete: bool
    folder: Path
    undo_refused: bool = False  # an undo left these files (changed since): kept for another
    damaged: bool = False  # its batch.json cannot be read: undo refuses it, --forget drops it
    log_damaged: bool = False  # its old.log is shorter than it was written: undo refuses it
    running: int = 0  # incomplete, its run still alive (maybe stopped): that run's process
    undo_begun: bool = False  # an undo of it began and did not end (killed): some restored
    undoing: int = 0  # an undo of it runs now (maybe stopped): that undo's process


def _damaged(folder: Path) -> BatchInfo:
    """A batch whose header cannot be read, or is gone while its log is there: listed
    (not skipped, which would make undo revert an older batch instead), its time taken
    from its name."""
    try:
        when = int(folder.name.split("-", 1)[0]) / 1e9
    except ValueError:
        when = 0.0
    return BatchInfo(folder.name, when, (), 0, True, folder, damaged=True)


def _info(folder: Path) -> BatchInfo | None:
    """The batch's header; None if it has none and no log either (a run that stopped
    before writing either). A damaged header (or a log without one) is a damaged batch."""
    path = folder / "batch.json"
    header = _read_json(path)
    if header is None:
        if not path.exists() and not (folder / _LOG).exists():
            return None
        return _damaged(folder)
    try:
        command = header.get("command", ())
        if not isinstance(command, list) or not all(isinstance(a, str) for a in command):
            raise TypeError("command")
        when = float(header.get("time", 0))
        datetime.fromtimestamp(when, timezone.utc)  # history shows it: a real moment
        _check_numbers(header)
        complete = bool(header.get("complete"))
        pid = header.get("undo_pid") if header.get("undo_begun") else 0  # (h124: one running
        undo = {"pid": pid, "time": header.get("undo_time")}
        undoing = pid if isinstance(pid, int) and _alive(undo) else 0  # (its process)
        return BatchInfo(
            id=folder.name,
            time=when,
            command=tuple(command),
            count=_count(folder, header),
            complete=complete,
            folder=folder,
            undo_refused=bool(header.get("undo_refused")),
            undo_begun=bool(header.get("undo_begun")) and not undoing,  # was "stopped")
            undoing=undoing,
            log_damaged=_log_cut(folder, header.get("log_size")),
            running=0 if complete or not _alive(header) else int(header["pid"]),
        )
    except (TypeError, ValueError, OverflowError, OSError):  # (h147: a time of 1e18)
        return _damaged(folder)


def _check_numbers(header: dict[str, Any]) -> None:
    """TypeError unless the header's ``stamps`` map numbers to [size, mtime_ns, inode],
    its ``forgotten`` lists numbers and a complete one's ``count`` is one (h144 MED: a
    stamp of 4 numbers, valid JSON, made `undo` an internal error while `history`
    called the batch whole)."""
    stamps = header.get("stamps") or {}
    forgotten = header.get("forgotten") or []
    if not isinstance(stamps, dict) or not isinstance(forgotten, list):
        raise TypeError("stamps")
    if not all(number.isascii() and number.isdigit() for number in stamps):  # (h147: "²")
        raise TypeError("stamps")
    for stamp in stamps.values():
        if not (isinstance(stamp, list) and len(stamp) == 3 and all(_whole(n) for n in stamp)):
            raise TypeError("stamps")
    if not all(_whole(n) for n in forgotten):
        raise TypeError("forgotten")
    count = header.get("count", 0)  # (h148: -3 and 10**30 were shown as files edited)
    if header.get("complete") and not (_whole(count) and 0 < count < 2**31):
        raise TypeError("count")
    # A file whose write failed is forgotten and has no stamp; one replaced has a stamp
    # and is not forgotten, until an undo that left some files restored it (that undo
    # writes `undo_refused`). h149 HIGH: a replaced file's number put in `forgotten` by
    # damage: undo restored the others, dropped the batch, and that file's old bytes
    # went with it.
    if "undo_refused" not in header and {int(n) for n in stamps} & set(forgotten):
        raise TypeError("forgotten")


def _whole(value: Any) -> bool:
    return type(value) is int


def _count(folder: Path, header: dict[str, Any]) -> int:
    """The files of a batch. An incomplete one's: its whole records, less those whose
    write failed (``forgotten``, written down when the run was interrupted)."""
    if header.get("complete"):
        return int(header.get("count", 0))
    forgotten = set(header.get("forgotten") or ())
    return sum(record.number not in forgotten for record in _records(folder))


def _log_cut(folder: Path, size: Any) -> bool:
    """The log is shorter than the complete batch wrote it (``undo`` checks every
    record; this only compares sizes, so ``history`` stays cheap)."""
    if not isinstance(size, int) or size <= 0:
        return False
    try:
        return (folder / _LOG).stat().st_size < size
    except OSError:
        return True


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
    """Remove all but the newest ``keep`` batches (a damaged one counts, and goes in
    its turn: an edit is never failed by an old batch), and what is left of a batch
    whose removal was stopped (a signal, a kill); returns how many batches went."""
    base = journal_dir(root)
    try:
        entries = list(base.iterdir())
    except OSError:
        return 0
    folders = sorted((p for p in entries if p.name[:1].isdigit()), reverse=True)
    batches = []
    for folder in folders:
        try:
            if _info(folder) is not None:
                batches.append(folder)
        except JournalError:
            batches.append(folder)
    doomed = batches[keep:]
    for folder in doomed:
        _remove(folder)
    for entry in entries:  # a batch half deleted (a run stopped in _remove)
        if entry.name.startswith(".trash-"):
            shutil.rmtree(entry, ignore_errors=True)
    return len(doomed)


def _alive(header: dict[str, Any]) -> bool:
    """Whether the run that began this batch still runs (atomic.alive: not a zombie, not
    another process given its number since)."""
    from newscli.edit.atomic import alive

    pid, began = header.get("pid", 0) or 0, header.get("time")
    if not isinstance(pid, int) or pid <= 0:
        return False
    if pid == os.getpid():
        return True
    return alive(pid, began if isinstance(began, (int, float)) else None)


def _cwd() -> str | None:
    """The folder the run is in, for the record; None when it was removed (a job run
    from a folder deleted since: its absolute paths still work)."""
    try:
        return os.getcwd()
    except OSError:
        return None
