"""Presets from the config file, merged under the command line; completion helpers."""

import enum
import inspect
import os
import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import typer

from newscli.article.folding import fold
from newscli.config import Config, ConfigError
from newscli.sanitize import shell_word

# Preset keys that name an option differently from its parameter.
ALIASES = {"topics": "topic", "feeds": "paths", "path": "paths", "type": "type_"}
# The options this run's preset gave (not the command line), under each of their names
# on the command line, as the key that gave them ("c.yaml: presets.daily.since"): an
# error found later about such a value (a --since that is no date) names that key.
GIVEN: dict[str, str] = {}
# A preset's paths for a command whose paths end its arguments (set, unset, tag: no
# PATH parameter of their own), as a run opens them: used when the command line names none.
PRESET_PATHS: list[str] = []
# The config file's feeds for those commands, each with where it came from ("c.yaml:
# feeds"), used when neither the command line nor the preset names a path.
CONFIG_FEEDS: dict[str, str] = {}
# The config file this run read, if any (`export -o` never writes over it).
CONFIG_READ: list[str] = []
# Where each path the run took from the config came from ("c.yaml: feeds"): an error
# about one names it (h84 2: "no such file or folder: nope" named no config).
PATHS_FROM: dict[str, str] = {}
# Options that name files: a relative one in a preset is relative to the config file's
# folder, as the file's `feeds` and `sources` are (the same files wherever it runs from).
FILE_OPTIONS = ("paths", "output", "template", "cache_dir")


def _option_keys(ctx: typer.Context) -> dict[str, str]:
    """Preset key (long option name without dashes) -> parameter name, for this command."""
    keys: dict[str, str] = {}
    for param in ctx.command.params:
        if param.name is None:
            continue
        keys[param.name.replace("_", "-")] = param.name
        for declaration in getattr(param, "opts", []):
            if declaration.startswith("--"):
                keys[declaration[2:]] = param.name
    return keys


def _closest(key: str, keys: Mapping[str, str]) -> str:
    """``; did you mean 'prefer-provider'?`` for a key like an option's (h93: the
    config's top-level `prefer-providers` in a preset was only "unknown option")."""
    from newscli.select.fields import closest

    guess = closest(key, [k for k in keys if "_" not in k])
    return f"; did you mean {guess!r}?" if guess else ""


def _other_commands(ctx: typer.Context) -> list[Any]:
    """Every command that takes presets but this one, also when this run built only this
    one (a preset made for `export` also serves `list`); not one that takes none, whose
    options no preset gives (h117: `max-size`, only `import`'s, was shown and ignored)."""
    from newscli.cli import every_command

    return [
        command
        for name, command in every_command().items()
        if name != ctx.command.name and any(p.name == "preset" for p in command.params)
    ]


def _belongs_to_another_command(ctx: typer.Context, key: str) -> bool:
    alias = ALIASES.get(key)  # `feeds:` or `path:` is another command's `paths`
    for command in _other_commands(ctx):
        for param in command.params:
            if f"--{key}" in getattr(param, "opts", []) or (
                param.name and (param.name.replace("_", "-") == key or param.name == alias)
            ):
                return True
    return False


