"""Headlines that are never one story, however alike: one outlet's articles on two days
(a recurring headline's, "Morning briefing", "Daily market update": ``recurring``), and one
sentence-case pattern told of two events ("Arsenal beat Chelsea 2-1 in Premier League",
"Liverpool beat Everton 3-0 in Premier League": ``apart``). similarity.group and its
merge ask these (see similarity's docstring)."""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from newscli.select.story_urls import outlet_domain
from newscli.select.word_runs import STOP_WORDS, WORD

if TYPE_CHECKING:
    from newscli.select.similarity import Unit, _Story
    from newscli.select.story_data import Data

__all__ = [
    "PATTERN_WORDS", "RECURRING_GAP", "TOLD", "FirstNames", "Held", "add_columns", "apart",
    "day_time",
    "headline_words",
    "hold", "outlet_keys", "outlet_spans", "recurring", "recurs", "recurs_seed", "spans_recur",
    "stories_told_apart", "title_pattern", "told_apart", "unit_span", "widen",
]  # fmt: skip

_HYPHENS = "-\u2010\u2011"
# A word of a title's pattern: a word, or words joined by hyphens between letters
# ("Stoke-on-Trent", "anti-Trump": one word, h81 2; "2-1" stays two numbers)
_PATTERN_WORD = re.compile(f"{WORD.pattern}(?:[{_HYPHENS}](?=[^\\W\\d_]){WORD.pattern})*")
_PARTS = re.compile(f"[{_HYPHENS}]")
PATTERN_WORDS = 40  # a title of more words than this has no pattern (no headline does)
TOLD = 8  # the titles of a story (besides its first) a title is told apart from, at most
RECURRING_GAP = 18 * 3600.0  # an outlet's same headline this far apart: another article
_WORD = WORD


class FirstNames:
    """Which first words of titles are names, by the titles grouped together: a word
    capitalised after some title's first word and never in lower case there ("Tesla",
    "ECB", "Fed"; not "Shares", "Researchers", seen as "... shares ..."). Made when
    first asked (apart: two titles that differ in their first word alone)."""

    def __init__(self, units: Sequence[Unit]) -> None:
        self._units = units
        self._names: frozenset[str] | None = None

    def __call__(self, word: str) -> bool:
        if self._names is None:
            named: set[str] = set()
            common: set[str] = set()
            for unit in self._units:
                if unit.pattern:
                    for word_ in unit.pattern.split(" ")[1:]:
                        if word_[0] == "^":
                            named.add(_bare(word_[1:]))
                        elif word_[0] != "#":
                            common.add(_bare(word_))
            self._names = frozenset(named - common)
        return _bare(word) in self._names


_POSSESSIVE = re.compile("['\u2019\u02bc]s?$")  # (h134: the modifier letter too)


def _bare(word: str) -> str:
    """A word without its possessive ending ("tesla's", "tesla\u2019s", "investors'": h133 1,
    "Tesla's profit falls ..." was looked up as "tesla's" among names seen as "tesla")."""
    return _POSSESSIVE.sub("", word)


def told_apart(
    pattern: str,
    s: int,
    stories: list[_Story],
    units: Sequence[Unit],
    told: dict[int, list[int]],
    names: Callable[[str], bool] | None = None,
) -> bool:
    """Whether a title (its pattern) and one in story s (its first unit's, or one of the
    first TOLD with a pattern that joined it) are one pattern told of two events
    (``names``: FirstNames of the units)."""
    if apart(pattern, units[stories[s].seed].pattern, names):
        return True
    return any(apart(pattern, units[j].pattern, names) for j in told.get(s, ())[:TOLD])


def spans_recur(one: dict[int, list[float]], other: dict[int, list[float]]) -> bool:
    """Whether two stories hold units of one headline group RECURRING_GAP or more apart."""
    for group in one.keys() & other.keys():
        (low, high), (low2, high2) = one[group], other[group]
        if max(high, high2) - min(low, low2) >= RECURRING_GAP:
            return True
    return False


