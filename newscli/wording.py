"""Counts and times in words: ``1 file``, ``2 files``, ``3 days ago``; why a folder
cannot be made."""

from __future__ import annotations

import errno
import os
from datetime import datetime, timedelta, timezone


def count(number: int, singular: str, plural: str | None = None) -> str:
    """``count(1, "file")`` -> ``1 file``; ``count(2, "story", "stories")`` -> ``2 stories``."""
    if number == 1:
        return f"{number} {singular}"
    return f"{number} {plural or singular + 's'}"


def relative(when: datetime, now: datetime) -> str:
    """ "3 days ago", "in 2 hours", "just now". Years and months are the calendar's
    (h111: years of 365 days made 0001-01-01 "2027 years ago" in 2026)."""
    delta = now - when
    early, late = (when, now) if delta >= timedelta(0) else (now, when)
    if early.tzinfo is not None and late.tzinfo is not None:
        early, late = early.astimezone(timezone.utc), late.astimezone(timezone.utc)
    months = (late.year - early.year) * 12 + late.month - early.month
    if _in_month(late) < _in_month(early):
        months -= 1  # (not yet the same day and time of the month)
    label = ""
    if months >= 1:
        label = count(months // 12, "year") if months >= 12 else count(months, "month")
    seconds = abs(delta.total_seconds())
    for unit, size in (("week", 604800), ("day", 86400), ("hour", 3600), ("minute", 60)):
        if not label and seconds >= size:
            label = count(int(seconds // size), unit)
    if not label:
        return "just now"
    return f"in {label}" if delta < timedelta(0) else f"{label} ago"


def _in_month(when: datetime) -> tuple[int, int, int, int, int]:
    return when.day, when.hour, when.minute, when.second, when.microsecond


def cannot_create(folder: str, exc: OSError) -> str:
    """Why ``folder`` (os.makedirs) could not be made: ``cannot create FOLDER: REASON``,
    or, for a link to nothing among it and its parents (makedirs says only "File
    exists"), ``LINK is a link to TARGET, which does not exist`` (no folder is made where
    a link points)."""
    parts = folder.split(os.sep)
    for end in range(1, len(parts) + 1):
        prefix = os.sep.join(parts[:end])
        if prefix and os.path.islink(prefix) and not os.path.exists(prefix):
            try:
                target = os.readlink(prefix)
            except OSError:
                break
            try:
                os.stat(prefix)
            except OSError as why:
                if why.errno == errno.ELOOP:  # (h37: not "which does not exist")
                    return f"{prefix} is a link that leads back to itself (a loop)"
            return f"{prefix} is a link to {target}, which does not exist"
        if prefix and os.path.exists(prefix) and not os.path.isdir(prefix):  # (h37)
            which = "it" if prefix == folder else prefix
            what = "a file" if os.path.isfile(prefix) else "a FIFO, socket or device"  # (h99)
            return f"cannot create {folder}: {which} is {what}, not a folder"
    return f"cannot create {folder}: {exc.strerror or exc}"


def provider_shown(name: str | None, domain: str | None) -> str:
    """An article's provider as shown, sorted and counted: its name trimmed, else its
    domain (h48, h60: " Reuters " is Reuters, and a blank name shows the domain)."""
    return (name or "").strip() or (domain or "").strip()
