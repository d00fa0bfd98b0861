"""A user's regular expression (`--match`, `=~` in `--where`), compiled or refused with
a reason: the engine raises more than re.error on what it cannot take (h30:
`a{4294967296}` raised OverflowError and a thousand nested groups RecursionError, each
an internal error and, in `review`, a traceback)."""

from __future__ import annotations

import re


class RegexError(ValueError):
    """The expression cannot be compiled; the message says why."""


def compile_regex(text: str) -> re.Pattern[str]:
    """``text`` compiled, matching case-insensitively. A pattern the engine warns of
    (h31: ``[[:alpha:]]``, a POSIX class it reads as a nested set, matched something
    else, and the warning reached stderr raw) is refused with the warning's words."""
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            return re.compile(text, re.IGNORECASE)
    except (FutureWarning, DeprecationWarning) as warned:
        hint = "; POSIX classes are not supported (use \\w, \\d, [a-z])" if "[:" in text else ""
        raise RegexError(f"{str(warned).lower()}{hint}") from None
    except re.error as exc:
        raise RegexError(str(exc)) from None
    except OverflowError:
        raise RegexError("a repetition count is too large") from None
    except RecursionError:
        raise RegexError("it is nested too deeply") from None
    except MemoryError:
        raise RegexError("it is too large to compile") from None
