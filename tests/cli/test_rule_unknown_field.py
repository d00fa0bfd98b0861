"""A config rule naming a field no article has is reported as that rule (the config's
rules.exclude[N]), not as a --where the user never typed."""

from __future__ import annotations

from pathlib import Path

from conftest import article_text, run_cli, write


def test_a_rule_with_an_unknown_field_names_the_rule(tmp_path: Path) -> None:
    write(tmp_path / "feeds" / "a.md", article_text(title="A"))
    config = write(tmp_path / "c.yaml", 'rules:\n  exclude: ["quality < 10", "nosuch > 3"]\n')
    result = run_cli("list", "feeds", "--config", str(config), "--no-cache", cwd=tmp_path)
    assert result.returncode == 2
    first = result.stderr.splitlines()[0]
    assert first.startswith("newscli: error: rules.exclude[1]: unknown field 'nosuch'")
    assert "--where" not in result.stderr
