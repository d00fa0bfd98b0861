"""Commands that only read: list, export, clusters, fields."""

import contextlib
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from newscli.cli.application import app, exit_codes
from newscli.cli.export_parts import (
    TEMPLATED,
    ExportFormat,
    GroupBy,
    Presentation,
    check_addresses,
    check_feed_link,
    check_output,
    check_template,
    check_url,
    export_and_mark,
    export_chunks,
    reads_ahead,
    story_field,
    unmarkable_left_out,
    without_changed,
)
from newscli.cli.loading import load_query, said_changed
from newscli.cli.options import (
    CacheDir,
    ConfigFile,
    NoCache,
    Paths,
    Strict,
    Wait,
    check_empty,
    selecting,
    shared_help,
)
from newscli.terminal.output import Output

if TYPE_CHECKING:
    from newscli.article.model import Article
    from newscli.select.query import Query

# ruff: noqa: UP045  (typer reads Optional[...] at run time on Python 3.10)


class ListFormat(str, Enum):
    auto = "auto"
    table = "table"
    tsv = "tsv"
    json = "json"
    jsonl = "jsonl"


def _names(values: Optional[list[str]], option: str) -> list[str]:
    """The field names of --columns or --fields (repeated or comma-separated, as
    --sort: h140, a second --columns replaced the first); each one given must name a
    field at least."""
    names: list[str] = []
    for value in values or ():
        part = [n.strip() for n in value.split(",") if n.strip()]
        if not part:
            raise typer.BadParameter(
                "names no field (A,B,C: see `newscli fields`)", param_hint=option
            )
        if len(part) != value.count(",") + 1:  # (h136: `a,,b` was a and b, where
            # `--columns ''` is refused: a variable left empty, say)
            raise typer.BadParameter(
                "names an empty field: a comma at an end, or two together (A,B,C)",
                param_hint=option,
            )
        names += part
    twice = next((n for i, n in enumerate(names) if n in names[:i]), None)
    if twice is not None:  # (h131: the table kept one column of the two, TSV both)
        from newscli.sanitize import escaped

        raise typer.BadParameter(f"{escaped(twice)}: named twice; name each field once",
                                 param_hint=option)  # fmt: skip
    return names


FormatOption = Annotated[
    ListFormat,
    typer.Option(
        "--format",
        case_sensitive=False,
        metavar="auto|table|tsv|json|jsonl",
        help="table, tsv, json, jsonl, or auto: a table on a terminal, tsv otherwise.",
    ),
]

LIST_EPILOG = """\b
Examples:
  newscli list sample_feeds
  newscli list sample_feeds --topic AI --topic Climate --min-quality 60
  newscli list sample_feeds --where 'quality >= 70 and not published'
  newscli list sample_feeds --columns date,provider.domain,title --limit 5
  newscli list sample_feeds --unpublished | cut -f1,7
On a terminal: a table, newest first. Piped: tab-separated values with a header row."""


@app.command("list", epilog=LIST_EPILOG)
@selecting
def list_command(
    query: "Query",
    paths: Paths = None,
    strict: Strict = False,
    output_format: FormatOption = ListFormat.auto,
    columns: Annotated[
        Optional[list[str]],
        typer.Option(
            "--columns",
            metavar="A,B,C",
            help="Show these fields (see `newscli fields`); repeat or comma-separate.",
        ),
    ] = None,
) -> None:
    """Show the selected articles, newest first."""
    out = Output()
    with exit_codes(out):
        names = _names(columns, "--columns")
        records = output_format in (ListFormat.json, ListFormat.jsonl)  # export's
        checked = story_field(names, query.dedupe, ExportFormat.json) if records else names
        result, loaded = load_query(out, paths, query, strict, checked, "--columns")
        if records:  # (--columns as --fields: duplicates too, after --dedupe; h93)
            fmt = ExportFormat(output_format.value)
            left: list[str] = []
            out.emit(export_chunks(fmt, result, names, query, ("", None, ""), left=left))
            said_changed(out, left)
        elif out.wants_table(output_format.value):
            from newscli.terminal.render import article_tables, field_table

            console = out.console()
            skipped = len(loaded.problems)
            width = console.width
            left = []
            if names:
                table = without_changed(
                    lambda chosen: field_table(chosen, names, query.now, width, skipped=skipped),
                    result.articles,
                    left,
                )
                said_changed(out, left)
                out.render(table, console)
            else:
                tables = without_changed(
                    lambda chosen: list(article_tables(chosen, width, skipped=skipped)),
                    result.articles,
                    left,
                )
                said_changed(out, left)
                for table in tables:
                    out.render(table, console)
        else:
            from newscli.formats.records import to_tsv

            left = []
            text = without_changed(
                lambda chosen: to_tsv(chosen, names, query.now), result.articles, left
            )
            said_changed(out, left)
            out.result(text)
        check_empty(query, len(result.articles))


