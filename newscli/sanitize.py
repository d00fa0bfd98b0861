"""Making untrusted text inert before it reaches a terminal or a line-based format.

Printable ASCII, by far the most common text, is known safe without a pattern; the
patterns are compiled on first need.
"""

from __future__ import annotations

import re
from functools import cache

# C0 and C1 controls, DEL, lone surrogates (undecodable file names), bidi controls.
_BIDI_CHARS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# Invisible format characters, removed as bidi controls are (a terminal may draw them as
# a space or a box, and they hide a word's real spelling): soft hyphen, Mongolian vowel
# separator, zero-width space, word joiner, invisible operators, deprecated format
# controls, byte order mark, interlinear annotation. (ZWNJ and ZWJ stay: scripts and
# emoji are spelled with them.)
_INVISIBLE = "\u00ad\u180e\u200b\u2060-\u2064\u206a-\u206f\ufeff\ufff9-\ufffb"
# Combining marks of the common blocks; more than MAX_MARKS on one letter are dropped
# (a title of stacked marks drew over the lines around it).
_MARKS = "\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
MAX_MARKS = 2


# A subdivision flag: the black flag, its code as tag characters, the cancel tag; only
# the three Unicode recommends (England's, Scotland's, Wales's), which terminals draw:
# any other shows as the black flag alone, its tags hidden text (h134: "ignore " and
# "ai" passed as flags, two topics drawn alike)
_FLAG = "\U0001f3f4(?:{})\U000e007f".format(
    "|".join("".join(chr(0xE0000 + ord(c)) for c in code) for code in ("gbeng", "gbsct", "gbwls"))
)

# Unicode's noncharacters (U+FDD0-FDEF, the last two of each plane): no text holds them,
# and an HTML parser stops at them (h94: a newsletter's title made html5lib fail)
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0, 0x110000, 0x10000)
)


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    """(escape sequences, line breaks, unsafe characters, bidi controls, JSON-unsafe,
    stacked marks, tag characters)."""
    return (
        # Whole escape sequences: CSI (ESC [ or 0x9b), OSC (ESC ]), DCS/SOS/PM/APC
        # strings, and two-character escapes. Removed entirely so nothing of them shows.
        re.compile(
            r"\x1b\[[0-?]*[ -/]*[@-~]"
            r"|\x9b[0-?]*[ -/]*[@-~]"
            r"|\x1b\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
            r"|\x1b[PX^_][^\x1b\x9c]*(?:\x1b\\|\x9c)?"
            r"|\x1b[ -~]"
        ),
        re.compile("[\t\n\v\f\r\x85\u2028\u2029]"),
        re.compile(f"[\x00-\x1f\x7f-\x9f\ud800-\udfff{_NONCHARACTERS}{_BIDI_CHARS}{_INVISIBLE}]"),
        re.compile(f"[{_BIDI_CHARS}{_INVISIBLE}]"),
        # (JSON-unsafe: invisible format and tag characters too, h91: a preset's
        # value reached a terminal with them; the JSON value is the same)
        re.compile(
            f"[\x7f-\x9f\ud800-\udfff{_BIDI_CHARS}{_INVISIBLE}\u2028\u2029\U000e0000-\U000e007f]"
        ),
        re.compile(f"([{_MARKS}]{{{MAX_MARKS}}})[{_MARKS}]+"),
        # Tag characters: invisible, and they smuggle text past a reader (h43); kept
        # only as a subdivision flag spells them (black flag, tags, cancel tag: 🏴 of
        # Scotland)
        re.compile(f"{_FLAG}|([\U000e0000-\U000e007f]+)"),
    )


def _flag_or_nothing(match: re.Match[str]) -> str:
    return "" if match.group(1) is not None else match.group()


def _replace_unsafe(match: re.Match[str]) -> str:
    return "" if _patterns()[3].match(match.group()) else "\ufffd"