def _fits_another_command(ctx: typer.Context, key: str, value: Any) -> bool:
    for command in _other_commands(ctx):
        for param in command.params:
            if f"--{key}" in getattr(param, "opts", []):
                if any(_mistyped(param, item) for item in _items(value)):
                    continue
                single = not (param.multiple or getattr(param, "nargs", 1) == -1)
                if isinstance(value, list) and single:
                    continue  # ([] for a flag: as _convert refuses it, not click's crash)
                try:
                    values = [value] if param.multiple and not isinstance(value, list) else value
                    param.process_value(ctx, values)
                    return True
                except (typer.BadParameter, ValueError, TypeError):
                    continue
    return False


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _what(value: Any) -> str:
    """A YAML value as a reason names it ("the text 'no'", "the number 71.5")."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int):
        return f"the integer {value}"
    if isinstance(value, float):
        return f"the number {value}"
    if isinstance(value, date):
        return f"the date {value.isoformat()}"
    return f"the text {value!r}"


def _mistyped(param: Any, value: Any) -> str | None:
    """Why a preset's value is not of the kind its option takes, or None. Values are as
    strict as the option: a flag takes a YAML boolean (not the text "no" or 1), a number
    option a number (not "70"; an integer option not 71.5 or true); a text option takes
    text, an integer or a date (as written), not a boolean or a fraction (quote them)."""
    kind = getattr(param.type, "name", "text")  # click's names of its types
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "boolean":
        return None if isinstance(value, bool) else f"expected true or false, not {_what(value)}"
    if kind in ("integer", "int range"):
        if number and isinstance(value, int):
            return None
        return f"expected an integer, not {_what(value)}"
    if kind in ("float", "float range"):
        return None if number else f"expected a number, not {_what(value)}"
    if isinstance(value, (str, date)) or (number and isinstance(value, int)):
        return None
    return f"expected text, not {_what(value)} (quote it)"


def _convert(ctx: typer.Context, name: str, value: Any, annotation: Any) -> Any:
    """A preset value checked and converted exactly as the command line would be: of
    the option's kind (_mistyped; raises ValueError), then through its own checks."""
    param = _param(ctx, name)
    if isinstance(value, list) and not (param.multiple or getattr(param, "nargs", 1) == -1):
        raise ValueError("expected one value, not a list (write it as the option takes it)")
    for item in _items(value):
        problem = _mistyped(param, item)
        if problem is not None:
            raise ValueError(problem)
    if param.multiple or getattr(param, "nargs", 1) == -1:
        value = value if isinstance(value, list) else [value]
    if isinstance(value, str):
        value = _as_run(name, value)  # (a date and time is kept as written: read as YAML)
    converted = param.process_value(ctx, value)
    kind = _enum_of(annotation)
    if kind is not None and converted is not None:
        converted = kind(converted)
    if param.multiple or getattr(param, "nargs", 1) == -1:
        converted = list(converted)
    return converted


def _enum_of(annotation: Any) -> type[enum.Enum] | None:
    for candidate in (annotation, *getattr(annotation, "__args__", ())):
        if inspect.isclass(candidate) and issubclass(candidate, enum.Enum):
            return candidate
    return None


