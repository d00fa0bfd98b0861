"""review.pastes: an ESC inside a bracketed paste reaches Textual's parser as U+241B, so
the paste is one Paste event (Textual made what followed an ESC keystrokes, sent ahead
of the paste), whichever way the terminal's reads cut it."""

from __future__ import annotations

from typing import Any

import pytest

from newscli.review.pastes import ESCAPE_SYMBOL, PasteGuard, install, restored

PASTED = ", \x1b[31mRed\x1b[0m\x1b]0;owned\x07 p q"
DATA = "a\x1b[200~" + PASTED + "\x1b[201~b"


def _events(data: str, size: int) -> list[Any]:
    from textual._xterm_parser import XTermParser

    install()
    parser = XTermParser()
    found: list[Any] = []
    for at in range(0, len(data), size):
        found += parser.feed(data[at : at + size])
    return found


@pytest.mark.parametrize("size", [4, 5, 6, 7, 9, 13, len(DATA)])
def test_a_paste_holding_escapes_is_one_event_between_the_keys(size: int) -> None:
    events = _events(DATA, size)
    assert [type(e).__name__ for e in events] == ["Key", "Paste", "Key"], events
    assert (events[0].key, events[2].key) == ("a", "b")
    assert restored(events[1].text) == PASTED


def test_the_guard_holds_back_only_a_marker_begun() -> None:
    guard = PasteGuard()
    assert guard.filter("\x1b") == "\x1b"  # the Escape key: never held
    assert guard.filter("\x1b[") == "\x1b["  # Alt+[
    assert guard.filter("x\x1b[20") == "x" and guard.held == "\x1b[20"
    assert guard.filter("0~in\x1bside\x1b[20") == "\x1b[200~in" + ESCAPE_SYMBOL + "side"
    assert guard.filter("1~after\x1b") == "\x1b[201~after\x1b" and not guard.pasting
    assert guard.filter("\x1b[A") == "\x1b[A"  # a key sequence outside a paste, as it is


def test_a_ctrl_c_alone_after_a_stall_ends_a_paste_that_never_ended() -> None:
    """h30: a start marker with no end made every later key pasted text, Ctrl-C too."""
    from newscli.review.pastes import CTRL_C, END, START

    guard = PasteGuard()
    assert guard.filter(START + "abc", now=10.0) == START + "abc" and guard.pasting
    assert guard.filter(CTRL_C, now=10.1) == CTRL_C and guard.pasting  # pasted, in a burst
    assert guard.filter("d" + CTRL_C, now=12.0) == "d" + CTRL_C  # not alone: pasted
    assert guard.filter(CTRL_C, now=13.0) == END + CTRL_C and not guard.pasting
    assert guard.filter(CTRL_C, now=14.0) == CTRL_C  # a key, as ever


def test_textual_reads_the_stalled_paste_then_the_ctrl_c_key() -> None:
    from textual import events
    from textual._xterm_parser import XTermParser

    from newscli.review import pastes

    install()
    parser = XTermParser()
    found = list(parser.feed("\x1b[200~abc"))
    guard = parser.__dict__["_newscli_paste_guard"]
    guard.last_read -= pastes.STALLED  # (as if half a second had passed)
    found += parser.feed("\x03")
    paste, key = found
    assert isinstance(paste, events.Paste) and paste.text == "abc", found
    assert isinstance(key, events.Key) and key.key == "ctrl+c", found