def clean(text: str) -> str:
    """One line of inert text: escape sequences dropped, line breaks and tabs become
    spaces, other control characters and noncharacters become U+FFFD, bidi controls and
    invisible format characters are removed, and a letter keeps at most MAX_MARKS
    combining marks."""
    if text.isascii() and text.isprintable():  # nothing of the above in it
        return text
    escapes, line_breaking, unsafe, _, _, stacked, tags = _patterns()
    text = escapes.sub("", text)
    text = line_breaking.sub(" ", text)
    text = stacked.sub(r"\1", unsafe.sub(_replace_unsafe, text))
    return tags.sub(_flag_or_nothing, text) if text and max(text) >= "\U000e0000" else text


# Characters a terminal shows as nothing or as a space that hidden() does not name:
# Unicode's default ignorable code points that are no format characters (U+034F, the
# variation selectors, Hangul fillers), spaces other than the space, the Braille blank
# (h69 5: "null" and a variation selector showed as "null")
UNSEEN = (
    "\u00a0\u034f\u115f\u1160\u1680\u17b4\u17b5\u180b-\u180f\u2000-\u200a\u202f"
    "\u205f\u2800\u3000\u3164\ufe00-\ufe0f\uffa0\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
)


@cache
def control_pattern() -> re.Pattern[str]:
    """A control character (C0, DEL, C1), a line or paragraph separator, or a mark that
    turns the text's direction: what no one-line name may hold (tag add's TOPIC)."""
    return re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{_BIDI_CHARS}]")


# Letters and marks that show as nothing, or as a blank, inside a name: the combining
# grapheme joiner, Hangul fillers, Khmer's invisible vowels, Mongolian selectors, the
# blank braille pattern, shorthand and musical format controls (h131: "A<U+034F>I"
# showed as the topic "AI"). Spaces and variation selectors (emoji need them) are not.
_UNSEEN_IN_NAMES = (
    "\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
)


def _name(char: str) -> str:
    import unicodedata

    return unicodedata.name(char, "")


def _alphabet(char: str) -> bool:
    """A letter or digit of an alphabet that no joiner or selector changes (ASCII,
    Latin, Greek, Cyrillic)."""
    return char.isascii() or (
        char.isalnum() and _name(char).startswith(("LATIN", "GREEK", "CYRILLIC"))
    )


# Scripts whose letters a zero-width joiner or non-joiner shapes: Arabic and Syriac
# joining, Indic conjuncts, Malayalam's chillu at a word's end (h133)
_JOINING = ("ARABIC", "SYRIAC", "NKO", "DEVANAGARI", "BENGALI", "GURMUKHI", "GUJARATI",
            "ORIYA", "TAMIL", "TELUGU", "KANNADA", "MALAYALAM", "SINHALA")  # fmt: skip


def _emoji_like(char: str) -> bool:
    """A symbol an emoji sequence joins: a pictograph, a skin tone, a selector."""
    import unicodedata

    if char.isascii():  # (h135: "^" and "`" are modifier symbols, no emoji)
        return False
    return (
        unicodedata.category(char) in ("So", "Sm", "Sk", "Po")
        or char == "\ufe0f"
        or 0x1F000 <= ord(char) <= 0x1FAFF
    )


def _joins(before: str, after: str) -> bool:
    """Whether a zero-width joiner or non-joiner between ``before`` and ``after`` (""
    at an end) joins anything: two emoji, two letters of a joining script, or
    Malayalam's letter before a word's end."""
    if not before:
        return False
    if after and _emoji_like(before) and _emoji_like(after):
        return True
    if not after or after.isspace():  # (a word's end, h135: "അവന്\u200d വന്നു")
        return _name(before) == "MALAYALAM SIGN VIRAMA"  # (a chillu, written old-style)
    return _name(before).startswith(_JOINING) and _name(after).startswith(_JOINING)


def _selects(before: str, char: str, after: str) -> bool:
    """Whether a variation selector after ``before`` selects anything: an emoji's
    presentation (a keycap's, 1 U+FE0F U+20E3), a CJK ideograph's or a math symbol's
    variant, a Mongolian letter's form."""
    import unicodedata

    if not before:
        return False
    if "\u180b" <= char <= "\u180f":
        return _name(before).startswith("MONGOLIAN")
    if char in "\ufe0e\ufe0f":
        return _emoji_like(before) or (before in "0123456789#*" and after == "\u20e3")
    ideograph = "IDEOGRAPH" in _name(before)
    if char >= "\U000e0100":
        return ideograph
    # (a math symbol's variant: not one of ASCII's, "a+<U+FE00>b", h135)
    return ideograph or (not before.isascii() and unicodedata.category(before) == "Sm")


