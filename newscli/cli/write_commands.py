"""Commands that write or judge files: publish, unpublish, validate."""

import contextlib
import os
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import typer

from newscli.cli.application import EXIT_ERROR, app, exit_codes
from newscli.cli.loading import load_query, open_cache
from newscli.cli.options import (
    CacheDir,
    ConfigFile,
    EditPaths,
    NoCache,
    Paths,
    Wait,
    check_empty,
    is_unfiltered,
    selecting,
)
from newscli.errors import EditsRefusedError
from newscli.terminal.output import Output, Report

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from newscli.article.model import Article
    from newscli.edit.engine import FieldChange, Transform, Version
    from newscli.index.loader import LoadResult
    from newscli.select.query import Query


def format_value(value: object) -> str:
    """A value in a change line: true/false, null, (none) for a missing key, [a, b]
    lists, {k: v} mappings; text that would read as another value (``null``, ``true``,
    ``12``, empty) in double quotes, as the file holds it (h64 5: the text "null" and a
    null looked alike)."""
    from datetime import datetime

    from newscli.edit.engine import ABSENT

    if value is ABSENT:
        return "(none)"
    if isinstance(value, str):
        return _text_shown(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, datetime):
        from newscli.article.timeparse import format_rfc3339

        return format_rfc3339(value)
    if isinstance(value, list):
        return "[" + ", ".join(map(_item, value)) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_item(k)}: {_item(v)}" for k, v in value.items()) + "}"
    return str(value)


def _text_shown(text: str, listed: bool = False) -> str:
    """Text in a change line: as it is, or in double quotes, with backslashes, quotes,
    controls and invisible characters escaped, where as it is it would read as another
    value (null, true, 12, empty, "(none)", a quoted text, a list or mapping; in a list,
    text holding a comma or a bracket), hide a character (a zero-width space, a soft
    hyphen, a line break, a variation selector, a space other than a space: h68 4, h69 5)
    or hold the line's own `` -> ``."""
    from newscli.article.yaml_scalars import STR, resolve_plain

    if (
        text
        and text == text.strip()
        and text[0] not in "\"'[{"
        and text != "(none)"
        and " -> " not in text
        and not (listed and _LISTED.search(text))
        and _shown(text) == text
        and resolve_plain(text) == STR
    ):
        return text
    return '"' + _shown(text.replace("\\", "\\\\").replace('"', '\\"')) + '"'


_LISTED = re.compile(r"[,\[\]{}]")


def _shown(text: str) -> str:
    """Text with its controls, invisible characters and characters shown as nothing or
    as a space written as escapes (sanitize.escaped, sanitize.UNSEEN)."""
    from newscli.sanitize import escaped, unseen_pattern

    return unseen_pattern().sub(_code, escaped(text))


