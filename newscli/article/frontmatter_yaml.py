"""Safe front-matter parsing: python-frontmatter with an explicit, hardened YAML handler.

The handler uses PyYAML's C loader (falling back to the pure one) and refuses what a
news feed never needs and an attacker loves: anchors and aliases (alias bombs), tags
(object construction), duplicate keys, absurd nesting and oversized front matter.
"""

from __future__ import annotations

import re
from typing import Any

import frontmatter
import yaml
from yaml.events import AliasEvent
from yaml.nodes import ScalarNode, SequenceNode

from newscli.article.yaml_fast import fast_load
from newscli.article.yaml_scalars import (
    MAP,
    MERGE,
    PLAIN_SCALARS,
    SCALARS,
    SEQ,
    STR,
    StrictLoader,
    resolve_plain,
)
from newscli.errors import InvalidArticleError

MAX_FRONT_MATTER_CHARS = 1 << 20
MAX_DEPTH = 20

# Anchors, aliases and tags can only start after a line start, blank or flow/quote
# character. Front matter without such a spot skips the (slower) event scan.
_MARKERS = re.compile(r"[&*!]")
_BEFORE_MARKER = frozenset(" \t\r\n[]{},:\"'")


def _suspect(text: str) -> bool:
    for match in _MARKERS.finditer(text):
        start = match.start()
        if start == 0 or text[start - 1] in _BEFORE_MARKER:
            return True
    return False


class _YAMLProblem(Exception):
    def __init__(self, reason: str, mark: Any = None):
        super().__init__(reason)
        self.reason = reason
        self.mark = mark


class _BadDate(_YAMLProblem, ValueError):
    """A plain scalar typed as a timestamp that is no date (2023-02-30, 23:59:60,
    +24:00). ``field``: the keys above it, joined with dots, as they become known."""

    field = ""

    def within(self, key: Any) -> _BadDate:
        self.field = f"{key}.{self.field}" if self.field else str(key)
        return self


TIMESTAMP = "tag:yaml.org,2002:timestamp"
_DATE_ONLY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _timestamp_problem(text: str) -> str:
    """Why a plain timestamp is no date, in the words used for a quoted one."""
    from yaml.constructor import SafeConstructor

    from newscli.article.timeparse import checked_utc, utc_offset

    m = SafeConstructor.timestamp_regexp.match(text)
    try:
        if m is not None:
            offset = 0
            if m["tz_sign"]:
                offset = utc_offset(text, m["tz_sign"], m["tz_hour"], m["tz_minute"] or 0)
            fraction = int((m["fraction"] or "").ljust(6, "0")[:6] or 0)
            times = (int(m["hour"] or 0), int(m["minute"] or 0), int(m["second"] or 0))
            checked_utc(text, int(m["year"]), int(m["month"]), int(m["day"]), *times,
                        fraction, offset)  # fmt: skip
    except ValueError as exc:
        return str(exc)
    return f"impossible date or time: {text!r}"


_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
# A number as its digits say it: no sign of base, no leading zero, no `_` or `:`.
_AS_WRITTEN = re.compile(
    r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?"  # (+5: not its digits, h51)
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"  # (the same in YAML 1.1 and 1.2)
)


def _scalar(loader: Any, node: Any, construct: Any) -> Any:
    if (
        getattr(loader, "numbers_as_written", False)
        and node.tag in _NUMBER_TAGS
        and not _AS_WRITTEN.fullmatch(node.value)
    ):
        return node.value  # (load_config_yaml: 24:7 is no 1447 there)
    if (
        getattr(loader, "numbers_as_written", False)
        and node.tag == "tag:yaml.org,2002:bool"
        and node.value.lower() not in ("true", "false")
    ):
        return node.value  # (and `yes`, `off` text: a flag takes true or false, h93)
    if (
        getattr(loader, "numbers_as_written", False)
        and node.tag == TIMESTAMP
        and not _DATE_ONLY.fullmatch(node.value)
    ):
        return node.value  # (a date and time as written, h117: not "2025-03-14 09:00:00+00:00")
    try:
        return construct(loader, node)
    except (ValueError, OverflowError):
        if node.tag != TIMESTAMP:
            raise
        if getattr(loader, "dates_as_text", False):  # (dates_as_text below)
            return node.value
        raise _BadDate(_timestamp_problem(node.value), node.start_mark) from None


