"""Odd values, through the installed command (h93, h94 LOWs).

- Digits that are not ASCII are no date, duration or number (RFC 3339 has ASCII
  digits): 2025-03-01 in fullwidth digits passed `validate`, `--since`,
  `--story-window` and `--where`.
- A negative window is told it is negative (it was told "as in -5h", itself refused).
- An email's Date is of a year from 1900 on (year 1 was written as a year mail readers
  take for 2001).
- A time with ten or more digits of a second is cut to microseconds in an aggregator's
  JSON as in a file (it was imported undated).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SAMPLES, run_cli, write

WIDE = "\uff12\uff10\uff12\uff15-\uff10\uff13-\uff10\uff11"  # 2025-03-01, fullwidth digits


def test_a_date_of_fullwidth_digits_is_invalid(tmp_path: Path) -> None:
    write(tmp_path / "b.md", f'---\ntitle: "Wide"\npublishedDateTime: "{WIDE}T10:00:00Z"\n---\n')
    done = run_cli("validate", "b.md", cwd=tmp_path)
    assert done.returncode == 1
    assert (
        f"b.md:3: publishedDateTime: not an RFC 3339 date or timestamp: '{WIDE}T10:00:00Z'"
        in done.stdout
    )


@pytest.mark.parametrize(
    ("option", "said"),
    [
        (["--since", WIDE], "--since: expected an RFC 3339 date"),
        (["--story-window", "\uff14\uff18h"], "--story-window: not a duration"),
        (["--where", "quality >= \uff15\uff10"], "--where: unexpected character '\uff15'"),
        (["--story-window", "-5"], "--story-window: not a duration like 90m, 24h, 7d or 2w: "
                                   "'-5' (never negative)"),
    ],
    ids=["since", "window", "where", "negative window"],
)  # fmt: skip
def test_odd_option_values_are_usage_errors(option: list[str], said: str) -> None:
    done = run_cli("list", str(SAMPLES), *option, "--no-cache")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith(f"newscli: error: {said}"), done.stderr
    assert "-5h" not in done.stderr


def test_an_email_dated_before_1900_is_refused(tmp_path: Path) -> None:
    email = ["export", str(SAMPLES), "--format", "email", "--to", "a@b.example", "--no-cache"]
    done = run_cli(*email, "--now", "0001-01-01T00:00:00Z")
    assert (done.returncode, done.stdout) == (2, "")
    assert (
        done.stderr == "newscli: error: --now: an email's Date is of a year from 1900 on, not 1\n"
    )
    done = run_cli(*email, "--now", "1900-01-01T00:00:00Z")
    assert done.returncode == 0, done.stderr
    assert "Date: Mon, 01 Jan 1900 00:00:00 +0000" in done.stdout


def test_ten_digits_of_a_second_are_cut_to_microseconds(tmp_path: Path) -> None:
    when = "2025-03-01T10:00:00.1234567891Z"
    source = tmp_path / "agg.json"
    source.write_text(json.dumps({"value": [{"title": "Ten digits", "webUrl":
                      "https://f.example/1", "publishedDateTime": when}]}))  # fmt: skip
    env = {"NEWSCLI_STATE_DIR": str(tmp_path / "state")}
    done = run_cli("import", str(source), "--into", "feeds", "-q", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    write(
        tmp_path / "feeds" / "file.md", f'---\ntitle: "A file"\npublishedDateTime: "{when}"\n---\n'
    )
    found = run_cli("export", "feeds", "--fields", "title,publishedDateTime", "--no-cache",
                    cwd=tmp_path)  # fmt: skip
    assert found.returncode == 0, found.stderr
    assert {r["publishedDateTime"] for r in json.loads(found.stdout)} == {
        "2025-03-01T10:00:00.123456Z"
    }
