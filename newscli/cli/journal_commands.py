"""undo and history: the edit journal (edit/journal.py) from the command line."""

import contextlib
import time
from collections.abc import Callable, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from newscli.cli.application import app, exit_codes
from newscli.cli.options import Wait
from newscli.cli.write_commands import DryRun
from newscli.edit.journal import SHOWN  # (a command line's characters shown, at most)
from newscli.errors import EditsRefusedError
from newscli.terminal.output import Output, Report

if TYPE_CHECKING:
    from newscli.edit.undo_plan import FileRestore, UndoPlan

UNDO_EPILOG = """\b
Examples:
  newscli undo --dry-run
  newscli undo --wait 30
Reverts the last edit batch (set, unset, tag, reject, unreject, publish, unpublish,
export --mark-published). A file changed since is reported and left alone (exit 1);
the journal keeps it, so undo can try again; --forget drops the batch."""


def _shown(path: str) -> str:
    """A journaled path as undo shows it: relative where it can be, its controls
    written as escapes (as publish shows it: not another file's name, h84 4)."""
    from newscli.edit.journal import shown
    from newscli.sanitize import escaped_path

    return escaped_path(shown(path))


Forget = Annotated[
    bool,
    typer.Option(
        "--forget",
        help="Drop the last batch from the journal without reverting anything (one an "
        "undo refused because its files were changed since, gone or unwritable).",
    ),
]


def _forget(out: Output, deadline: float) -> None:
    from newscli.edit.undo_plan import forget_last
    from newscli.wording import count

    batch = _when_written(forget_last, deadline)
    if not batch.command:  # its header was damaged
        out.note(f"forgot the damaged batch {batch.id}; nothing was reverted")
        return
    command = shown_command(batch.command)
    out.note(f"forgot `{command}` ({count(batch.count, 'file')}); nothing was reverted")


def shown_command(command: Sequence[str]) -> str:
    """A batch's command line as a shell would take it, cut after SHOWN characters (a
    `tag add` of 10,000 tags is not 60 KB of every history line)."""
    from newscli.sanitize import shell_word

    text = " ".join(map(shell_word, command))
    return text if len(text) <= SHOWN else f"{text[:SHOWN]}... ({len(text):,} characters)"


class _Quiet(Output):
    """--quiet: no notes (the summary); errors and refused files still show."""

    def note(self, message: str) -> None:
        pass


Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Only errors on stderr (no summary).")]


