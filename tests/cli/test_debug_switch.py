"""h50: NEWSCLI_DEBUG=0 (or false, no, off) turned tracebacks on: any non-empty value
did."""

from __future__ import annotations

import pytest

from newscli.cli.application import debugging


@pytest.mark.parametrize(
    ("value", "on"),
    [("", False), ("0", False), ("false", False), (" No ", False), ("OFF", False),
     ("1", True), ("yes", True), ("true", True), ("2", True)],
)  # fmt: skip
def test_only_a_true_value_turns_debugging_on(
    monkeypatch: pytest.MonkeyPatch, value: str, on: bool
) -> None:
    monkeypatch.setenv("NEWSCLI_DEBUG", value)
    assert debugging() is on
    monkeypatch.delenv("NEWSCLI_DEBUG")
    assert debugging() is False
