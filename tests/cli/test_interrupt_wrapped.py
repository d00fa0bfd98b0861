"""Ctrl-C or SIGTERM that Python hands on wrapped in another exception is still an
interruption (exit 130 or 143, said as such), never an "internal error".

Found by CI: SIGINT while `review` imported Textual landed in a dataclass's
``__set_name__``; Python re-raised it as ``RuntimeError: Error calling __set_name__``
and the run said "internal error" and exited 1."""

from __future__ import annotations

import io

import pytest
import typer

from newscli.cli import application
from newscli.terminal.output import Output


class _Interrupting:
    def __init__(self, exc: KeyboardInterrupt) -> None:
        self.exc = exc

    def __set_name__(self, owner: type, name: str) -> None:
        raise self.exc


@pytest.mark.parametrize(
    ("exc", "said", "code"),
    [
        (KeyboardInterrupt(), "interrupted", 130),
        (application.Terminated(), "terminated", 143),
    ],
)
def test_a_signal_while_a_class_is_made_is_an_interruption(
    monkeypatch: pytest.MonkeyPatch, exc: KeyboardInterrupt, said: str, code: int
) -> None:
    monkeypatch.setattr(application, "reported", [])
    err = io.StringIO()
    with pytest.raises(typer.Exit) as ended, application.exit_codes(Output(io.StringIO(), err)):

        class Made:  # what an import does: Python wraps the signal in a RuntimeError
            field = _Interrupting(exc)

    assert ended.value.exit_code == code
    assert err.getvalue() == f"newscli: error: {said}\n"
    assert application.reported == [code]


def test_the_signal_behind_a_chain_of_exceptions_is_found() -> None:
    signal_exc = KeyboardInterrupt()
    try:
        try:
            raise signal_exc
        except KeyboardInterrupt as first:
            raise RuntimeError("wrapped") from first
    except RuntimeError as wrapped:
        assert application.interrupt_within(wrapped) is signal_exc
    assert application.interrupt_within(ValueError("no signal")) is None
