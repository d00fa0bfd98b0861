"""A run whose worker processes are at work when Ctrl-C or SIGTERM comes ends within a
bound, whatever the workers do: never waiting for them forever (index/parallel._end).

The hang these guard against (the day's new-user pass: `newscli: error: terminated`,
then no exit; found again 4 times in 23 tries of helper h1's reproduction): the first
signal stopped the grouping's story data workers without waiting for the pool's manager
thread, so Python's exit joined it; a second signal (`timeout` sends one to the process,
then one to its group) raised in that join, which marks a running thread ended (CPython
issue 90882); multiprocessing's exit then closed the workers' job queue before the
manager thread put their "stop" in it, and every process waited for another forever.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import write
from process_helpers import children, wait_gone

from newscli.index import parallel
from newscli.index.story_cache import TABLE

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork and /proc")

NEWSCLI = str(Path(sys.executable).parent / "newscli")
# What a run may take to end after the signal: the workers' grace, the killed ones'
# wait, the manager thread's, and a slow machine's start (a hang is a hang: 60 s).
BOUND = 4 * parallel.GRACE + 10

# map_jobs as a command uses it, the signals handled as the command line handles them
# (a handler that raises); each job sleeps its number of seconds in a worker. A job is
# as big as a chunk of story data's paths (100 KB): the jobs queued fill the pipe to
# the workers (nobody reads them once the workers are killed).
MAPPING = textwrap.dedent(
    """
    import signal, sys, time
    from newscli.index.parallel import map_jobs

    def raising(signum, frame):
        raise KeyboardInterrupt

    def slow(job):
        time.sleep(job[0])
        return [job[0]]

    signal.signal(signal.SIGINT, raising)
    signal.signal(signal.SIGTERM, raising)
    try:
        for _ in map_jobs(slow, [(float(sys.argv[1]), b"x" * 100_000)] * 8, 2, 8):
            pass
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\\n")
        sys.exit(130)
    """
)


def _workers_at_work(proc: subprocess.Popen[bytes]) -> list[int]:
    """The run's two workers, once both have started (then a moment: at their jobs)."""
    deadline = time.monotonic() + 60
    while len(workers := children(proc.pid)) < 2:
        assert proc.poll() is None, "the run ended before its workers could be seen"
        assert time.monotonic() < deadline, "no workers started"
        time.sleep(0.005)
    time.sleep(0.3)
    assert proc.poll() is None, "the run finished before the signal"
    return workers


def _ended_within(proc: subprocess.Popen[bytes], seconds: float, workers: list[int]) -> bytes:
    """The run's stderr; it must end within ``seconds`` (else its group is killed:
    the test's own processes) and leave no worker behind."""
    try:
        _, err = proc.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"the run did not end within {seconds} s of the signal (a hang)")
    assert not wait_gone(workers, 5), "a worker outlived the run"
    return err


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize(
    ("seconds", "second"),
    [
        (1.0, signal.SIGTERM),  # the workers finish their jobs (or GRACE ends them)
        pytest.param(1.0, signal.SIGINT, marks=pytest.mark.slow),  # (as SIGTERM)
        pytest.param(3600, None, marks=pytest.mark.slow),  # (as with a second signal)
        (3600, signal.SIGTERM),  # jobs that never end: the workers are killed
    ],
)
def test_a_run_ends_when_its_workers_are_at_work(
    seconds: float, second: signal.Signals | None
) -> None:
    """SIGTERM to the run, then (as `timeout` does) another signal to its process group
    (the workers ignore it) while the workers are at their jobs: the run ends, within
    the bound, having ended its workers."""
    proc = subprocess.Popen(
        [sys.executable, "-c", MAPPING, str(seconds)],
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    workers = _workers_at_work(proc)
    os.kill(proc.pid, signal.SIGTERM)
    if second is not None:
        time.sleep(0.2)
        os.killpg(proc.pid, second)
    err = _ended_within(proc, BOUND, workers)
    assert proc.returncode == 130, err
    assert err == b"interrupted\n"


# The installed command's own code, each story data chunk made slowly in the workers
# (SLOW seconds first): a grouping whose workers are at work when the signals come.
SLOW_CLUSTERS = textwrap.dedent(
    """
    import os, sys, time
    from newscli.select import story_make

    made, parent = story_make.make_chunk, os.getpid()

    def slowly(*args):
        if os.getpid() != parent:
            time.sleep(float(os.environ["SLOW"]))
        return made(*args)

    story_make.make_chunk = slowly
    from newscli.cli import main

    sys.argv[0] = "newscli"
    main()
    """
)
FILES = 3000  # three chunks of story data (story_make.CHUNK_FILES)


def _text(n: int) -> str:
    return (
        f'---\ntitle: "Story {n % 300} about {n % 13} markets and taper talk {n}"\n'
        f"publishedDateTime: 2025-01-{1 + n % 28:02d}T{n % 24:02d}:00:00Z\n"
        f'webUrl: "https://www.x{n % 50}.example/{n}/"\n---\n'
    )


def _rows(cache: Path) -> int:
    with sqlite3.connect(cache / "index.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return db.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0]


@pytest.mark.slow
@pytest.mark.parametrize(("slow", "signals"), [("1", 2), ("3600", 1)])
def test_clusters_ends_after_sigterm_to_it_then_its_group(
    tmp_path: Path, slow: str, signals: int
) -> None:
    """The first `clusters` after a cold run (its story data made by workers), sent
    SIGTERM, then SIGTERM to its process group 50 ms later (as `timeout` does), ends
    with 143 and one message, within the bound, and leaves the cache whole."""
    feeds = tmp_path / "feeds"
    for n in range(FILES):
        write(feeds / f"d{n % 10}" / f"a{n:05}.md", _text(n))
    cache = tmp_path / "cache"
    env = {**os.environ, "NEWSCLI_JOBS": "2", "NEWSCLI_CACHE_DIR": str(cache), "SLOW": slow}
    subprocess.run([NEWSCLI, "list", str(feeds), "-q"], env=env, check=True, capture_output=True)
    run = ["clusters", str(feeds), "--format", "json", "--quiet"]
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_CLUSTERS, *run],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    workers = _workers_at_work(proc)
    os.kill(proc.pid, signal.SIGTERM)
    if signals == 2:
        time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGTERM)
    err = _ended_within(proc, BOUND, workers)
    assert proc.returncode == 143, err
    assert err == b"newscli: error: terminated\n"
    assert _rows(cache) % 1000 == 0  # whole chunks or none
    done = subprocess.run([NEWSCLI, *run], env=env, capture_output=True, check=True)
    assert _rows(cache) == FILES
    fresh = subprocess.run([NEWSCLI, *run, "--no-cache"], env=env, capture_output=True, check=True)
    assert done.stdout == fresh.stdout
