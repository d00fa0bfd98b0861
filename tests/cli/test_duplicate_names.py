"""Two keys of one mapping that export under the same name (YAML's integer 1 and the
text "1", a date and its text, null and "null") are a duplicate key, as two equal keys
are: in an article's front matter (the file is invalid; it used to export JSON holding
"1" twice) and in the config file (one of two presets used to win silently, or the
integer one was "expected a mapping of options"). Run through the installed command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SAMPLES, run_cli, write

from newscli.article.frontmatter_yaml import load_yaml_full


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize(
    ("keys", "named"),
    [
        ('1: x\n"1": y\n', "1"),
        ('"1": y\n1: x\n', "1"),
        ('2025-01-01: x\n"2025-01-01": y\n', "2025-01-01"),
        ('null: x\n"null": y\n', "null"),
        ('false: x\n"false": y\n', "false"),
        ('1.5: x\n"1.5": y\n', "1.5"),
    ],
)
def test_an_article_whose_keys_export_alike_is_invalid(
    tmp_path: Path, keys: str, named: str
) -> None:
    write(tmp_path / "feeds" / "a.md", f"---\ntitle: A\n{keys}---\nBody.\n")
    for cache in ("--no-cache", "--cache-dir=" + str(tmp_path / "cache")):
        result = run_cli("export", "feeds", "--format", "json", cache, cwd=tmp_path)
        assert (result.returncode, result.stdout) == (0, "[]\n"), cache
        assert result.stderr == f"feeds/a.md: duplicate key '{named}' (line 4, column 1)\n"


def test_keys_that_export_under_other_names_are_still_kept(tmp_path: Path) -> None:
    write(tmp_path / "a.md", '---\ntitle: A\n1: x\n"2": y\nnested:\n  3: z\n  "4": w\n---\n')
    result = run_cli("export", "a.md", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    [record] = json.loads(result.stdout)
    assert (record["1"], record["2"], record["nested"]) == ("x", "y", {"3": "z", "4": "w"})


def test_nested_and_merged_keys() -> None:
    with pytest.raises(Exception, match="duplicate key '1'"):
        load_yaml_full('a:\n  1: x\n  "1": y\n')
    # a merge adds only names not already set: "1" set, the merged 1 is left out
    assert load_yaml_full('"1": y\n<<: {1: x, 2: z}\n') == {"1": "y", 2: "z"}
    assert load_yaml_full('<<: [{1: x}, {"1": y}]\n') == {1: "x"}


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ('presets:\n  1:\n    limit: 1\n  "1":\n    limit: 2\n', "duplicate key '1' (line 4)"),
        ("presets:\n  1:\n    limit: 1\n", "presets.1: a preset's name must be text (quote it)"),
        (
            "presets:\n  p:\n    5: 1\n",
            "presets.p.5: an option's name must be text (quote it)",
        ),
        ('presets:\n  p:\n    limit: 1\n    "limit": 2\n', "duplicate key 'limit' (line 4)"),
    ],
)
def test_a_config_whose_keys_name_one_thing_twice_is_an_error(
    tmp_path: Path, config: str, message: str
) -> None:
    write(tmp_path / "c.yaml", config)
    for args in (["presets"], ["list", str(SAMPLES), "--preset", "1"]):
        result = run_cli(*args, "--config", "c.yaml", cwd=tmp_path)
        assert (result.returncode, result.stdout) == (2, ""), result.stderr
        assert result.stderr == f"newscli: error: c.yaml: {message}\n"
