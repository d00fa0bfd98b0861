"""Date and time normalisation: everything becomes a timezone-aware UTC datetime."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

_RFC3339 = re.compile(
    r"""^(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})
    (?:[Tt ](?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.(?P<frac>\d{1,64}))?)?
       \s*(?P<tz>[Zz]|[+-]\d{2}(?::?\d{2})?)?)?$""",
    re.VERBOSE | re.ASCII,  # (ASCII digits only, as RFC 3339 has them: h93)
)


def parse_timestamp(text: str) -> datetime:
    """Parse an RFC 3339 / ISO 8601 timestamp or a plain date into an aware UTC datetime.

    A timestamp without an offset is taken as UTC; a date alone as midnight UTC.
    Raises ValueError when the text is not such a value.
    """
    m = _RFC3339.match(text.strip())
    if not m:
        raise ValueError(f"not an RFC 3339 date or timestamp: {text!r}")
    frac = (m["frac"] or "").ljust(6, "0")[:6]
    offset = 0
    tz = m["tz"]
    if tz and tz not in "Zz":
        digits = tz[1:].replace(":", "")
        offset = utc_offset(text, tz[0], digits[:2], digits[2:4] or 0)
    date_part = int(m["y"]), int(m["mo"]), int(m["d"])
    time_part = int(m["h"] or 0), int(m["mi"] or 0), int(m["s"] or 0), int(frac or 0)
    return checked_utc(text, *date_part, *time_part, offset)


class ImpossibleDate(ValueError):
    """A date or time of the right form whose parts name no moment (2025-02-30)."""


def _impossible(text: str, detail: str) -> ValueError:
    return ImpossibleDate(f"impossible date or time: {text!r} ({detail})")


def utc_offset(text: str, sign: str, hours: str | int, minutes: str | int) -> int:
    """The UTC offset of ``text`` in minutes. Raises ValueError when out of range."""
    hours, minutes = int(hours), int(minutes)
    if hours > 23:
        raise _impossible(text, "UTC offset hours must be in 0..23")
    if minutes > 59:
        raise _impossible(text, "UTC offset minutes must be in 0..59")
    return (-1 if sign == "-" else 1) * (hours * 60 + minutes)


def checked_utc(
    text: str, year: int, month: int, day: int, hour: int = 0, minute: int = 0,
    second: int = 0, microsecond: int = 0, offset_minutes: int = 0,
) -> datetime:  # fmt: skip
    """The aware UTC datetime of these parts, written as ``text`` at UTC offset
    ``offset_minutes``. Raises ValueError naming the text and the impossible part."""
    try:
        value = datetime(year, month, day, hour, minute, second, microsecond)
        value -= timedelta(minutes=offset_minutes)
    except ValueError as exc:
        raise _impossible(text, str(exc)) from None
    except OverflowError:
        raise _impossible(text, "out of range in UTC") from None
    return value.replace(tzinfo=timezone.utc)


def is_date_only(text: str) -> bool:
    """True for a date without a time (``2025-03-06``)."""
    m = _RFC3339.match(text.strip())
    return m is not None and m["h"] is None


def to_utc(value: object) -> datetime:
    """Normalise a YAML-loaded date value (datetime, date or string) to aware UTC.

    Raises ValueError for anything that is not a date.
    """
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    if isinstance(value, str):
        return parse_timestamp(value)
    raise ValueError(f"expected a date or timestamp, got {type_name(value)}")


def format_rfc3339(value: datetime) -> str:
    """Format an aware datetime as RFC 3339 UTC, e.g. ``2023-12-21T07:34:00Z``."""
    value = value.astimezone(timezone.utc)
    # isoformat pads years to four digits (0001-06-01); strftime's %Y does not.
    text = value.isoformat()[:-6]  # without its "+00:00"
    return (text.rstrip("0") if value.microsecond else text) + "Z"


def format_day(value: datetime, minutes: bool = False) -> str:
    """``2025-03-14`` (or ``2025-03-14 09:12``), the year padded to four digits."""
    return value.isoformat(sep=" ", timespec="minutes")[: 16 if minutes else 10]


def type_name(value: object) -> str:
    """A YAML-flavoured name for a value's type, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    if isinstance(value, (date, datetime)):
        return "date"
    return type(value).__name__


_DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*([smhdw])$", re.ASCII)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> timedelta:
    """A relative age such as ``90m``, ``24h``, ``7d``, ``2w`` (or ``30s``)."""
    m = _DURATION.match(text.strip().lower())
    if not m:
        raise ValueError(f"not a duration like 90m, 24h, 7d or 2w: {text!r}")
    try:
        found = timedelta(seconds=float(m[1]) * _UNIT_SECONDS[m[2]])
    except OverflowError:  # more than 999,999,999 days (or an infinite float)
        raise ValueError(f"duration out of range: {text!r}") from None
    if not found and float(m[1]):  # under a microsecond: not the zero it would round to
        raise ValueError(f"duration too short (under a microsecond): {text!r}")
    return found


def parse_span(value: str | int) -> timedelta:
    """A span such as --story-window: a duration (``48h``), or a bare ``0`` (nothing
    needs no unit; a YAML ``0`` too). ValueError otherwise: a bare number other than 0
    is told that it needs a unit."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError("expected a duration such as 48h")
    bare = value.strip()
    if not re.fullmatch(r"[+-]?(?:\d+\.?\d*|\.\d+)", bare, re.ASCII):  # (nan, inf, 1e3)
        return parse_duration(value)
    if float(bare) == 0:
        return timedelta(0)
    if bare.startswith("-"):  # (h93: "as in -5h", itself refused)
        raise ValueError(f"not a duration like 90m, 24h, 7d or 2w: {value!r} (never negative)")
    raise ValueError(f"a duration needs a unit (s, m, h, d or w), as in {bare}h")


def parse_moment(text: str, now: datetime, *, end_of_day: bool = False) -> datetime:
    """An RFC 3339 date or timestamp, or a relative age counted back from ``now``.
    ``end_of_day``: a date alone is the last microsecond of that day (for an inclusive
    upper bound such as --until 2025-03-06, which means the whole day)."""
    if _DURATION.match(text.strip().lower()):
        age = parse_duration(text)  # ValueError when out of range
        try:
            return now - age
        except OverflowError:
            raise ValueError(f"{text!r} before {format_rfc3339(now)} is out of range") from None
    try:
        value = parse_timestamp(text)
        if end_of_day and is_date_only(text):
            value += timedelta(days=1, microseconds=-1)
        return value
    except ImpossibleDate:
        raise  # (h136: --until 2025-02-30 was said to be of no known form)
    except ValueError:
        raise ValueError(
            f"expected an RFC 3339 date or timestamp or an age like 24h or 7d, got {text!r}"
        ) from None