def stories_told_apart(
    a: int,
    b: int,
    stories: list[_Story],
    units: Sequence[Unit],
    told: dict[int, list[int]],
    names: Callable[[str], bool] | None = None,
) -> bool:
    """Whether a title of story b (its first unit's, or one of the first TOLD that
    joined it) and one of story a are one pattern told of two events."""
    for j in (stories[b].seed, *told.get(b, ())[:TOLD]):
        pattern = units[j].pattern
        if pattern and told_apart(pattern, a, stories, units, told, names):
            return True
    return False


def headline_words(words: tuple[str, ...]) -> tuple[str, ...]:
    """What makes a title one outlet's recurring headline: its words without those that
    begin with a digit (a dated column's date, an edition's number: "Morning briefing,
    March 14", "Daily market update for March 15, 2025": h65 6), or all of them when
    every one does."""
    kept = tuple(w for w in words if not w[:1].isdigit())
    return kept if kept else words


def outlet_keys(data: Data) -> tuple[str, ...]:
    """What names an article's outlet, for the rule that one outlet's articles on two
    days are two stories: its provider's name, its domain, where the name looks like a
    domain that domain too, and where no domain is given the hosts of its URL keys (a
    link aggregator's, news.google.com, is then an outlet of its own). Two articles
    sharing one key are of one outlet (h70 1, h71 3: "AP" with and without apnews.com,
    "reuters.com" as a name, or a provider without a domain on the outlet's host were
    other outlets, and the next day's column was hidden). More keys only keep more
    apart: two providers on one syndication domain (AP and Reuters on yahoo.com, or "AP"
    and "Associated Press" on apnews.com, which no rule can tell from it: h71 5-6) are
    one outlet here, and their copies a day apart ship twice."""
    keys: set[str] = set()
    domain = name = ""
    if len(data[4]) > 1 and data[4][1]:
        domain, _, name = data[4][1].partition("\t")
        if domain:
            keys.add(f"d:{domain}")
        if name:
            keys.add(f"n:{name}")
            if "." in name and " " not in name and (as_domain := outlet_domain(name)):
                keys.add(f"d:{as_domain}")
    if not domain:
        keys.update(f"d:{key.partition('/')[0]}" for key in data[0])
    return tuple(sorted(keys))


Held = tuple[int, ...]  # a unit's outlet groups (recurring)
DAY = 86400.0


def day_time(when: float) -> float:
    """A publication time as the one-outlet rule measures it: a date without a time
    (midnight UTC) as noon that day (h70 3: a date alone measured as midnight made the
    next day's column 17 hours after the day's, and hid it)."""
    return when + DAY / 2 if when % DAY == 0 else when


def outlet_spans(
    members: Iterable[int],
    keys: Callable[[int], Iterable[str]],
    times: Sequence[float | None],
) -> dict[str, tuple[float, float]]:
    """Each outlet key of these articles (``keys``: an article's, outlet_keys), with the
    first and last of their times (a date alone as noon: day_time); undated ones none."""
    spans: dict[str, tuple[float, float]] = {}
    for i in members:
        if (when := times[i]) is not None:
            when = day_time(when)
            for key in keys(i):
                low, high = spans.get(key, (when, when))
                spans[key] = (min(low, when), max(high, when))
    return spans