def _unseen_at(text: str, i: int) -> bool:
    """Whether the character at ``i`` shows as nothing where it is (h132-h134): a
    zero-width joiner or non-joiner that joins nothing there (A<ZWJ>I shows as AI),
    a variation selector that selects nothing there, or a noncharacter or an unassigned
    code point of the ranges that show as nothing (U+2065, U+FFF0-FFF8,
    U+E0000-E0FFF; one merely newer than this Python's Unicode, a new emoji, is kept)."""
    import unicodedata

    char = text[i]
    before, after = text[i - 1 : i], text[i + 1 : i + 2]
    if char in "\u200c\u200d":
        return not _joins(before, after)
    if _SELECTOR.match(char):
        return not _selects(before, char, after)
    if unicodedata.category(char) != "Cn":
        return False
    return _IGNORABLE.match(char) is not None or _NONCHARACTER.match(char) is not None


_SELECTOR = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef\u180b-\u180d\u180f]")
_IGNORABLE = re.compile("[\u2065\ufff0-\ufff8\U000e0000-\U000e0fff]")
_NONCHARACTER = re.compile(f"[{_NONCHARACTERS}]")


def name_fault(text: str) -> str | None:
    """Why ``text`` cannot be a name written into articles (a topic, a category, a
    provider), or None: it holds a control character (a line break, an escape), a line
    separator or a mark that turns the text's direction, or an invisible character, or
    it begins or ends with a blank."""
    if any("\ud800" <= char <= "\udfff" for char in text):  # (h135: import wrote U+FFFD)
        return "is not UTF-8 text"
    if control_pattern().search(text):
        return "holds a control character"
    import unicodedata

    flags = _flag_places(text)
    if any(
        _hidden_at(text, i, unicodedata.category(char), flags, name=True)
        for i, char in enumerate(text)
    ):
        return "holds an invisible character"
    if text != text.strip():  # (h125: "AI " was a topic apart from "AI", shown alike)
        return "begins or ends with a blank"
    return None


def as_name(text: str, limit: int) -> str | None:
    """``text`` as a name written into articles, for what comes from outside (import):
    what name_fault refuses in it left out (controls, separators, direction marks,
    invisible characters), cut at ``limit`` characters, blanks at its ends gone; None
    when nothing is left, or what is left still would not pass (h154: `A<ZWSP>I` was
    written as it came, and --topic AI never found it)."""
    import unicodedata

    text = control_pattern().sub("", text)[:limit]
    flags = _flag_places(text)
    kept = "".join(
        char
        for i, char in enumerate(text)
        if not _hidden_at(text, i, unicodedata.category(char), flags, name=True)
    ).strip()
    return kept if kept and name_fault(kept) is None else None


@cache
def unseen_pattern() -> re.Pattern[str]:
    """One of the UNSEEN characters."""
    return re.compile(f"[{UNSEEN}]")


def hidden(char: str) -> bool:
    """A control, format (bidi, zero-width), private, unassigned or surrogate character,
    or a line or paragraph separator: what a terminal would not show as itself."""
    import unicodedata

    return unicodedata.category(char)[0] == "C" or char in "\u2028\u2029"


def shown_key(name: str) -> str:
    """A field's name for people (`fields`, `show`): escaped; an empty or blank one in
    quotes, so that "" and "  " are two names, not two blank cells (h42, h153)."""
    shown = escaped(name)
    return shown if shown.strip() else f'"{shown}"'


def escaped(text: str) -> str:
    r"""One inert line that hides nothing of ``text``: where clean() drops an escape
    sequence or makes a line break a space, each control, line break and invisible
    format character is written as an escape (``\x1b``, ``\n``, ``\u202e``); other
    characters as they are (stacked combining marks capped as clean() caps them). For
    error lines, which name what was typed (h31: a path holding an escape sequence was
    named as another, existing one)."""
    if text.isascii() and text.isprintable():
        return text
    import unicodedata

    flags = _flag_places(text)
    shown = "".join(
        _ESCAPES.get(char) or _escape(ord(char))
        if _hidden_at(text, i, unicodedata.category(char), flags)
        else char
        for i, char in enumerate(text)
    )
    return _patterns()[5].sub(_marks_past_the_cap, shown)


