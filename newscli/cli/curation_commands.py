"""Curation commands that edit any field: set, unset, tag (and reject, unreject).

Every edit goes through the one edit engine (edit/engine.py) by write_commands.run_edit:
the same selection, locks, verification, journal and output as publish.
"""

import functools
import os
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from newscli.cli.application import app
from newscli.cli.options import EditPaths, Wait, selecting
from newscli.cli.presets import CONFIG_FEEDS, PATHS_FROM, PRESET_PATHS
from newscli.cli.write_commands import All, DryRun, Story, run_edit

if TYPE_CHECKING:
    from collections.abc import Sequence

    from newscli.article.model import Article
    from newscli.edit.field_values import Assignment
    from newscli.select.query import Query

# ruff: noqa: UP045


def split_arguments(
    arguments: list[str], *, assignments: bool, hint: str = "TOPIC"
) -> tuple[list[str], list[str]]:
    """FIELD=VALUE (or FIELD, TOPIC) arguments first, then paths: the first argument that
    is an existing path, names a Markdown file (ends in .md or .markdown, any case: h98,
    a mistyped file name was added as a topic, exit 0) or, for assignments, has no `=`
    starts the paths. Without any, the preset's paths, else the config's feeds."""
    for index, argument in enumerate(arguments):
        if os.path.lexists(argument) or (
            "=" not in argument if assignments else _markdown(argument) or _pathlike(argument)
        ):
            return arguments[:index], arguments[index:]
    if not assignments:
        _no_path_mistyped(arguments, hint)
    return arguments, _default_paths()


def _taken(arguments: list[str]) -> str:
    """Why no name was found: the first argument was taken as a path (h127: `tag add
    feeds feeds/a.md` said only "name at least one non-empty TOPIC")."""
    if not arguments:
        return ""
    from newscli.sanitize import escaped

    return (
        f" ({escaped(arguments[0])} is taken as a path, so the paths begin there; to name it,"
        " run from another folder)"
    )


def _pathlike(argument: str) -> bool:
    """Written as a path: ending in a slash, or beginning with one, ./, ../ or ~/
    (h124: `tag add Space feeds3/` added the topic "feeds3/" to the config's feeds)."""
    return argument.endswith("/") or argument.startswith(("/", "./", "../", "~/"))


def _no_path_mistyped(arguments: list[str], hint: str) -> None:
    """No argument is a path, so the config's feeds (or the preset's paths) would be
    edited: refuse when one looks like a path mistyped (h124, h127, h128: `unset heat
    feeds3` beside feeds2/, `tag add Moon Drafts` beside drafts/, `tag add X
    drafs/sleep-study` edited the feeds). Such an argument holds a slash after a folder's
    name or one near it (`drafts/x`, `drafs/x`), or, after the first (always a name), is
    a folder's name in another case, or one letter from it (changed, swapped, added or
    left out; four letters or more), or either with a dot or blank after it. The folders
    looked at are those here and those beside the paths that would be edited (a config
    elsewhere: h128). Naming the files to edit goes around it: no name is looked at."""
    folders = _folders_near(_default_paths())
    for index, argument in enumerate(arguments):
        near = None
        if "/" in argument:
            first = argument.split("/", 1)[0]
            near = (f"in the folder {first}" if first in folders else None) or (
                _near_a_folder(first, folders) if first else None
            )
        elif index:
            near = _near_a_folder(argument.rstrip(". \t"), folders)
        if near is not None:
            from newscli.sanitize import escaped, shell_word

            raise typer.BadParameter(
                f"{shell_word(argument)}: no such file or folder, and {escaped(near)}: a "
                f"mistyped path? (a {hint} of that name: name the files to edit after it)",
                param_hint=hint,
            )


def _folders_near(paths: list[str]) -> list[str]:
    """The folders' names here and beside each of ``paths`` (not hidden)."""
    names: list[str] = []
    for place in dict.fromkeys([".", *(os.path.dirname(p) or "." for p in paths)]):
        try:
            with os.scandir(place) as entries:
                names += [e.name for e in entries if e.name[0] != "." and e.is_dir()]
        except OSError:
            continue
    return list(dict.fromkeys(names))


def _near_a_folder(argument: str, folders: list[str]) -> str | None:
    """ "near the folder NAME" when ``argument`` is a folder's name in another case, or
    one letter from it (four letters or more); else None."""
    typed = argument.casefold()
    for name in folders:
        if typed == name.casefold() or (len(typed) >= 4 and _one_edit(typed, name.casefold())):
            return f"near the folder {name}"
    return None