def recurring(units: Sequence[Unit]) -> tuple[dict[int, Held], list[str]]:
    """Each unit's outlet groups, and each group's outlet key (by number): the units of
    one outlet (any of its keys: outlet_keys), where two articles are RECURRING_GAP or
    more apart. Two articles of a group that far apart are never one story by their
    words (recurs): an outlet's recurring headline on its next day ("Morning briefing",
    "Stock market today: Wall Street rallies ..." then "... slips ...", a dated column:
    h65 6, h69 2), or its next day's article on a story, which is news again. A unit of
    several articles (joined by URL or ``related``) counts each one's outlet and time
    (h70 4: unit_span). Units of outlets that never publish that far apart have none.
    (Groups, not pairs: an outlet's 10,000 articles in two days made millions of pairs;
    one tuple of groups for the units of one set of outlets: at 100,000 articles over
    months every unit has some.)"""
    by_outlet: dict[str, list[int]] = {}
    bounds: dict[str, list[float]] = {}  # each outlet's first and last time
    for i, unit in enumerate(units):
        if unit.outlet_times:
            found_times: Iterable[tuple[str, float, float]] = unit.outlet_times
        elif unit.time is not None:
            when = day_time(unit.time)
            found_times = [(outlet, when, when) for outlet in unit.outlets]
        else:
            continue
        for outlet, first, last in found_times:
            by_outlet.setdefault(outlet, []).append(i)
            span = bounds.get(outlet)
            if span is None:
                bounds[outlet] = [first, last]
            else:
                span[0], span[1] = min(span[0], first), max(span[1], last)
    found: dict[int, list[int]] = {}
    outlets: list[str] = []
    for outlet, same in by_outlet.items():
        low, high = bounds[outlet]
        # some two RECURRING_GAP apart, however far (h71 1: two days farther apart than
        # the window met through another outlet's copy, within the window of each)
        if high - low < RECURRING_GAP:
            continue
        for i in same:
            found.setdefault(i, []).append(len(outlets))
        outlets.append(outlet)
    shared: dict[Held, Held] = {}
    return {
        i: shared.setdefault(held := tuple(groups), held) for i, groups in found.items()
    }, outlets


def unit_span(unit: Unit, outlet: str) -> tuple[float, float]:
    """The first and last time of a unit's articles of this outlet."""
    for key, first, last in unit.outlet_times:
        if key == outlet:
            return first, last
    when = day_time(unit.time or 0.0)
    return when, when


def hold(
    spans: dict[int, dict[int, list[float]]],
    s: int,
    groups: Held,
    unit: Unit,
    outlets: Sequence[str],
) -> None:
    """Story s holds a unit of these outlet groups (recurring: ``outlets``)."""
    held = spans.setdefault(s, {})
    for group in groups:
        widen(held, group, *unit_span(unit, outlets[group]))


def widen(held: dict[int, list[float]], group: int, first: float, last: float) -> None:
    """A story's span of one outlet group, widened to hold these times."""
    span = held.get(group)
    if span is None:
        held[group] = [first, last]
    else:
        span[0], span[1] = min(span[0], first), max(span[1], last)


def recurs(
    held: dict[int, list[float]] | None, groups: Held, unit: Unit, outlets: Sequence[str]
) -> bool:
    """Whether a story holding these spans has an article of one of the unit's outlet
    groups RECURRING_GAP or more from one of the unit's (the outlet's other day)."""
    if not held:
        return False
    for group in groups:
        span = held.get(group)
        if span is not None:
            first, last = unit_span(unit, outlets[group])
            if last - span[0] >= RECURRING_GAP or span[1] - first >= RECURRING_GAP:
                return True
    return False


def recurs_seed(
    seed: Unit, seed_groups: Held, groups: Held, unit: Unit, outlets: Sequence[str]
) -> bool:
    """recurs for a story of its first unit alone (``seed``), without making its spans."""
    for group in groups:
        if group in seed_groups:
            outlet = outlets[group]
            first, last = unit_span(unit, outlet)
            seed_first, seed_last = unit_span(seed, outlet)
            if last - seed_first >= RECURRING_GAP or seed_last - first >= RECURRING_GAP:
                return True
    return False


