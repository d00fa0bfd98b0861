"""Pasted text arrives whole, whatever it holds. Textual's terminal parser (8.x) reads an
ESC inside a bracketed paste as the start of a key sequence: what follows it, up to the
next ESC, became keystrokes sent ahead of the paste (h29: `one<ESC>two` pasted in a
prompt showed as `^twoone`), and with no prompt open those keys were the queue's (a `p`
among them would publish). Here each ESC inside a paste reaches the parser as U+241B
(SYMBOL FOR ESCAPE), so the paste stays one Paste event; the prompt turns it back and
drops the escape sequences (review.widgets.Prompt.paste), as for any untrusted text.

A marker split across two reads of the terminal is held back until the rest comes
(from its third character: an ESC alone is the Escape key, never held).

A paste whose end marker never comes (a terminal that lost it, or the start marker
typed) would hold every later key as pasted text, Ctrl-C included (h30: the review
was deaf). A Ctrl-C read alone, after half a second with nothing read, ends such a
paste: a terminal sends a paste in one go, and a person's Ctrl-C comes alone."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

START, END = "\x1b[200~", "\x1b[201~"
ESCAPE_SYMBOL = "\u241b"
CTRL_C = "\x03"
STALLED = 0.5  # seconds with nothing read, after which a Ctrl-C alone ends a paste


class PasteGuard:
    """The state of one input stream: inside a paste or not, and what is held back."""

    def __init__(self) -> None:
        self.pasting = False
        self.held = ""
        self.last_read = 0.0

    def filter(self, data: str, now: float | None = None) -> str:
        now = time.monotonic() if now is None else now
        stalled = now - self.last_read >= STALLED
        self.last_read = now
        if self.pasting and stalled and data == CTRL_C:  # a paste that never ended
            self.pasting, self.held = False, ""
            return END + CTRL_C
        data, self.held = self.held + data, ""
        out: list[str] = []
        at = 0
        while at < len(data):
            if not self.pasting:
                start = data.find(START, at)
                if start < 0:
                    tail = _start_begun(data, at)
                    out.append(data[at : len(data) - len(tail)])
                    self.held = tail
                    break
                out.append(data[at : start + len(START)])
                at = start + len(START)
                self.pasting = True
                continue
            escape = data.find("\x1b", at)
            if escape < 0:
                out.append(data[at:])
                break
            out.append(data[at:escape])
            rest = data[escape:]
            if rest.startswith(END):
                out.append(END)
                at = escape + len(END)
                self.pasting = False
            elif END.startswith(rest):  # (the end marker's first part: the rest follows)
                self.held = rest
                break
            else:
                out.append(ESCAPE_SYMBOL)
                at = escape + 1
        return "".join(out)


def _start_begun(data: str, at: int) -> str:
    """The end of data[at:] that begins a start marker, from its third character on
    ("\x1b[2": never a whole key; an ESC alone, or "\x1b[" for Alt+[, is never held)."""
    for size in range(len(START) - 1, 2, -1):
        if len(data) - at >= size and data.endswith(START[:size]):
            return START[:size]
    return ""


def install() -> None:
    """Wrap the parser's feed (once) so that every parser filters its input so."""
    from textual._xterm_parser import XTermParser

    if getattr(XTermParser.feed, "_newscli_pastes", False):
        return
    feed: Callable[[Any, str], Iterable[Any]] = XTermParser.feed

    def guarded(self: Any, data: str) -> Iterable[Any]:
        if not data:  # (the end of input)
            return feed(self, data)
        guard = self.__dict__.setdefault("_newscli_paste_guard", PasteGuard())
        filtered = guard.filter(data)
        return feed(self, filtered) if filtered else ()  # (all held: "" would end it)

    guarded._newscli_pastes = True  # type: ignore[attr-defined]
    XTermParser.feed = guarded  # type: ignore[method-assign]


def restored(text: str) -> str:
    """A paste's text with its escapes back (review.widgets.Prompt.paste drops them)."""
    return text.replace(ESCAPE_SYMBOL, "\x1b")
