"""Options shared by every command that selects articles, defined once.

`@selecting` adds the selection, sort, paging, dedup, cache, config/preset and
verbosity options to a command's signature, merges the --preset under the command line,
and hands the command one `Query` instead of thirty values.
"""

import inspect
import math
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Annotated, Any, Optional, get_args

import typer

from newscli.cli.presets import apply_preset, complete_preset, complete_topic
from newscli.errors import QueryError

if TYPE_CHECKING:
    from newscli.config import Config
    from newscli.select.query import Query

# `Optional[...]` rather than `X | None`: typer reads these at run time on Python 3.10.
# ruff: noqa: UP045

Paths = Annotated[
    Optional[list[str]],
    typer.Argument(
        help="Article files or folders (searched recursively for *.md, *.markdown). "
        "Default: the config file's feeds, else the current folder.",
        show_default=False,
        metavar="PATH...",
    ),
]
EditPaths = Annotated[
    Optional[list[str]],
    typer.Argument(
        help="Article files or folders to edit (searched recursively for *.md, *.markdown). "
        "Default: the config file's feeds; never the current folder by itself.",
        show_default=False,
        metavar="PATH...",
    ),
]
Strict = Annotated[
    bool,
    typer.Option("--strict", help="If any file is invalid, write no output and exit 1."),
]


def seconds(value: float) -> float:
    """--wait: a finite number (nan would compare false with every deadline: no end)."""
    if not math.isfinite(value):
        raise typer.BadParameter(f"{value} is not a number of seconds")
    return value


Wait = Annotated[
    float,
    typer.Option(
        "--wait",
        min=0,
        callback=seconds,
        metavar="SECONDS",
        help="If another newscli run is editing the same folder, wait this long for it "
        "(then exit 3).",
    ),
]


def _many(*names: str, metavar: str, help: str) -> Any:
    return Annotated[
        Optional[list[str]],
        typer.Option(*names, metavar=metavar, help=help, show_default=False),
    ]


def _one(kind: type, *names: str, metavar: str, help: str, **extra: Any) -> Any:
    return Annotated[
        Optional[kind],  # type: ignore[valid-type]
        typer.Option(*names, metavar=metavar, help=help, show_default=False, **extra),
    ]


def _flag(*names: str, help: str) -> Any:
    return Annotated[bool, typer.Option(*names, help=help)]


# Also the options of the commands that load without selecting (validate, fields).
CacheDir = Annotated[
    Optional[str],
    typer.Option(
        "--cache-dir",
        metavar="DIR",
        help="Index cache folder (default: $NEWSCLI_CACHE_DIR, else $XDG_CACHE_HOME/newscli).",
        show_default=False,
    ),
]
NoCache = Annotated[
    bool, typer.Option("--no-cache", help="Read every file; neither use nor update the cache.")
]
# --config of a command that reads only the config's feeds (validate, fields: h84 3, the
# README says every command takes it after its name)
ConfigFile = Annotated[
    Optional[str],
    typer.Option(
        "--config",
        metavar="FILE",
        help="Config file whose feeds are read when no PATH is given (default: ./newscli.yaml, "
        "else $XDG_CONFIG_HOME/newscli/config.yaml).",
        show_default=False,
    ),
]

_Q = {"min": 0, "max": 100}


def _heat(value: int | None) -> int | None:
    """--min-heat, --max-heat: a 64-bit integer, as heat is (what the cache stores). Not
    a range Click shows: its 19-digit bounds broke over lines in --help (h56)."""
    if value is not None and not -(2**63) <= value < 2**63:
        raise typer.BadParameter(f"{value} is not a 64-bit integer (as heat is)")
    return value


