"""undo and history: the edit journal (edit/journal.py) from the command line."""

import contextlib
from enum import Enum
from typing import Annotated

import typer

from newscli.cli.application import app, exit_codes
from newscli.cli.options import Wait
from newscli.cli.write_commands import DryRun
from newscli.errors import EditsRefusedError
from newscli.terminal.output import Output

UNDO_EPILOG = """\b
Examples:
  newscli undo --dry-run
  newscli undo --wait 30
Reverts the last edit batch (set, unset, tag, reject, unreject, publish, unpublish,
export --mark-published). A file changed since is reported and left alone (exit 1)."""


def _shown(path: str) -> str:
    """A journaled (absolute) path, relative to the current folder when inside it."""
    import os

    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


@app.command("undo", epilog=UNDO_EPILOG)
def undo_command(dry_run: DryRun = False, wait: Wait = 0.0) -> None:
    """Revert the last edit batch: each file gets its exact old bytes back."""
    out = Output()
    with exit_codes(out):
        from newscli.edit.engine import EditRefusedError, restore_file
        from newscli.edit.journal import ALREADY, RESTORE, finish_undo, undo_last
        from newscli.edit.locking import folder_locks
        from newscli.wording import count

        planned = undo_last()
        while True:
            paths = [f.path for f in planned.files if f.status == RESTORE]
            locks = contextlib.ExitStack()
            try:
                if not dry_run:
                    locks.enter_context(folder_locks(paths, wait))
                plan = undo_last()  # again, under the locks
            except BaseException:
                locks.close()
                raise
            wanted = {f.path for f in plan.files if f.status == RESTORE}
            if dry_run or (plan.batch.id == planned.batch.id and wanted <= set(paths)):
                break
            locks.close()  # another run committed a batch meanwhile: lock its folders
            planned = plan
        with locks:
            restored = already = refused = 0
            for item in plan.files:
                if item.status == ALREADY:
                    already += 1
                    continue
                if item.status != RESTORE or item.expected is None:
                    refused += 1
                    out.problem_line(_shown(item.path), item.reason)
                    continue
                try:
                    if not dry_run:
                        restore_file(item.path, item.expected, item.old)
                except EditRefusedError as exc:
                    refused += 1
                    out.problem_line(_shown(item.path), exc.reason)
                    continue
                restored += 1
                out.result(out.line(f"{_shown(item.path)}: restored"))
            if not dry_run:
                finish_undo(plan)
        verb = "would restore" if dry_run else "restored"
        import shlex

        command = shlex.join(plan.batch.command)  # as history shows it
        out.note(f"undo of `{command}`: {verb} {restored}, already {already}, refused {refused}")
        if refused:
            raise EditsRefusedError(f"{count(refused, 'file')} could not be reverted")


class HistoryFormat(str, Enum):
    table = "table"
    json = "json"


HISTORY_EPILOG = """\b
Examples:
  newscli history
  newscli history --format json | jq '.[0].command'
The journal is under $NEWSCLI_STATE_DIR, else $XDG_STATE_HOME/newscli."""


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
        import shlex
        from datetime import datetime, timezone

        from newscli.edit.journal import list_batches

        rows = []
        for info in list_batches():
            when = datetime.fromtimestamp(info.time, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            rows.append((when, info.count, list(info.command), info.complete))
        if history_format == HistoryFormat.json:
            keys = ("time", "files", "command", "complete")
            objects = [dict(zip(keys, row, strict=True)) for row in rows]
            out.result(json.dumps(objects, indent=2) + "\n")
            return
        if not rows:
            from newscli.edit.journal import journal_dir

            out.note(f"no edits recorded (journal: {journal_dir()})")
            return
        lines = [
            f"{when}  {files:>6}  {shlex.join(command)}" + ("" if complete else "  (interrupted)")
            for when, files, command, complete in rows
        ]
        out.result("".join(out.line(line) for line in lines))
