"""One-line YAML text for a scalar value, in the style a file already uses where the
style can hold the value, and quoted wherever YAML would read plain text as
something else (``yes``, ``123``, ``a: b``, ``#x``, an empty string, ...)."""

from __future__ import annotations

import math
import re
from datetime import date, datetime

from newscli.article.timeparse import format_rfc3339
from newscli.article.yaml_scalars import STR, resolve_plain
from newscli.edit.text_layout import TextEditError

PLAIN, DOUBLE, SINGLE = "plain", '"', "'"
# A plain scalar may not start with these (nor with "- ", "? ", ": ").
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_INDICATORS = frozenset(",[]{}")
_BREAKS = frozenset("\n\r\x85\u2028\u2029")
# What YAML 1.2's core schema reads as a number although YAML 1.1 (newscli's reader)
# reads some of it as text: 1e3, 0o17; quoted, it is text to both
_YAML12_NUMBER = re.compile(
    r"[-+]?(?:[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|\.(?:inf|Inf|INF))\Z|\.(?:nan|NaN|NAN)\Z"
)
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\x00": "\\0"}


def _printable(char: str) -> bool:
    """Printable in YAML 1.1 and no line break, BOM or tab."""
    code = ord(char)
    return (
        0x20 <= code <= 0x7E
        or 0xA0 <= code <= 0xD7FF
        or (0xE000 <= code <= 0xFFFD and code != 0xFEFF)
        or 0x10000 <= code <= 0x10FFFF
    ) and char not in _BREAKS


def plain_ok(text: str, *, flow: bool = False) -> bool:
    """Whether text written plain reads back as exactly this string."""
    if not text or text != text.strip(" ") or text[0] in _INDICATORS:
        return False
    if not all(_printable(char) for char in text):
        return False
    if ": " in text or " #" in text or text.endswith(":"):
        return False
    if flow and (any(char in _FLOW_INDICATORS for char in text) or ":" in text):
        return False
    if _YAML12_NUMBER.match(text):  # (h39: text to newscli, a number to YAML 1.2 tools)
        return False
    return resolve_plain(text) == STR


def single_quoted(text: str) -> str | None:
    """'text', or None when single quotes cannot hold it on one line."""
    if not all(_printable(char) for char in text):
        return None
    return "'" + text.replace("'", "''") + "'"


def double_quoted(text: str) -> str:
    out = []
    for char in text:
        escape = _ESCAPES.get(char)
        if escape is not None:
            out.append(escape)
        elif _printable(char):
            out.append(char)
        elif ord(char) <= 0xFF:
            out.append(f"\\x{ord(char):02x}")
        elif ord(char) <= 0xFFFF:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    return '"' + "".join(out) + '"'


def render_string(text: str, style: str = PLAIN, *, flow: bool = False) -> str:
    """A string in the given style where it fits, else plain where safe, else quoted."""
    if style == SINGLE:
        quoted = single_quoted(text)
        if quoted is not None:
            return quoted
    if style == PLAIN and plain_ok(text, flow=flow):
        return text
    return double_quoted(text)


def render_scalar(value: object, style: str = PLAIN) -> str:
    """YAML text for a scalar the loader reads back as an equal value of the same type."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        mantissa, e, exponent = repr(value).partition("e")
        return (mantissa if "." in mantissa else mantissa + ".0") + e + exponent
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise TextEditError("a timestamp without a time zone cannot be written")
        return format_rfc3339(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return render_string(value, style)
    raise TextEditError(f"cannot write a {type(value).__name__} value on one line")


def render_key(key: str) -> str:
    return render_string(key)