def _build(loader: Any, node: Any, depth: int, seen: set[int]) -> Any:
    """Python values from a composed node: like SafeConstructor, but refusing duplicate
    keys, nesting deeper than MAX_DEPTH and reused nodes (aliases), and much faster."""
    kind = node.__class__
    if kind is ScalarNode:
        if node.tag == STR:
            return node.value
        construct = SCALARS.get(node.tag)
        if construct is None:
            raise _YAMLProblem(f"unsupported YAML value {node.value!r}", node.start_mark)
        return _scalar(loader, node, construct)
    if depth > MAX_DEPTH:
        raise _YAMLProblem(f"front matter nests deeper than {MAX_DEPTH} levels", node.start_mark)
    if id(node) in seen:
        raise _YAMLProblem("YAML aliases are not allowed", node.start_mark)
    seen.add(id(node))
    if node.tag not in (MAP, SEQ):
        raise _YAMLProblem(f"YAML tags are not allowed ({node.tag})", node.start_mark)
    if kind is SequenceNode:
        return [_build(loader, child, depth + 1, seen) for child in node.value]
    result: dict[Any, Any] = {}
    merges = []
    names: set[str] | None = None  # the keys' names, from the first key that is no text
    for key_node, value_node in node.value:
        tag = key_node.tag
        if tag == MERGE:
            merges.append(value_node)
            continue
        # Plain string keys and values are by far the most common: no call for them.
        key = key_node.value if tag == STR else _build(loader, key_node, depth + 1, seen)
        try:
            duplicate = key in result
        except TypeError:
            raise _YAMLProblem("a mapping key must be a plain value", key_node.start_mark) from None
        if names is not None or key.__class__ is not str:
            # 1 and "1" (or a date and its text) name the same field: a duplicate too;
            # 1 and true do not, though Python takes them for one key (h122)
            names = _named(names, result)
            name = key_name(key)
            duplicate = name in names
            names.add(name)
            if not duplicate and key in result:
                key = name  # (the second of 1 and true, kept by its name)
        if duplicate:
            raise _YAMLProblem(f"duplicate key {key_node.value!r}", key_node.start_mark)
        if value_node.tag == STR and value_node.__class__ is ScalarNode:
            result[key] = value_node.value
        else:
            try:
                result[key] = _build(loader, value_node, depth + 1, seen)
            except _BadDate as exc:
                raise exc.within(key) from None
    for merge in merges:  # `<<: {...}` (or a list of mappings): keys not already set
        merged = _build(loader, merge, depth + 1, seen)
        for part in merged if isinstance(merged, list) else [merged]:
            if not isinstance(part, dict):
                raise _YAMLProblem("a << merge needs mappings", merge.start_mark)
            for key, value in part.items():
                if key in result:
                    continue
                if names is not None or key.__class__ is not str:
                    names = _named(names, result)
                    if key_name(key) in names:  # (1 where "1" is set)
                        continue
                    names.add(key_name(key))
                result[key] = value
    return result


def _named(names: set[str] | None, mapping: dict[Any, Any]) -> set[str]:
    """The export JSON names of a mapping's keys (``names``, once made)."""
    return {key_name(key) for key in mapping} if names is None else names


def key_name(key: Any) -> str:
    """A key's name in the export JSON (record.key_name; imported only for a mapping
    with a key that is no text: the model is not imported to read a config file)."""
    from newscli.article.record import key_name as name

    return name(key)


def _scan_events(text: str) -> None:
    loader = StrictLoader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, AliasEvent):
                raise _YAMLProblem(
                    f"YAML aliases are not allowed (*{event.anchor})", event.start_mark
                )
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                raise _YAMLProblem(f"YAML anchors are not allowed (&{anchor})", event.start_mark)
            tag = getattr(event, "tag", None)
            if tag is not None:
                raise _YAMLProblem(f"YAML tags are not allowed ({tag})", event.start_mark)
    finally:
        loader.dispose()


def load_yaml(text: str) -> Any:
    """Parse one YAML document safely. Raises _YAMLProblem or yaml.YAMLError.

    Plain block front matter takes the fast path (same values); the rest, libyaml."""
    if len(text) > MAX_FRONT_MATTER_CHARS:
        raise _YAMLProblem(f"front matter is larger than {MAX_FRONT_MATTER_CHARS // 1024} KiB")
    fast = fast_load_yaml(text)
    return load_yaml_full(text) if fast is None else fast


def fast_load_yaml(text: str) -> dict[str, Any] | None:
    """The fast path alone: what load_yaml gives, or None where it cannot tell."""
    return fast_load(text, resolve_plain, PLAIN_SCALARS)


def load_yaml_full(text: str) -> Any:
    """The full loader alone (libyaml with our checks); load_yaml without the fast path."""
    if _suspect(text):
        _scan_events(text)
    loader = StrictLoader(text)
    try:
        node = loader.get_single_node()
        return None if node is None else _build(loader, node, 1, set())
    finally:
        loader.dispose()


def yaml_time(text: str) -> str:
    """A date and time as YAML 1.1 reads it (``2025-03-14 09:00:00.5 +1``), written as
    a --since takes it; other text as it is. A config's date and time stays the text
    written (load_config_yaml), which a --since or --until in a preset read as YAML did."""
    from yaml.constructor import SafeConstructor

    if _DATE_ONLY.fullmatch(text) or not SafeConstructor.timestamp_regexp.fullmatch(text):
        return text
    try:
        return str(SafeConstructor().construct_yaml_timestamp(ScalarNode(TIMESTAMP, text)))
    except (ValueError, OverflowError):
        return text


def load_config_yaml(text: str) -> Any:
    """A configuration file's YAML: load_yaml_full, where a plain number that YAML 1.1
    reads otherwise than its digits say (`24:7` as 1447, `017` as 15, `0x1F`, `1_000`)
    stays the text written (h50: `feed-title: 24:7` titled a feed "1447"): a text
    option takes it as written, a number option refuses it; so does a date and time
    (h117: `feed-title: 2025-03-14T09:00:00Z` was "2025-03-14 09:00:00+00:00"). Raises
    as load_yaml."""
    if len(text) > MAX_FRONT_MATTER_CHARS:
        raise _YAMLProblem(f"front matter is larger than {MAX_FRONT_MATTER_CHARS // 1024} KiB")
    if _suspect(text):
        _scan_events(text)
    loader = StrictLoader(text)
    loader.numbers_as_written = True
    try:
        node = loader.get_single_node()
        return None if node is None else _build(loader, node, 1, set())
    finally:
        loader.dispose()


def dates_as_text(text: str) -> dict[str, Any] | None:
    """An article's front matter with each impossible plain date (2023-02-30) kept as
    its text, as a quoted one is: so that the file's other problems can be listed too
    (h42: an unquoted one hid them); None when it cannot be had."""
    try:
        fm, _ = split_front_matter(text.strip())
        loader = StrictLoader(fm)
        loader.dates_as_text = True
        try:
            node = loader.get_single_node()
            data = None if node is None else _build(loader, node, 1, set())
        finally:
            loader.dispose()
    except Exception:  # (any other problem: only the first is said, as before)
        return None
    return data if isinstance(data, dict) else None


class SafeYAMLHandler(frontmatter.YAMLHandler):
    """python-frontmatter handler whose load() is the hardened loader above."""

    def load(self, fm: str, **kwargs: object) -> Any:
        return load_yaml(fm)


HANDLER = SafeYAMLHandler()


def _mark_line(mark: Any, fm: str, text: str) -> tuple[int | None, int | None]:
    """1-based line and column in the whole file for a mark inside the front matter."""
    if mark is None:
        return None, None
    base = text.count("\n", 0, max(text.find(fm), 0))
    line = getattr(mark, "line", None)
    if line is None and getattr(mark, "index", None) is not None:
        line = fm.count("\n", 0, mark.index)
    if line is None:
        return None, None
    column = getattr(mark, "column", None)
    return base + line + 1, (column + 1 if column is not None else None)


def _yaml_reason(exc: Exception) -> tuple[str, Any]:
    if isinstance(exc, _YAMLProblem):
        return exc.reason, exc.mark
    if isinstance(exc, yaml.MarkedYAMLError):
        parts = [p for p in (exc.context, exc.problem) if p]
        return "invalid YAML: " + ", ".join(parts), exc.problem_mark or exc.context_mark
    if isinstance(exc, yaml.reader.ReaderError):
        return f"invalid YAML: unacceptable character #x{exc.character:04x}", _Index(exc.position)
    if isinstance(exc, (ValueError, OverflowError)):  # e.g. a timestamp like 2023-02-30
        return f"invalid value: {exc}", None
    return f"invalid YAML: {exc}", None


def describe_yaml_error(exc: Exception) -> str:
    """One line for an error raised by load_yaml (with the line number when known)."""
    reason, mark = _yaml_reason(exc)
    line = getattr(mark, "line", None)
    return f"{reason} (line {line + 1})" if line is not None else reason


class _Index:
    def __init__(self, index: int):
        self.index = index


def split_front_matter(text: str) -> tuple[str, str]:
    """(front matter, rest) exactly as python-frontmatter's YAML handler splits them
    (its boundary pattern), without running that pattern at every character.

    Raises InvalidArticleError when there is no front matter or it is not terminated.
    """
    boundary = HANDLER.FM_BOUNDARY
    assert boundary is not None
    first = boundary.match(text)
    if first is None:
        raise InvalidArticleError("no front matter (the file must start with a --- line)")
    start = pos = first.end()
    # The closing boundary starts a line with ---: only such lines are tried.
    while (pos := text.find("\n---", pos - 1) + 1) > 0:
        closing = boundary.match(text, pos)
        if closing is not None:
            return text[start:pos], text[closing.end() :]
        pos += 1
    raise InvalidArticleError("front matter is not terminated (no closing --- line)")


def parse_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Split and parse an article's text. Returns (metadata, body).

    Raises InvalidArticleError with a one-line reason (and a line number when known).
    """
    fm, body = split_front_matter(text.strip())
    try:
        data = HANDLER.load(fm)
    except RecursionError:
        raise InvalidArticleError(f"front matter nests deeper than {MAX_DEPTH} levels") from None
    except Exception as exc:  # PyYAML raises ValueError etc. for bad dates too
        reason, mark = _yaml_reason(exc)
        line, column = _mark_line(mark, fm, text)
        if isinstance(exc, _BadDate) and exc.field:  # as a quoted date is reported
            field = exc.field
            raise InvalidArticleError(f"{field}: {reason}", line=line, field=field) from None
        if line is not None:
            where = f"line {line}" + (f", column {column}" if column else "")
            reason = f"{reason} ({where})"
        raise InvalidArticleError(reason, line=line) from None
    if data is None:
        raise InvalidArticleError("front matter is empty")
    if not isinstance(data, dict):
        raise InvalidArticleError("front matter is not a mapping of field names to values")
    return data, body.strip()