def _marks_past_the_cap(match: re.Match[str]) -> str:
    """Combining marks past MAX_MARKS on one letter, as escapes, not left out (h135: a
    file named e and three acutes was shown as the one named e and two)."""
    extra = match.group()[len(match.group(1)) :]
    return match.group(1) + "".join(_escape(ord(char)) for char in extra)


def _hidden_at(
    text: str, i: int, category: str, flags: frozenset[int], *, name: bool = False
) -> bool:
    """Whether escaped() writes the character at ``i`` as an escape: a control, a line or
    paragraph separator, a surrogate, an unassigned code point, a format character (a
    bidi control, a zero-width space, a joiner: whether one joins two emoji into one is
    not known here, h134) but the tag characters of a subdivision flag, or what shows as
    nothing where it is. ``name``: whether name_fault refuses it: a joiner where it
    joins, and a code point newer than this Python's Unicode (a new emoji), are kept."""
    char = text[i]
    if name and (char in "\u200c\u200d" or category == "Cn"):
        return _unseen_at(text, i)
    if category in ("Cc", "Zl", "Zp", "Cs", "Cn", "Co"):  # (private use too, h135)
        return True
    if category == "Zs" and char != " ":  # (h135: "AI\u00a0news" was "AI news")
        return True
    if category == "Cf":
        return i not in flags
    return not char.isascii() and _shows_as_nothing(text, i)


def _flag_places(text: str) -> frozenset[int]:
    """The places of the tag characters of each subdivision flag in ``text``."""
    if not any("\U000e0000" <= char <= "\U000e007f" for char in text):
        return frozenset()
    found = (m for m in _patterns()[6].finditer(text) if m.group(1) is None)
    return frozenset(i for m in found for i in range(m.start() + 1, m.end()))


def _shows_as_nothing(text: str, i: int) -> bool:
    """A letter that shows as nothing (_UNSEEN_IN_NAMES: a Hangul filler), or a joiner or
    selector that changes no letter where it is (_unseen_at; h132: `stats` showed the
    topics AI and A<U+FE00>I alike)."""
    return _unseen_in_names().match(text[i]) is not None or _unseen_at(text, i)


@cache
def _unseen_in_names() -> re.Pattern[str]:
    return re.compile(f"[{_UNSEEN_IN_NAMES}]")


_LIKE_AN_ESCAPE = re.compile(r"\\[xuUnrt0\\]")


def escaped_apart(text: str) -> str:
    r"""escaped(), and where that writes an escape or the text holds a backslash that
    reads as one, each backslash of the text twice, so that no two texts read alike
    (h121, h123: a real ESC and the typed text ``\x1b`` did); other text as it is."""
    shown = escaped(text)
    if shown == text and not _LIKE_AN_ESCAPE.search(text):
        return text
    return escaped(text.replace("\\", "\\\\"))


def escaped_path(path: str) -> str:
    r"""A path as escaped() writes it, with each backslash written twice (h95: a file named
    ``bs<ESC>.md`` and one named ``bs\x1b.md``, a backslash in its name, were both shown
    ``bs\x1b.md``): so a path shown never names another file."""
    return escaped(path.replace("\\", "\\\\"))


def shown_at(text: str, position: int) -> tuple[str, int]:
    r"""``text`` as one inert line that shows each character as typed, and the column
    (in terminal cells) where the character at ``position`` starts: where a caret goes
    under it. A character clean() would change or drop (a control, a line break, a tab,
    a bidi control, a no-break space) and one that takes no cell (a combining accent, a
    zero-width space) is written as an escape (``\t``, ``\x1b``, ``\u0301``) and
    counted as such; a wide character (CJK, most emoji) takes two cells."""
    if text.isascii() and text.isprintable():
        return text, position
    parts = _shown_parts(text)
    return "".join(parts), sum(map(_cells, parts[:position]))


SHOWN_WIDTH = 100  # cells of a long text shown_near shows around its position