_H = {"callback": _heat}
SHARED: list[tuple[str, Any, Any]] = [
    ("topic", Annotated[Optional[list[str]], typer.Option("--topic", "-t", metavar="TOPIC",
        help="Keep articles with this topic (case-insensitive); repeat for any of several.",
        show_default=False, autocompletion=complete_topic)], None),
    ("all_topics", _flag("--all-topics", help="Require every --topic instead of any."), False),
    ("exclude_topic", _many("--exclude-topic", metavar="TOPIC",
        help="Leave out articles with this topic; repeatable."), None),
    ("min_quality", _one(int, "--min-quality", metavar="N", help="Keep quality >= N.", **_Q),
     None),
    ("max_quality", _one(int, "--max-quality", metavar="N", help="Keep quality <= N.", **_Q),
     None),
    ("published", Annotated[Optional[bool], typer.Option(
        "--published/--unpublished", show_default=False,
        help="Keep only published or only unpublished articles. Default: both.")], None),
    ("min_heat", _one(int, "--min-heat", metavar="N", help="Keep heat >= N (unknown heat, -1, "
        "never passes).", **_H), None),
    ("max_heat", _one(int, "--max-heat", metavar="N", help="Keep heat <= N.", **_H), None),
    ("provider", _many("--provider", metavar="NAME|DOMAIN",
        help="Keep articles from this outlet (name or domain); repeatable."), None),
    ("type_", _many("--type", metavar="TYPE", help="Keep this type (article, video, ...); "
        "repeatable."), None),
    ("category", _many("--category", metavar="CATEGORY",
        help="Keep this category (category or categories); repeatable."), None),
    ("since", _one(str, "--since", metavar="WHEN",
        help="Published at or after WHEN: RFC 3339 date/time or an age (90m, 24h, 7d, 2w)."),
     None),
    ("until", _one(str, "--until", metavar="WHEN", help="Published at or before WHEN "
        "(a date alone: until the end of that day)."), None),
    ("search", _one(str, "--search", metavar="TEXT",
        help="Keep articles whose title or excerpt contains TEXT (case-insensitive)."), None),
    ("match", _one(str, "--match", metavar="REGEX",
        help="Keep articles whose title or excerpt matches REGEX (case-insensitive)."), None),
    ("where", _many("--where", metavar="EXPR",
        help="Keep articles for which EXPR holds, e.g. 'quality >= 70 and age < 2d' "
        "(see `newscli help where`); repeat: each must hold."), None),
    ("sort", _many("--sort", metavar="KEY[:asc|:desc]",
        help="Sort by date, quality, heat, title, provider or story.size, story.outlets, "
        "story.first, story.rank, story.id; repeat or comma-separate. "
        "Default: newest first."), None),
    ("limit", _one(int, "--limit", metavar="N", help="At most N articles.", min=0), None),
    ("offset", Annotated[int, typer.Option("--offset", metavar="N", min=0,
        help="Skip the first N articles.")], 0),
    ("dedupe", _flag("--dedupe", help="Keep one article per story (same URL, related or "
        "similar text)."), False),
    ("same_story", _many("--same-story", metavar="url|related|similar",
        help="The evidence that joins a story; repeat or comma-separate. Default: all "
        "(or the config's same-story)."), None),
    ("story_window", _one(str, "--story-window", metavar="DURATION",
        help="How far apart the articles of one story may be published: copies of one "
        "URL, similar or related ones (default 48h)."),
     None),
    ("prefer_provider", _many("--prefer-provider", metavar="NAME|DOMAIN",
        help="Represent a story by this outlet's article first; repeatable, most preferred "
        "first (adds to the config's prefer-providers)."), None),
    ("now", _one(str, "--now", metavar="TIMESTAMP",
        help="Use this time as 'now' for ages and relative dates (reproducible runs)."), None),
    ("config", _one(str, "--config", metavar="FILE", help="Config file (default: ./newscli.yaml, "
        "else $XDG_CONFIG_HOME/newscli/config.yaml)."), None),
    ("preset", Annotated[Optional[str], typer.Option("--preset", metavar="NAME",
        help="Use the options of this preset from the config file; the command line wins.",
        autocompletion=complete_preset)], None),
    ("rejected", _flag("--rejected", help="Keep only rejected articles (rejected: true)."),
     False),
    ("include_rejected", _flag("--include-rejected",
        help="Keep rejected articles too (by default they are left out)."), False),
    ("no_rules", _flag("--no-rules", help="Ignore the config file's rules (rules.exclude)."),
     False),
    ("fail_if_empty", _flag("--fail-if-empty", help="Exit 4 when nothing was selected."), False),
    ("quiet", _flag("--quiet", "-q", help="No warnings or notes on stderr, only errors."),
     False),
    ("verbose", _flag("--verbose", "-v", help="Also say what was loaded, cached and selected."),
     False),
    ("cache_dir", CacheDir, None),
    ("no_cache", NoCache, False),
]  # fmt: skip


