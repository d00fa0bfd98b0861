"""The configuration file: default feed folders and named presets.

Found at ``--config FILE`` (the command's, else the one before the command), else
``newscli.yaml`` in the current folder, else ``$XDG_CONFIG_HOME/newscli/config.yaml``
(``~/.config/newscli/config.yaml``)::

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
    sources:               # newscli import with no SOURCE imports each of these
      - url: https://news.example/rss.xml
        topics: [AI]       # added to every item's topics
        quality: 60        # for items that have no quality of their own
        category: news
        provider: Example News
      - feeds.opml         # a file, relative to the config file's folder
    same-story: [url, related, similar]   # the evidence that joins a story (default all)
    story-window: 48h      # how far apart in time `similar` articles may be
    prefer-providers:      # outlets whose article represents a story first
      - Reuters

Option names are the long command-line names without dashes; relative feed folders,
and a preset's relative files (paths, output, template, cache-dir), are relative to the
config file's folder; a leading ``~`` is the home folder (in_folder).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from newscli.errors import NewscliError

FILE_NAME = "newscli.yaml"
TOP_LEVEL_KEYS = (
    "feeds",
    "presets",
    "rules",
    "sources",
    "same-story",
    "story-window",
    "prefer-providers",
)
SOURCE_KEYS = ("url", "topics", "quality", "category", "provider")
RULE_KEYS = ("exclude",)


class ConfigError(NewscliError):
    """The configuration is unusable: names the file and the key (a usage error)."""


@dataclass(frozen=True, slots=True)
class SourceConfig:
    """One entry of ``sources:``: a URL or file, and the defaults its items get."""

    url: str
    topics: tuple[str, ...] = ()
    quality: int | None = None
    category: str | None = None
    provider: str | None = None


@dataclass(frozen=True, slots=True)
class Config:
    path: str | None = None
    feeds: tuple[str, ...] = ()
    presets: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()  # rules.exclude: --where expressions (checked by cli)
    sources: tuple[SourceConfig, ...] = ()  # for `newscli import` with no SOURCE
    same_story: tuple[str, ...] = ()  # same-story: url, related, similar (default all)
    story_window: str | None = None  # story-window: a duration such as 48h
    prefer_providers: tuple[str, ...] = ()  # prefer-providers: outlet names or domains

    def preset(self, name: str) -> Mapping[str, Any]:
        if not name.strip():  # (`--preset ''` from a script's empty variable: not none)
            known = ", ".join(sorted(self.presets)) or "none"
            raise ConfigError(f"--preset needs a name (presets: {known})")
        if name not in self.presets:
            where = self.path or "no configuration file"
            known = ", ".join(sorted(self.presets)) or "none"
            raise ConfigError(f"{where}: unknown preset {name!r} (presets: {known})")
        return self.presets[name]


_chosen: list[str] = []  # `newscli --config FILE COMMAND`: the file for every lookup


def choose(path: str) -> None:
    """Use path wherever a command has no --config of its own (the app-level option)."""
    _chosen[:] = [path]


def find(explicit: str | None, environ: Mapping[str, str] | None = None) -> str | None:
    """The config file to use, or None. An explicit path (the command's --config, else
    the one given before the command) must exist."""
    if explicit is None and _chosen:
        explicit = _chosen[0]
    env = os.environ if environ is None else environ
    if explicit is not None:
        if not explicit:  # --config '' (an unset variable) is no file, not "none given"
            raise ConfigError("--config needs a file name")
        if not os.path.isfile(explicit) and not null_device(explicit):
            raise ConfigError(f"{explicit}: {_why_not_a_file(explicit)}")
        return explicit
    base = env.get("XDG_CONFIG_HOME", "")
    if not os.path.isabs(base):  # (unset, or relative: the XDG spec says to ignore it)
        base = os.path.join(os.path.expanduser("~"), ".config")
    for candidate in (FILE_NAME, os.path.join(base, "newscli", "config.yaml")):
        if os.path.isfile(candidate) or null_device(candidate):
            return candidate
        if os.path.lexists(candidate):  # a dangling link, a loop, a folder, a FIFO:
            # an error, not the next file silently (its rules and feeds would be lost)
            raise ConfigError(f"{candidate}: {_why_not_a_file(candidate)}")
    return None


def null_device(path: str) -> bool:
    """Whether path is the null device (/dev/null, or a link to it): an empty
    configuration, as an empty file is (`--config /dev/null` leaves ./newscli.yaml
    unread). Told from its device number without opening it: other devices, FIFOs and
    sockets are never opened (a FIFO would block, /dev/zero never ends)."""
    import stat

    try:
        info, null = os.stat(path), os.stat(os.devnull)
    except OSError:
        return False
    return (
        stat.S_ISCHR(info.st_mode) and stat.S_ISCHR(null.st_mode) and info.st_rdev == null.st_rdev
    )


def _why_not_a_file(path: str) -> str:
    """Why a path given as the config file cannot be read as one."""
    import stat

    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if os.path.islink(path):  # (h50: `ls` shows it; "no such file" puzzled)
            return "a symbolic link to a missing file, not a configuration file"
        return "no such configuration file"
    except OSError as exc:
        return f"cannot read the configuration file ({exc.strerror or exc})"
    if stat.S_ISDIR(mode):
        return "a directory, not a configuration file"
    return "not a regular file (a device, FIFO or socket): not read as a configuration file"


def _trusted(path: str) -> None:
    """Run as root, refuse a config file another user can change (h50: one writable by
    all chose where root's cron job wrote, and what: `output:`, `template:`), as ssh
    and sudo refuse theirs. Other users read theirs as it is."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return
    try:
        info = os.stat(path)
    except OSError:
        return  # (reading it says why)
    if info.st_mode & 0o002 or info.st_uid != 0:
        who = "every user can write it" if info.st_mode & 0o002 else "another user owns it"
        fixes = ["`chmod o-w`"] if info.st_mode & 0o002 else []
        fixes += ["`chown root`"] if info.st_uid != 0 else []  # (h117: chmod was all it said)
        fix = " and ".join(fixes) + " it"
        raise ConfigError(
            f"{path}: {who} (mode {info.st_mode & 0o777:04o}, owner {info.st_uid}): root "
            f"does not read it ({fix}, or run as its owner)"
        )


def _as_config(reason: str) -> str:
    """A reason the YAML reader words for articles, worded for a config file."""
    return reason.replace("front matter", "the config file", 1)


def load(path: str | None, *, rules: bool = True) -> Config:
    """Read and check a config file (None gives the empty configuration). ``rules``
    False (--no-rules): the rules key is neither read nor checked."""
    if path is None:
        return Config()
    if null_device(path):
        return Config(path)
    _trusted(path)
    from newscli.article.frontmatter_yaml import load_config_yaml
    from newscli.article.reading import read_text
    from newscli.errors import InvalidArticleError

    try:
        text = read_text(path)  # (a file of /proc says it is empty: its size is 0)
        data = load_config_yaml(text) if text else None
    except InvalidArticleError as exc:
        raise ConfigError(f"{path}: {_as_config(exc.reason)}") from None
    except Exception as exc:  # the YAML parser's own errors
        from newscli.article.frontmatter_yaml import describe_yaml_error

        raise ConfigError(f"{path}: {_as_config(describe_yaml_error(exc))}") from None
    if data is None:
        return Config(path)
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping with feeds and presets")
    holder = _holding_nul(data)
    if holder is not None:  # (no command line can give one: no path or option holds it)
        raise ConfigError(f"{path}: {holder}: text cannot hold a NUL character (\\0)")
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
        if not isinstance(name, str):  # --preset 1 is the text "1"
            raise ConfigError(f"{path}: presets.{name}: a preset's name must be text (quote it)")
        if not name.strip():
            raise ConfigError(f"{path}: presets: a preset's name cannot be empty")
        if not isinstance(options, dict):
            raise ConfigError(f"{path}: presets.{name}: expected a mapping of options")
        for option in options:
            if not isinstance(option, str):
                raise ConfigError(
                    f"{path}: presets.{name}.{option}: an option's name must be text (quote it)"
                )
    return Config(
        path,
        tuple(in_folder(path, folder, f, f"feeds[{i}]") for i, f in enumerate(feeds)),
        presets,
        _rules(path, data.get("rules")) if rules else (),
        _sources(path, folder, data.get("sources")),
        *_story_keys(path, data),
    )


def in_folder(path: str, folder: str, name: str, where: str, *, tidy: bool = True) -> str:
    """A file or folder named in the config file at ``path``: a relative one joined to
    its ``folder``; a leading ``~`` or ``~user`` is that home folder, as in a shell (not
    a folder named ``~`` beside the config file, which a later ``rm -r ~`` would mean the
    home). A ``~`` that names no home is a ConfigError naming ``where``. ``tidy`` False:
    joined as written, not normalised (an output ``site/`` keeps the ``/`` that makes
    export refuse it, rather than becoming a file ``site``)."""
    if name.startswith("~"):
        home = os.path.expanduser(name)
        if home.startswith("~"):  # no such user (or no home for this one)
            user = name[1:].split("/", 1)[0]
            whose = f"the user {user!r}" if user else "the current user"
            raise ConfigError(f"{path}: {where}: no home folder for {whose} ({name!r})")
        name = home
    joined = os.path.join(folder, name)
    return os.path.normpath(joined) if tidy else joined


def _holding_nul(value: Any, where: str = "") -> str | None:
    """The key (``presets.a.paths[0]``) of the first text that holds a NUL character, as
    a key or a value, or None: a path holding one cannot be opened, nor an option given."""
    if isinstance(value, str):
        return where if "\0" in value else None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(
        value, list) else ()  # fmt: skip
    for key, item in items:
        inner = f"{where}[{key}]" if isinstance(value, list) else f"{where}.{key}".lstrip(".")
        if isinstance(key, str) and "\0" in key:
            return inner
        found = _holding_nul(item, inner)
        if found is not None:
            return found
    return None


def _rules(path: str, rules: Any) -> tuple[str, ...]:
    """rules.exclude: a list of --where expressions (their syntax is checked by cli)."""
    if rules is None:
        return ()
    if not isinstance(rules, dict):
        raise ConfigError(f"{path}: rules: expected a mapping with exclude")
    for key in rules:
        if key not in RULE_KEYS:
            expected = ", ".join(RULE_KEYS)
            raise ConfigError(f"{path}: rules: unknown key {key!r} (expected: {expected})")
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
    from newscli.article.timeparse import parse_span

    same = _texts(path, data, "same-story", "a list of url, related, similar")
    if data.get("same-story") == []:  # (h54: it meant every kind of evidence, unsaid)
        raise ConfigError(
            f"{path}: same-story: name at least one of url, related, similar (leave the key "
            "out for all)"
        )
    named: list[str] = []
    for part in (p.strip().lower() for value in same for p in value.split(",")):
        if not part:  # (as --same-story says it)
            raise ConfigError(
                f"{path}: same-story: names an empty kind: a comma at an end, or two together "
                "(url,related,similar)"
            )
        if part not in ("url", "related", "similar"):
            raise ConfigError(
                f"{path}: same-story: unknown evidence {part!r} (expected url, related, similar)"
            )
        if part in named:  # (as --same-story, h143)
            raise ConfigError(f"{path}: same-story: {part}: named twice; name each kind once")
        named.append(part)
    window = data.get("story-window")
    if window is not None:
        try:
            parse_span(window)
        except ValueError as exc:
            raise ConfigError(f"{path}: story-window: {exc}") from None
        window = str(window)  # a bare 0 (a YAML integer) as text, like the option
    prefer = _texts(path, data, "prefer-providers", "a list of outlet names or domains")
    return same, window, prefer


def _source(path: str, folder: str, where: str, entry: Any) -> SourceConfig:
    """One sources entry: a URL or file as text, or a mapping with url and defaults."""
    if isinstance(entry, str):
        if not entry.strip():  # (h102: `sources: ''` was "sources[0].url: ...")
            raise ConfigError(f"{path}: {where}: expected a URL or a file, not blanks")
        entry = {"url": entry}
    if not isinstance(entry, dict):
        raise ConfigError(f"{path}: {where}: expected a URL, a file or a mapping with url")
    for key in entry:
        if key not in SOURCE_KEYS:
            known = ", ".join(SOURCE_KEYS)
            raise ConfigError(f"{path}: {where}: unknown key {key!r} (expected: {known})")
    url = entry.get("url")
    if not isinstance(url, str) or not url.strip():
        raise ConfigError(f"{path}: {where}.url: expected a URL or a file")
    topics = entry.get("topics") or []
    if isinstance(topics, str):
        topics = [topics]
    if not isinstance(topics, list) or not all(
        isinstance(t, str) and t.strip() and len(t.splitlines()) == 1 for t in topics
    ):
        raise ConfigError(f"{path}: {where}.topics: expected a list of topics")
    quality = entry.get("quality")
    if quality is not None and (
        isinstance(quality, bool) or not isinstance(quality, int) or not 0 <= quality <= 100
    ):
        raise ConfigError(f"{path}: {where}.quality: expected an integer 0-100")
    for key in ("category", "provider"):
        value = entry.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise ConfigError(f"{path}: {where}.{key}: expected text")
    from newscli.sanitize import name_fault

    named = [("topics", t) for t in topics] + [(k, entry.get(k)) for k in ("category", "provider")]
    for key, value in named:  # (h129 3: written into every article imported)
        fault = name_fault(value) if isinstance(value, str) else None
        if fault is not None:
            raise ConfigError(f"{path}: {where}.{key}: {value!a} {fault}")
    url = url.strip()
    if "://" not in url:  # a file: relative to the config file's folder
        url = in_folder(path, folder, url, f"{where}.url")
    return SourceConfig(url, tuple(topics), quality, entry.get("category"), entry.get("provider"))


def _sources(path: str, folder: str, sources: Any) -> tuple[SourceConfig, ...]:
    """sources: what `newscli import` imports when given no SOURCE."""
    if sources is None:
        return ()
    if isinstance(sources, (str, dict)):  # one source: named as the key itself
        return (_source(path, folder, "sources", sources),)
    if not isinstance(sources, list):
        raise ConfigError(f"{path}: sources: expected a list of URLs, files or mappings")
    return tuple(_source(path, folder, f"sources[{i}]", s) for i, s in enumerate(sources))
