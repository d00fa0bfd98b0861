"""How newscli compares text without regard to case: one fold for every comparison of
topics, categories, providers and `--where` strings, and for `--search`.

Python's ``str.casefold`` turns the Turkish capital "İ" into "i" and a combining dot
(U+0307), so "İstanbul" folded is not "istanbul" folded (h99, h101): the fold drops that
dot after an "i". And text that is one to a reader is one to the fold: its composed form
(NFC), so that "café" written with a combining accent is the topic "café" (h104).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

_DOT = "\u0307"


def fold(text: str) -> str:
    """``text`` casefolded and composed (NFC), with the dot casefolding leaves on a
    Turkish capital I dropped."""
    folded = text.casefold()
    if folded.isascii():
        return folded
    folded = unicodedata.normalize("NFC", folded)
    return folded.replace("i" + _DOT, "i") if _DOT in folded else folded


def unique(items: Iterable[str]) -> list[str]:
    """The items in order, without repeats as the fold compares them (the first
    spelling kept)."""
    seen: set[str] = set()
    kept = []
    for item in items:
        key = fold(item)
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept
