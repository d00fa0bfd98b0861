"""An article's title and excerpt words for story grouping, as similarity.words makes
them, at a fraction of its cost: each distinct word is looked up once per run (stop
word or not, and its stem), and an outlet's own words once per outlet. The result is
exactly similarity.words's (tests compare the two on varied and hostile text).
"""

from __future__ import annotations

from newscli.sanitize import clean
from newscli.select.headline_rules import title_pattern
from newscli.select.similarity import EXCERPT_WORDS, TITLE_WORDS, _stem, clean_title
from newscli.select.word_runs import STOP_WORDS, WORD, has_unspaced, words_of

__all__ = ["title_and_excerpt"]

_MOST = 1 << 17  # words remembered at most (then forgotten all at once)
_SHORT = 4096  # characters of a text read whole (a longer one: as far as its words go)


class _Stems(dict[str, str]):
    """A word as found -> its stem, "" for a stop word (made on first use)."""

    def __missing__(self, word: str) -> str:
        stem = self[word] = "" if word in STOP_WORDS else _stem(word)
        return stem


_stems = _Stems()
_own: dict[tuple[str, ...], frozenset[str]] = {}  # outlet names -> their words' stems


def _content(text: str, limit: int) -> list[str]:
    """The stems of the first ``limit`` words of ``text`` that are not stop words, in
    order (a long text is read only as far as they go)."""
    if len(_stems) >= _MOST:
        _stems.clear()
    stems = _stems
    folded = text.casefold()
    unspaced = has_unspaced(folded)
    if len(folded) <= _SHORT and not unspaced:
        return [stem for word in WORD.findall(folded) if (stem := stems[word])][:limit]
    found: list[str] = []
    for word in words_of(folded) if unspaced else (m.group() for m in WORD.finditer(folded)):
        if stem := stems[word]:
            found.append(stem)
            if len(found) == limit:
                break
    return found


def _outlet_words(names: tuple[str, ...]) -> frozenset[str]:
    own = _own.get(names)
    if own is None:
        if len(_own) >= _MOST:
            _own.clear()
        own = _own[names] = frozenset(_stem(w) for n in names if n for w in words_of(n.casefold()))
    return own


def title_and_excerpt(
    title: str, excerpt: str | None, provider_name: str | None, provider_domain: str | None
) -> tuple[set[str], set[str], str]:
    """(title words, excerpt words, title pattern) as story_data.make finds them with
    similarity.words: the outlet's name and the first label of its domain left out; the
    pattern of the cleaned title (headline_rules.title_pattern). Of the text a terminal
    shows (sanitize.clean): words inside an escape sequence, which no reader sees, are
    no evidence (h78 8: an OSC 8 link's address joined two titles sharing no word one
    can read, and --dedupe hid one)."""
    title = clean(title)
    excerpt = clean(excerpt) if excerpt else excerpt
    outlet = tuple(n for n in (provider_name, (provider_domain or "").split(".")[0]) if n)
    own = _outlet_words(outlet)
    cleaned = clean_title(title, outlet)
    title_words = {w for w in _content(cleaned, TITLE_WORDS) if len(w) > 1}
    title_words -= own
    pattern = title_pattern(cleaned) if len(title_words) >= 2 else ""
    if not excerpt:
        return title_words, set(), pattern
    excerpt_words = {w for w in _content(excerpt, EXCERPT_WORDS) if len(w) > 1}
    excerpt_words -= own
    return title_words, excerpt_words, pattern