def _code(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def loaded_versions(loaded: "LoadResult", articles: "Iterable[Article]") -> "dict[str, Version]":
    """Each article's version as it was loaded (its stamp and known fields): an edit is
    made only if the file is still that version."""
    from newscli.article.record import to_record
    from newscli.edit.engine import Version

    stamps, links = loaded.stamps(), loaded.links
    return {
        a.path: Version(stamps[a.path], to_record(a), tuple(links.get(a.path, ())))
        for a in articles
        if a.path in stamps
    }


def change_lines(path: str, changes: "Iterable[FieldChange]") -> list[str]:
    """The report's lines of one file: ``PATH: FIELD OLD -> NEW`` (a control character
    in a field's name shown escaped, h36: `n\\x1b[2Jote` was shown as `note`)."""
    # (h70 7: a path or field holding a character shown as nothing or a space was shown
    # as another one's; a field name with a space, a colon or the arrow, in quotes)
    shown = _shown(path.replace("\\", "\\\\"))  # (a backslash twice: sanitize.escaped_path)
    return [
        f"{shown}: {_field_shown(c.field)} {_cut(format_value(c.old))} -> "
        f"{_cut(format_value(c.new))}"
        for c in changes
    ]


def _cut(text: str) -> str:
    """A value's text in a change line, cut after SHOWN characters as history cuts a
    command line (h68 5: a value of 100,000 characters was printed whole; the file holds
    it whole, `history --format json` and undo have the batch)."""
    from newscli.edit.journal import SHOWN

    return text if len(text) <= SHOWN else f"{text[:SHOWN]}... ({len(text):,} characters)"


def _field_shown(name: str) -> str:
    text = _shown(name)
    if text != name or not _FIELD.fullmatch(name):
        return '"' + text.replace('"', '\\"') + '"'
    return text


_FIELD = re.compile(r"[^\s:\"'\[\]{},]+(?:\.[^\s:\"'\[\]{},.]+)*")


def _item(value: object) -> str:
    """A list item, or a mapping's key or value, in a change line (h70 7: a mapping's
    text was shown bare, "{a: 1, b: 2}" for one value)."""
    return _text_shown(value, listed=True) if isinstance(value, str) else format_value(value)


@dataclass
class Tally:
    """How far an edit got: files changed, already as asked, refused. Exact even when a
    signal stops the run (each file's edit and its count happen with signals held)."""

    changed: int = 0
    same: int = 0
    refused: int = 0
    gone: int = 0  # deleted or renamed since they were selected: nothing to edit (h138)
    left: int = 0  # other names of files changed, left alone (not counted as files)
    refused_paths: list[str] = field(default_factory=list)  # (each refused, in order)


def apply_edit(
    out: Output,
    files: list[str],
    transform: "Transform",
    *,
    dry_run: bool = False,
    list_changes: bool = True,
    quiet: bool = False,
    versions: "Mapping[str, Version] | None" = None,
    changed_reason: str = "changed since it was selected; left alone",
    invalid: int = 0,
    unchanged_label: str = "unchanged",
    tally: Tally | None = None,
    say_interrupted: bool = True,
    leaders: Mapping[str, str] | None = None,
    left_out: Collection[str] = (),
) -> None:
    """Apply one edit to files through the edit engine, journaled as one undo batch;
    a stdout line per changed field (if list_changes), a summary on stderr.
    ``versions``: edit a file only if it is still that version (else it is refused with
    ``changed_reason``). ``invalid``: named files found invalid, or left out as rejected
    or by a rule (already reported), counted as refused. ``tally``: filled in as the
    files are done (the caller's, to say how far an interrupted run got;
    ``say_interrupted=False``: the caller says it). Raises EditsRefusedError after
    the others are done if any file was refused; BrokenPipeError (exit 141) or
    OutputError after every edit is made if the report could not be all written.

    Ctrl-C or SIGTERM: each file is edited, journaled, counted and its lines queued
    with both signals held, so a signal stops the run between two files; the lines of
    every file changed are then written, the batch is marked interrupted, and the
    summary says how far it got: stdout, summary and journal name exactly the files
    whose bytes changed.

    ``leaders``: a file's leader, edited before it (export --dedupe --mark-published:
    a duplicate's kept article): a file whose leader was refused as changed since it
    was expected (``versions``) is left alone too, refused (h93 MED: a kept article
    corrected after the export was left unmarked while its duplicates were marked, so
    its story counted as shipped and the correction never shipped; a leader refused
    for good, a read-only one, holds nothing back: h59). ``left_out``: leaders left
    out of an export as changed since selected (not among ``files``): refused alike."""
    import sys

    from newscli.edit.engine import (
        ChangedError,
        EditRefusedError,
        GoneError,
        LazyBatch,
        edit_file,
    )
    from newscli.edit.journal import JournalError
    from newscli.index.parallel import signals_held
    from newscli.wording import count

    done = tally if tally is not None else Tally()
    done.refused += invalid
    # stdout is only the report: its reader leaving, or its failing, stops no edit
    after = "; the report stops there, the edit did not (newscli undo reverts it)"
    report = Report(out, after)
    batch = None if dry_run else LazyBatch(["newscli", *sys.argv[1:]])
    finished = False
    held = contextlib.nullcontext if dry_run else signals_held  # (a dry run changes nothing)

    def summary() -> None:
        if not quiet:
            verb = "would change" if dry_run else "changed"
            gone = f", gone since selected {done.gone}" if done.gone else ""
            out.note(f"{verb} {done.changed}, {unchanged_label} {done.same}, "
                     f"refused {done.refused}{gone}")  # fmt: skip

    changed = set(left_out)  # the files refused as changed (``leaders``)
    try:
        for path in files:
            expect = versions.get(path) if versions is not None else None
            refusal = None
            apart: tuple[tuple[str, str], ...] = ()  # other names left alone
            leader = leaders.get(path) if leaders is not None else None
            with held():  # the file changed and counted, or neither
                try:
                    if leader is not None and leader in changed:
                        raise EditRefusedError(f"not marked, as its story's kept article "
                                               f"{leader} changed since it was exported: the "
                                               "story comes again")  # fmt: skip
                    outcome = edit_file(path, transform, dry_run=dry_run, expect=expect,
                                        batch=batch)  # fmt: skip
                except GoneError:  # (no line, as for a file gone before its read)
                    done.gone += 1
                except EditRefusedError as exc:
                    done.refused += 1
                    done.refused_paths.append(path)
                    refusal = exc.reason
                    if isinstance(exc, ChangedError):
                        changed.add(path)
                        refusal = changed_reason
                        if leader is not None:  # (h95)
                            refusal += (f" (its story shipped as {leader}: it comes again "
                                        "only if no longer of that story)")  # fmt: skip
                else:
                    if not outcome.changed:
                        done.same += 1
                    else:
                        done.changed += 1
                        if list_changes:
                            report.add(change_lines(path, outcome.report))
                    apart = outcome.left
                    done.left += len(apart)
            if refusal is not None:
                out.problem_line(path, refusal)
            for name, reason in apart:  # another name of the file, now a file of its own
                out.problem_line(name, reason)
            report.keep_up()
        report.write()
        with signals_held():
            if batch is not None:
                batch.commit()
                batch = None
            finished = True
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: say what was done; history: interrupted
        left = report.finish()  # the lines of files already changed (a second signal waits)
        if finished:  # every file was done and the batch committed: only the exit says it
            summary()
            raise
        if batch is not None:
            batch.abandon()
            batch = None
        if left:
            out.note(f"the report on stdout lacks the last {count(left, 'line')} "
                     "(stdout was not being read)")  # fmt: skip
        if say_interrupted and not quiet:
            out.note(f"interrupted after changed {done.changed}, {unchanged_label} "
                     f"{done.same}, refused {done.refused} (newscli undo reverts what was "
                     "changed)")  # fmt: skip
        raise
    except JournalError:  # (a full disk) no file is edited unjournaled: the run stops here
        report.write()  # the lines of the files already changed
        if say_interrupted and not quiet and (done.changed or done.same or done.refused):
            out.note(f"stopped after changed {done.changed}, {unchanged_label} "
                     f"{done.same}, refused {done.refused}: the undo journal cannot be "
                     "written (newscli undo reverts what was changed)")  # fmt: skip
        raise
    finally:
        if batch is not None:  # another error: the batch keeps what was done
            with contextlib.suppress(JournalError):  # (else incomplete: undo reverts it)
                batch.commit()
    summary()
    if report.failure is not None:  # the work is done; the report is not whole
        report.close()
    if done.refused:
        raise EditsRefusedError(f"{count(done.refused, 'file')} could not be edited")
    if done.left:
        raise EditsRefusedError(
            f"{count(done.left, 'other name')} of the files changed left alone (see above)"
        )
    report.close()  # every edit made; exit 141 if the report was not all read


def apply_published(
    out: Output,
    files: list[str],
    value: bool,
    *,
    dry_run: bool = False,
    list_changes: bool = True,
    quiet: bool = False,
    versions: "Mapping[str, Version] | None" = None,
    changed_reason: str = "changed since it was selected; left alone",
    invalid: int = 0,
    tally: Tally | None = None,
    say_interrupted: bool = True,
    leaders: Mapping[str, str] | None = None,
    left_out: Collection[str] = (),
) -> None:
    """Set `published` on files (apply_edit with the publish transform)."""
    from newscli.edit.transforms import publish

    state = "true" if value else "false"
    apply_edit(
        out,
        files,
        publish(value),
        dry_run=dry_run,
        list_changes=list_changes,
        quiet=quiet,
        versions=versions,
        changed_reason=changed_reason,
        invalid=invalid,
        unchanged_label=f"already {state}",
        tally=tally,
        say_interrupted=say_interrupted,
        leaders=leaders,
        left_out=left_out,
    )


DryRun = Annotated[
    bool, typer.Option("--dry-run", "-n", help="Show what would change; change nothing.")
]
All = Annotated[
    bool,
    typer.Option("--all", help="Allow a folder with no filter: edit every article in it."),
]
Story = Annotated[
    bool,
    typer.Option(
        "--story",
        help="Apply the edit to every article of each selected story (a named file's "
        "story: among the articles of its folder).",
    ),
]


def _edit(value: bool, paths: list[str] | None, query: "Query", allow_all: bool,
          dry_run: bool, wait: float, story: bool) -> None:  # fmt: skip
    from newscli.edit.transforms import publish

    state = "true" if value else "false"
    run_edit(publish(value), paths, query, allow_all=allow_all, dry_run=dry_run, wait=wait,
             story=story, unchanged_label=f"already {state}")  # fmt: skip


def check_folder_guard(paths: list[str] | None, query: "Query", allow_all: bool) -> list[str]:
    """A usage error unless paths are named, and a folder comes with a filter or --all.
    (Check the query as the user gave it: reject/unreject widen it to rejected ones.)"""
    if not paths:
        raise typer.BadParameter("name the article files or folders to edit", param_hint="PATH")
    folders = [p for p in paths if os.path.isdir(p)]
    if folders and is_unfiltered(query) and not allow_all:
        raise typer.BadParameter(
            "a folder with no filter would edit every article in it; "
            "add --topic/--min-quality/... or --all",
            param_hint=folders[0],
        )
    return paths


def run_edit(
    transform: "Transform",
    paths: list[str] | None,
    query: "Query",
    *,
    allow_all: bool,
    dry_run: bool,
    wait: float,
    story: bool = False,
    unchanged_label: str = "unchanged",
    keep_rejected: bool = False,
    check: "Callable[[Sequence[Article]], str | None] | None" = None,
) -> None:
    """Select (files, or folders plus filters; a folder with no filter needs --all),
    hold the folder locks, and apply one edit to the selection (``story``: to every
    article of each selected story, but those held back: edit_selection.held_back;
    ``keep_rejected``: reject's, a rejected one among them too; ``check``: asked of the
    articles to edit before any is, raising to edit none, or returning a note)."""
    out = Output()
    paths = check_folder_guard(paths, query, allow_all)
    within = None
    load = list(paths)
    if story:
        from dataclasses import replace

        from newscli.cli.edit_selection import story_scope

        query = replace(query, dedupe=True)  # stories of every article loaded
        load, within = story_scope(paths)
    with exit_codes(out):
        from newscli.cli.edit_selection import left_out_reason, lock_own_folders
        from newscli.edit.locking import folder_locks, with_subfolders

        with contextlib.ExitStack() as locks:
            # (a path not there: the load says so, not the lock of a missing folder, h127)
            locked = [p for p in with_subfolders(load) if os.path.lexists(p)] if not dry_run else []
            if not dry_run:
                locks.enter_context(folder_locks(locked, wait))
            explicit = {os.path.realpath(p) for p in paths if not os.path.isdir(p)}
            result, loaded = load_query(
                out, load, query, strict=False, within=within, load_rejected=bool(explicit)
            )
            invalid_named = [p for p in loaded.problems if os.path.realpath(p.path) in explicit]
            quiet = query.verbosity == 0
            if quiet:  # an invalid named file is refused: an error, shown even with -q
                for problem in invalid_named:
                    out.problem(problem)
            now = query.now or datetime.now(timezone.utc)
            if story:
                from newscli.cli.edit_selection import held_back

                held = held_back(
                    query, result, loaded.articles, now, None if quiet else out.note,
                    named=explicit, keep_rejected=keep_rejected,
                )  # fmt: skip
                articles = result.with_stories(held)
            else:
                articles = result.articles
            # A named file left out only because it is rejected or a config rule
            # excludes it is refused, as an invalid one is (never skipped silently).
            chosen = {a.path for a in articles}
            left_out = 0
            for article in loaded.articles if explicit else ():
                if article.path in chosen or os.path.realpath(article.path) not in explicit:
                    continue
                reason = left_out_reason(article, query, loaded.articles, now)
                if reason is not None:
                    left_out += 1
                    out.problem_line(article.path, reason)
            if not dry_run:  # each file under its own folder's lock too (a subfolder, a link)
                lock_own_folders(locks, articles, wait, loaded.links)
            # Edit each file only if it is still the version selected: one rewritten
            # since (by an editor, an aggregator) may no longer match the filters.
            versions = loaded_versions(loaded, articles)
            said = check(articles) if check is not None else None
            if said is not None and not quiet:
                out.note(said)
            apply_edit(
                out,
                [a.path for a in articles],
                transform,
                dry_run=dry_run,
                quiet=quiet,
                versions=versions,
                invalid=len(invalid_named) + left_out,
                unchanged_label=unchanged_label,
            )
            check_empty(query, len(result.articles))


EDIT_EPILOG = """\b
Examples:
  newscli {name} feeds/rate-decision.md
  newscli {name} feeds --topic AI --min-quality 70 --dry-run
  newscli {name} feeds --where 'quality >= 80' --limit 10 --wait 30
Only the value of `published` changes; every other byte of the file is kept."""


def _edit_command(value: bool, doc: str) -> Callable[..., None]:
    """publish and unpublish: the same command, setting `published` to ``value``."""

    def command(
        query: "Query",
        paths: EditPaths = None,
        dry_run: DryRun = False,
        allow_all: All = False,
        story: Story = False,
        wait: Wait = 0.0,
    ) -> None:
        _edit(value, paths, query, allow_all, dry_run, wait, story)

    command.__doc__ = doc
    return selecting(command)


for _name, _value in (("publish", True), ("unpublish", False)):
    app.command(_name, epilog=EDIT_EPILOG.format(name=_name))(
        _edit_command(
            _value,
            f"Mark articles {_name}ed (files, or the selected articles of folders).",
        )
    )


class ValidateFormat(str, Enum):
    table = "table"
    tsv = "tsv"
    json = "json"
    jsonl = "jsonl"
    text = "text"  # the former name of table, still accepted


VALIDATE_EPILOG = """\b
Examples:
  newscli validate sample_feeds
  newscli validate feeds --format json | jq '.summary'
Exit 0 when every file is valid, 1 otherwise."""


@app.command("validate", epilog=VALIDATE_EPILOG)
def validate_command(
    paths: Paths = None,
    report_format: Annotated[
        ValidateFormat,
        typer.Option(
            "--format",
            case_sensitive=False,
            metavar="table|tsv|json|jsonl",
            help="table (PATH:LINE: reason lines and a summary), tsv (a row per problem), "
            "json, or jsonl (an object per file).",
        ),
    ] = ValidateFormat.table,
    cache_dir: CacheDir = None,
    no_cache: NoCache = False,
    config_file: ConfigFile = None,
) -> None:
    """Check article files: every problem of every file, with field and line."""
    out = Output()
    with exit_codes(out):
        from newscli import config
        from newscli.index import validation

        feeds = paths or list(config.load(config.find(config_file)).feeds) or ["."]
        cache = open_cache(out, cache_dir, not no_cache, verbosity=1)
        reports = validation.validate_paths(feeds, cache)
        if report_format == ValidateFormat.json:
            out.result(validation.to_json(reports))
        elif report_format == ValidateFormat.jsonl:
            out.result(validation.to_jsonl(reports))
        elif report_format == ValidateFormat.tsv:
            from newscli.formats.records import rows_tsv

            out.result(rows_tsv(validation.TSV_COLUMNS, validation.tsv_rows(reports)))
        else:
            out.result("".join(out.line(line) for line in validation.to_text(reports)))
        if not all(r.valid for r in reports):
            raise typer.Exit(EXIT_ERROR)
