"""Commands that only read: list, export, clusters, fields."""

import contextlib
from enum import Enum
from typing import Annotated, Optional

import typer

from newscli.cli.app import app, exit_codes
from newscli.cli.options import Paths, Strict, Wait, load_query, selecting
from newscli.output import Output
from newscli.query import Query

# ruff: noqa: UP045  (typer reads Optional[...] at run time on Python 3.10)


class ListFormat(str, Enum):
    auto = "auto"
    table = "table"
    tsv = "tsv"


def _names(value: Optional[str]) -> list[str]:
    return [n.strip() for n in (value or "").split(",") if n.strip()]


FormatOption = Annotated[
    ListFormat,
    typer.Option(
        "--format",
        case_sensitive=False,
        metavar="auto|table|tsv",
        help="table, tsv, or auto: a table on a terminal, tsv otherwise.",
    ),
]

LIST_EPILOG = """\b
Examples:
  newscli list sample_feeds
  newscli list sample_feeds --topic AI --topic Climate --min-quality 60
  newscli list sample_feeds --where 'quality >= 70 and not published' --sort quality
  newscli list sample_feeds --columns date,provider.domain,title --limit 5
  newscli list sample_feeds --unpublished | cut -f1,7
On a terminal: a table, newest first. Piped: tab-separated values with a header row."""


@app.command("list", epilog=LIST_EPILOG)
@selecting
def list_command(
    query: Query,
    paths: Paths = None,
    strict: Strict = False,
    output_format: FormatOption = ListFormat.auto,
    columns: Annotated[
        Optional[str],
        typer.Option(
            "--columns", metavar="A,B,C", help="Show these fields (see `newscli fields`)."
        ),
    ] = None,
) -> None:
    """Show the selected articles, newest first."""
    out = Output()
    with exit_codes(out):
        result, loaded = load_query(out, paths, query, strict)
        names = _names(columns)
        if names:
            from newscli.fields import check_names

            check_names(names, loaded.articles, "--columns")
        as_table = output_format == ListFormat.table or (
            output_format == ListFormat.auto and out.is_terminal
        )
        if as_table:
            from newscli.render import article_table, field_table

            console = out.console()
            skipped = len(loaded.problems)
            if names:
                table = field_table(result.articles, names, query.now, skipped=skipped)
            else:
                table = article_table(result.articles, console.width, skipped=skipped)
            out.render(table, console)
        else:
            from newscli.formats import to_tsv

            out.result(to_tsv(result.articles, names, query.now))


EXPORT_EPILOG = """\b
Examples:
  newscli export sample_feeds > articles.json
  newscli export sample_feeds --topic AI --min-quality 70 -o ai.json
  newscli export sample_feeds --dedupe --fields title,webUrl,provider.name
  newscli export feeds --unpublished --mark-published -o new.json
Each item holds the front-matter fields under their original names (unknown fields
included), dates as RFC 3339 UTC, plus "path"."""


@app.command("export", epilog=EXPORT_EPILOG)
@selecting
def export_command(
    query: Query,
    paths: Paths = None,
    strict: Strict = False,
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
        Optional[str],
        typer.Option("--fields", metavar="A,B,C", help="Export only these fields."),
    ] = None,
    mark_published: Annotated[
        bool,
        typer.Option(
            "--mark-published",
            help="After the output is written, mark exactly the exported articles published.",
        ),
    ] = False,
    wait: Wait = 0.0,
) -> None:
    """Export the selected articles as a JSON array, newest first."""
    out = Output()
    with exit_codes(out):
        from newscli.locking import folder_locks

        locks = folder_locks(paths or ["."], wait) if mark_published else contextlib.nullcontext()
        with locks:
            result, loaded = load_query(out, paths, query, strict)
            names = _names(fields)
            if names:
                from newscli.fields import check_names

                check_names(names, loaded.articles, "--fields")
            from newscli.formats import to_json

            duplicates = result.duplicates if query.dedupe else None
            text = to_json(result.articles, fields=names, duplicates=duplicates, now=query.now)
            if output and output != "-":
                out.to_file(output, text)
            else:
                out.result(text)
            if mark_published:
                from newscli.cli.write_commands import apply_published

                apply_published(out, [a.path for a in result.articles], True, list_changes=False)


class ClusterFormat(str, Enum):
    auto = "auto"
    table = "table"
    tsv = "tsv"
    json = "json"


CLUSTERS_EPILOG = """\b
Examples:
  newscli clusters sample_feeds
  newscli clusters sample_feeds --topic AI --format json
A story is the set of articles sharing a normalised URL or linked through `related`;
only stories with more than one article are shown, the kept (best) article first."""


@app.command("clusters", epilog=CLUSTERS_EPILOG)
@selecting
def clusters_command(
    query: Query,
    paths: Paths = None,
    strict: Strict = False,
    output_format: Annotated[
        ClusterFormat,
        typer.Option("--format", case_sensitive=False, metavar="auto|table|tsv|json"),
    ] = ClusterFormat.auto,
) -> None:
    """Show the stories that more than one selected article covers."""
    out = Output()
    with exit_codes(out):
        from dataclasses import replace

        from newscli import stories

        result, _ = load_query(out, paths, replace(query, dedupe=False, limit=None), strict)
        groups = [s for s in stories.group_stories(result.articles) if s.duplicates]
        groups.sort(key=lambda s: stories.best_first_key(s.kept))
        if query.limit is not None or query.offset:
            end = None if query.limit is None else query.offset + query.limit
            groups = groups[query.offset : end]
        if output_format == ClusterFormat.json:
            from newscli.formats import clusters_json

            out.result(clusters_json(groups))
        elif output_format == ClusterFormat.table or (
            output_format == ClusterFormat.auto and out.is_terminal
        ):
            from newscli.render import clusters_table

            out.render(clusters_table(groups))
        else:
            from newscli.formats import clusters_tsv

            out.result(clusters_tsv(groups))


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
            metavar="PATH", help="Also list fields found in these files.", show_default=False
        ),
    ] = None,
    output_format: FormatOption = ListFormat.auto,
) -> None:
    """List every field usable in --where, --fields, --columns, with its type."""
    out = Output()
    with exit_codes(out):
        from newscli import fields

        rows = [(s.name, s.type, s.description) for s in fields.KNOWN.values()]
        if paths:
            from newscli.loader import load_paths

            loaded = load_paths(paths)
            for problem in loaded.problems:
                out.problem(problem)
            found = fields.discover(loaded.articles)
            rows += [(name, kind, "found in the files") for name, kind in sorted(found.items())]
        if output_format == ListFormat.table or (
            output_format == ListFormat.auto and out.is_terminal
        ):
            from newscli.render import rows_table

            out.render(rows_table(("Field", "Type", "Description"), rows))
        else:
            from newscli.formats import rows_tsv

            out.result(rows_tsv(("field", "type", "description"), rows))
