"""h122 LOW: a file with the keys `1:` and `true:` (or `0:` and `false:`) was refused
as "duplicate key 'true'": Python takes 1 and True for one key, while their names in
the export are "1" and "true". Such a file is valid, both fields exported; `1:` beside
`"1":` is still a duplicate. Through the installed command, warm and without the
cache."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli


@pytest.mark.parametrize(
    ("keys", "fields"),
    [("1: one\ntrue: t\n", {"1": "one", "true": "t"}),
     ("false: f\n0: zero\n", {"false": "f", "0": "zero"})],
    ids=["1-true", "false-0"],
)  # fmt: skip
def test_one_and_true_are_two_keys(tmp_path: Path, keys: str, fields: dict[str, str]) -> None:
    (tmp_path / "a.md").write_text(f"---\ntitle: k\n{keys}---\n", encoding="utf-8")
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    valid = run_cli("validate", "a.md", cwd=tmp_path, env=env)
    assert valid.returncode == 0, valid.stdout + valid.stderr
    for extra in ([], [], ["--no-cache"]):  # (cold, warm, and without the cache)
        done = run_cli("export", "a.md", *extra, cwd=tmp_path, env=env)
        (record,) = json.loads(done.stdout)
        assert {k: record[k] for k in fields} == fields, done.stderr


def test_one_and_quoted_one_are_still_one_key(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text('---\ntitle: k\n1: one\n"1": t\n---\n', encoding="utf-8")
    done = run_cli("validate", "a.md", cwd=tmp_path)
    assert done.returncode == 1 and "duplicate key '1'" in done.stdout + done.stderr
