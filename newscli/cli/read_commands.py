"""Commands that only read: list, export, clusters, fields."""

import contextlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from newscli.cli.application import app, exit_codes
from newscli.cli.loading import load_query
from newscli.cli.options import (
    CacheDir,
    NoCache,
    Paths,
    Strict,
    Wait,
    check_empty,
    selecting,
    shared_help,
)
from newscli.errors import QueryError
from newscli.terminal.output import Output

if TYPE_CHECKING:
    from datetime import datetime

    from newscli.article.model import Article
    from newscli.index.loader import LoadResult
    from newscli.select.query import Query, QueryResult

# ruff: noqa: UP045  (typer reads Optional[...] at run time on Python 3.10)


class ListFormat(str, Enum):
    auto = "auto"
    table = "table"
    tsv = "tsv"
    json = "json"
    jsonl = "jsonl"


def _names(value: Optional[str], option: str) -> list[str]:
    """The field names of --columns or --fields; given, it must name one at least."""
    names = [n.strip() for n in (value or "").split(",") if n.strip()]
    if value is not None and not names:
        raise typer.BadParameter("names no field (A,B,C: see `newscli fields`)", param_hint=option)
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
        Optional[str],
        typer.Option(
            "--columns", metavar="A,B,C", help="Show these fields (see `newscli fields`)."
        ),
    ] = None,
) -> None:
    """Show the selected articles, newest first."""
    out = Output()
    with exit_codes(out):
        names = _names(columns, "--columns")
        result, loaded = load_query(out, paths, query, strict, names, "--columns")
        if output_format in (ListFormat.json, ListFormat.jsonl):  # export's records
            fmt = ExportFormat(output_format.value)
            out.emit(_export_chunks(fmt, result, names, query, ("", None, "")))
        elif out.wants_table(output_format.value):
            from newscli.terminal.render import article_tables, field_table

            console = out.console()
            skipped = len(loaded.problems)
            if names:
                width = console.width
                table = field_table(result.articles, names, query.now, width, skipped=skipped)
                out.render(table, console)
            else:
                for table in article_tables(result.articles, console.width, skipped=skipped):
                    out.render(table, console)
        else:
            from newscli.formats.records import to_tsv

            out.result(to_tsv(result.articles, names, query.now))
        check_empty(query, len(result.articles))


class ExportFormat(str, Enum):
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    tsv = "tsv"
    rss = "rss"
    atom = "atom"
    markdown = "markdown"
    html = "html"
    email = "email"
    jsonfeed = "jsonfeed"


class GroupBy(str, Enum):
    topic = "topic"
    story = "story"
    provider = "provider"
    date = "date"


@dataclass(frozen=True)
class Presentation:
    """Options of the outputs made for people: html, email, markdown, a --template."""

    group_by: str = "topic"
    template: Optional[str] = None
    to: Optional[str] = None
    sender: Optional[str] = None
    feed_url: Optional[str] = None


TEMPLATED = ("html", "email", "markdown")


EXPORT_EPILOG = """\b
Examples:
  newscli export sample_feeds > articles.json
  newscli export sample_feeds --topic AI --min-quality 70 -o ai.json
  newscli export sample_feeds --format csv --fields title,quality -o a.csv
  newscli export sample_feeds --format atom --feed-title "AI picks" -o ai.xml
  newscli export feeds --unpublished --mark-published -o new.json
JSON items hold the front-matter fields under their original names (unknown fields
included), dates as RFC 3339 UTC, plus "path"."""


def _story_field(names: list[str], dedupe: bool, fmt: ExportFormat) -> list[str]:
    """The --fields names that are the files' fields: with --dedupe, ``duplicates`` is
    the other articles of each story (as in the whole records), in json and jsonl."""
    if not dedupe or DUPLICATES not in names:
        return names
    if fmt not in (ExportFormat.json, ExportFormat.jsonl):
        raise QueryError(
            f"--fields: {DUPLICATES!r} (a list of paths) is for --format json or jsonl"
        )
    return [name for name in names if name != DUPLICATES]


