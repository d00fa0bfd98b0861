"""Ctrl-C and SIGTERM end a cold load in worker processes promptly: the chunks not yet
started are cancelled, not parsed before the process exits."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import article_text, write

pytestmark = pytest.mark.slow  # the long tier: pytest -m slow (CI runs it)

NEWSCLI = Path(sys.executable).parent / "newscli"


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_during_a_parallel_cold_load_ends_the_run_promptly(
    tmp_path: Path, sig: signal.Signals, code: int
) -> None:
    feeds = tmp_path / "feeds"
    for i in range(30000):  # ~4 s of cold load on 2 idle cores
        write(feeds / f"d{i % 10}" / f"a{i:05}.md", article_text(title=f"Article {i}"))
    env = {**os.environ, "NEWSCLI_JOBS": "2", "NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.Popen(
        [NEWSCLI, "list", str(feeds), "-q"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    deadline = time.monotonic() + 10
    while not children.read_text().split() and time.monotonic() < deadline:
        time.sleep(0.01)  # start-up and the walk, until the pool's workers exist
    time.sleep(0.1)  # the pool at work on the first chunks
    assert proc.poll() is None, "the load finished before the signal: make it bigger"
    sent = time.monotonic()
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    took = time.monotonic() - sent
    assert proc.returncode == code, err
    assert took < 2, f"{took:.1f} s from the signal to the exit"  # 0.1 s; every chunk: ~4 s
