"""Date and time normalisation: everything becomes a timezone-aware UTC datetime."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

_RFC3339 = re.compile(
    r"""^(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})
    (?:[Tt ](?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.(?P<frac>\d{1,9}))?)?
       \s*(?P<tz>[Zz]|[+-]\d{2}(?::?\d{2})?)?)?$""",
    re.VERBOSE,
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
    value = datetime(
        int(m["y"]),
        int(m["mo"]),
        int(m["d"]),
        int(m["h"] or 0),
        int(m["mi"] or 0),
        int(m["s"] or 0),
        int(frac or 0),
    )
    tz = m["tz"]
    if tz and tz not in "Zz":
        sign = -1 if tz[0] == "-" else 1
        digits = tz[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
        if hours > 23 or minutes > 59:
            raise ValueError(f"bad UTC offset in {text!r}")
        value -= sign * timedelta(hours=hours, minutes=minutes)
    return value.replace(tzinfo=timezone.utc)


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


_DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*([smhdw])$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> timedelta:
    """A relative age such as ``90m``, ``24h``, ``7d``, ``2w`` (or ``30s``)."""
    m = _DURATION.match(text.strip().lower())
    if not m:
        raise ValueError(f"not a duration like 90m, 24h, 7d or 2w: {text!r}")
    return timedelta(seconds=float(m[1]) * _UNIT_SECONDS[m[2]])


def parse_moment(text: str, now: datetime) -> datetime:
    """An RFC 3339 date or timestamp, or a relative age counted back from ``now``."""
    try:
        return now - parse_duration(text)
    except ValueError:
        pass
    try:
        return parse_timestamp(text)
    except ValueError:
        raise ValueError(
            f"expected an RFC 3339 date or timestamp or an age like 24h or 7d, got {text!r}"
        ) from None