@app.command("undo", epilog=UNDO_EPILOG)
def undo_command(
    dry_run: DryRun = False, wait: Wait = 0.0, forget: Forget = False, quiet: Quiet = False
) -> None:
    """Revert the last edit batch: each file gets its exact old bytes back."""
    out = _Quiet() if quiet else Output()
    with exit_codes(out):
        from newscli.edit.engine import EditRefusedError, check_restore, restore_file
        from newscli.edit.journal import ALREADY, RESTORE
        from newscli.edit.locking import folder_locks
        from newscli.edit.undo_plan import (
            BatchBeingWrittenError,
            begin_undo,
            check_changeable,
            finish_undo,
            undo_last,
        )
        from newscli.index.parallel import signals_held
        from newscli.wording import count

        if forget:
            if dry_run:
                raise typer.BadParameter("--forget changes no file: --dry-run has no use")
            _forget(out, time.monotonic() + wait)
            return
        deadline = time.monotonic() + wait
        planned = _newest(deadline)
        while True:
            paths = [f.path for f in planned.files if f.status == RESTORE]
            names = _names_to_lock(planned.files)  # other names, made names again
            locks = contextlib.ExitStack()
            try:
                if not dry_run:
                    locks.enter_context(folder_locks(paths + names, wait))
                plan = undo_last()  # again, under the locks
            except BatchBeingWrittenError:  # another run began an edit meanwhile
                locks.close()
                planned = _newest(deadline)
                continue
            except BaseException:
                locks.close()
                raise
            wanted = {f.path for f in plan.files if f.status == RESTORE}
            wanted_names = set(_names_to_lock(plan.files))
            if dry_run or (
                plan.batch.id == planned.batch.id
                and wanted <= set(paths)
                and wanted_names <= set(names)
            ):
                break
            locks.close()  # another run committed a batch meanwhile: lock its folders
            planned = plan
        with locks:
            if dry_run:  # (what the undo would refuse first, h140: "would restore 2")
                check_changeable(plan.batch.folder)
            else:
                begin_undo(plan)  # (said by `history` if the undo is killed part way)
            restored = already = apart = 0  # apart: other names left alone
            kept: list[int] = []  # refused: the batch keeps them for a later undo
            # stdout is only the report: its reader leaving, or its failing, stops nothing
            report = Report(out, "; the report stops there, the undo did not")
            position = 0  # the files before it are done (restored, kept or already)
            said = False  # the undo's end is in the journal and on stderr

            def finish() -> None:
                """The undo done (every file restored, kept or already): the batch leaves
                the journal (or keeps the refused files) and the summary says so."""
                try:
                    if not dry_run:
                        _sweep(plan)
                        finish_undo(plan, kept)
                finally:  # (the journal cannot be written: the files are done all the same)
                    _summary(out, plan.batch.command, dry_run, restored, already, len(kept))

            try:
                for index, item in enumerate(plan.files):
                    refusal = None
                    left: tuple[tuple[str, str], ...] = ()
                    # restored, counted and its line queued, or none of it: a signal
                    # stops the undo between two files
                    with signals_held():
                        if item.status == ALREADY:
                            already += 1
                        elif item.status != RESTORE or item.expected is None:
                            kept.append(item.number)
                            refusal = item.reason
                        else:
                            try:
                                if dry_run:
                                    check_restore(item.path, item.expected)
                                else:
                                    left = restore_file(
                                        item.path,
                                        item.expected,
                                        item.old,
                                        item.names,
                                        _shown(item.shown),
                                    )
                                    apart += len(left)
                            except EditRefusedError as exc:
                                kept.append(item.number)
                                refusal = exc.reason
                            else:
                                restored += 1
                                done = "would restore" if dry_run else "restored"  # (h56)
                                report.add([f"{_shown(item.shown)}: {done}"])
                        position = index + 1
                    if refusal is not None:
                        out.problem_line(_shown(item.shown), refusal)
                    for name, reason in left:  # another name of it, now a file of its own
                        out.problem_line(_shown(name), reason)
                    report.write()
                with signals_held():  # (a signal meanwhile: raised once both are done)
                    said = True
                    finish()
            except KeyboardInterrupt:  # the files not yet done stay in the journal
                report.finish()
                if said:
                    raise
                if position == len(plan.files):  # the signal came as the undo ended: it
                    finish()  # is done (the batch gone: `undo` again would revert another)
                    raise
                if not dry_run:
                    finish_undo(
                        plan, kept + [f.number for f in plan.files[position:]], interrupted=True
                    )
                out.note(f"interrupted after restoring {restored}; `newscli undo` again "
                         "finishes it")  # fmt: skip
                raise
        if report.failure is not None:  # the undo is done; its report is not whole
            report.close()
        if kept:
            raise EditsRefusedError(f"{count(len(kept), 'file')} could not be reverted")
        if apart:
            raise EditsRefusedError(
                f"{count(apart, 'other name')} of the files restored left alone (see above)"
            )
        report.close()  # every file restored; exit 141 if the report was not all read


def _sweep(plan: "UndoPlan") -> None:
    """Remove what killed runs left in the folders of the batch's files, those found as
    the edit left them too (h44: the edit killed while it wrote its last file left its
    temporary file there, and undo, restoring no file in that folder, kept it)."""
    import os

    from newscli.edit.atomic import remove_stale_temporaries

    for folder in sorted({os.path.dirname(os.path.realpath(f.path)) for f in plan.files}):
        remove_stale_temporaries(folder)


def _newest(deadline: float) -> "UndoPlan":
    """undo_last's plan, once no other run is still making the newest edit."""
    from newscli.edit.undo_plan import undo_last

    return _when_written(undo_last, deadline)