DUPLICATES = "duplicates"


def _export_chunks(
    fmt: ExportFormat,
    result: "QueryResult",
    names: list[str],
    query: "Query",
    feed: tuple[str, Optional[str], str],
    shown: Presentation = Presentation(),
) -> Iterable[str]:
    """The output text in pieces. ``feed``: title, link and description of a feed."""
    from datetime import datetime, timezone

    now = query.now or datetime.now(timezone.utc)
    articles = result.articles
    if shown.template or fmt.value in TEMPLATED:
        return [_templated(fmt, result, names, query, feed, shown, now)]
    if fmt == ExportFormat.jsonfeed:
        from newscli.formats import feeds
        from newscli.formats.jsonfeed import jsonfeed

        info = feeds.FeedInfo(*feed)
        return [jsonfeed(articles, info, feed_url=shown.feed_url, fields=names, now=now)]
    if fmt in (ExportFormat.json, ExportFormat.jsonl):
        from newscli.formats import records

        duplicates = result.duplicates if query.dedupe else None
        texts = records.record_texts(articles, fields=names, duplicates=duplicates, now=now)
        if fmt == ExportFormat.json:
            return records.json_chunks(texts)
        return records.jsonl_chunks(texts)
    if fmt in (ExportFormat.csv, ExportFormat.tsv):
        from newscli.formats import tabular

        columns, left_out = (names, 0) if names else tabular.columns_for(articles)
        if left_out and query.verbosity > 0:
            Output().note(
                f"{left_out} more fields left out: at most {tabular.MAX_EXTRA_COLUMNS} "
                "columns beyond the usual ones (those most articles have); "
                "--fields chooses others"
            )
        delimiter = "," if fmt == ExportFormat.csv else "\t"
        return tabular.csv_chunks(articles, columns, now, delimiter)
    if names:
        raise QueryError(f"--fields does not apply to --format {fmt.value}")
    from newscli.formats import feeds

    info = feeds.FeedInfo(*feed, url=shown.feed_url)
    return [(feeds.rss if fmt == ExportFormat.rss else feeds.atom)(articles, info)]


def _templated(
    fmt: ExportFormat,
    result: "QueryResult",
    names: list[str],
    query: "Query",
    feed: tuple[str, Optional[str], str],
    shown: Presentation,
    now: "datetime",
) -> str:
    """html, email, markdown or a --template: rendered from a template."""
    from newscli.formats.email_digest import NEEDS_TO
    from newscli.formats.feeds import FeedInfo
    from newscli.formats.templating import outputs

    if names and fmt == ExportFormat.markdown and not shown.template:
        raise QueryError("--fields does not apply to --format markdown")
    stories = result.with_stories() if query.dedupe else None
    selection = outputs.Selection(
        result.articles, FeedInfo(*feed), now, shown.group_by, names, stories, query.stories,
        result.stories,
    )  # fmt: skip
    if fmt == ExportFormat.email:
        if not shown.to:
            raise QueryError(NEEDS_TO)
        html = shown.template or outputs.HTML
        return outputs.email(selection, to=shown.to, sender=shown.sender, html_template=html)
    name = shown.template or {"html": outputs.HTML, "markdown": outputs.MARKDOWN}[fmt.value]
    return outputs.render(name, selection, html=fmt == ExportFormat.html)


def _check_feed_link(fmt: ExportFormat, link: Optional[str]) -> None:
    """Before anything is read: a --feed-link must be an absolute http(s) URL, and
    RSS needs one (usage errors)."""
    if link is None and fmt != ExportFormat.rss:
        return  # nothing to check (and no feed module to import)
    _check_url("--feed-link", link)
    from newscli.formats.feeds import RSS_NEEDS_LINK

    if fmt == ExportFormat.rss and link is None:
        raise typer.BadParameter(RSS_NEEDS_LINK)


