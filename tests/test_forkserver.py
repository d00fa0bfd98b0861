"""The fork server (tests/forkserver.py) that `run_cli` uses gives what the installed
script gives when it runs itself: the same stdout, stderr and exit code."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import HOSTILE, SAMPLES, _fork_server, installed_command, run_cli

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


def _by_the_script(args: tuple[str, ...]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "NEWSCLI_DEBUG"}
    return subprocess.run(
        [str(installed_command()), *args], env=env, capture_output=True, text=True, timeout=60
    )


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


def test_what_python_reads_at_start_makes_run_cli_start_the_script(tmp_path: Path) -> None:
    server = _fork_server()
    base = dict(os.environ)
    assert server.usable({**base, "NEWSCLI_CACHE_DIR": str(tmp_path), "COLUMNS": "40"})
    for name, value in (("LANG", "C"), ("TZ", "Asia/Tokyo"), ("PYTHONIOENCODING", "latin-1")):
        assert not server.usable({**base, name: value}), name
    # and such a run really is the script's: an encoding set for it is the one it gets
    latin = run_cli("--version", env={"PYTHONIOENCODING": "latin-1"})
    assert latin.returncode == 0 and latin.stdout == "newscli 0.1.0\n"
