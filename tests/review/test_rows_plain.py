"""The review screen's status counts with NO_COLOR (h47)."""

from __future__ import annotations

import pytest


def test_with_no_color_the_counts_and_marks_carry_no_colour(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """h47: with NO_COLOR, Textual draws colours as greys: "rejected 3", red on the
    status bar's grey, came out grey on grey. No colour and no dimming then."""
    from newscli.review.queue import STATES
    from newscli.review.rows import counts_line

    counts = dict.fromkeys(STATES, 3)
    monkeypatch.setenv("NO_COLOR", "1")
    plain = counts_line(counts, 5, 5, None, 2)
    styles = {str(span.style) for span in plain.spans}
    assert not any(c in s for s in styles for c in ("red", "green", "yellow", "dim")), styles
    monkeypatch.delenv("NO_COLOR")
    coloured = {str(span.style) for span in counts_line(counts, 5, 5, None, 2).spans}
    assert "red" in coloured and "green" in coloured