def _moment(option: str, text: str | None, now: datetime) -> datetime | None:
    """--since/--until; a date alone in --until includes that whole day."""
    from newscli.article.timeparse import parse_moment

    if text is None:
        return None
    try:
        return parse_moment(text, now, end_of_day=option == "--until")
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint=option) from None


def _story_rules(o: dict[str, Any], loaded: "Config | None") -> Any:
    """--same-story, --story-window and --prefer-provider over the config's same-story,
    story-window and prefer-providers."""
    from newscli.article.timeparse import parse_span
    from newscli.select.story_rules import DEFAULT_WINDOW, StoryRules, parse_evidence

    evidence = o["same_story"] or (list(loaded.same_story) if loaded else [])
    try:
        chosen = parse_evidence(evidence) if evidence else StoryRules().evidence
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--same-story") from None
    window_text = o["story_window"]  # "" given is an error, not the default
    if window_text is None and loaded:
        window_text = loaded.story_window
    window = DEFAULT_WINDOW
    if window_text is not None:
        try:
            window = parse_span(window_text).total_seconds()
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--story-window") from None
    if any(not name.strip() for name in o["prefer_provider"] or ()):  # (as the config's
        # prefer-providers: h143, an empty name was a note here, an error there)
        raise typer.BadParameter("an empty name (an outlet's name or domain)",
                                 param_hint="--prefer-provider")  # fmt: skip
    asked = tuple(dict.fromkeys(o["prefer_provider"] or ()))
    prefer = (*asked, *(loaded.prefer_providers if loaded else ()))
    return StoryRules(chosen, window, tuple(dict.fromkeys(prefer)), asked)


def _all_of(wheres: Sequence[str]) -> str | None:
    """Repeated --where expressions as one: each must hold (h54: the last one given
    replaced the others, unsaid)."""
    if len(wheres) <= 1:
        return wheres[0] if wheres else None
    return " and ".join(f"({where})" for where in wheres)


def build_query(
    o: dict[str, Any], rules: Sequence[str] = (), loaded: "Config | None" = None
) -> tuple["Query", datetime]:
    """Turn the shared option values into a Query and the clock (``rules``: the config's
    exclude rules, already checked; ``loaded``: the config, for its story keys). Usage
    errors exit 2."""
    from newscli.article.timeparse import parse_timestamp
    from newscli.select.query import Query, Selection, parse_sort

    check_cache_dir(o["cache_dir"])
    check_blank_filters(o)
    now = datetime.now(timezone.utc)
    if o["now"] is not None:
        try:
            now = parse_timestamp(o["now"])
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--now") from None
    try:
        wheres = o["where"] or []
        if wheres:
            from newscli.select.where import parse

            for where in wheres:
                parse(where)  # syntax errors before any file is read, each said alone
        if o["rejected"] and o["include_rejected"]:
            raise QueryError("--rejected and --include-rejected exclude each other")
        rejected = True if o["rejected"] else None if o["include_rejected"] else False
        selection = Selection(
            topics=tuple(o["topic"] or ()),
            all_topics=o["all_topics"],
            exclude_topics=tuple(o["exclude_topic"] or ()),
            min_quality=o["min_quality"],
            max_quality=o["max_quality"],
            published=o["published"],
            min_heat=o["min_heat"],
            max_heat=o["max_heat"],
            providers=tuple(o["provider"] or ()),
            types=tuple(o["type_"] or ()),
            categories=tuple(o["category"] or ()),
            since=_moment("--since", o["since"], now),
            until=_moment("--until", o["until"], now),
            search=o["search"],
            match=o["match"],
            where=_all_of(wheres),
            where_parts=tuple(wheres),
            rejected=rejected,
            exclude=() if o["no_rules"] else tuple(rules),
            rules_file=(loaded.path or "") if loaded is not None and rules else "",
        )
        query = Query(
            selection,
            sort=parse_sort(o["sort"] or ()),
            limit=o["limit"],
            offset=o["offset"],
            dedupe=o["dedupe"],
            now=now,
            cache_dir=o["cache_dir"],
            use_cache=not o["no_cache"],
            verbosity=0 if o["quiet"] else 2 if o["verbose"] else 1,
            fail_if_empty=o["fail_if_empty"],
            stories=_story_rules(o, loaded),
        )
    except QueryError as exc:  # (one of two options a preset gave: named, h84 2)
        from newscli.cli.application import from_preset

        raise typer.BadParameter(from_preset(str(exc), exc.options)) from None
    return query, now


