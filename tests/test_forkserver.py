"""The fork server (tests/forkserver.py) that `run_cli` uses gives what the installed
script gives when it runs itself: the same stdout, stderr and exit code."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import HOSTILE, REPO, SAMPLES, _fork_server, installed_command, run_cli

RUNS = [
    ("list", str(SAMPLES)),
    ("export", str(SAMPLES), "--format", "json", "--sort", "quality"),
    ("list", str(HOSTILE), "--format", "tsv"),
    ("validate", str(HOSTILE)),
    ("show", str(SAMPLES)),
    ("lisst",),
    ("export", str(SAMPLES), "--where", "quality >"),
    ("--help",),
    ("stats", str(SAMPLES), "--format", "json"),
]


def _by_the_script(
    args: tuple[str, ...], cwd: Path = REPO, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if k != "NEWSCLI_DEBUG"} | (env or {})
    return subprocess.run(
        [str(installed_command()), *args],
        cwd=cwd,
        env=full,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_a_forked_run_equals_the_script_run() -> None:
    if not os.environ.get("NEWSCLI_TEST_EXEC"):
        assert _fork_server().usable(dict(os.environ))  # so run_cli below forks
    codes = set()
    for args in RUNS:
        forked, real = run_cli(*args), _by_the_script(args)
        assert (forked.returncode, forked.stdout, forked.stderr) == (
            real.returncode,
            real.stdout,
            real.stderr,
        ), args
        codes.add(real.returncode)
    assert codes >= {0, 1, 2}  # successes, file errors and usage errors were all compared


def test_a_forked_run_takes_the_folder_and_environment_given(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    shutil.copytree(SAMPLES, feeds)
    caches = [tmp_path / "cache-forked", tmp_path / "cache-script"]
    args = ("export", "feeds", "--format", "jsonl", "--fields", "title,path")
    forked = run_cli(*args, cwd=tmp_path, env={"NEWSCLI_CACHE_DIR": str(caches[0])})
    real = _by_the_script(args, cwd=tmp_path, env={"NEWSCLI_CACHE_DIR": str(caches[1])})
    assert forked.returncode == real.returncode == 0, forked.stderr
    assert forked.stdout == real.stdout  # paths relative to the folder given
    assert forked.stdout.count('"path":"feeds/') == len(list(feeds.rglob("*.md")))
    assert all((cache / "index.sqlite3").is_file() for cache in caches)


def test_what_python_reads_at_start_makes_run_cli_start_the_script(tmp_path: Path) -> None:
    server = _fork_server()
    base = dict(os.environ)
    assert server.usable({**base, "NEWSCLI_CACHE_DIR": str(tmp_path), "COLUMNS": "40"})
    for name, value in (("LANG", "C"), ("TZ", "Asia/Tokyo"), ("PYTHONIOENCODING", "latin-1")):
        assert not server.usable({**base, name: value}), name
    # and run_cli starts the script for such a run, not a fork (the server runs nothing)
    before = server.child_cpu
    assert run_cli("--version", env={"TZ": "Asia/Tokyo"}).returncode == 0
    assert server.child_cpu == before
    if not os.environ.get("NEWSCLI_TEST_EXEC"):
        assert run_cli("--version", env={"COLUMNS": "40"}).returncode == 0
        assert server.child_cpu > before