def apply_preset(
    ctx: typer.Context,
    kwargs: dict[str, Any],
    config: Config,
    name: str,
    annotations: Mapping[str, Any],
    checking: bool = False,
) -> None:
    """Fill kwargs from the preset wherever the command line left the default
    (``checking``: for the `presets` listing, a value no command takes names the command
    whose check refused it)."""
    options = config.preset(name)
    keys = _option_keys(ctx)
    GIVEN.clear()
    PRESET_PATHS.clear()
    named = {key.lstrip("-") for key in options}
    if {"published", "unpublished"} <= named:  # (h50: the key written last won, unsaid)
        raise ConfigError(
            f"{config.path}: presets.{name}: published and unpublished exclude each other "
            "(`published: false` is `unpublished: true`)"
        )
    for key, value in options.items():
        normal = key.lstrip("-")
        where = f"{config.path}: presets.{name}.{key}"
        if normal in ("preset", "config"):
            raise ConfigError(f"{where}: a preset cannot name a {normal}")
        for item in _items(value):
            if item is None or isinstance(item, (dict, list)):  # no option takes one
                kind = (
                    "null"
                    if item is None
                    else "mapping"
                    if isinstance(item, dict)
                    else "list in a list"
                )
                raise ConfigError(f"{where}: expected a value, not a {kind}")
        if normal == "unpublished":
            if not isinstance(value, bool):  # (not "no": a text is true)
                raise ConfigError(f"{where}: expected true or false, not {_what(value)}")
            normal, value = "published", not value
        param = keys.get(ALIASES.get(normal, normal)) or keys.get(normal.replace("_", "-"))
        if param is None and ALIASES.get(normal, normal) == "paths" and "arguments" in keys:
            paths = value if isinstance(value, list) else [value]
            for path in paths:  # (typed as the text arguments they end)
                problem = _mistyped(_param(ctx, "arguments"), path)
                if problem is not None:
                    raise ConfigError(f"{where}: {problem}")
            PRESET_PATHS[:] = from_config_folder(config, "paths", [str(p) for p in paths])
            PATHS_FROM.update(dict.fromkeys(PRESET_PATHS, where))
            continue
        if param is None:
            if _belongs_to_another_command(ctx, normal):
                continue  # an option of another command: presets are shared
            raise ConfigError(f"{where}: unknown option{_closest(normal, keys)}")
        if value == []:  # (h54: `same-story: []` meant every kind of evidence, unsaid)
            raise ConfigError(f"{where}: an empty list; leave the key out for the default")
        if _given(ctx, param) or _given(ctx, EXCLUSIVE.get(param, "")):
            continue  # the command line wins (over the opposite flag too: --include-rejected
            # over the preset's `rejected: true`, as --unpublished over `published: true`)
        if param in FILE_OPTIONS:
            value = from_config_folder(config, param, value, f"presets.{name}.{key}")
        try:
            kwargs[param] = _convert(ctx, param, value, annotations.get(param))
        except (typer.BadParameter, ValueError, TypeError) as exc:
            if _fits_another_command(ctx, normal, value):
                continue  # e.g. `format: atom` is for export; list keeps its own default
            message = (getattr(exc, "message", None) or str(exc)).removesuffix(".")
            choices = getattr(_param(ctx, param).type, "choices", None)
            if checking and choices and _belongs_to_another_command(ctx, normal):
                message += f" (as `{ctx.command.name}` takes it; no command takes this value)"
            raise ConfigError(f"{where}: {message}") from None
        for option in _declarations(ctx, param):
            GIVEN[option] = where
        if param == "paths" and isinstance(kwargs[param], list | tuple):
            PATHS_FROM.update(dict.fromkeys(map(str, kwargs[param]), where))


EXCLUSIVE = {"rejected": "include_rejected", "include_rejected": "rejected"}


def _given(ctx: typer.Context, param: str) -> bool:
    """Whether the command line gave the parameter."""
    if not param or not any(p.name == param for p in ctx.command.params):
        return False
    source = ctx.get_parameter_source(param)
    return source is not None and source.name not in ("DEFAULT", "DEFAULT_MAP")


def from_config_folder(config: Config, param: str, value: Any, where: str = "") -> Any:
    """A preset's file (or files) as the run opens it: a relative path joined to the
    config file's folder, a leading ``~`` the home folder (config.in_folder); ``-``
    (standard output) and a built-in template's name as they are (the name wins, as on
    the command line). ``where``: the preset's key, named by an error."""
    from newscli.config import in_folder

    folder = os.path.dirname(config.path or "")

    def one(item: Any) -> Any:
        if not isinstance(item, str) or not item or os.path.isabs(item):
            return item
        if (param == "output" and item == "-") or (param == "template" and _builtin(item)):
            return item
        if not folder and not item.startswith("~"):
            return item  # ./newscli.yaml: relative to the current folder, as written
        # (a file as written, only joined: `output: site/` stays a name export refuses)
        return in_folder(config.path or "", folder, item, where, tidy=param == "paths")

    return [one(item) for item in value] if isinstance(value, list) else one(value)


def resolved(config: Config, name: str, options: Mapping[str, Any]) -> dict[str, Any]:
    """A preset's options with its files as a run opens them (from_config_folder)."""
    found = {}
    for key, value in options.items():
        normal = key.lstrip("-")
        param = ALIASES.get(normal, normal).replace("-", "_")
        if param in FILE_OPTIONS:
            value = from_config_folder(config, param, value, f"presets.{name}.{key}")
        found[key] = value
    return found


