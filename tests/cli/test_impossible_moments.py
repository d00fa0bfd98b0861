"""`--since`/`--until` name an impossible date as `--where` and `validate` do (h136
LOW: `--until 2025-02-30` was "expected an RFC 3339 date or timestamp ... got
'2025-02-30'", as if of no known form), through the installed command."""

from __future__ import annotations

import pytest
from conftest import SAMPLES, run_cli


@pytest.mark.parametrize(
    ("option", "value", "why"),
    [
        ("--until", "2025-02-30", "day is out of range for month"),
        ("--since", "2025-13-01T00:00:00Z", "month must be in 1..12"),
        ("--since", "2025-03-01T10:00:00+24:00", "UTC offset hours must be in 0..23"),
    ],
)
def test_an_impossible_moment_is_named_so(option: str, value: str, why: str) -> None:
    done = run_cli("list", str(SAMPLES), option, value)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"newscli: error: {option}: impossible date or time: {value!r} ({why})\n"


def test_a_moment_of_no_known_form_is_still_told_the_forms() -> None:
    done = run_cli("list", str(SAMPLES), "--since", "yesterday")
    assert done.returncode == 2
    assert "expected an RFC 3339 date or timestamp or an age like 24h or 7d" in done.stderr
