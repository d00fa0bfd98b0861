"""A user's regular expression (`--match`, `=~` in `--where`), compiled or refused with
a reason: the engine raises more than re.error on what it cannot take (h30:
`a{4294967296}` raised OverflowError and a thousand nested groups RecursionError, each
an internal error and, in `review`, a traceback)."""

from __future__ import annotations

import re


class RegexError(ValueError):
    """The expression cannot be compiled; the message says why."""


def compile_regex(text: str) -> re.Pattern[str]:
    """``text`` compiled, matching case-insensitively."""
    try:
        return re.compile(text, re.IGNORECASE)
    except re.error as exc:
        raise RegexError(str(exc)) from None
    except OverflowError:
        raise RegexError("a repetition count is too large") from None
    except RecursionError:
        raise RegexError("it is nested too deeply") from None
    except MemoryError:
        raise RegexError("it is too large to compile") from None
