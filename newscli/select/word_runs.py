"""The words of a text for story grouping, in scripts written with spaces and without.

A word is a run of letters and digits (an apostrophe inside it kept: ``don't``). Chinese
and Japanese are written without spaces, so a whole headline was one "word" and two
outlets' copies of one headline never shared the three words a story needs (h54): a run
of Han or kana characters counts as its overlapping pairs of characters (``央行宣布``:
``央行``, ``行宣``, ``宣布``), the usual way to index text with no word breaks; a
lone character counts as itself. Text without those characters is split as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# English function words: they carry no story (a generic list, not fitted to any data).
_STOP_TEXT = """a about above after again against all am an and any are as at be because been
before being below between both but by can could did do does doing down during each few for
from further had has have having he her here hers him his how i if in into is it its itself
just me more most my no nor not now of off on once only or other our out over own same she
should so some such than that the their them then there these they this those through to too
under until up very was we were what when where which while who whom why will with would you
your new says say said january february march april may june july august september october
november december monday tuesday wednesday thursday friday saturday sunday today week"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
# Hiragana, Katakana (and its extensions, half-width forms), CJK ideographs (and their
# extensions, compatibility forms)
_UNSPACED_CLASS = (
    "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
    "\U00020000-\U0002fa1f"
)
UNSPACED = re.compile(f"[{_UNSPACED_CLASS}]")
_RUNS = re.compile(f"([{_UNSPACED_CLASS}]+)|[^{_UNSPACED_CLASS}]+")


def _pieces(word: str) -> Iterator[str]:
    """A word holding Han or kana characters, in pieces (see above)."""
    for match in _RUNS.finditer(word):
        run = match.group()
        if match.group(1) is None or len(run) == 1:
            yield run
        else:
            yield from (run[i : i + 2] for i in range(len(run) - 1))


def words_of(text: str) -> Iterator[str]:
    """The words of ``text`` (casefolded by the caller), in order."""
    if not has_unspaced(text):
        yield from WORD.findall(text)
        return
    for match in WORD.finditer(text):
        word = match.group()
        if UNSPACED.search(word) is None:
            yield word
        else:
            yield from _pieces(word)


def has_unspaced(text: str) -> bool:
    """Whether ``text`` holds a character of a script written without spaces."""
    return not text.isascii() and UNSPACED.search(text) is not None