EXPORT_EPILOG = """\b
Examples:
  newscli export sample_feeds > articles.json
  newscli export sample_feeds --topic AI --min-quality 70 -o ai.json
  newscli export sample_feeds --format csv --fields title,quality -o a.csv
  newscli export sample_feeds --format atom --feed-title "AI picks" -o ai.xml
  newscli export feeds --unpublished --mark-published -o new.json
JSON items hold the front-matter fields under their original names (unknown fields
included), dates as RFC 3339 UTC, plus "path"."""


@app.command("export", epilog=EXPORT_EPILOG)
@selecting
def export_command(
    query: "Query",
    paths: Paths = None,
    strict: Strict = False,
    output_format: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            metavar="json|jsonl|csv|tsv|rss|atom|markdown|html|email|jsonfeed",
            help="Output format.",
        ),
    ] = ExportFormat.json,
    output: Annotated[
        Optional[str],
        typer.Option(
            "--output",
            "-o",
            help="Write to FILE atomically instead of stdout ('-' is stdout).",
            metavar="FILE",
        ),
    ] = None,
    fields: Annotated[
        Optional[list[str]],
        typer.Option(
            "--fields",
            metavar="A,B,C",
            help="Export only these fields (json, jsonl, csv, tsv; a line of them in html and "
            "email, a _newscli object in jsonfeed); repeat or comma-separate.",
        ),
    ] = None,
    feed_title: Annotated[
        str,
        typer.Option("--feed-title", help="Feed, digest or page title (the email's subject)."),
    ] = "newscli export",
    feed_link: Annotated[
        Optional[str],
        typer.Option(
            "--feed-link",
            metavar="URL",
            help="The site's absolute http(s) URL: the feed's link (required for rss) "
            "and id (atom; without it a tag: URI).",
        ),
    ] = None,
    feed_description: Annotated[
        str,
        typer.Option(
            "--feed-description", help="Feed description (rss, atom, jsonfeed, html, email)."
        ),
    ] = "Articles selected with newscli",
    mark_published: Annotated[
        bool,
        typer.Option(
            "--mark-published",
            help="After the output is written, mark exactly the exported articles published.",
        ),
    ] = False,
    wait: Wait = 0.0,
    group_by: Annotated[
        GroupBy,
        typer.Option(
            "--group-by",
            case_sensitive=False,
            metavar="topic|story|provider|date",
            help="Sections of html, email and markdown.",
        ),
    ] = GroupBy.topic,
    template: Annotated[
        Optional[str],
        typer.Option(
            "--template",
            metavar="FILE|NAME",
            help="Render this Jinja2 template (a file, or a built-in one: `newscli templates`).",
        ),
    ] = None,
    to: Annotated[
        Optional[str], typer.Option("--to", metavar="ADDRESS", help="email: the To address(es).")
    ] = None,
    sender: Annotated[
        Optional[str],
        typer.Option("--from", metavar="ADDRESS", help="email: the From address."),
    ] = None,
    feed_url: Annotated[
        Optional[str],
        typer.Option(
            "--feed-url",
            metavar="URL",
            help="rss, atom, jsonfeed: the feed's own URL (its self link).",
        ),
    ] = None,
) -> None:
    """Export the selected articles (JSON by default), newest first."""
    out = Output()
    with exit_codes(out):
        check_feed_link(output_format, feed_link)
        check_url("--feed-url", feed_url)
        check_template(output_format, template)
        shown = Presentation(group_by.value, template, to, sender, feed_url)
        if output_format == ExportFormat.email:  # bad addresses fail before any work
            check_addresses(to, sender, query.now)
        if template is not None:  # a missing or broken template fails before any work
            from newscli.formats.templating.engine import load

            load(template)
        check_output(output)
        names = _names(fields, "--fields")
        checked = story_field(names, query.dedupe, output_format)
        with contextlib.ExitStack() as locks:
            if mark_published:
                from os.path import lexists

                from newscli.edit.locking import folder_locks, with_subfolders

                # (a path not there: the load says so, not a lock of the folder it would
                # be in, h141; as the edits do, h127)
                locked = [p for p in with_subfolders(paths or ["."]) if lexists(p)]
                locks.enter_context(folder_locks(locked, wait))
            from dataclasses import replace

            if template is not None or output_format.value in TEMPLATED:
                query = replace(query, shows_stories=True)  # one grouping for all of it
            page = (query.offset, query.limit)
            if mark_published:  # (paged once the articles it cannot mark are left out)
                query = replace(query, offset=0, limit=None)
            ahead = reads_ahead(output_format, names, page)
            result, loaded = load_query(
                out, paths, query, strict, checked, "--fields", exports=ahead
            )
            marked: list[Article] = []
            unmarkable = 0
            if mark_published:  # each file's own folder's lock too (a subfolder, a link)
                from datetime import datetime, timezone

                from newscli.cli.edit_selection import held_back, lock_own_folders

                now = query.now or datetime.now(timezone.utc)
                note = out.note if query.verbosity > 0 else None
                held = held_back(query, result, loaded.articles, now, note)
                result, unmarkable = unmarkable_left_out(out, result, held, page)
                marked = result.with_stories(held)
                lock_own_folders(locks, marked, wait, loaded.links)
            from newscli.cli.output_targets import not_an_input

            not_an_input(output, loaded, paths or ["."], template)
            feed = (feed_title, feed_link, feed_description)
            left: list[str] = []
            chunks = export_chunks(output_format, result, names, query, feed, shown, left)
            if not mark_published:
                out.emit(chunks, output)
                said_changed(out, left)
            else:
                story_of = {  # each article of an exported story: its kept article's path
                    a.path: kept.path
                    for kept in result.articles
                    for a in (kept, *result.others.get(kept.path, ()))
                }
                published = query.selection.published
                stories = story_of if query.dedupe and published is False else None  # (h82 3)
                # (each duplicate marked only if its kept article is: h93)
                leaders = {path: kept for path, kept in story_of.items() if path != kept}
                export_and_mark(out, chunks, output, marked, loaded, quiet=query.verbosity == 0,
                                stories=stories, leaders=leaders, left=left)  # fmt: skip
                check_empty(query, len(result.articles))  # (4 before the 1 of those left out)
                if unmarkable:
                    from newscli.errors import EditsRefusedError
                    from newscli.wording import count

                    raise EditsRefusedError(
                        f"not exported: {count(unmarkable, 'article')} that cannot be marked "
                        "published (see above)"
                    )
            check_empty(query, len(result.articles))


