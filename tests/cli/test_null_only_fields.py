"""h150 MED: a field that files hold with a null value only (`embargo: null`) was an
unknown field to --where, --fields and --columns: exit 2, so a cron job's
`--where 'embargo = null'` failed on any day when every file had it null. A field some
file holds is known, null or not; a name no file holds is still refused (typos).
Installed command, cold and warm."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli, write


@pytest.mark.parametrize("cache", [[], ["--no-cache"]])
def test_a_field_null_in_every_file_that_has_it_is_known(tmp_path: Path, cache: list[str]) -> None:
    write(tmp_path / "f" / "a.md", "---\ntitle: A\nembargo: null\nx: {y: null}\n---\nbody\n")
    write(tmp_path / "f" / "b.md", "---\ntitle: B\nembargo: 2025-01-02\n---\nbody\n")
    write(tmp_path / "g" / "c.md", "---\ntitle: C\nembargo: null\n---\nbody\n")
    env = {"NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    for _ in range(2):  # cold, then warm
        for where, folder, titles in (
            ("embargo = null", "g", ["C"]),
            ("embargo = null", "f", ["A"]),
            ("x.y = null and title = 'A'", "f", ["A"]),
        ):
            run = run_cli("list", folder, *cache, "--where", where, "--format", "tsv",
                          "--columns", "title", cwd=tmp_path, env=env)  # fmt: skip
            assert run.returncode == 0, run.stderr
            assert run.stdout.split()[1:] == titles
        run = run_cli("export", "g", *cache, "--fields", "title,embargo", "--format", "jsonl",
                      cwd=tmp_path, env=env)  # fmt: skip
        assert run.returncode == 0, run.stderr
        assert json.loads(run.stdout) == {"title": "C", "embargo": None}
        for option, value in (("--where", "embargoo = null"), ("--columns", "title,embargoo")):
            run = run_cli("list", "g", *cache, option, value, cwd=tmp_path, env=env)
            assert run.returncode == 2
            assert "unknown field 'embargoo'" in run.stderr
