"""A preset's value is one the command line could give: a mapping (or a list in a list)
is a config error naming the key, and a preset cannot name a preset or a config."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLES, run_cli, write


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("topic: {x: 1}", "presets.p.topic: expected a value, not a mapping"),
        ("topic: [[AI]]", "presets.p.topic: expected a value, not a list in a list"),
        ("topic: [null]", "presets.p.topic: expected a value, not a null"),
        ("limit: null", "presets.p.limit: expected a value, not a null"),
        ("preset: q", "presets.p.preset: a preset cannot name a preset"),
        ("config: other.yaml", "presets.p.config: a preset cannot name a config"),
        # h54: an empty list was the option's default, unsaid (every kind of evidence)
        (
            "same-story: []",
            "presets.p.same-story: an empty list; leave the key out for the default",
        ),
        ("topic: []", "presets.p.topic: an empty list; leave the key out for the default"),
        (
            "wherex: []",
            "presets.p.wherex: unknown option; did you mean 'where'?",
        ),  # (h57: said "an empty list")
    ],
)
def test_impossible_preset_values_are_config_errors(
    tmp_path: Path, body: str, message: str
) -> None:
    write(tmp_path / "c.yaml", f"presets:\n  p:\n    {body}\n  q:\n    topic: AI\n")
    result = run_cli("list", str(SAMPLES), "--config", "c.yaml", "--preset", "p", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, ""), result.stderr
    assert result.stderr == f"newscli: error: c.yaml: {message}\n"
    good = run_cli("list", str(SAMPLES), "--config", "c.yaml", "--preset", "q", cwd=tmp_path)
    assert good.returncode == 0 and good.stdout.count("\n") > 1, good.stderr


def test_same_story_empty_in_the_config_is_an_error(tmp_path: Path) -> None:
    """h54: `same-story: []` meant every kind of evidence; --same-story= is refused."""
    write(tmp_path / "c.yaml", "same-story: []\n")
    result = run_cli("clusters", str(SAMPLES), "--config", "c.yaml", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, ""), result.stderr
    assert result.stderr == (
        "newscli: error: c.yaml: same-story: name at least one of url, related, similar "
        "(leave the key out for all)\n"
    )
