"""A parsing worker stopped (SIGSTOP) in the middle of sending its result, then SIGTERM
to the run: the run said "terminated" and never exited, on Python 3.10 to 3.13 (the
pool's manager thread waited for the rest of the result; killing the stopped worker
does not end that wait). Now it exits 143 within the pool's grace, no process left.
The command's own code runs in a real process, its worker's function wrapped to stop
itself at that point (no outside signal can be timed to land inside one write)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from process_helpers import alive, children, wait_gone

from newscli.index import parallel
from tests.conftest import article_text, installed_command, write

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork and /proc")

# The first worker to parse a chunk writes the length of a result and a few of its
# bytes to the pool's result pipe, holding its lock as a put does, then stops itself;
# the other worker's results wait for the lock (without it, they were read as the rest
# of the first one's: a broken pool, not this case; 1 CI run in 6).
STOPPING = """
import gc, os, signal, struct, sys
import multiprocessing.queues
import newscli.index.loader as loader
from newscli.cli import main

parse_chunk = loader.parse_chunk

def stopping(job):
    try:
        os.close(os.open(os.environ["STOP_MARK"], os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return parse_chunk(job)
    queue = next(o for o in gc.get_objects() if type(o) is multiprocessing.queues.SimpleQueue)
    queue._wlock.acquire()  # (as a put holds it: the other worker's results wait)
    os.write(queue._writer.fileno(), struct.pack("!i", 1 << 20) + bytes(10))
    os.kill(os.getpid(), signal.SIGSTOP)
    return parse_chunk(job)

stopping.__module__, stopping.__qualname__ = loader.__name__, "parse_chunk"
loader.parse_chunk = stopping
sys.argv[0] = "newscli"
main()
"""


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_sigterm_ends_a_run_whose_worker_stopped_inside_a_result(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    for i in range(3000):
        write(feeds / f"d{i % 10}" / f"a{i:05d}.md", article_text(title=f"Article {i}"))
    env = {**os.environ, "NEWSCLI_JOBS": "2", "STOP_MARK": str(tmp_path / "stopped")}
    env["NEWSCLI_STATE_DIR"] = str(tmp_path / "state")
    env.pop("NEWSCLI_DEBUG", None)
    python = installed_command().parent / "python"
    proc = subprocess.Popen(
        [str(python), "-c", STOPPING, "list", "--no-cache", "--format", "tsv", str(feeds)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    err, ended = _terminated_once_stopped(proc)
    assert (proc.returncode, err) == (143, b"newscli: error: terminated\n")
    # GRACE for the workers to finish their jobs, then at once (it was twice GRACE: the
    # pool's manager thread, still reading, was waited for as long again)
    assert ended < 1.5 * parallel.GRACE, f"{ended:.2f} s from SIGTERM to the end"


# map_jobs in a process of its own (a library user's, whose exit is Python's): the same
# stop, then SIGTERM. It printed "terminated" and never exited.
ALONE = """
import gc, os, signal, struct, sys, time
import multiprocessing.queues
from newscli.index.parallel import map_jobs

def job(n):
    if n == 0:
        queue = next(o for o in gc.get_objects()
                     if type(o) is multiprocessing.queues.SimpleQueue)
        queue._wlock.acquire()
        os.write(queue._writer.fileno(), struct.pack("!i", 1 << 20) + bytes(10))
        os.kill(os.getpid(), signal.SIGSTOP)
    time.sleep(0.05)
    return [n]

def on_term(*_):
    raise KeyboardInterrupt

signal.signal(signal.SIGTERM, on_term)
try:
    for n in map_jobs(job, list(range(20)), 2, 20):
        pass
except KeyboardInterrupt:
    sys.stderr.write("terminated\\n")
    sys.exit(143)
"""


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_map_jobs_alone_exits_after_sigterm_with_a_worker_stopped_inside_a_result() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", ALONE], stderr=subprocess.PIPE, start_new_session=True
    )
    err, _ = _terminated_once_stopped(proc)
    assert (proc.returncode, err) == (143, b"terminated\n")


def _terminated_once_stopped(proc: subprocess.Popen[bytes]) -> tuple[bytes, float]:
    """SIGTERM to proc once one of its workers has stopped itself; (its stderr, the
    seconds from SIGTERM to its end). Nothing of it is left running after."""
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while not _stopped(workers := children(proc.pid)):
            assert proc.poll() is None, proc.communicate()[1].decode()[-3000:]  # (why)
            assert time.monotonic() < deadline, "no worker stopped"
            time.sleep(0.01)
        proc.send_signal(signal.SIGTERM)
        sent = time.monotonic()
        try:
            _, err = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            raise AssertionError("the run hung after SIGTERM") from None
        ended = time.monotonic() - sent
        assert wait_gone(workers, 5) == [], "a worker was left behind"
        return err, ended
    finally:
        proc.kill()
        proc.wait()
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
                os.kill(pid, signal.SIGCONT)


def _stopped(pids: list[int]) -> bool:
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as handle:
                if handle.read().rsplit(")", 1)[1].split()[0] == "T":
                    return True
        except OSError:
            continue
    return False
