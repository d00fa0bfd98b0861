"""Importing sources into a folder: one new article file per item not already there
(ingest.known)."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from newscli.errors import OutputError
from newscli.ingest.item import Item
from newscli.ingest.known import Known
from newscli.ingest.render import relative_path, render
from newscli.ingest.sources import Read

MAX_NAME_ATTEMPTS = 20


@dataclass(slots=True)
class Outcome:
    """What happened to one read source."""

    read: Read
    written: int = 0
    skipped: int = 0  # already there (or twice in this run)
    undated: int = 0  # written without a date it could read: filed under today
    error: str | None = None


Written = Callable[[str, Item], None]


def _day(item: Item, now: datetime) -> datetime:
    return item.published or item.updated or now


def _write(
    folder: str, item: Item, now: datetime, dry_run: bool, made: set[str], locked: str | None
) -> str:
    """Write the item's file under a free name; returns its path. ``made``: the folders
    written into (to fsync once at the end); in a dry run, the names it took, which a
    real run's files would take (h102 2: two items of one name were both listed under
    it, and the real run wrote the second as ``-2``). ``locked``: the folder whose lock
    the import holds, checked still held before each file (h146: a folder replaced by
    another after the lock was taken was written into under another run's lock)."""
    text = render(item).encode("utf-8")
    for attempt in range(MAX_NAME_ATTEMPTS):
        path = os.path.join(folder, relative_path(item, _day(item, now), attempt))
        if dry_run:
            if path not in made and not os.path.lexists(path):
                made.add(path)
                return path
            continue
        from newscli.edit.atomic import create_new
        from newscli.edit.locking import guarded

        if locked is not None and not guarded(locked):
            raise OutputError(
                f"cannot write {path}: {locked} was replaced, or its lock file removed, "
                "while the import ran (this run does not hold its lock now)"
            )
        try:
            parent = os.path.dirname(path)
            if parent not in made:
                os.makedirs(parent, exist_ok=True)
                made.add(parent)
            create_new(path, text, sync_folder=False)
        except FileExistsError:
            continue
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
        return path
    raise OutputError(f"cannot write {path}: {MAX_NAME_ATTEMPTS} names taken")


def write_items(
    reads: Sequence[Read],
    folder: str,
    known: Known,
    on_written: Written,
    *,
    dry_run: bool = False,
    now: datetime | None = None,
    outcomes: list[Outcome] | None = None,
    between: Callable[[], None] | None = None,
    locked: str | None = None,
) -> list[Outcome]:
    """Write each new item of the reads (in order) into folder; ``known`` (what is
    already there) grows with every item written. A write failure ends that source
    (its outcome carries the error) and the next goes on. ``outcomes``: the list the
    outcomes go into as they come (so a run stopped by a signal can say how far).
    ``on_written`` is called with signals held, as the file is made and counted (so it
    must not block: queue, not write); ``between``, after each file, without them.
    ``locked``: the folder whose lock the caller holds (_write)."""
    moment = now or datetime.now(timezone.utc)
    outcomes = [] if outcomes is None else outcomes
    made: set[str] = set()
    if not dry_run:
        from newscli.edit.atomic import remove_stale_temporaries

        for day in sorted(known.folders):  # (h40: a killed import's temporary file stayed
            remove_stale_temporaries(day)  # in a day folder no later item was written to)
    try:
        _write_reads(
            reads, folder, known, on_written, dry_run, locked, moment, made, outcomes, between
        )
    finally:
        if not dry_run:  # (a dry run's are the names it took: nothing written)
            from newscli.edit.atomic import sync_folders

            sync_folders(sorted(made, reverse=True))  # the new files' folders, then theirs
            sync_folders(_parents(made, folder))
    return outcomes


def _parents(made: set[str], top: str) -> list[str]:
    """The folders between the written ones and top (new day and month folders)."""
    found: set[str] = set()
    for path in made:
        parent = os.path.dirname(path)
        while parent.startswith(top) and parent not in found and parent not in made:
            found.add(parent)
            if parent == top:
                break
            parent = os.path.dirname(parent)
    return sorted(found, reverse=True)


def _write_reads(
    reads: Sequence[Read],
    folder: str,
    known: Known,
    on_written: Written,
    dry_run: bool,
    locked: str | None,
    moment: datetime,
    made: set[str],
    outcomes: list[Outcome],
    between: Callable[[], None] | None,
) -> None:
    for number, read in enumerate(reads, 1):
        outcome = Outcome(read, error=read.error)
        outcomes.append(outcome)
        document = known.document(read.items, number)
        for place, item in enumerate(read.items):
            if document.holds(place):
                outcome.skipped += 1
                continue
            from newscli.index.parallel import signals_held

            with signals_held():  # (a signal comes once the file made is counted)
                try:
                    path = _write(folder, item, moment, dry_run, made, locked)
                except OutputError as exc:
                    outcome.error = str(exc)
                    break
                known.add_item(item, number)
                outcome.written += 1
                outcome.undated += item.published is None and item.updated is None
                on_written(path, item)  # (made, counted and said, or none of them)
            if between is not None:  # (not held: a stdout nobody reads must not hold one)
                between()