class ClusterFormat(str, Enum):
    auto = "auto"
    table = "table"
    tsv = "tsv"
    json = "json"
    jsonl = "jsonl"


CLUSTERS_EPILOG = """\b
Examples:
  newscli clusters sample_feeds
  newscli clusters sample_feeds --topic AI --format json
A story is the set of articles sharing a normalised URL, linked through `related`, or
with similar titles published close in time (--same-story chooses). Stories are made of
every article of the paths (as with --dedupe); those of more than one article with an
article passing the filters are shown, the best selected article first, each other
article with why it joined.
Stories are ordered by their kept articles: newest first, or by --sort."""


@app.command("clusters", epilog=CLUSTERS_EPILOG)
@selecting
@shared_help(limit="At most N stories.", offset="Skip the first N stories.")
def clusters_command(
    query: "Query",
    paths: Paths = None,
    strict: Strict = False,
    output_format: Annotated[
        ClusterFormat,
        typer.Option(
            "--format",
            case_sensitive=False,
            metavar="auto|table|tsv|json|jsonl",
            help="table, tsv, json, jsonl, or auto: a table on a terminal, tsv otherwise.",
        ),
    ] = ClusterFormat.auto,
) -> None:
    """Show the stories of several articles that the selection touches."""
    out = Output()
    with exit_codes(out):
        from dataclasses import replace

        from newscli.cli.loading import load_clusters

        # The stories --dedupe selects, unpaged: the paging applies to the stories.
        everything = replace(query, dedupe=True, limit=None, offset=0)
        groups = load_clusters(out, paths, everything, strict)
        if query.limit is not None or query.offset:
            end = None if query.limit is None else query.offset + query.limit
            groups = groups[query.offset : end]
        first = query.offset + 1  # each story keeps its number in the whole list
        if output_format == ClusterFormat.json:
            from newscli.formats.records import clusters_json

            out.results(clusters_json(groups, first))
        elif output_format == ClusterFormat.jsonl:
            from newscli.formats.records import clusters_jsonl

            out.result(clusters_jsonl(groups, first))
        elif out.wants_table(output_format.value):
            from newscli.terminal.render import clusters_table

            console = out.console()
            out.render(clusters_table(groups, console.width, first), console)
        else:
            from newscli.formats.records import clusters_tsv

            out.result(clusters_tsv(groups, first))
        check_empty(query, len(groups))


