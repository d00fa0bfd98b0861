"""A regular expression the engine cannot take for more than a syntax error (h30: a
repetition count past its limit raised OverflowError, a thousand nested groups
RecursionError: an internal error, exit 1, and in `review` a traceback) is a usage
error like any invalid one: exit 2, the reason, in `--where` the caret under it.
Through the installed command."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLES, run_cli, write

from newscli.select.regex import RegexError, compile_regex

TOO_MANY = "a{4294967296}"
TOO_DEEP = "(" * 2000 + ")" * 2000
REASONS = {TOO_MANY: "a repetition count is too large", TOO_DEEP: "it is nested too deeply"}


@pytest.mark.parametrize("pattern", [TOO_MANY, TOO_DEEP], ids=["count", "depth"])
def test_where_and_match_refuse_it_with_the_reason(pattern: str, tmp_path: Path) -> None:
    reason = REASONS[pattern]
    where = run_cli("list", str(SAMPLES), "--where", f'title =~ "{pattern}"', cwd=tmp_path)
    assert (where.returncode, where.stdout) == (2, ""), where.stderr
    first, shown, caret = where.stderr.splitlines()
    assert shown.startswith('  title =~ "')
    assert first == f"newscli: error: --where: invalid regular expression: {reason}"
    assert caret == "  " + " " * len("title =~ ") + "^"  # under the pattern
    match = run_cli("list", str(SAMPLES), "--match", pattern, cwd=tmp_path)
    assert (match.returncode, match.stdout) == (2, ""), match.stderr
    assert match.stderr == f"newscli: error: --match: invalid regular expression: {reason}\n"
    assert "Traceback" not in where.stderr + match.stderr


def test_a_preset_holding_it_is_a_config_error_before_any_work(tmp_path: Path) -> None:
    write(tmp_path / "c.yaml", f'presets:\n  p:\n    match: "{TOO_MANY}"\n')
    for args in (["presets"], ["list", str(SAMPLES), "--preset", "p"]):
        result = run_cli(*args, "--config", "c.yaml", cwd=tmp_path)
        assert (result.returncode, result.stdout) == (2, ""), result.stderr
        assert result.stderr == (
            "newscli: error: c.yaml: presets.p.match: invalid regular expression: "
            "a repetition count is too large\n"
        )


def test_every_way_the_engine_refuses_is_one_error_type() -> None:
    for pattern, reason in [*REASONS.items(), ("(", "missing \\), unterminated subpattern")]:
        with pytest.raises(RegexError, match=reason.split(",")[0]):
            compile_regex(pattern)
    assert compile_regex("A+").search("baa")  # (and case-insensitive)
