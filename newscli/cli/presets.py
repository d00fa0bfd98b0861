"""Presets from the config file, merged under the command line; completion helpers."""

import enum
import inspect
from collections.abc import Mapping
from typing import Any

import typer

from newscli.config import Config, ConfigError

# Preset keys that name an option differently from its parameter.
ALIASES = {"topics": "topic", "feeds": "paths", "path": "paths", "type": "type_"}


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


def _other_commands(ctx: typer.Context) -> list[Any]:
    """Every command but this one, also when this run built only this one (a preset made
    for `export` also serves `list`)."""
    from newscli.cli import every_command

    return [command for name, command in every_command().items() if name != ctx.command.name]


def _belongs_to_another_command(ctx: typer.Context, key: str) -> bool:
    for command in _other_commands(ctx):
        for param in command.params:
            if f"--{key}" in getattr(param, "opts", []) or (
                param.name and param.name.replace("_", "-") == key
            ):
                return True
    return False


def _fits_another_command(ctx: typer.Context, key: str, value: Any) -> bool:
    for command in _other_commands(ctx):
        for param in command.params:
            if f"--{key}" in getattr(param, "opts", []):
                try:
                    values = [value] if param.multiple and not isinstance(value, list) else value
                    param.process_value(ctx, values)
                    return True
                except (typer.BadParameter, ValueError, TypeError):
                    continue
    return False


def _convert(ctx: typer.Context, name: str, value: Any, annotation: Any) -> Any:
    """A preset value checked and converted exactly as the command line would be."""
    param = next(p for p in ctx.command.params if p.name == name)
    if param.multiple or getattr(param, "nargs", 1) == -1:
        value = value if isinstance(value, list) else [value]
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
) -> None:
    """Fill kwargs from the preset wherever the command line left the default."""
    options = config.preset(name)
    keys = _option_keys(ctx)
    for key, value in options.items():
        normal = key.lstrip("-")
        if normal in ("preset", "config"):
            raise ConfigError(
                f"{config.path}: presets.{name}.{key}: a preset cannot name a {normal}"
            )
        for item in value if isinstance(value, list) else [value]:
            if item is None or isinstance(item, (dict, list)):  # no option takes one
                kind = (
                    "null"
                    if item is None
                    else "mapping"
                    if isinstance(item, dict)
                    else "list in a list"
                )
                raise ConfigError(
                    f"{config.path}: presets.{name}.{key}: expected a value, not a {kind}"
                )
        if normal == "unpublished":
            normal, value = "published", not value
        param = keys.get(ALIASES.get(normal, normal)) or keys.get(normal.replace("_", "-"))
        if param is None:
            if _belongs_to_another_command(ctx, normal):
                continue  # an option of another command: presets are shared
            raise ConfigError(f"{config.path}: presets.{name}.{key}: unknown option")
        source = ctx.get_parameter_source(param)
        if source is not None and source.name not in ("DEFAULT", "DEFAULT_MAP"):
            continue  # the command line wins
        try:
            kwargs[param] = _convert(ctx, param, value, annotations.get(param))
        except (typer.BadParameter, ValueError, TypeError) as exc:
            if _fits_another_command(ctx, normal, value):
                continue  # e.g. `format: atom` is for export; list keeps its own default
            message = getattr(exc, "message", None) or str(exc)
            raise ConfigError(f"{config.path}: presets.{name}.{key}: {message}") from None


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
    return sorted(n for n in loaded.presets if n.startswith(incomplete))


def complete_topic(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion for --topic: the topics found in the default feeds."""
    from newscli import config
    from newscli.errors import NewscliError
    from newscli.index.cache import IndexCache, default_folder
    from newscli.index.loader import load_paths

    try:
        loaded = config.load(config.find(_config_option(ctx)))
        cache, _ = IndexCache.open(default_folder())
        articles = load_paths(list(loaded.feeds) or ["."], cache=cache).articles
    except (NewscliError, OSError):
        return []
    topics = {t.casefold(): t for a in articles for t in a.topics}
    wanted = incomplete.casefold()
    return sorted(t for key, t in topics.items() if key.startswith(wanted))


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
                parts.append(str(item))
            else:
                parts.append(f"--{key} {_quote(str(item))}")
    return " ".join(parts)


def _quote(text: str) -> str:
    import shlex

    return shlex.quote(text)