def _check_url(option: str, url: Optional[str]) -> None:
    """A usage error unless url is None or an absolute http(s) URL."""
    if url is None:
        return
    from newscli.formats.feeds import web_url

    if web_url(url) is None:
        raise typer.BadParameter(f"not an absolute http(s) URL: {url!r}", param_hint=option)


def _check_addresses(to: Optional[str], sender: Optional[str]) -> None:
    from newscli.formats.email_digest import NEEDS_TO, addresses

    if to is None:
        raise QueryError(NEEDS_TO)
    addresses("--to", to)  # ("" is no address: said as `presets` says it, h50)
    if sender:
        addresses("--from", sender)


def check_given(values: Mapping[str, Any]) -> None:
    """export's checks, before anything is read, of the option values given (not of
    what a run needs besides: an rss preset's run may give --feed-link itself), so that
    `newscli presets` refuses a preset's value as its run would (usage errors)."""
    _check_url("--feed-link", values.get("feed_link"))
    _check_url("--feed-url", values.get("feed_url"))
    _check_output(values.get("output"))
    from newscli.formats.email_digest import addresses

    for option, key in (("--to", "to"), ("--from", "sender")):
        if values.get(key) is not None:  # ("" too: h50, `to: ""` passed `presets`)
            addresses(option, values[key])
    if values.get("output_format") is not None:  # (as the preset names it: text)
        _check_template(ExportFormat(values["output_format"]), values.get("template"))


def _check_output(output: Optional[str]) -> None:
    if output == "":
        raise typer.BadParameter("needs a file name ('-' is stdout)", param_hint="-o")
    if output is not None and not output.strip():  # (a file named "  ": a script's slip)
        raise typer.BadParameter(
            f"{output!r} is only blanks, not a file name ('-' is stdout)", param_hint="-o"
        )