FIELDS_EPILOG = """\b
Examples:
  newscli fields
  newscli fields sample_feeds
Known fields always; with PATHs, also the other fields found in those files."""


@app.command("fields", epilog=FIELDS_EPILOG)
def fields_command(
    paths: Annotated[
        Optional[list[str]],
        typer.Argument(
            metavar="PATH...", help="Also list fields found in these files.", show_default=False
        ),
    ] = None,
    output_format: FormatOption = ListFormat.auto,
    cache_dir: CacheDir = None,
    no_cache: NoCache = False,
    config_file: ConfigFile = None,
) -> None:
    """List every field usable in --where, --fields, --columns, with its type."""
    out = Output()
    with exit_codes(out):
        from newscli import config
        from newscli.select import fields

        rows = [(s.name, s.type, s.description) for s in fields.KNOWN.values()]
        paths = paths or list(config.load(config.find(config_file)).feeds)
        if paths:
            from newscli.cli.loading import open_cache
            from newscli.index.loader import load_paths

            # Each file's fields are kept in the cache: no file is read twice.
            cache = open_cache(out, cache_dir, not no_cache, verbosity=1)
            loaded = load_paths(paths, cache=cache)
            for problem in loaded.problems:
                out.problem(problem)
            found = fields.discover(loaded.articles)
            rows += [(name, kind, "found in the files") for name, kind in sorted(found.items())]
        if output_format in (ListFormat.json, ListFormat.jsonl):
            from newscli.formats.records import rows_json

            lines = output_format == ListFormat.jsonl
            out.result(rows_json(("field", "type", "description"), rows, lines))
        else:
            from newscli.sanitize import shown_key

            # (h42: keys of hidden characters were blank cells, "\x1b[31mkey" was "key";
            # h99: so was the TSV's, a name no --fields knows; h153: so was "  ")
            shown = [(shown_key(name), kind, text) for name, kind, text in rows]
            if out.wants_table(output_format.value):
                from newscli.terminal.render import rows_table

                out.render(rows_table(("Field", "Type", "Description"), shown))
            else:
                from newscli.formats.records import rows_tsv

                out.result(rows_tsv(("field", "type", "description"), shown))