def title_pattern(title: str) -> str:
    """A sentence-case headline's words in order, casefolded and without accents,
    space-separated, each capitalised one but the first marked ``^`` (a name, most
    likely) and each run of numbers (words beginning with a digit: ``100mph``, h73 2) one
    ``#`` word (``2-1``: ``#2.1``); "" for a headline
    with no lowercase content word after its first (Title Case, capitals: they tell no
    names)."""
    found: list[str] = []
    informative = False
    # words joined by hyphens are one word ("Stoke-on-Trent", "Saint-Étienne": h81 2, as
    # many words as "Newcastle"), a name where one of them is capitalised ("anti-Trump")
    for n, match in enumerate(_PATTERN_WORD.finditer(title)):
        if n == PATTERN_WORDS:
            return ""  # (no headline: a title of a whole book, say)
        token = match.group()
        folded = _PARTS.sub("-", _plain(token.casefold()))
        # a capital anywhere: a name ("iPhone", "eBay", "McCain"; h118: "Apple unveils new
        # iPhone ..." and "Samsung unveils new Galaxy ..." were one pattern's two events
        # only when the lowercase-led name was taken for a word)
        capital = any(map(str.isupper, token))
        if folded[:1].isdigit():  # (a number, or one with its unit: 100mph, 69bn, 2m)
            if found and found[-1][0] == "#":
                found[-1] += "." + folded
            else:
                found.append("#" + folded)
        elif (n or _mixed(token)) and folded not in STOP_WORDS and capital:
            # (the first word too where its case is mixed, which sentence case never
            # makes: "eBay sues ..."/"iRobot sues ...", h121)
            found.append("^" + folded)
        else:
            informative = informative or (n > 0 and token[0].islower() and folded not in STOP_WORDS)
            found.append(folded)
    return " ".join(found) if informative and len(found) > 1 else ""


def _mixed(token: str) -> bool:
    """Whether a word's case is mixed past its first letter (iPhone, YouTube, McCain;
    not Apple, NASA)."""
    rest = token[1:]
    return any(map(str.isupper, rest)) and any(map(str.islower, token))


def _near(x: str, y: str) -> bool:
    """Whether two words of 4 letters or more are 2 edits apart or fewer (one name
    transliterated two ways)."""
    if min(len(x), len(y)) < 4 or abs(len(x) - len(y)) > 2:
        return False
    row = list(range(len(y) + 1))
    for i, a in enumerate(x, 1):
        previous, row[0] = row[0], i
        for j, b in enumerate(y, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (a != b))
        if min(row) > 2:
            return False
    return row[-1] <= 2


@functools.lru_cache(maxsize=1 << 14)
def _plain(word: str) -> str:
    """The word without accents (Zürich: zurich), as outlets that drop them write it."""
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)) or word


def _alike(x: str, y: str) -> bool:
    """Whether two names are one written two ways: one a prefix of the other, the first
    four letters shared, or two edits apart (Kyiv/Kiev, Gaddafi/Qaddafi); names of words
    joined by hyphens by the words they do not share ("Saint-Denis"/"Saint-Étienne" are
    two, h82 1; "Saint-Denis"/"Denis" one)."""
    if "-" in x or "-" in y:
        parts_x, parts_y = x.split("-"), y.split("-")
        rest_x = "".join(p for p in parts_x if p not in parts_y)
        rest_y = "".join(p for p in parts_y if p not in parts_x)
        if not rest_x or not rest_y:
            return True
        x, y = rest_x, rest_y
    return x.startswith(y) or y.startswith(x) or x[:4] == y[:4] or _near(x, y)


