"""Making untrusted text inert before it reaches a terminal or a line-based format."""

from __future__ import annotations

import re

# Whole escape sequences: CSI (ESC [ or 0x9b), OSC (ESC ]), DCS/SOS/PM/APC strings, and
# two-character escapes. They are removed entirely so nothing of them is shown.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x9b[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[PX^_][^\x1b\x9c]*(?:\x1b\\|\x9c)?"
    r"|\x1b[ -~]"
)
_LINE_BREAKING = re.compile("[\t\n\v\f\r\x85\u2028\u2029]")
# C0 and C1 controls, DEL, lone surrogates (undecodable file names), bidi controls.
_BIDI_CHARS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f\ud800-\udfff{_BIDI_CHARS}]")
_BIDI = re.compile(f"[{_BIDI_CHARS}]")


def _replace_unsafe(match: re.Match[str]) -> str:
    return "" if _BIDI.match(match.group()) else "\ufffd"


def clean(text: str) -> str:
    """One line of inert text: escape sequences dropped, line breaks and tabs become
    spaces, other control characters become U+FFFD, bidi controls are removed."""
    text = _ESCAPE_SEQUENCE.sub("", text)
    text = _LINE_BREAKING.sub(" ", text)
    return _UNSAFE.sub(_replace_unsafe, text)


_JSON_UNSAFE = re.compile(f"[\x7f-\x9f\ud800-\udfff{_BIDI_CHARS}\u2028\u2029]")


def escape_json_text(text: str) -> str:
    r"""Escape, as ``\u00..`` sequences, characters that json.dumps(ensure_ascii=False) leaves raw
    but that a terminal or a JavaScript parser would act on. The JSON value is unchanged."""
    if text.isascii() and "\x7f" not in text:  # isascii needs no scan; DEL is the one
        return text  # ASCII character escaped here
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