def _one_edit(a: str, b: str) -> bool:
    """One letter changed, added or left out, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) < len(b):
        return a[i:] == b[i + 1 :]
    swapped = i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i]
    return a[i + 1 :] == b[i + 1 :] or (swapped and a[i + 2 :] == b[i + 2 :])


def _markdown(argument: str) -> bool:
    return argument.lower().endswith((".md", ".markdown"))


def _default_paths() -> list[str]:
    if PRESET_PATHS:
        return list(PRESET_PATHS)
    PATHS_FROM.update(CONFIG_FEEDS)  # (an error about one names the config)
    return list(CONFIG_FEEDS)


def _assignments(arguments: list[str]) -> "list[Assignment]":
    from newscli.edit.field_values import FieldValueError, parse_assignment

    try:
        assignments = [parse_assignment(argument) for argument in arguments]
    except FieldValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="FIELD=VALUE") from None
    _once_each([a.path for a in assignments], "FIELD=VALUE")
    return assignments


def _once_each(fields: list[tuple[str, ...]], hint: str) -> None:
    """Each field named once, and none within another named (h124: `set quality=5
    quality=84` wrote 5 and said so, `quality=5 quality=6` wrote 6 and said both)."""
    for i, field in enumerate(fields):
        for other in fields[:i]:
            shorter, longer = sorted((field, other), key=len)
            if longer[: len(shorter)] == shorter:
                from newscli.sanitize import escaped

                names = " and ".join(dict.fromkeys(escaped(".".join(f)) for f in (other, field)))
                what = "named twice" if field == other else "one within the other"
                raise typer.BadParameter(f"{names}: {what}; name each field once", param_hint=hint)


def _not_derived(assignments: "list[Assignment]") -> None:
    """A derived field's name (``date``, ``Url``, ``story.rank``) is refused before
    anything is read, whatever the files hold: setting it never sets what it names (h143)."""
    from newscli.edit.field_values import derived

    for assignment in assignments:
        said = derived(assignment.field)
        if said is not None:  # (a story field is a key of a mapping no file has: h147)
            hint = "" if "." in assignment.field else " (--new-field writes a key of that name)"
            raise typer.BadParameter(f"{said}{hint}", param_hint="FIELD=VALUE")


def _no_slip(assignments: "list[Assignment]", articles: "Sequence[Article]") -> None:
    """A field named like a known one but not it (``qualty=5``, ``Quality=5``) that no
    article to edit holds is refused: it would add a field of text to every one (h131:
    one the files hold, `topic`, is theirs to set, as review's `e` sets it)."""
    from newscli.edit.field_values import slip

    for assignment in assignments:
        said, key = slip(assignment.field), assignment.path[0]
        if said is not None and not any(key in article.data for article in articles):
            raise typer.BadParameter(
                f"{said} (--new-field sets it as named)", param_hint="FIELD=VALUE"
            )


SET_EPILOG = """\b
Examples:
  newscli set quality=85 feeds/rate-decision.md
  newscli set category=analysis note="check figures" feeds --topic AI -n
  newscli set provider.name=Reuters feeds --provider reuters.com --story
Only the lines of the fields set change; every other byte of the file is kept."""


@app.command("set", epilog=SET_EPILOG)
@selecting
def set_command(
    query: "Query",
    arguments: Annotated[
        list[str],
        typer.Argument(
            metavar="FIELD=VALUE... [PATH...]",
            show_default=False,
            help="The values to set (FIELD=VALUE as text or the field's type, FIELD:=VALUE "
            "as YAML), then the article files or folders to edit (or the config's feeds).",
        ),
    ],
    dry_run: DryRun = False,
    allow_all: All = False,
    story: Story = False,
    wait: Wait = 0.0,
    new_field: Annotated[
        bool,
        typer.Option(
            "--new-field",
            help="Set a field whose name is near a known one's (Quality, qualty) or is a "
            "derived one's (date, url) as named; refused without it.",
        ),
    ] = False,
) -> None:
    """Set fields (quality=85, category=analysis, provider.name=...) in articles."""
    from newscli.edit.transforms import assign

    fields, paths = split_arguments(arguments, assignments=True)
    if not fields:
        late = next((a for a in arguments if "=" in a), None)  # (h41: after a path)
        hint = f"; {late!r} comes after a path: FIELD=VALUE... first, then paths" if late else ""
        raise typer.BadParameter(f"name at least one FIELD=VALUE{hint}", param_hint="FIELD=VALUE")
    assignments = _assignments(fields)
    if not new_field:
        _not_derived(assignments)
    transform = assign(assignments)
    check = None if new_field else functools.partial(_no_slip, assignments)
    run_edit(
        transform, paths, query, allow_all=allow_all, dry_run=dry_run, wait=wait, story=story,
        check=check,
    )  # fmt: skip


UNSET_EPILOG = """\b
Examples:
  newscli unset note feeds/rate-decision.md
  newscli unset heat status feeds --where 'heat < 0' --dry-run"""


def _field_paths(names: list[str]) -> list[tuple[str, ...]]:
    from newscli.edit.text_edit import TextEditError, field_path

    try:
        return [field_path(name) for name in names]
    except TextEditError as exc:
        raise typer.BadParameter(str(exc), param_hint="FIELD") from None


@app.command("unset", epilog=UNSET_EPILOG)
@selecting
def unset_command(
    query: "Query",
    arguments: Annotated[
        list[str],
        typer.Argument(
            metavar="FIELD... [PATH...]",
            help="The fields to remove, then the article files or folders to edit.",
        ),
    ],
    dry_run: DryRun = False,
    allow_all: All = False,
    story: Story = False,
    wait: Wait = 0.0,
) -> None:
    """Remove fields (their line, or their whole block) from articles."""
    from newscli.edit.transforms import unset_fields

    names, paths = split_arguments(arguments, assignments=False, hint="FIELD")
    if not names:
        raise typer.BadParameter(f"name at least one FIELD{_taken(arguments)}", param_hint="FIELD")
    fields = _field_paths(names)
    _once_each(fields, "FIELD")
    transform = unset_fields(fields)
    check = functools.partial(_none_hold, names)
    run_edit(
        transform, paths, query, allow_all=allow_all, dry_run=dry_run, wait=wait, story=story,
        check=check,
    )  # fmt: skip


def _none_hold(names: list[str], articles: "Sequence[Article]") -> str | None:
    """A note when no article to edit holds a field to remove (h127 LOW: `unset qualty`
    said only "unchanged 18"), with the known field it may be a slip for."""
    from newscli.edit.field_values import near_known
    from newscli.sanitize import escaped

    for name in names:
        first = name.split(".")[0]
        if articles and not any(first in a.data or name in a.data for a in articles):
            known = near_known(name)
            hint = f"; did you mean '{known}'?" if known else ""
            return f"no article to edit has the field '{escaped(name)}'{hint}"
    return None


class TagAction(str, Enum):
    add = "add"
    remove = "remove"


class ListField(str, Enum):
    topics = "topics"
    tags = "tags"
    categories = "categories"


TAG_EPILOG = """\b
Examples:
  newscli tag add Science feeds/rate-decision.md
  newscli tag add AI Climate feeds --search 'data centre' --dry-run
  newscli tag remove Draft feeds --field tags --prune --all
Items compare case-insensitively; block and flow lists are edited in place."""


@app.command("tag", epilog=TAG_EPILOG)
@selecting
def tag_command(
    query: "Query",
    action: Annotated[TagAction, typer.Argument(metavar="add|remove", case_sensitive=False)],
    arguments: Annotated[
        list[str],
        typer.Argument(
            metavar="TOPIC... [PATH...]",
            help="The topics, then the article files or folders to edit.",
        ),
    ],
    list_field: Annotated[
        ListField,
        typer.Option(
            "--field",
            case_sensitive=False,
            metavar="topics|tags|categories",
            help="The list to edit.",
        ),
    ] = ListField.topics,
    prune: Annotated[
        bool,
        typer.Option("--prune", help="tag remove: remove the key when its list is left empty."),
    ] = False,
    dry_run: DryRun = False,
    allow_all: All = False,
    story: Story = False,
    wait: Wait = 0.0,
) -> None:
    """Add items to a list (topics, tags, categories) or remove them."""
    from newscli.edit.transforms import tag_add, tag_remove

    items, paths = split_arguments(arguments, assignments=False)
    if not items:
        raise typer.BadParameter(f"name at least one TOPIC{_taken(arguments)}", param_hint="TOPIC")
    from newscli.sanitize import clean, control_pattern, name_fault

    # (h116: "name at least one" though another was named; h121: a zero-width space or
    # an escape sequence alone showed as nothing everywhere, as a blank does)
    undecodable = next((i for i in items if any(0xD800 <= ord(c) <= 0xDFFF for c in i)), None)
    if undecodable is not None:  # (h127: a YAML parser's message, exit 1)
        raise typer.BadParameter(f"{undecodable!a} is not UTF-8 text", param_hint="TOPIC")
    control = next(filter(control_pattern().search, items), None)
    if control is not None and action == TagAction.add:  # (h124: a lone ESC, DEL or tab was
        # taken, ESC [2J said blank; h126: U+2028, U+202E; one in a file may be removed)
        raise typer.BadParameter(
            f"{control!a} holds a control character: a TOPIC is text on one line",
            param_hint="TOPIC",
        )
    blank = next((item for item in items if not clean(item).translate(_BLANKS).strip()), None)
    if blank is not None:
        raise typer.BadParameter(f"{blank!a} is blank: a TOPIC holds a word", param_hint="TOPIC")
    for item in items if action == TagAction.add else ():  # (h127: `A\u200bI` was taken,
        # shown as AI, a topic apart from AI everywhere; h125: "AI " too)
        fault = name_fault(item)
        if fault is not None:
            raise typer.BadParameter(
                f"{item!a} {fault}: a TOPIC is spelled as it shows", param_hint="TOPIC"
            )
    name = list_field.value
    transform = (
        tag_add(name, items) if action == TagAction.add else tag_remove(name, items, prune=prune)
    )
    run_edit(transform, paths, query, allow_all=allow_all, dry_run=dry_run, wait=wait, story=story)


# letters that show as nothing: Hangul fillers, the blank braille pattern, the
# combining grapheme joiner (h123: a topic of one was taken, and showed as empty)
_BLANKS = dict.fromkeys(map(ord, "\u115f\u1160\u3164\uffa0\u2800\u034f"))


def _with_rejected(query: "Query") -> "Query":
    """reject and unreject see rejected articles too (unless --rejected: only them)."""
    from dataclasses import replace

    if query.selection.rejected is not False:
        return query
    return replace(query, selection=replace(query.selection, rejected=None))


REJECT_EPILOG = """\b
Examples:
  newscli reject feeds/rate-decision.md --reason "duplicate of the wire story"
  newscli reject feeds --provider spam.example --all
Writes `rejected: true` (and `rejectedReason`); unreject removes both."""


@app.command("reject", epilog=REJECT_EPILOG)
@selecting
def reject_command(
    query: "Query",
    paths: EditPaths = None,
    reason: Annotated[
        Optional[str],
        typer.Option("--reason", metavar="TEXT", help="Why (written as rejectedReason)."),
    ] = None,
    dry_run: DryRun = False,
    allow_all: All = False,
    story: Story = False,
    wait: Wait = 0.0,
) -> None:
    """Mark articles rejected: selecting commands leave them out from then on."""
    from newscli.edit.transforms import reject

    query = _with_rejected(query)  # one already rejected: unchanged, or its new --reason
    run_edit(reject(reason), paths, query, allow_all=allow_all, dry_run=dry_run, wait=wait,
             story=story, keep_rejected=True)  # fmt: skip


UNREJECT_EPILOG = """\b
Examples:
  newscli unreject feeds/rate-decision.md
  newscli unreject feeds --rejected --provider example.org"""


@app.command("unreject", epilog=UNREJECT_EPILOG)
@selecting
def unreject_command(
    query: "Query",
    paths: EditPaths = None,
    dry_run: DryRun = False,
    allow_all: All = False,
    story: Story = False,
    wait: Wait = 0.0,
) -> None:
    """Take back a rejection (removes rejected and rejectedReason)."""
    from newscli.edit.transforms import unreject

    query = _with_rejected(query)  # rejected ones are what it needs
    run_edit(unreject(), paths, query, allow_all=allow_all, dry_run=dry_run, wait=wait,
             story=story)  # fmt: skip


RULES_EPILOG = """\b
Examples:
  newscli rules
  newscli rules --config newscli.yaml
Rules live in the config file (rules: {exclude: [EXPR, ...]}); --no-rules ignores them."""


@app.command("rules", epilog=RULES_EPILOG)
def rules_command(
    config_file: Annotated[
        Optional[str],
        typer.Option("--config", metavar="FILE", help="Config file (default: as for list)."),
    ] = None,
) -> None:
    """List the config file's exclude rules (applied by every selecting command)."""
    from newscli.cli.application import exit_codes
    from newscli.cli.options import check_rules
    from newscli.terminal.output import Output

    out = Output()
    with exit_codes(out):
        from newscli import config

        loaded = config.load(config.find(config_file))
        check_rules(loaded)
        from newscli.sanitize import escaped_apart

        # (a rule's hidden characters as escapes, h116, and its backslashes twice where
        # one would read as one, h121: as a --where string takes it, `\\` a backslash)
        out.result("".join(f"exclude: {escaped_apart(rule)}\n" for rule in loaded.exclude))
        if not loaded.exclude:
            out.note(f"no rules ({loaded.path or 'no configuration file'})")