T = TypeVar("T")


def _when_written(call: "Callable[[], T]", deadline: float) -> T:
    """call(), again while another run is still making the newest edit, until
    ``deadline`` (--wait)."""
    from newscli.edit.undo_plan import BatchBeingWrittenError

    while True:
        try:
            return call()
        except BatchBeingWrittenError:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.05)


def _names_to_lock(files: "Sequence[FileRestore]") -> list[str]:
    """The other names of the files to restore (their folders are locked too), in
    folders this user may write in (in another, a name is left alone, said)."""
    import os

    from newscli.edit.journal import RESTORE

    return [
        name
        for item in files
        if item.status == RESTORE
        for name in item.names
        if os.path.isdir(os.path.dirname(name))
        and os.access(os.path.dirname(name), os.W_OK | os.X_OK)
    ]  # (h101: a folder become a file stopped the whole undo at its lock)


def _summary(
    out: Output,
    command: tuple[str, ...],
    dry_run: bool,
    restored: int,
    already: int,
    refused: int,
) -> None:
    from newscli.wording import count

    verb = "would restore" if dry_run else "restored"
    shown = shown_command(command)  # as history shows it
    out.note(f"undo of `{shown}`: {verb} {restored}, already {already}, refused {refused}")
    if refused and not dry_run:
        out.note(
            f"kept in the journal ({count(refused, 'file')}): run `newscli undo` again "
            "once what refused each (said above) is mended, or `newscli undo --forget` to "
            "drop it"  # (h124: "once each holds what the edit wrote" of a full disk's)
        )


class HistoryFormat(str, Enum):
    table = "table"
    json = "json"


HISTORY_EPILOG = """\b
Examples:
  newscli history
  newscli history --format json | jq '.[0].command'
The journal is under $NEWSCLI_STATE_DIR, else $XDG_STATE_HOME/newscli."""


def _unfinished(complete: bool, running: int | None) -> str:
    """What history says of a batch not complete: its run still alive (making it, or
    stopped by SIGSTOP or Ctrl-Z), or gone (h51: it said "interrupted" of both)."""
    if complete:
        return ""
    return f"  (being made by process {running})" if running else "  (interrupted)"


@app.command("history", epilog=HISTORY_EPILOG)
def history_command(
    history_format: Annotated[
        HistoryFormat,
        typer.Option(
            "--format",
            case_sensitive=False,
            metavar="table|json",
            help="table (when, files, command; newest first) or json.",
        ),
    ] = HistoryFormat.table,
) -> None:
    """List the recent edit batches that `newscli undo` can revert, newest first."""
    out = Output()
    with exit_codes(out):
        import json
        from datetime import datetime, timezone

        from newscli.edit.journal import list_batches

        rows = []
        for info in list_batches():
            when = datetime.fromtimestamp(info.time, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            rows.append((when, info.count, list(info.command), info.complete, info.undo_refused,
                         info.damaged or info.log_damaged, info.running or None,
                         info.undo_begun, info.undoing or None))  # fmt: skip
        if history_format == HistoryFormat.json:
            keys = ("time", "files", "command", "complete", "undo_refused", "damaged", "running",
                    "undo_stopped", "undoing")  # fmt: skip
            objects = [dict(zip(keys, row, strict=True)) for row in rows]
            out.result(json.dumps(objects, indent=2) + "\n")
            return
        if not rows:
            from newscli.edit.journal import journal_dir

            out.note(f"no edits recorded (journal: {journal_dir()})")
            return
        lines = [
            f"{when}  {files:>6}  {shown_command(command)}"
            + _unfinished(complete, running)
            + ("  (undo refused: `newscli undo -n` says why)" if refused else "")
            + ("  (damaged: `newscli undo --forget` drops it)" if damaged else "")
            + ("  (an undo stopped part way: `newscli undo` finishes it)" if stopped else "")
            + (f"  (being undone by process {undoing})" if undoing else "")
            for when, files, command, complete, refused, damaged, running, stopped, undoing in rows
        ]
        out.result("".join(out.line(line) for line in lines))
