"""A config rule naming a field no article has is reported as that rule (the config's
rules.exclude[N], in the config file named), not as a --where the user never typed. A
rule found wrong only once the articles are read (an unknown field, a regular expression
that does not compile) names the config file too, as a syntax error does."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import article_text, run_cli, write


def test_a_rule_with_an_unknown_field_names_the_rule(tmp_path: Path) -> None:
    write(tmp_path / "feeds" / "a.md", article_text(title="A"))
    config = write(tmp_path / "c.yaml", 'rules:\n  exclude: ["quality < 10", "nosuch > 3"]\n')
    result = run_cli("list", "feeds", "--config", str(config), "--no-cache", cwd=tmp_path)
    assert result.returncode == 2
    first = result.stderr.splitlines()[0]
    assert first == (
        f"newscli: error: {config}: rules.exclude[1]: unknown field 'nosuch' "
        "(`newscli fields PATH` lists them all)"
    )
    assert "--where" not in result.stderr


@pytest.mark.parametrize("command", ["list", "export", "stats"])
def test_a_rule_that_does_not_compile_names_the_config_file(tmp_path: Path, command: str) -> None:
    write(tmp_path / "feeds" / "a.md", article_text(title="A"))
    write(tmp_path / "newscli.yaml", 'rules:\n  exclude: [published, "title =~ \\"(\\""]\n')
    result = run_cli(command, "feeds", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith(
        "newscli: error: newscli.yaml: rules.exclude[1]: invalid regular expression: "
    ), result.stderr
    assert run_cli(command, "feeds", "--no-rules", cwd=tmp_path).returncode == 0
