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


def _story_feeds(feeds: Path, stories: int = 300) -> None:
    """Stories of two articles (the same URL), long titles: a clusters JSON of some MB."""
    for n in range(stories):
        title = f"Story {n} " + "headline words " * 200
        for outlet in ("a", "b"):
            text = article_text(title=title).replace(
                "quality:", f'webUrl: "https://news.example/{n}"\nquality:', 1
            )
            write(feeds / outlet / f"s{n:04}.md", text)


@pytest.mark.slow
def test_clusters_json_stopped_while_read_ends_with_a_whole_line(tmp_path: Path) -> None:
    """clusters --format json is written in pieces as they are made; each write ends at
    a line end, so a signal that lands between two (the reader keeping up, the run
    making the next piece) leaves whole lines (a piece ended with a story's closing
    brace, its comma in the next one: 10 of 10 runs stopped ended inside a line)."""
    import random

    feeds = tmp_path / "feeds"
    _story_feeds(feeds)
    env = {**os.environ, "NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    command = [NEWSCLI, "clusters", str(feeds), "--format", "json"]
    whole = subprocess.run(command, env=env, capture_output=True)
    assert whole.returncode == 0 and len(whole.stdout) > 1 << 20, whole.stderr
    rnd = random.Random(5)
    stopped = 0
    for _ in range(40):
        proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert proc.stdout is not None and proc.stderr is not None
        out = bytearray(os.read(proc.stdout.fileno(), 1))
        delay = time.monotonic() + rnd.uniform(0.0, 0.05)
        signum = rnd.choice([signal.SIGTERM, signal.SIGINT])
        sent = False
        while chunk := os.read(proc.stdout.fileno(), 1 << 16):  # a reader keeping up
            out += chunk
            if not sent and time.monotonic() >= delay:
                proc.send_signal(signum)
                sent = True
        if not sent:
            proc.send_signal(signum)
        code = proc.wait(timeout=60)
        err = proc.stderr.read()
        proc.stderr.close()
        proc.stdout.close()
        assert whole.stdout.startswith(out)
        if code == 0:
            continue  # it was done before the signal came
        assert code == (143 if signum == signal.SIGTERM else 130), err
        stopped += 1
        assert out.endswith(b"\n"), (len(out), bytes(out[-80:]))
        if stopped == 8:
            break
    assert stopped >= 4, "too few runs stopped while writing: the case is not tested"
