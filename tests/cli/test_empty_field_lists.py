"""An empty --columns or --fields is a usage error, not the default columns."""

from __future__ import annotations

import pytest
from conftest import SAMPLES, run_cli


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("list", "--columns", ""), "--columns"),
        (("list", "--columns", " , ,"), "--columns"),
        (("export", "--fields", " "), "--fields"),
    ],
)
def test_an_empty_field_list_is_a_usage_error(args: tuple[str, ...], option: str) -> None:
    command, *rest = args
    result = run_cli(command, str(SAMPLES), *rest)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (
        f"newscli: error: {option}: names no field (A,B,C: see `newscli fields`)\n"
    )