def _builtin(name: str) -> bool:
    from newscli.formats.templating.engine import builtin_names

    return name in builtin_names()


def _param(ctx: typer.Context, name: str) -> Any:
    return next(p for p in ctx.command.params if p.name == name)


def _declarations(ctx: typer.Context, name: str) -> list[str]:
    """The names of a parameter on the command line (``--published``, ``--unpublished``;
    an argument's metavar, such as PATH)."""
    param = _param(ctx, name)
    names = [*getattr(param, "opts", []), *getattr(param, "secondary_opts", [])]
    return names or [param.human_readable_name]


def named(message: str, options: tuple[str, ...] = (), path: str | None = None) -> str:
    """An error message about an option this run's preset gave ("--since: ..."), naming
    the preset's key instead ("c.yaml: presets.daily.since: ..."); one about several
    ``options`` (a lower bound above the upper one) names the preset's keys among them:
    "c.yaml: presets.daily: ..." when it gave them all, else that key (h84 2: neither the
    file nor the preset was named)."""
    if path is not None and path in PATHS_FROM:  # (a path the config gave)
        return f"{PATHS_FROM[path]}: {message}"
    option, colon, rest = message.partition(": ")
    where = GIVEN.get(option) if colon else None
    if where:
        return f"{where}: {rest}"
    given = [GIVEN[o] for o in options if o in GIVEN]
    if not given:
        return message
    if len(given) == len(options) and len(given) > 1:
        return f"{given[0].rpartition('.')[0]}: {message}"
    return f"{given[0]}: {message}"


def _config_option(ctx: typer.Context) -> str | None:
    """--config of the command, else of the app (`newscli --config FILE list ...`)."""
    return ctx.params.get("config") or ctx.find_root().params.get("config_file")


