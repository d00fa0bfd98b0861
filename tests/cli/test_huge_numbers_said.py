"""A number too long to be a value is said in newscli's words, in one short line (h99
LOW: `--where` passed on Python's advice to call sys.set_int_max_str_digits(), and a
5,000-digit `--min-heat` was quoted back whole)."""

from __future__ import annotations

from conftest import SAMPLES, run_cli

HUGE = "9" * 5000


def test_a_huge_number_in_where() -> None:
    done = run_cli("list", str(SAMPLES), "--where", f"quality > {HUGE}")
    assert done.returncode == 2
    first = done.stderr.splitlines()[0]
    assert first == "newscli: error: --where: a number of more than 400 digits"


def test_a_huge_number_as_an_option() -> None:
    done = run_cli("list", str(SAMPLES), "--min-heat", HUGE)
    assert done.returncode == 2
    assert done.stderr == f"newscli: error: --min-heat: '{HUGE[:60]}...' is not a valid int\n"


def test_a_huge_value_holding_a_quote() -> None:
    """h100: Click quotes such a value in double quotes, which were not cut."""
    done = run_cli("list", str(SAMPLES), "--min-heat", "x'" + HUGE)
    assert done.returncode == 2
    assert done.stderr == f'newscli: error: --min-heat: "x\'{HUGE[:58]}..." is not a valid int\n'