def shared_help(**helps: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Under @selecting: this command's own help for shared options whose defaults it
    sets otherwise (h47: review's --help said "Default: both" of --published, while it
    shows the unpublished ones)."""

    def mark(func: Callable[..., None]) -> Callable[..., None]:
        func.shared_help = helps  # type: ignore[attr-defined]
        return func

    return mark


def _with_help(kind: Any, help: str) -> Any:
    """The Annotated option ``kind`` with another help text."""
    import copy

    base, info = get_args(kind)[0], copy.copy(get_args(kind)[1])
    info.help = help
    return Annotated[base, info]


def selecting(func: Callable[..., None]) -> Callable[..., None]:
    """Add the shared options to a command that takes ``query: Query``."""
    own = inspect.signature(func)
    params = [p for p in own.parameters.values() if p.name != "query"]
    helps: dict[str, str] = getattr(func, "shared_help", {})
    shared = [
        inspect.Parameter(
            name,
            inspect.Parameter.KEYWORD_ONLY,
            default=default,
            annotation=_with_help(kind, helps[name]) if name in helps else kind,
        )
        for name, kind, default in SHARED
    ]
    context = inspect.Parameter("ctx", inspect.Parameter.KEYWORD_ONLY, annotation=typer.Context)
    annotations = {p.name: p.annotation for p in [*params, *shared]}

    def command(ctx: typer.Context, **kwargs: Any) -> None:
        loaded = _apply_config(ctx, kwargs, annotations)
        values = {name: kwargs.pop(name) for name, _, _ in SHARED}
        query, _ = build_query(values, loaded.exclude, loaded)
        func(query=query, **kwargs)

    command.__signature__ = own.replace(  # type: ignore[attr-defined]
        parameters=[*params, *shared, context]
    )
    command.__annotations__ = {**annotations, "ctx": typer.Context}
    command.__name__ = func.__name__
    command.__module__ = func.__module__
    command.__doc__ = func.__doc__
    return command


def _apply_config(ctx: typer.Context, kwargs: dict[str, Any], annotations: Any) -> "Config":
    """Merge the --preset (command line first) and fill PATH from the config's feeds;
    return the config (its exclude rules and story keys). A bad config file, preset or
    rule is a usage error (exit 2) naming the file and key."""
    from newscli import config

    try:
        # --no-rules: the rules are not even read (one that does not parse cannot block)
        no_rules = bool(kwargs.get("no_rules"))
        loaded = config.load(config.find(kwargs.get("config")), rules=not no_rules)
        if kwargs.get("preset") is not None:
            apply_preset(ctx, kwargs, loaded, kwargs["preset"], annotations)
            if kwargs.get("no_rules") and not no_rules:  # the preset said no-rules
                from dataclasses import replace

                loaded = replace(loaded, exclude=())
        check_rules(loaded)
    except config.ConfigError as exc:
        from newscli.cli.application import exit_codes
        from newscli.terminal.output import Output

        with exit_codes(Output()):  # (the one place: its line, exit 2)
            raise exc from None
    from newscli.cli.presets import CONFIG_READ

    CONFIG_READ[:] = [loaded.path] if loaded.path else []
    if "arguments" in kwargs:  # set, unset, tag: their paths end their arguments
        from newscli.cli.presets import CONFIG_FEEDS

        CONFIG_FEEDS.clear()
        CONFIG_FEEDS.update(dict.fromkeys(loaded.feeds, f"{loaded.path}: feeds"))
    if "paths" in kwargs and not kwargs["paths"] and loaded.feeds:
        kwargs["paths"] = list(loaded.feeds)
        from newscli.cli.presets import PATHS_FROM

        PATHS_FROM.update(dict.fromkeys(loaded.feeds, f"{loaded.path}: feeds"))
    return loaded


def check_rules(loaded: "Config") -> None:
    """Each rules.exclude expression must parse: a ConfigError naming file and key."""
    from newscli import config

    if not loaded.exclude:
        return
    from newscli.select.where import WhereError, parse

    for index, rule in enumerate(loaded.exclude):
        try:
            parse(rule)
        except WhereError as exc:
            raise config.ConfigError(
                f"{loaded.path}: rules.exclude[{index}]: {exc.message}"
            ) from None


def check_empty(query: "Query", count: int) -> None:
    """Raise EmptySelectionError under --fail-if-empty when nothing was selected."""
    from newscli.errors import EmptySelectionError

    if query.fail_if_empty and count == 0:
        quiet = query.verbosity == 0
        raise EmptySelectionError("nothing was selected (--fail-if-empty)", quiet=quiet)


def is_unfiltered(query: "Query") -> bool:
    """True when the query selects every article (no filter, no limit). Widening the
    selection to rejected articles too (--include-rejected) is no filter."""
    from dataclasses import replace

    from newscli.select.query import Selection

    selection = query.selection
    if selection.rejected is None:
        selection = replace(selection, rejected=Selection().rejected)
    return (
        selection == Selection() and query.limit is None and query.offset == 0 and not query.dedupe
    )


def check_cache_dir(cache_dir: str | None) -> None:
    """An empty or blank --cache-dir is a usage error (h30: '' quietly meant the
    default cache, from a script's empty variable)."""
    if cache_dir is not None and not cache_dir.strip():
        raise typer.BadParameter("needs a folder name", param_hint="--cache-dir")


_NAMES = {"topic": "--topic", "exclude_topic": "--exclude-topic", "provider": "--provider",
          "type_": "--type", "category": "--category"}  # fmt: skip


def check_blank_filters(o: dict[str, Any]) -> None:
    """A blank name to select by, or an empty --search or --match, is a usage error
    (h153: `--topic "$TOPIC"` from a script whose variable was unset selected nothing,
    exit 0, day after day; `--search ''` selected every article). --where still finds
    an empty value."""
    for key, option in _NAMES.items():
        if any(not value.strip() for value in o.get(key) or ()):
            raise typer.BadParameter(
                "an empty name (a script's unset variable?); --where finds empty values",
                param_hint=option,
            )
    for key in ("search", "match"):
        if o.get(key) == "":
            raise typer.BadParameter(
                "empty: it would match every article (a script's unset variable?)",
                param_hint=f"--{key}",
            )


def check_cache_env(cache_dir: str | None) -> None:
    """A blank NEWSCLI_CACHE_DIR, where it would be used, is a usage error as a blank
    --cache-dir is (h80 7: it made a folder named "  " wherever cron ran)."""
    import os

    named = os.environ.get("NEWSCLI_CACHE_DIR")
    if cache_dir is None and named and not named.strip():
        raise typer.BadParameter(
            "only blanks, not a folder name (unset it for the default cache)",
            param_hint="NEWSCLI_CACHE_DIR",
        )
