"""The mappings newscli gives a template (an item, the feed, the counts, ...): their keys
are fixed, so a name not among them is the template's typo (engine._Undefined), while a
key a file's own ``record`` lacks is only missing data."""

from __future__ import annotations

from typing import Any


class Given(dict[str, Any]):
    """A mapping of the template context that newscli made (not a file's data)."""

    __slots__ = ()