def complete_preset(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion for --preset: the names in the config file."""
    from newscli import config

    try:
        loaded = config.load(config.find(_config_option(ctx)))
    except ConfigError:
        return []
    return offered(n for n in loaded.presets if n.startswith(incomplete))


def complete_topic(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion for --topic: the topics found in the default feeds."""
    from newscli import config
    from newscli.errors import NewscliError
    from newscli.index.cache import IndexCache
    from newscli.index.cache_owner import default_folder
    from newscli.index.loader import load_paths

    try:
        loaded = config.load(config.find(_config_option(ctx)))
        cache, _ = IndexCache.open(default_folder())
        articles = load_paths(list(loaded.feeds) or ["."], cache=cache).articles
    except (NewscliError, OSError):
        return []
    topics = {fold(t): t for a in articles for t in a.topics}
    wanted = fold(incomplete)
    return offered(t for key, t in topics.items() if key.startswith(wanted))


# (not ":" or "=": bash's COMP_WORDBREAKS ends a word there, so `ok:colon` completed
# after `ok:` became `ok:ok:colon`, h117)
_PLAIN_WORD = re.compile(r"[\w.,@%+/-]+")


def offered(candidates: Iterable[str]) -> list[str]:
    """The completions a shell can be given, sorted: none holding a control or invisible
    character (h42: an OSC sequence in a preset name reached the terminal); for bash,
    only plain words, since its completion script splits and expands what it is given
    (h42: a preset `my preset` became two arguments, a topic `/etc/pass*` a file)."""
    from newscli.sanitize import hidden

    bash = os.environ.get("_NEWSCLI_COMPLETE", "").endswith("bash")
    return sorted(
        c
        for c in candidates
        if c and not any(map(hidden, c)) and (not bash or _PLAIN_WORD.fullmatch(c))
    )


def describe(options: Mapping[str, Any]) -> str:
    """A preset as the command-line options it stands for."""
    parts = []
    for key, value in options.items():
        values = value if isinstance(value, list) else [value]
        for item in values:
            if isinstance(item, bool):
                if key in ("published", "unpublished"):
                    published = item if key == "published" else not item
                    parts.append("--published" if published else "--unpublished")
                elif item:
                    parts.append(f"--{key}")
            elif key in ("paths", "feeds", "path"):
                parts.append(_quote(str(item)))
            else:  # (each value made inert alone: an escape in one swallows no other)
                parts.append(f"--{key} {_quote(_as_run(key, str(item)))}")
    return " ".join(parts)


def _as_run(key: str, text: str) -> str:
    """A value as the run takes it (a --since's date and time as YAML reads it)."""
    if key in ("since", "until", "now"):  # (the options that take a moment)
        from newscli.article.frontmatter_yaml import yaml_time

        return yaml_time(text)
    return text


def _quote(text: str) -> str:
    """The value as a shell takes it (sanitize.shell_word: a value of hidden characters
    as bash's $'...', each escaped; h89: an escape sequence was dropped, so `--topic AI`
    stood for another value; h90: U+0080-U+00FF as \\xNN, which bash takes as a byte)."""
    return shell_word(text)


def check_presets(config: Config) -> None:
    """Each preset as every command that takes presets would take it: raises the
    ConfigError of the first run that would refuse it (an unknown key, a value of the
    wrong kind for the command whose option it is, or one its run would refuse before
    reading a file: a `since` that is no date, an unknown `sort` key, a `where` that does
    not parse, a `story-window` that is no duration, a `template` that is no built-in
    one nor a file from this folder or does not parse; export's feed-link, feed-url, to,
    from, and template with format), so the `presets` listing says so."""
    from newscli.cli import every_command
    from newscli.cli.application import usage_message
    from newscli.cli.options import SHARED, build_query

    for command_name, command in every_command().items():
        names = {param.name for param in command.params}
        if "preset" not in names:
            continue
        selecting = all(name in names for name, _, _ in SHARED)
        # one context a command (only read: its defaults, its parameters' sources):
        # made for each preset, it cost 3 ms of each preset's 4 (200 presets: 2.3 s)
        ctx = command.make_context(command_name, [], resilient_parsing=True)
        for name in config.presets:
            given: dict[str, Any] = {}
            apply_preset(ctx, given, config, name, {}, checking=True)
            _check_template(given.get("template"))
            if command_name == "export":
                _check_export(config, name, given)
            if not selecting:
                continue
            values = {key: given.get(key, default) for key, _, default in SHARED}
            try:  # (as the run builds its query from them, before any file is read)
                build_query(values, (), config)
            except typer.BadParameter as exc:
                message = usage_message(exc)
                if not message.startswith(f"{config.path}: "):  # (two keys together:
                    # since above until, rejected with include-rejected) the preset, named
                    message = f"{config.path}: presets.{name}: {message}"
                raise ConfigError(message) from None


def _check_export(config: Config, name: str, given: dict[str, Any]) -> None:
    """export's own checks before any work (a feed-link that is no http(s) URL, an
    address with a line break, a template with a format it cannot render)."""
    from newscli.cli.application import usage_message
    from newscli.cli.export_parts import check_given
    from newscli.errors import QueryError

    try:
        check_given(given)
    except typer.BadParameter as exc:
        message = usage_message(exc)
    except QueryError as exc:
        message = named(str(exc))
    else:
        return
    if not message.startswith(f"{config.path}: "):  # (two keys together: template and
        message = f"{config.path}: presets.{name}: {message}"  # format) the preset, named
    raise ConfigError(message) from None


def _check_template(template: str | None) -> None:
    """A preset's template loaded as export loads it before any work (the error printer
    names the preset's key, as for the run: application.from_preset)."""
    if template is None:
        return
    from newscli.errors import TemplateError
    from newscli.formats.templating.engine import load

    try:
        load(template)
    except TemplateError as exc:
        raise ConfigError(str(exc)) from None
