"""Small command-line fixes from new users' passes: NEWSCLI_DEBUG=0 (or false, no, off)
turned tracebacks on (h50); review's --help gave other commands' defaults (h47)."""

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


def test_review_s_help_gives_its_own_defaults() -> None:
    """h47: review's --help said "Default: both" of --published, "newest first" of
    --sort and "write no output" of --strict, none of which review does."""
    from conftest import run_cli

    review = " ".join(run_cli("review", "--help", env={"COLUMNS": "200"}).stdout.split())
    assert "Default: unpublished." in review and "Default: both" not in review
    assert "Default: best first (quality, then heat, then newest)." in review
    assert "list them all and do not start" in review and "write no output" not in review
    listed = " ".join(run_cli("list", "--help", env={"COLUMNS": "200"}).stdout.split())
    assert "Default: both." in listed and "Default: newest first." in listed
    assert "At most N articles." in listed and "Skip the first N articles." in listed
    # h54: clusters' --limit and --offset count stories, as the README says
    clusters = " ".join(run_cli("clusters", "--help", env={"COLUMNS": "200"}).stdout.split())
    assert "At most N stories." in clusters and "Skip the first N stories." in clusters


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_every_help_fits_80_columns() -> None:
    """h50: the epilogs' prose was laid out as written (a `\\b` block), up to 94 columns
    wide at COLUMNS=80; it is a paragraph of its own now, which Click wraps."""
    from conftest import run_cli

    from newscli.cli import COMMAND_MODULES

    for command in ["", *COMMAND_MODULES]:
        shown = run_cli(*([command] if command else []), "--help", env={"COLUMNS": "80"})
        assert shown.returncode == 0, (command, shown.stderr)
        wide = [line for line in shown.stdout.splitlines() if len(line) > 80]
        assert not wide, (command, wide)


def test_heat_bounds_are_checked_without_a_range_in_the_help() -> None:
    """h56: --min-heat's 19-digit range broke over lines in --help (a copied bound was
    wrong); the bound is still a 64-bit integer, checked, from a preset too."""
    from conftest import SAMPLES, run_cli

    shown = run_cli("list", "--help", env={"COLUMNS": "60"}).stdout
    assert "922337" not in shown
    for option in ("--min-heat", "--max-heat"):
        big = run_cli("list", str(SAMPLES), option, "9223372036854775808")
        assert big.returncode == 2 and big.stderr == (
            f"newscli: error: {option}: 9223372036854775808 is not a 64-bit integer (as heat is)\n"
        )
        edge = run_cli("list", str(SAMPLES), option, str(-(2**63)))
        assert edge.returncode in (0, 4), edge.stderr
