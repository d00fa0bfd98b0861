"""h54: a second --where replaced the first, unsaid (`--where 'quality > 80' --where
'heat < 300'` kept articles of any quality). Repeated, each must hold; a preset may
give a list; a syntax error names the expression it is in. Installed command."""

from __future__ import annotations

from pathlib import Path

from conftest import SAMPLES, run_cli, write


def _titles(*args: str, cwd: Path) -> list[str]:
    run = run_cli("list", str(SAMPLES), "--format", "tsv", "--columns", "title", *args, cwd=cwd)
    assert run.returncode == 0, run.stderr
    return run.stdout.splitlines()[1:]


def test_repeated_where_expressions_must_all_hold(tmp_path: Path) -> None:
    both = _titles("--where", "quality > 80", "--where", "heat < 300", cwd=tmp_path)
    assert both == _titles("--where", "quality > 80 and heat < 300", cwd=tmp_path)
    assert both and set(both) < set(_titles("--where", "quality > 80", cwd=tmp_path))
    assert set(both) < set(_titles("--where", "heat < 300", cwd=tmp_path))
    # an `or` inside one keeps its meaning (each is one expression)
    either = _titles("--where", "quality > 90 or heat < 300", "--where", "quality > 80",
                     cwd=tmp_path)  # fmt: skip
    assert either == _titles("--where", "(quality > 90 or heat < 300) and quality > 80",
                             cwd=tmp_path)  # fmt: skip
    write(tmp_path / "newscli.yaml", "presets:\n  p:\n    where: ['quality > 80', 'heat < 300']\n")
    assert _titles("--preset", "p", cwd=tmp_path) == both


def test_an_error_shows_the_expression_it_is_in(tmp_path: Path) -> None:
    run = run_cli("list", str(SAMPLES), "--where", "quality > 80", "--where", "heat <",
                  cwd=tmp_path)  # fmt: skip
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.splitlines() == [
        "newscli: error: --where: expected a field or a value but found end of expression",
        "  heat <",
        "        ^",
    ]


def test_an_unknown_field_shows_the_expression_it_is_in(tmp_path: Path) -> None:
    """h57: it showed the joined expression, `(quality > 60) and (qualty > 5)`, which
    the user never typed."""
    run = run_cli("list", str(SAMPLES), "--where", "quality > 60", "--where", "qualty > 5",
                  cwd=tmp_path)  # fmt: skip
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.splitlines() == [
        "newscli: error: --where: unknown field 'qualty'; did you mean 'quality'? "
        "(`newscli fields PATH` lists them all)",
        "  qualty > 5",
        "  ^",
    ]
