"""A run stopped (SIGTERM, Ctrl-C) while stdout is a full pipe leaves its reader whole
lines: the pipe took 64 KiB of a larger write and the output ended inside a line
(h12: `list` into a pipe read late, 3 of 3 runs)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import article_text, write

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pipes")
NEWSCLI = str(Path(sys.executable).parent / "newscli")


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_run_stopped_on_a_full_pipe_ends_with_a_whole_line(
    tmp_path: Path, signum: int, code: int
) -> None:
    feeds = tmp_path / "feeds"
    for i in range(1500):
        write(feeds / f"a{i:05}.md", article_text(title=f"Article number {i} " + "word " * 12))
    env = {**os.environ, "NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    warm = subprocess.run([NEWSCLI, "list", str(feeds)], env=env, capture_output=True)
    assert warm.returncode == 0 and len(warm.stdout) > 3 * 65536  # more than a pipe holds
    proc = subprocess.Popen(
        [NEWSCLI, "list", str(feeds)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    time.sleep(1.5)  # (it has filled the pipe, nobody reading, and waits)
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    assert out and out.endswith(b"\n"), out[-80:]
    assert warm.stdout.startswith(out)  # what came is the output's beginning, whole lines
