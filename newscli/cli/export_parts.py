"""The export command's parts: its formats, the checks of its options (also asked by
`presets`), making its text, and writing it then marking what it exported
(--mark-published). The command itself is read_commands.export_command."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any, Optional, TypeVar

import typer

from newscli.errors import QueryError
from newscli.terminal.output import Output

if TYPE_CHECKING:
    from datetime import datetime

    from newscli.article.model import Article
    from newscli.index.loader import LoadResult
    from newscli.select.query import Query, QueryResult

# ruff: noqa: UP045  (typer reads Optional[...] at run time on Python 3.10)


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


def story_field(names: list[str], dedupe: bool, fmt: ExportFormat) -> list[str]:
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


def export_chunks(
    fmt: ExportFormat,
    result: QueryResult,
    names: list[str],
    query: Query,
    feed: tuple[str, Optional[str], str],
    shown: Presentation = Presentation(),
    left: Optional[list[str]] = None,
) -> Iterable[str]:
    """The output text in pieces. ``feed``: title, link and description of a feed.
    ``left``: where the paths of articles changed since they were selected go, each
    left out of the output (ArticleChangedError; without it, the error goes up)."""
    from datetime import datetime, timezone

    now = query.now or datetime.now(timezone.utc)
    articles = result.articles
    if shown.template or fmt.value in TEMPLATED:
        return [
            _made_whole(lambda r: templated(fmt, r, names, query, feed, shown, now), result, left)
        ]
    if fmt == ExportFormat.jsonfeed:
        from newscli.formats import feeds
        from newscli.formats.jsonfeed import jsonfeed

        info = feeds.FeedInfo(*feed)
        return [
            _made_whole(
                lambda r: jsonfeed(
                    r.articles, info, feed_url=shown.feed_url, fields=names, now=now
                ),
                result,
                left,
            )
        ]
    if fmt in (ExportFormat.json, ExportFormat.jsonl):
        from newscli.formats import records

        duplicates = result.duplicates if query.dedupe else None
        texts = records.record_texts(
            articles, fields=names, duplicates=duplicates, now=now, left=left
        )
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
        return tabular.csv_chunks(articles, columns, now, delimiter, left)
    if names:
        raise QueryError(f"--fields does not apply to --format {fmt.value}")
    from newscli.formats import feeds

    info = feeds.FeedInfo(*feed, url=shown.feed_url)
    return [(feeds.rss if fmt == ExportFormat.rss else feeds.atom)(articles, info)]


def _made_whole(
    make: Callable[[QueryResult], str], result: QueryResult, left: Optional[list[str]]
) -> str:
    """An output made as a whole (a template's, a JSON feed): made again without the
    articles changed since they were selected, their paths added to ``left``. After the
    first one met, every other article's text is checked before it is made again (h157:
    made again for each one, 200 changed articles took a JSON feed of 8,000 from 1.2 s
    to 56 s)."""
    if left is None:
        return make(result)
    return without_changed(lambda kept: make(kept_only(result, kept)), result.articles, left)


T = TypeVar("T")


def without_changed(
    make: Callable[[list[Article]], T], articles: list[Article], left: list[str]
) -> T:
    """``make(articles)``, made again without the articles changed since they were
    selected (ArticleChangedError), their paths added to ``left``: once the first is
    met, the texts of the others are checked, so that it is made again once for all."""
    from newscli.errors import ArticleChangedError

    while True:
        try:
            return make(articles)
        except ArticleChangedError as exc:
            if exc.path not in {a.path for a in articles}:
                raise
            gone = {exc.path, *_changed_among(a for a in articles if a.path != exc.path)}
            left.extend(a.path for a in articles if a.path in gone)
            articles = [a for a in articles if a.path not in gone]


def _changed_among(articles: Iterable[Article]) -> Iterator[str]:
    """The paths of these articles whose export text is not of the version selected."""
    from newscli.errors import ArticleChangedError
    from newscli.formats.records import prefetched

    for article in prefetched(list(articles)):
        if article.export_text is not None:
            try:
                article.export_text()
            except ArticleChangedError:
                yield article.path


def templated(
    fmt: ExportFormat,
    result: QueryResult,
    names: list[str],
    query: Query,
    feed: tuple[str, Optional[str], str],
    shown: Presentation,
    now: datetime,
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


def check_feed_link(fmt: ExportFormat, link: Optional[str]) -> None:
    """Before anything is read: a --feed-link must be an absolute http(s) URL, and
    RSS needs one (usage errors)."""
    if link is None and fmt != ExportFormat.rss:
        return  # nothing to check (and no feed module to import)
    check_url("--feed-link", link)
    from newscli.formats.feeds import RSS_NEEDS_LINK

    if fmt == ExportFormat.rss and link is None:
        raise typer.BadParameter(RSS_NEEDS_LINK)


def check_url(option: str, url: Optional[str]) -> None:
    """A usage error unless url is None or an absolute http(s) URL."""
    if url is None:
        return
    from newscli.formats.feeds import web_url

    if web_url(url) is None:
        raise typer.BadParameter(f"not an absolute http(s) URL: {url!r}", param_hint=option)


def check_addresses(
    to: Optional[str], sender: Optional[str], now: Optional[datetime] = None
) -> None:
    """The email's addresses, and its date: of a year from 1900 on (RFC 5322; h93: year
    1 was written so that mail readers take it for 2001)."""
    from newscli.formats.email_digest import NEEDS_TO, addresses

    if now is not None and now.year < 1900:
        raise QueryError(f"--now: an email's Date is of a year from 1900 on, not {now.year}")
    if to is None:
        raise QueryError(NEEDS_TO)
    addresses("--to", to)  # ("" is no address: said as `presets` says it, h50)
    if sender:
        addresses("--from", sender)


def check_given(values: Mapping[str, Any]) -> None:
    """export's checks, before anything is read, of the option values given (not of
    what a run needs besides: an rss preset's run may give --feed-link itself), so that
    `newscli presets` refuses a preset's value as its run would (usage errors)."""
    check_url("--feed-link", values.get("feed_link"))
    check_url("--feed-url", values.get("feed_url"))
    check_output(values.get("output"))
    from newscli.formats.email_digest import addresses

    for option, key in (("--to", "to"), ("--from", "sender")):
        if values.get(key) is not None:  # ("" too: h50, `to: ""` passed `presets`)
            addresses(option, values[key])
    if values.get("output_format") is not None:  # (as the preset names it: text)
        check_template(ExportFormat(values["output_format"]), values.get("template"))