def shown_near(text: str, position: int, width: int = SHOWN_WIDTH) -> tuple[str, int]:
    """shown_at, cut to at most ``width`` cells around the position when the whole is
    wider (an expression a script wrote: 96 KB echoed whole, over a caret line as long,
    is no clear error), each cut end marked ``…``: about two thirds of the window
    before the position, the rest after it."""
    parts: str | list[str] = text
    if not (text.isascii() and text.isprintable()):
        parts = _shown_parts(text)
    cells = [1] * len(parts) if isinstance(parts, str) else [_cells(part) for part in parts]
    if sum(cells) <= width:
        return "".join(parts), sum(cells[:position])
    width -= 2  # room for the two marks
    first = last = min(position, len(parts))
    used = 0
    if last < len(parts):  # the character at the caret, always
        used, last = cells[last], last + 1
    while first > 0 and used + cells[first - 1] <= width * 2 // 3:
        first -= 1
        used += cells[first]
    while last < len(parts) and used + cells[last] <= width:
        used += cells[last]
        last += 1
    while first > 0 and used + cells[first - 1] <= width:  # near the end: more before
        first -= 1
        used += cells[first]
    head = "…" if first > 0 else ""
    tail = "…" if last < len(parts) else ""
    column = len(head) + sum(cells[first:position])
    return head + "".join(parts[first:last]) + tail, column


def _shown_parts(text: str) -> list[str]:
    """Each character of ``text`` as shown_at shows it."""
    import unicodedata

    return [
        _ESCAPES.get(char) or _escape(ord(char))
        if not char.isprintable() or unicodedata.category(char) in ("Mn", "Me", "Cf")
        else char
        for char in text
    ]


_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(code: int) -> str:
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _cells(part: str) -> int:
    """Terminal cells of one character as shown (an escape: its length)."""
    if len(part) > 1:
        return len(part)
    import unicodedata

    return 2 if unicodedata.east_asian_width(part) in ("W", "F") else 1


def clean_lines(text: str) -> str:
    """Text of several lines, each made inert as by clean (the line ends kept)."""
    if text.isascii() and text.replace("\n", "").isprintable():
        return text
    return "\n".join(clean(line) for line in text.split("\n"))


def escape_json_text(text: str) -> str:
    r"""Escape, as ``\u00..`` sequences, characters that json.dumps(ensure_ascii=False) leaves raw
    but that a terminal or a JavaScript parser would act on. The JSON value is unchanged."""
    if text.isascii() and "\x7f" not in text:  # isascii needs no scan; DEL is the one
        return text  # ASCII character escaped here
    return _patterns()[4].sub(_json_escape, text)


def _json_escape(match: re.Match[str]) -> str:
    """A character as JSON's \\u escape (a surrogate pair past U+FFFF: tag characters)."""
    code = ord(match.group())
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def shell_word(arg: str) -> str:
    """``arg`` as a POSIX shell word (shlex.quote), or, if it holds a control or
    invisible character (or one shown as a space: sanitize.UNSEEN, h69 5), as bash's
    ``$'...'`` with that character escaped (h36: it was shown as a space or not at all,
    naming another command than the one that ran)."""
    import shlex

    if not any(map(hidden, arg)) and not unseen_pattern().search(arg):
        return shlex.quote(arg)
    return "$'" + "".join(map(_ansi_c, arg)) + "'"


_ANSI_C = {"\n": "\\n", "\t": "\\t", "\r": "\\r", "\x1b": "\\e", "\\": "\\\\", "'": "\\'"}


def _ansi_c(char: str) -> str:
    if char in _ANSI_C:
        return _ANSI_C[char]
    if not hidden(char) and not unseen_pattern().match(char):
        return char
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a name that is not text (surrogateescape):
        return f"\\x{code - 0xDC00:02x}"  # that byte (h41: \udce9 named another file)
    # (past ASCII, its UTF-8 bytes: bash takes \\u as text outside a UTF-8 locale, and
    # cron's is C: h91; \\xNN of the code point is one byte, not the character: h90)
    return "".join(f"\\x{byte:02x}" for byte in char.encode("utf-8", "surrogatepass"))
