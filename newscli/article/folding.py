"""How newscli compares text without regard to case: one fold for every comparison of
topics, categories, providers and `--where` strings, and for `--search`.

Python's ``str.casefold`` turns the Turkish capital "İ" into "i" and a combining dot
(U+0307), so "İstanbul" folded is not "istanbul" folded, while a regular expression
ignoring case (`--match`) matches them (h99, h101). The fold drops that dot after an
"i"; nothing else differs from ``casefold``.
"""

from __future__ import annotations

_DOT = "\u0307"


def fold(text: str) -> str:
    """``text`` casefolded, with the dot casefolding leaves on a Turkish capital I dropped."""
    folded = text.casefold()
    return folded.replace("i" + _DOT, "i") if _DOT in folded else folded
