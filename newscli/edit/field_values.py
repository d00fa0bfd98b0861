"""`FIELD=VALUE` assignments from the command line, checked against the known fields.

- A known field gets its own type, with its bounds: ``quality=85`` (0-100, or
  ``null``), ``heat=-1`` (an integer, or ``null``), ``published=true`` and
  ``rejected=true`` (true/false, yes/no), ``publishedDateTime=2025-03-20T08:00:00+01:00``
  (RFC 3339, normalised to UTC; a date alone is midnight UTC; ``null`` allowed),
  ``title=...`` (non-empty),
  ``category``, ``type``, ``locale``, URLs, ``excerpt``, ``provider.name``,
  ``provider.domain`` (strings).
- Any other field is a string, exactly as typed (``note=yes`` is the text "yes").
- ``FIELD:=VALUE`` reads VALUE as a YAML plain scalar instead (``reviewed:=true``,
  ``score:=1.5``, ``reviewedAt:=2025-03-20``, ``flag:=null``), for fields newscli does
  not know; for known fields ``:=`` and ``=`` are the same, but that ``:=null`` (or
  ``~``) sets null in a text field that may be null (NULLABLE_TEXT) and in ``rejected``
  (null is not rejected, as missing is), and is refused in the others (``title``,
  required; ``provider.*``: ``unset`` removes them). A number YAML would read as text
  or as no finite number (``1e5``, ``1e400``, ``nan``, ``.inf``) is refused.
- Lists, mappings and ``secured`` cannot be set (use ``tag add``, nested keys, or leave
  the opaque blob alone).

Every problem is a FieldValueError, a usage error (exit 2), naming the assignment.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from newscli.article.model import INT64_MAX, INT64_MIN
from newscli.article.timeparse import parse_timestamp, to_utc
from newscli.errors import QueryError
from newscli.sanitize import hidden


class FieldValueError(QueryError):
    """A FIELD=VALUE assignment is not usable: a usage error."""


@dataclass(frozen=True, slots=True)
class Assignment:
    path: tuple[str, ...]
    value: Any
    text: str  # as given

    @property
    def field(self) -> str:
        return ".".join(self.path)


def _null(check: Callable[[str], Any]) -> Callable[[str], Any]:
    return lambda text: None if text in ("null", "~") else check(text)


def _integer(low: int | None = None, high: int | None = None) -> Callable[[str], int]:
    def check(text: str) -> int:
        digits = text[1:] if text[:1] in "+-" else text
        if not (digits.isascii() and digits.isdigit()):
            raise ValueError("expected an integer" + (f" {low}-{high}" if high else ""))
        if len(digits) > 20:  # far beyond 64 bits, and no int() of a huge text
            bounds = (
                f"outside {low}-{high}"
                if high is not None
                else (f"out of range ({INT64_MIN} to {INT64_MAX})")
            )
            raise ValueError(f"{text[:24]}... is {bounds}")
        value = int(text)
        if (low is not None and value < low) or (high is not None and value > high):
            raise ValueError(f"{value} is outside {low}-{high}")
        if not INT64_MIN <= value <= INT64_MAX:  # what the article format allows
            raise ValueError(f"{value} is out of range ({INT64_MIN} to {INT64_MAX})")
        return value

    return check


_TRUE, _FALSE = ("true", "yes", "on"), ("false", "no", "off")


def _boolean(text: str) -> bool:
    if text.lower() in _TRUE:
        return True
    if text.lower() in _FALSE:
        return False
    raise ValueError("expected true or false")


_FRACTION = re.compile(r"[.,](\d{7,})")  # (finer than the microseconds a value holds)


def _timestamp(text: str) -> Any:
    if _FRACTION.search(text):  # (h98: written cut to 6 digits; the file keeps what it has)
        raise ValueError("more than 6 digits of a second: newscli writes at most microseconds")
    try:
        return parse_timestamp(text)
    except ValueError:
        raise ValueError(
            "expected an RFC 3339 date or timestamp, e.g. 2025-03-20T08:00:00Z"
        ) from None


def _text(*, empty: bool = False) -> Callable[[str], str]:
    def check(text: str) -> str:
        if not empty and not text.strip():
            raise ValueError("expected a non-empty text (use unset to remove the field)")
        return text

    return check


def _refuse(reason: str) -> Callable[[str], Any]:
    def check(text: str) -> Any:
        raise ValueError(reason)

    return check


_LIST = _refuse("a list: use `newscli tag add/remove` with --field")
KNOWN: dict[str, Callable[[str], Any]] = {
    "title": _text(),
    "excerpt": _text(empty=True),
    "publishedDateTime": _null(_timestamp),
    "updatedDateTime": _null(_timestamp),
    "originalUrl": _text(),
    "webUrl": _text(),
    "ampWebUrl": _text(),
    "cdnAmpWebUrl": _text(),
    "type": _text(),
    "category": _text(),
    "locale": _text(),
    "quality": _null(_integer(0, 100)),
    "heat": _null(_integer()),
    "published": _boolean,
    "rejected": _boolean,  # (h36: "true" as text rejected nothing)
    "provider.name": _text(),
    "provider.domain": _text(),
    "provider": _refuse("a mapping: set provider.name or provider.domain"),
    "topics": _LIST,
    "tags": _LIST,
    "categories": _LIST,
    "images": _refuse("a list of mappings; edit it by hand"),
    "related": _refuse("a list of mappings; edit it by hand"),
    "secured": _refuse("an opaque value newscli never changes"),
}
"""The check of each known field: text -> value, or ValueError with the reason.
(The edit commands may add their own fields, e.g. the ones `reject` writes.)"""


_YAML_NULLS = ("null", "Null", "NULL", "~", "")  # (an empty value is YAML's null too: h68 5)
NULLABLE_TEXT = frozenset(
    ("excerpt", "originalUrl", "webUrl", "ampWebUrl", "cdnAmpWebUrl", "type", "category", "locale")
)  # text fields that may be null (README, "The article format"): FIELD:=null sets null
NULLABLE = NULLABLE_TEXT | {"rejected"}  # and the flag that may be null (as missing: false)


def _number_like(text: str) -> bool:
    """Python reads text as a number (1e5, 1e400, nan, inf, Infinity)."""
    try:
        float(text)
    except ValueError:
        return False
    return True


_READ_APART = re.compile(
    r"[-+]?(?:[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?|0[0-9_]+|0[ob][0-9a-fA-F_]+"
    r"|[0-9.][0-9_.]*_[0-9_.]*(?:[eE][-+]?[0-9]+)?|0x[0-9a-fA-F]*_[0-9a-fA-F_]*)\Z"
)


def _typed(text: str) -> Any:
    """VALUE of FIELD:=VALUE: what YAML makes of it as a plain scalar."""
    from newscli.article.yaml_scalars import PLAIN_SCALARS, resolve_plain

    if text[:1] in ("'", '"'):  # (h36: "expected a YAML scalar", which it is)
        raise ValueError("quoted text: FIELD=VALUE sets text as typed, without quotes")
    if text != text.strip() or text[:1] in tuple("[{&*!|>%@`#"):
        raise ValueError("expected a YAML scalar such as true, 12, 1.5, null or 2025-03-20")
    if _READ_APART.match(text):
        # (h36: 12:30:00 became 45000) YAML 1.1, which newscli reads files with, and
        # YAML 1.2 make two values of these: 12:30:00 base 60 or text, 017 octal 15 or
        # 17, 0o17 text or 15, 1_000 a number or text
        raise ValueError(
            "YAML 1.1 and 1.2 read this as two different values: write the number as "
            "plain digits, or FIELD=VALUE for text"
        )
    if (
        ": " in text
        or " #" in text
        or text.endswith(":")
        or text[:2] in ("- ", "? ")
        or text in ("-", "?", "---", "...")
    ):
        # (h98: `a: b` is a mapping in YAML and `a # c` the text a; h100: `- a` a
        # sequence, `? a` a key, `---` a document's start: each was written as typed)
        raise ValueError(
            "YAML would not read this as one scalar (a mapping, or a comment): "
            "FIELD=VALUE sets text"
        )
    tag = resolve_plain(text)
    if tag.endswith(":bool") and text.lower() not in ("true", "false"):
        # (h98: `yes`, `on`, `n`: a boolean to YAML 1.1, which newscli reads files
        # with, text to YAML 1.2)
        raise ValueError(
            "YAML 1.1 and 1.2 read this as two different values: write true or false, "
            "or FIELD=VALUE for text"
        )
    construct = PLAIN_SCALARS.get(tag)
    if construct is None and _number_like(text):
        # YAML 1.1 reads 1e5, 1e400, nan, inf as text: never what `:=` was meant for
        raise ValueError(
            "expected a finite number"
            if not math.isfinite(float(text))
            else "YAML would read this as text, not a number (write 1.0e+5; FIELD=VALUE sets text)"
        )
    value = text if construct is None else construct(text)
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("expected a finite number")
    if isinstance(value, datetime):  # no offset means UTC, as everywhere in newscli
        if _FRACTION.search(text):
            raise ValueError("more than 6 digits of a second: newscli writes at most microseconds")
        value = to_utc(value)
    return value


def near_known(name: str) -> str | None:
    """The known field an unknown name is likely a slip for: the same but for case
    (``Quality``), else one difflib finds close (``qualty``, ``topic``, ``exerpt``);
    None for a known name and for one unlike them all (``note``, ``reviewer``). So that
    ``set qualty=5`` does not add a field of text to every article (h127 LOW)."""
    import difflib

    names = [*KNOWN, "rejectedReason"]  # (and what `reject` writes)
    if name in names or name.partition(".")[0] in KNOWN:
        return None
    for known in names:
        if known.casefold() == name.casefold():
            return known
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.8)
    return close[0] if close else None


# What newscli derives rather than reads from a key of that name (select.fields' derived
# fields; tests/edit/test_set_derived.py checks the two agree): what to set instead.
_DERIVED = {
    "date": "is publishedDateTime: set publishedDateTime",
    "age": "is derived from publishedDateTime and the clock: set publishedDateTime",
    "url": "is derived from webUrl, else originalUrl: set webUrl",
    "path": "is the file's own name: move the file to change it",
    "duplicates": "is made by --dedupe: it cannot be set",
}


_STORY = frozenset(f"story.{name}" for name in ("id", "size", "outlets", "first", "rank"))


def derived(field: str) -> str | None:
    """Why ``field`` (a derived field's name, in any case, or a story field) cannot be
    set, and what to set instead; None for any other name (h143: `set date=2020-01-01`
    wrote a `date:` key and said the date changed, while every command still read
    publishedDateTime)."""
    from newscli.sanitize import escaped

    folded = field.casefold()
    if folded in _STORY:  # (only those: a `story:` key of the file's own is its to set, h146)
        return f"'{escaped(field)}' is computed from the grouping of stories: it cannot be set"
    said = _DERIVED.get(folded)
    return None if said is None else f"'{escaped(field)}' {said}"


def slip(field: str) -> str | None:
    """``unknown field 'qualty'; did you mean 'quality'?`` for a field near_known finds
    a slip for, else None (`set`'s refusal and review's `e`, each with its way around)."""
    from newscli.sanitize import escaped

    known = near_known(field)
    if known is None:
        return None
    return f"unknown field '{escaped(field)}'; did you mean '{known}'?"


def parse_assignment(argument: str) -> Assignment:
    """``quality=85`` -> Assignment(("quality",), 85, "85"). Raises FieldValueError
    (naming the argument, cut to its first 60 characters)."""
    try:
        return _parse_assignment(argument)
    except FieldValueError as exc:
        shown = argument if len(argument) <= 60 else argument[:60] + "..."
        raise FieldValueError(f"{shown}{str(exc)[len(argument) :]}") from None


def _parse_assignment(argument: str) -> Assignment:
    name, equals, text = argument.partition("=")
    if not equals:
        raise FieldValueError(f"{argument}: expected FIELD=VALUE")
    typed = name.endswith(":")
    name = name[:-1] if typed else name
    path = tuple(name.split("."))
    if not name or not all(part.strip() == part and part for part in path):
        raise FieldValueError(f"{argument}: not a field name: {name!r}")
    if any("\udc80" <= c <= "\udcff" for c in name):  # (a byte that is not UTF-8: h39)
        raise FieldValueError(f"{argument}: the field name is not valid text")
    if any(map(hidden, name)):
        # (h36: a key holding an escape sequence showed as another key everywhere)
        raise FieldValueError(f"{argument}: a field name with a control character")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise FieldValueError(f"{argument}: the value is not valid text") from None
    check = KNOWN.get(name) or (KNOWN.get(path[0]) if len(path) > 1 else None)
    if check is not None and len(path) > 1 and name not in KNOWN:
        raise FieldValueError(f"{argument}: {path[0]} has no field {'.'.join(path[1:])}")
    try:
        if check is not None and typed and text in _YAML_NULLS:
            # (h62: `excerpt:=null` wrote the text "null", and newsletters showed it)
            value = None if name in NULLABLE else check("null")
            if value is not None and name == "title":
                raise ValueError("title is required text, never null")
            if value is not None:
                raise ValueError(f"{name} is text, not null: `newscli unset {name}` removes it")
        elif check is not None:
            value = check(text)
        elif typed:
            value = _typed(text)
        else:
            value = text
    except ValueError as exc:
        raise FieldValueError(f"{argument}: {exc}") from None
    return Assignment(path, value, text)