def _check_template(fmt: ExportFormat, template: Optional[str]) -> None:
    """--template renders the output itself (html, or the HTML part of an email)."""
    if template is not None and fmt.value not in ("json", "html", "email"):
        raise typer.BadParameter(
            f"--template renders the output itself: give it without --format {fmt.value} "
            "(or with --format html, or --format email for the email's HTML part)",
            param_hint="--template",
        )


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
        Optional[str],
        typer.Option(
            "--fields", metavar="A,B,C", help="Export only these fields (json, jsonl, csv, tsv)."
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
            help="Sections of html, email and markdown (default: topic).",
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
        _check_feed_link(output_format, feed_link)
        _check_url("--feed-url", feed_url)
        _check_template(output_format, template)
        shown = Presentation(group_by.value, template, to, sender, feed_url)
        if output_format == ExportFormat.email:  # bad addresses fail before any work
            _check_addresses(to, sender)
        if template is not None:  # a missing or broken template fails before any work
            from newscli.formats.templating.engine import load

            load(template)
        _check_output(output)
        names = _names(fields, "--fields")
        checked = _story_field(names, query.dedupe, output_format)
        with contextlib.ExitStack() as locks:
            locked: list[str] = []
            if mark_published:
                from newscli.edit.locking import folder_locks, with_subfolders

                locked = with_subfolders(paths or ["."])
                locks.enter_context(folder_locks(locked, wait))
            if template is not None or output_format.value in TEMPLATED:
                from dataclasses import replace

                query = replace(query, shows_stories=True)  # one grouping for all of it
            result, loaded = load_query(out, paths, query, strict, checked, "--fields")
            marked: list[Article] = []
            if mark_published:  # each file's own folder's lock too (a subfolder, a link)
                from datetime import datetime, timezone

                from newscli.cli.edit_selection import held_back, lock_own_folders

                now = query.now or datetime.now(timezone.utc)
                note = out.note if query.verbosity > 0 else None
                held = held_back(query, result, loaded.articles, now, note)
                marked = result.with_stories(held)
                lock_own_folders(locks, marked, locked, wait, loaded.links)
            from newscli.cli.output_targets import not_an_input

            not_an_input(output, loaded, paths or ["."])
            feed = (feed_title, feed_link, feed_description)
            chunks = _export_chunks(output_format, result, names, query, feed, shown)
            if not mark_published:
                out.emit(chunks, output)
            else:
                _export_and_mark(out, chunks, output, marked, loaded, quiet=query.verbosity == 0)
            check_empty(query, len(result.articles))


def _export_and_mark(
    out: Output,
    chunks: Iterable[str],
    output: Optional[str],
    articles: "list[Article]",
    loaded: "LoadResult",
    *,
    quiet: bool,
) -> None:
    """Write the export, then mark the exported articles (``articles``; after --dedupe:
    every article of their stories, but those held back: edit_selection.held_back)
    published, each only if its file is still the version that was
    loaded: a file replaced since (a correction) was not exported and is left unmarked.

    Ctrl-C or SIGTERM once the output is written (``-o FILE``: from its rename on)
    leaves the articles not yet marked unpublished, to be exported again: said on
    stderr, with how many were marked, even with --quiet (exit 130 or 143)."""
    from newscli.cli import write_commands
    from newscli.edit.journal import RECORD_SIZE, JournalError, check_writable
    from newscli.edit.room import check_room
    from newscli.wording import count

    written: list[bool] = []
    tally = write_commands.Tally()
    # (before any output: one that could not be marked ships again; h44: on a disk too
    # full for the old versions, the output went out and none was marked)
    stamps = loaded.stamps()
    sizes = {a.path: stamps[a.path].size for a in articles if not a.published and a.path in stamps}
    check_writable(need=sum(size + len(path) + RECORD_SIZE for path, size in sizes.items()))
    check_room(sizes)  # (h52: the articles' own disk full, the output on another one)
    try:
        out.emit(chunks, output, on_written=lambda: written.append(True))
        versions = write_commands.loaded_versions(loaded, articles)
        write_commands.apply_published(
            out,
            [a.path for a in articles],
            True,
            list_changes=False,
            quiet=quiet,
            versions=versions,
            changed_reason="changed since it was exported; not marked",
            tally=tally,
            say_interrupted=False,
        )
    except (KeyboardInterrupt, JournalError) as exc:
        # (a full disk stops the marking as a signal does: no file marked unjournaled)
        stopped = "interrupted" if isinstance(exc, KeyboardInterrupt) else "stopped"
        total = len(articles)
        rest = total - tally.changed - tally.same
        if written and not rest:
            out.note(f"{stopped} after the output was written and every exported article "
                     f"marked published ({total})")  # fmt: skip
        elif written:
            already = f", {tally.same} already were" if tally.same else ""
            out.note(
                f"{stopped} after the output was written: {tally.changed} of the "
                f"{count(total, 'exported article')} marked published{already}; the other "
                f"{rest} stay unpublished and are exported again by the next run that "
                "selects them"
            )
        raise


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
            metavar="PATH", help="Also list fields found in these files.", show_default=False
        ),
    ] = None,
    output_format: FormatOption = ListFormat.auto,
    cache_dir: CacheDir = None,
    no_cache: NoCache = False,
) -> None:
    """List every field usable in --where, --fields, --columns, with its type."""
    out = Output()
    with exit_codes(out):
        from newscli import config
        from newscli.select import fields

        rows = [(s.name, s.type, s.description) for s in fields.KNOWN.values()]
        paths = paths or list(config.load(config.find(None)).feeds)
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
        elif out.wants_table(output_format.value):
            from newscli.sanitize import escaped
            from newscli.terminal.render import rows_table

            # (h42: keys of hidden characters were blank cells, "\x1b[31mkey" was "key")
            shown = [(escaped(name) or '""', kind, text) for name, kind, text in rows]
            out.render(rows_table(("Field", "Type", "Description"), shown))
        else:
            from newscli.formats.records import rows_tsv

            out.result(rows_tsv(("field", "type", "description"), rows))
