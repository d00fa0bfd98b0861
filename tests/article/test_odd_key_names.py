"""h43: a key `.inf` (a float in YAML) was named "None" in the export JSON, while
`fields` and `show` called it "inf": no --fields could name it, and `.inf` beside a
key "None" was a duplicate of a name the file does not hold. Installed command, with
and without the cache."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli, write


@pytest.mark.parametrize("cache", [[], ["--no-cache"]])
def test_non_finite_keys_are_named_as_fields_names_them(tmp_path: Path, cache: list[str]) -> None:
    feeds = tmp_path / "feeds"
    write(feeds / "c.md", '---\ntitle: c\n"None": 1\n.inf: 2\n-.inf: 3\n.nan: 4\n---\n')
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    for _ in range(2):  # cold, then warm
        run = run_cli("export", str(feeds), *cache, "--format", "jsonl", env=env)
        assert run.returncode == 0, run.stderr
        record = json.loads(run.stdout)
        assert [k for k in record if k not in ("title", "path")] == ["None", "inf", "-inf", "nan"]
        picked = run_cli("export", str(feeds), *cache, "--format", "jsonl", "--fields",
                         "inf,nan,None", env=env)  # fmt: skip
        assert json.loads(picked.stdout) == {"inf": 2, "nan": 4, "None": 1}
    names = run_cli("fields", str(feeds), *cache, "--format", "tsv", env=env)
    found = {line.split("\t")[0] for line in names.stdout.splitlines()}
    assert {"inf", "-inf", "nan", "None"} <= found


def test_a_key_inf_beside_a_key_named_inf_is_a_duplicate(tmp_path: Path) -> None:
    write(tmp_path / "d.md", '---\ntitle: d\n.inf: 1\n"inf": 2\n---\n')
    run = run_cli("validate", str(tmp_path / "d.md"))
    assert run.returncode == 1
    assert "duplicate key 'inf'" in run.stderr + run.stdout, run.stderr
