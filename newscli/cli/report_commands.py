"""Commands for people reading: show one article, stats over a selection."""

from datetime import datetime, timezone
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from newscli.cli.application import app, exit_codes
from newscli.cli.loading import load_query
from newscli.cli.options import Paths, Strict, check_empty, selecting
from newscli.terminal.output import Output

if TYPE_CHECKING:
    from newscli.select.query import Query

# ruff: noqa: UP045  (typer reads Optional[...] at run time on Python 3.10)


class ShowFormat(str, Enum):
    auto = "auto"
    table = "table"
    json = "json"
    text = "text"  # the former name of table, still accepted


class StatsFormat(str, Enum):
    auto = "auto"
    table = "table"
    tsv = "tsv"
    json = "json"
    text = "text"  # the former name of table, still accepted


SHOW_EPILOG = """\b
Examples:
  newscli show sample_feeds/ai-chip-export-rules.md
  newscli show sample_feeds/rate-decision.md --format json | jq .related"""


@app.command("show", epilog=SHOW_EPILOG)
def show_command(
    file: Annotated[str, typer.Argument(metavar="FILE", help="One article file.")],
    output_format: Annotated[
        ShowFormat,
        typer.Option(
            "--format",
            case_sensitive=False,
            metavar="auto|table|json",
            help="table (the article for people) or json (the export record plus body).",
        ),
    ] = ShowFormat.auto,
    now: Annotated[
        Optional[str],
        typer.Option("--now", metavar="TIMESTAMP", help="The clock for '3 days ago'."),
    ] = None,
) -> None:
    """Show one article in full: facts, links, excerpt, body and related coverage."""
    out = Output()
    clock = _clock(now)
    with exit_codes(out):
        import os

        from newscli.article.reading import load_with_body
        from newscli.errors import InvalidArticleError, NewscliError, PathNotFoundError

        if not os.path.lexists(file):
            raise PathNotFoundError(file)
        if os.path.isdir(file):
            raise typer.BadParameter(f"{file} is a folder; show takes one article file")
        try:
            article, body = load_with_body(file)
        except InvalidArticleError as exc:  # (exit_codes: its line, exit 1)
            raise NewscliError(f"{file}: {exc.reason}") from None
        if output_format == ShowFormat.json:
            from newscli.formats.records import export_record, json_value

            out.result(json_value({**export_record(article), "body": body}))
            return
        from newscli.terminal import article_view as view

        if out.is_terminal:  # article_view, its body laid out a part at a time
            console = out.console()
            for part in view.article_parts(article, body, clock):
                out.render(part, console)
            return
        # piped: every value in full, whatever the width; the body as its lines (a
        # rich Text of a million lines would take minutes to lay out); in one write (h143:
        # `show FILE | head -1` exited 141 where head closed the pipe between two)
        from newscli.terminal.output import plain_text

        parts = [plain_text(view.article_head(article, clock))]
        lines = view.body_lines(body)
        if lines:
            parts.append("\n" + "".join(line.rstrip() + "\n" for line in lines))
        related = view.article_related(article)
        if related is not None:
            parts.append(plain_text(related))
        out.result("".join(parts))


def _clock(now: Optional[str]) -> datetime:
    if now is None:
        return datetime.now(timezone.utc)
    from newscli.article.timeparse import parse_timestamp

    try:
        return parse_timestamp(now)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--now") from None


STATS_EPILOG = """\b
Examples:
  newscli stats sample_feeds
  newscli stats sample_feeds --topic AI --format json | jq .quality
Counts by topic, provider, type and published state, and a quality histogram."""


@app.command("stats", epilog=STATS_EPILOG)
@selecting
def stats_command(
    query: "Query",
    paths: Paths = None,
    strict: Strict = False,
    output_format: Annotated[
        StatsFormat,
        typer.Option(
            "--format",
            case_sensitive=False,
            metavar="auto|table|tsv|json",
            help="table (bar charts), tsv, json, or auto: table on a terminal, tsv otherwise.",
        ),
    ] = StatsFormat.auto,
) -> None:
    """Counts and a quality histogram for the selected articles."""
    out = Output()
    with exit_codes(out):
        from newscli.formats import stats

        result, _ = load_query(out, paths, query, strict)
        summary = stats.compute(result.articles)
        if output_format == StatsFormat.json:
            from newscli.formats.records import json_value

            out.result(json_value(summary))
        elif output_format == StatsFormat.text or out.wants_table(output_format.value):
            from newscli.terminal.charts import stats_view

            console = out.console()
            out.render(stats_view(summary, width=console.width), console)
        else:
            from newscli.formats.records import rows_tsv

            out.result(rows_tsv(("section", "name", "count"), stats.rows(summary)))
        check_empty(query, summary["total"])


class PresetsFormat(str, Enum):
    auto = "auto"
    table = "table"
    tsv = "tsv"
    json = "json"


PRESETS_EPILOG = """\b
Examples:
  newscli presets
  newscli presets --config /etc/newscli.yaml
Presets live in the config file (./newscli.yaml, else $XDG_CONFIG_HOME/newscli/config.yaml);
use one with --preset NAME on any command that selects articles."""


@app.command("presets", epilog=PRESETS_EPILOG)
def presets_command(
    config_file: Annotated[
        Optional[str],
        typer.Option("--config", metavar="FILE", help="Config file to read."),
    ] = None,
    output_format: Annotated[
        PresetsFormat,
        typer.Option(
            "--format",
            case_sensitive=False,
            metavar="auto|table|tsv|json",
            help="table, tsv, json, or auto: a table on a terminal, tsv otherwise.",
        ),
    ] = PresetsFormat.auto,
) -> None:
    """List the presets of the config file and the options each stands for."""
    out = Output()
    with exit_codes(out):
        from newscli import config
        from newscli.cli.presets import check_presets, describe, resolved

        loaded = config.load(config.find(config_file))
        check_presets(loaded)  # (a preset that a run would refuse is not listed as fine)
        if output_format == PresetsFormat.json:
            from newscli.article.record import jsonable
            from newscli.formats.records import json_value

            presets = {
                name: jsonable(resolved(loaded, name, options))
                for name, options in loaded.presets.items()
            }
            value = {"config": loaded.path, "feeds": list(loaded.feeds), "presets": presets}
            out.result(json_value(value))
            return
        from newscli.sanitize import shell_word

        # a name as a shell takes it, for --preset, as the options are (describe) (h42:
        # a name of an escape sequence was a blank cell, "a\u202eb" was "ab"; h89: so in
        # tsv; h90: a name with a backslash and one with a line break were one)
        rows = [
            (shell_word(name), describe(resolved(loaded, name, o)))
            for name, o in loaded.presets.items()
        ]
        if loaded.feeds:
            rows.insert(0, ("(default feeds)", describe({"feeds": list(loaded.feeds)})))
        if out.wants_table(output_format.value):
            from newscli.terminal.render import rows_table

            out.note(f"config: {loaded.path or 'none found'}")
            out.render(rows_table(("Preset", "Options"), rows))
        else:
            from newscli.formats.records import rows_tsv

            out.result(rows_tsv(("preset", "options"), rows))
