"""A regular expression that backtracks without end (README: no time limit, Python's
`re` has none) is still ended at once by SIGTERM and Ctrl-C, so a cron job run under
`timeout` ends: the README says so. The installed command, a real process."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import NEWSCLI, write


@pytest.mark.slow  # (the long tier: the default run stays near its time)
@pytest.mark.parametrize(
    ("sent", "code", "said"),
    [(signal.SIGTERM, 143, "terminated"), (signal.SIGINT, 130, "interrupted")],
    ids=["SIGTERM", "Ctrl-C"],
)
@pytest.mark.parametrize("option", ["--match", "--where"])
def test_a_backtracking_pattern_ends_at_a_signal(
    tmp_path: Path, sent: signal.Signals, code: int, said: str, option: str
) -> None:
    write(tmp_path / "a.md", f'---\ntitle: "{"A" * 60}C"\n---\n')  # (2**30 ways to try)
    pattern = "^(A|AA)+B" if option == "--match" else 'title =~ "^(A|AA)+B"'
    argv = [str(NEWSCLI), "list", str(tmp_path), "--no-cache", option, pattern]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(1.5)  # (started, and matching)
        assert proc.poll() is None, proc.communicate()
        proc.send_signal(sent)
        _, err = proc.communicate(timeout=10)
        assert (proc.returncode, err) == (code, f"newscli: error: {said}\n")
    finally:
        proc.kill()  # (one that did not end would match for ever)
        proc.wait()