def apart(a: str, b: str, first_names: Callable[[str], bool] | None = None) -> bool:
    """Whether two title patterns are one headline pattern told of two events: as many
    words, the same at each place but for numbers, the first word and names (marked; a
    first word of mixed case is a name),
    and at least one name swapped for another name that the other title does not have
    and that is not related to it (St/Street, China/Chinese: one a prefix of the other,
    or the first four letters shared), with one more difference besides (another such
    name, the first word, or the numbers). So "Arsenal beat Chelsea 2-1 in Premier
    League" and "Liverpool beat Everton 3-0 in Premier League" are apart, while a name
    written another way ("Kyiv", "Kiev"; "President Biden", "Joe Biden"), names in
    another order, or a toll updated ("kills 12", "kills 15") are not. Two that differ
    in their first word alone, or and in their numbers, are apart where ``first_names`` says
    both first words are names (FirstNames: "Tesla shares fall after earnings miss",
    "Ford shares fall ..."; "Amazon to cut 10,000 jobs", "Google to cut 12,000 jobs"),
    not where one is a word ("Stocks fall 2%", "Shares fall 2.1%": h105)."""
    if not a or not b or a == b or a.count(" ") != b.count(" "):
        return False
    words_a, words_b = a.split(" "), b.split(" ")
    plain_a = {w.lstrip("^") for w in words_a}
    plain_b = {w.lstrip("^") for w in words_b}
    names = first = numbers = 0
    swapped = 0  # the shorter of the last names swapped (its letters)
    for n, (x, y) in enumerate(zip(words_a, words_b, strict=True)):
        if x == y:
            continue
        if x[0] == "#" and y[0] == "#":
            numbers = 1
            continue
        if {x[0], y[0]} == {"#", "^"}:  # a number and a name at one place (h136: "new
            numbers = 1  # iPhone 16 with ...", "new iPad Pro with ...") differ as two
            continue  # numbers do
        bare_x, bare_y = x.lstrip("^"), y.lstrip("^")
        alike = _alike(bare_x, bare_y) or bare_x in plain_b or bare_y in plain_a
        named = x[0] == "^" and y[0] == "^"  # (a first word too, of mixed case: h121)
        if n == 0 and not named:
            first = first or not alike
        elif named:
            if not alike:
                names += 1
                swapped = min(len(bare_x), len(bare_y))
        else:
            return False  # (another word, or a name for a word: not the same pattern)
    if names >= 1 and names + first + numbers >= 2:
        return True
    if first and not names and first_names is not None:  # (h130 1: "Fed raises rates by
        # quarter point", "ECB raises ...": the cron recipe never shipped the second)
        # (whatever their lengths: method 52 took "US"/"Washington" for one actor, and
        # so "US"/"China imposes new sanctions ..." was one story, h132; one actor named
        # two ways ships twice, precision first)
        return first_names(words_a[0]) and first_names(words_b[0])
    # One name swapped, nothing else: two events where the title names little else
    # (h80 6: "Police arrest man after stabbing in Leeds city centre", "... in Bristol
    # ..."; "Shares in Tesco fall ...", "Shares in Sainsbury's ..."); not a short name
    # (CEO/Chief, UK/Britain: a title and an abbreviation), nor in a title whose words
    # are capitalised a third or more (German nouns: "Gesetz", "Reform").
    return names == 1 and swapped >= 4 and 3 * sum(w[0] == "^" for w in words_a) < len(words_a)


def add_columns(
    data: Sequence[Data], outlets: list[tuple[str, ...]], times: Sequence[float | None]
) -> None:
    """A headline one outlet used on two days (RECURRING_GAP or more apart: "Evening
    briefing: what you need to know tonight") is a column: each article with it gets
    the headline as one more outlet key, so that no two of them that far apart are one
    story, whoever published them (h80 1: two outlets' briefings of that title a day
    apart were one, and the second, with the event it listed, was never shipped). A
    headline that no outlet repeats (a wire story's, copied by another outlet the next
    day) joins as before."""
    by_headline: dict[str, list[int]] = {}
    for i, row in enumerate(data):
        words = row[2]  # (sorted: an ASCII digit before any letter, other scripts after)
        if words and times[i] is not None:
            if words[0][:1].isdigit() or not words[-1].isascii():
                words = headline_words(words)  # (but words beginning with a digit)
            by_headline.setdefault(" ".join(words), []).append(i)
    for title, same in by_headline.items():
        if len(same) < 2:
            continue
        whens = [day_time(times[i] or 0.0) for i in same]
        if max(whens) - min(whens) < RECURRING_GAP:
            continue  # (copies of one day: no outlet's two days among them)
        first: dict[str, float] = {}  # each outlet's first time with it (in time order)
        since = first.setdefault
        if any(
            when - since(key, when) >= RECURRING_GAP
            for when, i in sorted(zip(whens, same, strict=True))
            for key in outlets[i]
        ):
            key = sys.intern("t:" + title)
            made: dict[tuple[str, ...], tuple[str, ...]] = {}
            for i in same:
                keys = outlets[i]
                outlets[i] = made.get(keys) or made.setdefault(keys, tuple(sorted((*keys, key))))