def check_output(output: Optional[str]) -> None:
    if output == "":
        raise typer.BadParameter("needs a file name ('-' is stdout)", param_hint="-o")
    if output is not None and not output.strip():  # (a file named "  ": a script's slip)
        raise typer.BadParameter(
            f"{output!r} is only blanks, not a file name ('-' is stdout)", param_hint="-o"
        )


def check_template(fmt: ExportFormat, template: Optional[str]) -> None:
    """--template renders the output itself (html, or the HTML part of an email)."""
    if template is not None and fmt.value not in ("json", "html", "email"):
        raise typer.BadParameter(
            f"--template renders the output itself: give it without --format {fmt.value} "
            "(or with --format html, or --format email for the email's HTML part)",
            param_hint="--template",
        )


def export_and_mark(
    out: Output,
    chunks: Iterable[str],
    output: Optional[str],
    articles: list[Article],
    loaded: LoadResult,
    *,
    quiet: bool,
    stories: Mapping[str, str] | None = None,
    leaders: Mapping[str, str] | None = None,
    left: Sequence[str] = (),
) -> None:
    """Write the export, then mark the exported articles (``articles``; after --dedupe:
    every article of their stories, but those held back: edit_selection.held_back)
    published, each only if its file is still the version that was
    loaded: a file replaced since (a correction) was not exported and is left unmarked.

    Ctrl-C or SIGTERM once the output is written (``-o FILE``: from its rename on)
    leaves the articles not yet marked unpublished, to be exported again: said on
    stderr, with how many were marked, even with --quiet (exit 130 or 143); after
    --dedupe (``stories``: each article's story, by its kept article), how many of the
    others are of a story one article of which was marked: that story counts as
    shipped, and they are not exported again (h80 5). ``leaders``: after --dedupe, each
    duplicate's kept article (marked before it): a duplicate whose kept article was not
    marked (changed since it was exported) is not marked either, so that story comes
    again, the correction with it (h93). ``left``: filled as the output is written,
    with the articles left out of it (changed since selected): said, and not marked,
    nor their stories' other articles (as for a kept article changed since exported)."""
    from newscli.cli import write_commands
    from newscli.edit.journal import RECORD_SIZE, JournalError, check_writable, journal_dir
    from newscli.edit.room import check_room, unmarkable

    written: list[bool] = []
    tally = write_commands.Tally()
    # (before any output: one that could not be marked ships again; h44: on a disk too
    # full for the old versions, the output went out and none was marked)
    stamps = loaded.stamps()
    sizes = {  # (not those the marking will leave alone: h59, a read-only story member)
        a.path: stamps[a.path].size
        for a in articles
        if not a.published and a.path in stamps and unmarkable(a.path) is None
    }
    need = sum(size + len(path) + RECORD_SIZE for path, size in sizes.items())
    check_writable(need=need)
    # (h52: the articles' own disk full, the output on another one; h57: the journal on
    # the same disk, or old versions kept by other names, counted together)
    check_room(sizes, str(journal_dir()), need)
    try:
        made = _folders_to_make(output)
        out.emit(chunks, output, on_written=lambda: written.append(True))
        if output is not None and output != "-":
            _room_after(output, lambda: check_room(sizes, str(journal_dir()), need), made)
        versions = write_commands.loaded_versions(loaded, articles)
        from newscli.cli.loading import said_changed

        said_changed(out, left, marked=True)
        gone = set(left)
        write_commands.apply_published(
            out,
            [a.path for a in articles if a.path not in gone],
            True,
            list_changes=False,
            quiet=quiet,
            versions=versions,
            changed_reason="changed since it was exported; not marked",
            tally=tally,
            say_interrupted=False,
            leaders=leaders,
            left_out=gone,
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
            shipped = _of_shipped(
                [a.path for a in articles],
                tally.changed + tally.same + tally.refused,
                set(tally.refused_paths),
                stories,
            )
            out.note(marking_stopped(stopped, total, tally.changed, tally.same, rest, shipped))
        raise


def marking_stopped(
    stopped: str, total: int, changed: int, same: int, rest: int, shipped: int
) -> str:
    """What an export says when its marking stopped after the output was written:
    ``rest`` articles not marked, ``shipped`` of which are of a story with one marked
    (each count with its verb: h83, "1 are not")."""
    from newscli.wording import count

    def word(n: int, one: str, many: str) -> str:
        return one if n == 1 else many

    already = f", {count(same, 'already was', 'already were')}" if same else ""
    stays = f"{count(rest, 'stays', 'stay')} unpublished"
    each = f"{word(shipped, 'it', 'each')} is of a story with an article marked, which counts"
    each += " as shipped"
    if not shipped:
        again = (
            f"{stays} and {word(rest, 'is', 'are')} exported again by the next run that "
            f"selects {word(rest, 'it', 'them')}"
        )
    elif shipped == rest:
        again = f"{stays} and {word(rest, 'is', 'are')} not exported again: {each}"
    else:
        left = rest - shipped
        again = (
            f"{stays}; {count(left, 'is', 'are')} exported again by the next run that selects "
            f"{word(left, 'it', 'them')}, and {count(shipped, 'is', 'are')} not: {each}"
        )
    return (
        f"{stopped} after the output was written: {changed} of the "
        f"{count(total, 'exported article')} marked published{already}; the other {again}"
    )


def _of_shipped(
    paths: list[str], done: int, refused: set[str], stories: Mapping[str, str] | None
) -> int:
    """Of the articles not marked (those after the first ``done``, marked in order, each
    whole or not at all, and the ``refused`` among those), how many are of a story an
    article of which was marked (h82 3: a refused one marks no story)."""
    if not stories:
        return 0
    story = stories.get
    begun = {story(path, path) for path in paths[:done] if path not in refused}
    unmarked = [*(path for path in paths[:done] if path in refused), *paths[done:]]
    return sum(story(path, path) in begun for path in unmarked)


def unmarkable_left_out(
    out: Output,
    result: QueryResult,
    held: Callable[[Article], bool],
    page: tuple[int, int | None] = (0, None),
) -> tuple[QueryResult, int]:
    """The selection without what --mark-published could not mark: an article (after
    --dedupe, a story) every file of which still to mark is read-only (the edit leaves
    such a file alone: h57, it shipped again at every run), then ``page`` (--offset,
    --limit: after, so that such articles at the top never hold the rest back, h59).
    Each left out is one line on stderr; returns the selection and how many were left
    out."""

    from newscli.edit.room import unmarkable

    offset, limit = page
    kept: list[Article] = []
    gone = skipped = 0
    for article in result.articles:
        if limit is not None and len(kept) >= limit:
            break  # (the page is full: what comes after it is neither exported nor said)
        members = [article, *(a for a in result.others.get(article.path, ()) if not held(a))]
        why = [unmarkable(a.path) for a in members if not a.published]
        if why and all(why):
            said = f"{why[0]}, so it cannot be marked published; not exported"
            out.problem_line(article.path, said)
            gone += 1
        elif skipped < offset:
            skipped += 1
        else:
            kept.append(article)
    if len(kept) == len(result.articles):
        return result, gone
    return kept_only(result, kept), gone


def kept_only(result: QueryResult, kept: list[Article]) -> QueryResult:
    """The selection of the ``kept`` articles alone (of ``result.articles``)."""
    from dataclasses import replace

    paths = {a.path for a in kept}
    chosen = result.chosen
    if chosen is not None:
        chosen = [s for s in chosen if paths & {a.path for a in s.articles}]
    others = {k: v for k, v in result.others.items() if k in paths}
    duplicates = {k: v for k, v in result.duplicates.items() if k in paths}
    return replace(result, articles=kept, others=others, duplicates=duplicates, chosen=chosen)


def _folders_to_make(output: str | None) -> list[str]:
    """The folders writing the output file will make (removed with it: _room_after)."""
    import os

    from newscli.terminal.destination import missing_folders

    folder = os.path.dirname(output) if output and output != "-" else ""
    return missing_folders(folder) if folder else []


def _room_after(output: str, check: Callable[[], None], made: list[str]) -> None:
    """The room to mark checked again once the output file is written (h59: on the
    feeds' disk, the README's layout, the output itself took the room: 60 exported,
    none marked). Without it, the output is removed (a regular file this run wrote),
    with the folders ``made`` for it (h90), and nothing is marked: NoRoomError."""
    import os
    import stat

    from newscli.edit.room import NoRoomError

    try:
        check()
    except NoRoomError as exc:
        try:
            if stat.S_ISREG(os.lstat(output).st_mode):
                os.unlink(output)
        except OSError:
            pass
        from newscli.terminal.destination import remove_folders

        remove_folders(made)
        raise NoRoomError(f"{exc} (the output {output} took the room: removed)") from None


def reads_ahead(
    output_format: ExportFormat, names: Sequence[str], page: tuple[int, int | None]
) -> bool:
    """Whether an export reads its records' export JSON from the cache while the walk
    goes on (loader.load_paths ``exports``): whole records (json, jsonl, no --fields),
    not a page of them (h155: `--limit 10` read 32 MB ahead for ten records; a page's
    texts are read as it is written)."""
    whole = output_format in (ExportFormat.json, ExportFormat.jsonl) and not names
    return whole and page == (0, None)
