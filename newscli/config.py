"""The configuration file: default feed folders and named presets.

Found at ``--config FILE``, else ``newscli.yaml`` in the current folder, else
``$XDG_CONFIG_HOME/newscli/config.yaml`` (``~/.config/newscli/config.yaml``)::

    feeds:                 # used when a command is given no PATH
      - feeds
      - /srv/news/archive
    presets:
      ai-daily:            # newscli export --preset ai-daily
        topic: [AI]
        min-quality: 70
        published: false
        sort: quality
        format: atom
        output: /srv/site/ai.xml
    rules:
      exclude:             # --where expressions: matching articles are left out
        - provider.domain in ["spam.example"]
        - quality < 20
    same-story: [url, related, similar]   # the evidence that joins a story (default all)
    story-window: 48h      # how far apart in time `similar` articles may be
    prefer-providers:      # outlets whose article represents a story first
      - Reuters

Option names are the long command-line names without dashes; relative feed folders
are relative to the config file's folder.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from newscli.errors import NewscliError

FILE_NAME = "newscli.yaml"
TOP_LEVEL_KEYS = ("feeds", "presets", "rules", "same-story", "story-window", "prefer-providers")


class ConfigError(NewscliError):
    """The configuration is unusable: names the file and the key (a usage error)."""


@dataclass(frozen=True, slots=True)
class Config:
    path: str | None = None
    feeds: tuple[str, ...] = ()
    presets: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()  # rules.exclude: --where expressions (checked by cli)
    same_story: tuple[str, ...] = ()  # same-story: url, related, similar (default all)
    story_window: str | None = None  # story-window: a duration such as 48h
    prefer_providers: tuple[str, ...] = ()  # prefer-providers: outlet names or domains

    def preset(self, name: str) -> Mapping[str, Any]:
        if name not in self.presets:
            where = self.path or "no configuration file"
            known = ", ".join(sorted(self.presets)) or "none"
            raise ConfigError(f"{where}: unknown preset {name!r} (presets: {known})")
        return self.presets[name]


def find(explicit: str | None, environ: Mapping[str, str] | None = None) -> str | None:
    """The config file to use, or None. An explicit path must exist."""
    env = os.environ if environ is None else environ
    if explicit:
        if not os.path.isfile(explicit):
            raise ConfigError(f"{explicit}: no such configuration file")
        return explicit
    if os.path.isfile(FILE_NAME):
        return FILE_NAME
    base = env.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    candidate = os.path.join(base, "newscli", "config.yaml")
    return candidate if os.path.isfile(candidate) else None


def load(path: str | None) -> Config:
    """Read and check a config file (None gives the empty configuration)."""
    if path is None:
        return Config()
    from newscli.article.frontmatter_yaml import load_yaml
    from newscli.article.reading import read_text
    from newscli.errors import InvalidArticleError

    try:
        data = load_yaml(read_text(path)) if os.path.getsize(path) else None
    except InvalidArticleError as exc:
        raise ConfigError(f"{path}: {exc.reason}") from None
    except Exception as exc:  # the YAML parser's own errors
        from newscli.article.frontmatter_yaml import describe_yaml_error

        raise ConfigError(f"{path}: {describe_yaml_error(exc)}") from None
    if data is None:
        return Config(path)
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping with feeds and presets")
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            expected = ", ".join(TOP_LEVEL_KEYS)
            raise ConfigError(f"{path}: unknown key {key!r} (expected: {expected})")
    folder = os.path.dirname(path)  # "" for ./newscli.yaml: feeds stay as written
    feeds = data.get("feeds") or []
    if isinstance(feeds, str):
        feeds = [feeds]
    if not isinstance(feeds, list) or not all(isinstance(f, str) and f for f in feeds):
        raise ConfigError(f"{path}: feeds: expected a list of folders")
    presets = data.get("presets") or {}
    if not isinstance(presets, dict):
        raise ConfigError(f"{path}: presets: expected a mapping of names to options")
    for name, options in presets.items():
        if not isinstance(name, str) or not isinstance(options, dict):
            raise ConfigError(f"{path}: presets.{name}: expected a mapping of options")
        for option in options:
            if not isinstance(option, str):
                raise ConfigError(f"{path}: presets.{name}: option names must be text")
    return Config(
        path,
        tuple(os.path.normpath(os.path.join(folder, f)) for f in feeds),
        presets,
        _rules(path, data.get("rules")),
        *_story_keys(path, data),
    )


def _rules(path: str, rules: Any) -> tuple[str, ...]:
    """rules.exclude: a list of --where expressions (their syntax is checked by cli)."""
    if rules is None:
        return ()
    if not isinstance(rules, dict) or any(key != "exclude" for key in rules):
        raise ConfigError(f"{path}: rules: expected a mapping with exclude")
    exclude = rules.get("exclude") or []
    if isinstance(exclude, str):
        exclude = [exclude]
    if not isinstance(exclude, list) or not all(isinstance(e, str) and e for e in exclude):
        raise ConfigError(f"{path}: rules.exclude: expected a list of --where expressions")
    return tuple(exclude)


def _texts(path: str, data: Mapping[str, Any], key: str, expected: str) -> tuple[str, ...]:
    value = data.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"{path}: {key}: expected {expected}")
    return tuple(value)


def _story_keys(
    path: str, data: Mapping[str, Any]
) -> tuple[tuple[str, ...], str | None, tuple[str, ...]]:
    """same-story, story-window and prefer-providers, checked."""
    from newscli.article.timeparse import parse_duration

    same = _texts(path, data, "same-story", "a list of url, related, similar")
    for part in (p.strip().lower() for value in same for p in value.split(",")):
        if part not in ("url", "related", "similar"):
            raise ConfigError(
                f"{path}: same-story: unknown evidence {part!r} (expected url, related, similar)"
            )
    window = data.get("story-window")
    if window is not None:
        if not isinstance(window, str):
            raise ConfigError(f"{path}: story-window: expected a duration such as 48h")
        try:
            parse_duration(window)
        except ValueError as exc:
            raise ConfigError(f"{path}: story-window: {exc}") from None
    prefer = _texts(path, data, "prefer-providers", "a list of outlet names or domains")
    return same, window, prefer
