"""A config rule found wrong only once the articles are read (a regular expression
that does not compile) names the config file and the rule, as a syntax error does, not
a --where the user never typed. A rule naming a field no article has is no error (h48,
h49: a quiet day's cron run stopped with exit 2): that field is missing everywhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import article_text, run_cli, write


def test_a_rule_with_a_field_no_article_has_excludes_nothing(tmp_path: Path) -> None:
    write(tmp_path / "feeds" / "a.md", article_text(title="A"))
    config = write(tmp_path / "c.yaml", 'rules:\n  exclude: ["quality < 10", "nosuch > 3"]\n')
    result = run_cli("list", "feeds", "--config", str(config), "--no-cache", "--format", "tsv",
                     "--columns", "title", cwd=tmp_path)  # fmt: skip
    assert (result.returncode, result.stdout, result.stderr) == (0, "title\nA\n", "")


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
