"""The publication dates of RSS and Atom items: feedparser's reading, except where it
would file an item on another day, or lose its time.

- A date that cannot exist (2025-02-30, month 13, 24:00, an offset of +25:00) is no
  date: feedparser rolls it over into another real one (_possible).
- ISO 8601 week and ordinal dates (2025-W11-1, 2025-070) are read here: feedparser
  takes them for 2025-12-01 and 2025-07-01 (h102, h104, h105).
- A calendar date and time is read here (h106, h107): feedparser loses the time of
  "2025-03-14 23:30:00-05" and "... 09:12:00 UTC", ignores "EST" and "PM", and reads
  "2025/03/14" as 2025-12-01. An offset wins over a zone's name or a comment beside it
  ("+01:00 CET", "GMT-0500", "-05:00[America/New_York]"); a name alone is RFC 822's
  (EST, PDT, ...) or one of one offset only (CET, JST, AEST, ...: _NAMED_ZONES), else
  UTC; a leap second (23:59:60) is its day's last second.
- Anything else that begins as an ISO date but is none ("2025-13", "2025-Q1",
  "2025-03-1x") is no date; other text after a date is feedparser's to read.

Blanks are squeezed first, so no run of them makes a pattern slow (h107: a date
followed by 2,000 blanks took 16 s). A date out of the calendar's range once its offset
is applied (0001-01-01T00:30+01:00) is no date, not an error (h107).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta, timezone
from typing import Any

# an offset in brackets after a date that gives none ("(UTC-05:00)", "(GMT+9)")
# (a zone's name before it, or hours and minutes: "(+1 update)" is no offset, h113 L4)
_BRACKET_OFFSET = re.compile(
    r"(?:UTC|GMT) ?([+\-\u2212])(\d{1,2})(?::?(\d{2}))?|([+\-\u2212])(\d{2}):?(\d{2})"
)
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_ISO_DAY = re.compile(r"\s*([-+]?\d+)-(\d{1,2})-(\d{1,2})")
_RFC822_DAY = re.compile(r"(?:\w+,\s*)?(\d{1,2})\s+([A-Za-z]{3})\w*\s+([-+]?\d+)")
_CLOCK = re.compile(r"[T\s](\d{1,2}):(\d{1,2})(?::(\d{1,2}))?")
_OFFSET = re.compile(r"([+-])(\d{2}):?(\d{2})\s*$")

_WEEK_OR_ORDINAL_START = re.compile(r"\d{4}-?(?:W\d|\d{3}(?!\d))", re.IGNORECASE)
_WEEK_OR_ORDINAL = re.compile(
    r"(\d{4})-?(?:W(\d{2})(?:-?([1-7]))?|(\d{3}))"
    r"(?:[T ](\d{2})(?::?(\d{2})(?::?(\d{2}))?)?([.,]\d+)?)?"
    r" ?(Z|[+-]\d{2}(?::?\d{2})?)?",
    re.IGNORECASE,
)
_YEAR_START = re.compile(r"[-+]?\d{4}")
_ISO_DATE = re.compile(r"\d{4}-(\d{1,2})(-\d{1,2})?(.?)", re.DOTALL)
# what may follow a date's day: a time, AM/PM, a zone (Z, an offset, a name with an
# offset or alone), then a name, bracket or comment beside it
_TIME = (
    r"(?:[Tt ]?(\d{1,2}):?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?"
    r"(?: ?([AaPp])\.?[Mm]\.?)?"
    r"(?: ?(?:([Zz])|([A-Za-z]{2,5})? ?([+\-\u2212])(\d{1,2})(?::?(\d{2}))?(?::\d{2})?"
    r"|([A-Za-z]{2,5})))?"
    r"(?: ?(?:\(([^)]*)\)|\[[^\]]*\]|[A-Za-z]{2,5}))?"
    r" ?\.?"
)
_DATE_TIME = re.compile(r"(\d{4})(?:([-/.])(\d{1,2})\2(\d{1,2})|(\d{2})(\d{2})(?=$|[Tt ]))" + _TIME)
_CJK_DATE_TIME = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日 ?" + _TIME)
_RFC822_DATE_TIME = re.compile(
    r"(?:[A-Za-z]{3,9},? ?)?(\d{1,2}) ([A-Za-z]{3})[A-Za-z]* (\d{4}|\d{2})" + _TIME
)
# direction marks and a byte order mark: invisible, never part of a date (h108: one
# before "2025-..." made it no date, one inside it another day)
_MARKS = dict.fromkeys(
    map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")
)
# A zone's name alone: RFC 822's, and the common names that stand for one offset only
# (hours east of UTC). A name of several (IST: India, Ireland or Israel; BST, AST, GST,
# SST) or none known is taken as UTC, as before.
_NAMED_ZONES = {"UT": 0, "UTC": 0, "GMT": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5,
                "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
                "WET": 0, "WEST": 1, "CET": 1, "CEST": 2, "MET": 1, "MEST": 2, "EET": 2,
                "EEST": 3, "MSK": 3, "SAST": 2, "EAT": 3, "WAT": 1, "CAT": 2, "PKT": 5,
                "NPT": 5.75, "ICT": 7, "WIB": 7, "WITA": 8, "WIT": 9, "HKT": 8, "SGT": 8,
                "PHT": 8, "AWST": 8, "JST": 9, "KST": 9, "ACST": 9.5, "ACDT": 10.5,
                "AEST": 10, "AEDT": 11, "NZST": 12, "NZDT": 13, "HST": -10, "AKST": -9,
                "AKDT": -8, "NST": -3.5, "NDT": -2.5, "ADT": -3, "BRT": -3, "ART": -3,
                "UYT": -3, "CLT": -4, "COT": -5, "PET": -5}  # fmt: skip


def feed_date(parsed: Any, raw: Any = None) -> datetime | None:
    """An item's date as an aware UTC datetime, from feedparser's struct_time and the
    text it read; None for none, or for one that would be another day (above)."""
    if isinstance(raw, str):
        text = " ".join(raw.translate(_MARKS).split())
        if _WEEK_OR_ORDINAL_START.match(text):
            return _week_or_ordinal(text)
        read, when = _date_time(text)
        if read:
            return when
        if _YEAR_START.match(text):
            # A text beginning with a year that is none of the above: feedparser reads
            # "2025.03.14", "20250314T233000-0500", "1741994400" or "2025-03-14 (UTC-05)"
            # as other days (h108); only a date then other text is its day.
            iso = _ISO_DATE.match(text)
            if iso is None or not 1 <= int(iso.group(1)) <= 12:
                return None
            after, rest = iso.group(3), text[iso.end() :]
            if after.isalnum() and after not in "Zz" and (after not in "Tt" or rest):
                return None  # ("2025-03-1x", a time not read whole: "T23:30+99999")
            if after == " " and rest[:1].isdigit():  # (a time after a blank, the same)
                return None
    if not parsed or not _possible(raw):
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), timezone.utc)
    except (OverflowError, ValueError, OSError):
        return None


def _date_time(text: str) -> tuple[bool, datetime | None]:
    """Whether the text is a calendar date and time read here (ISO 8601's, with "-",
    "/" or "." or none; a CJK one, 2025年3月14日; RFC 822's), and it as UTC (None for
    an impossible one)."""
    if match := _DATE_TIME.fullmatch(text):
        year, _, month, day, basic_month, basic_day, *rest = match.groups()
        month, day = month or basic_month, day or basic_day
    elif match := _CJK_DATE_TIME.fullmatch(text):
        year, month, day, *rest = match.groups()
    elif (match := _RFC822_DATE_TIME.fullmatch(text)) and match.group(2).lower() in _MONTHS:
        day, name_of_month, year, *rest = match.groups()
        month = str(_MONTHS.index(name_of_month.lower()) + 1)
        if len(year) == 2:  # RFC 822's "25"
            year = str((2000 if int(year) < 50 else 1900) + int(year))
    else:
        return False, None
    hour, minute, second, fraction, meridiem, z, named, sign, hours, minutes, name, said = rest
    if not (sign or z) and said and (beside := _BRACKET_OFFSET.fullmatch(said.strip())):
        # ("(UTC-05:00)", as Windows names its zones; with their names after it, the
        # text is the parser's)
        found = beside.groups()
        sign, hours, minutes = found[:3] if found[0] else found[3:]
    if int(year) < 1000 or (meridiem and hour is None):
        return True, None
    clock = int(hour or 0)
    if meridiem:  # (12 AM is midnight, 12 PM noon)
        if not 1 <= clock <= 12:
            return True, None
        clock = clock % 12 + (12 if meridiem.upper() == "P" else 0)
    seconds = int(second or 0)
    if seconds == 60 and (clock, int(minute or 0)) == (23, 59):
        seconds = 59  # (a leap second: its day's last)
    try:
        moment = datetime(int(year), int(month), int(day), clock, int(minute or 0), seconds)
        if fraction:
            moment += timedelta(microseconds=int(fraction[:6].ljust(6, "0")))
        if sign:
            if int(hours) > 23 or int(minutes or 0) > 59:
                return True, None
            offset = timedelta(hours=int(hours), minutes=int(minutes or 0))
            moment -= offset if sign == "+" else -offset
        elif not z and (named or name):
            moment -= timedelta(hours=_NAMED_ZONES.get((named or name).upper(), 0))
    except (ValueError, OverflowError):
        return True, None
    return True, moment.replace(tzinfo=timezone.utc)


def _week_or_ordinal(text: str) -> datetime | None:
    """A week or ordinal date as UTC (the week's Monday for a week alone; a fraction of
    its last unit of time cut to the microsecond); None for an impossible one or one it
    cannot read whole (week 54, day 367, weekday 8, 25:00)."""
    match = _WEEK_OR_ORDINAL.fullmatch(text)
    if match is None:
        return None
    year, week, weekday, ordinal, hour, minute, second, fraction, zone = match.groups()
    if int(year) < 1000:
        return None
    try:
        if week is not None:
            day = date.fromisocalendar(int(year), int(week), int(weekday or 1))
        else:
            day = date(int(year), 1, 1) + timedelta(days=int(ordinal) - 1)
            if day.year != int(year) or int(ordinal) < 1:
                return None
        moment = datetime(
            day.year, day.month, day.day, int(hour or 0), int(minute or 0), int(second or 0)
        )
        if fraction:
            if hour is None:
                return None  # (a fraction of no time)
            unit = 1 if second else 60 if minute else 3600
            digits = fraction[1:]
            micro = int(digits[:12].ljust(12, "0")) * unit * 1_000_000 // 10**12
            moment += timedelta(microseconds=micro)
        if zone and zone.upper() != "Z":
            digits = zone[1:].replace(":", "")
            hours, minutes = int(digits[:2]), int(digits[2:] or 0)
            if hours > 23 or minutes > 59:
                return None
            shift = timedelta(hours=hours, minutes=minutes)
            moment -= shift if zone[0] == "+" else -shift
    except (ValueError, OverflowError):
        return None
    return moment.replace(tzinfo=timezone.utc)


def _possible(raw: Any) -> bool:
    """False for a date or time that cannot exist (2025-02-30, month 13, year 1 or
    99999, 24:00, an offset of +25:00): feedparser rolls such a date over into another
    real one, and newscli would file it there."""
    if not isinstance(raw, str):
        return True
    text = raw.strip()
    iso, rfc = _ISO_DAY.match(text), _RFC822_DAY.match(text)
    if iso:
        year_text, month_text, day_text = iso.groups()
        rest = text[iso.end() :]
    elif rfc and rfc.group(2).lower() in _MONTHS:
        day_text, year_text = rfc.group(1), rfc.group(3)
        month_text = str(_MONTHS.index(rfc.group(2).lower()) + 1)
        rest = text[rfc.end() :]
    else:
        return True  # another form: feedparser's reading stands
    if rfc and not iso and year_text.isdigit() and len(year_text) == 2:  # RFC 822's "25"
        year_text = str((2000 if int(year_text) < 50 else 1900) + int(year_text))
    if not (year_text.isdigit() and len(year_text) == 4) or int(year_text) < 1000:
        return False
    try:
        date(int(year_text), int(month_text), int(day_text))
    except ValueError:
        return False
    clock, offset = _CLOCK.match(rest), _OFFSET.search(rest)
    if clock and (int(clock[1]) > 23 or int(clock[2]) > 59 or int(clock[3] or 0) > 60):
        return False
    return not (offset and (int(offset[2]) > 23 or int(offset[3]) > 59))
