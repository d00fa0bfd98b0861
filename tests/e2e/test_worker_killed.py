"""A parsing worker killed with SIGKILL (by hand, or the kernel's out-of-memory killer)
while a command loads: one error line saying so, exit 1 (a runtime error), no
traceback, no process left, nothing changed (new-user pass: the run ended with
"internal error: BrokenProcessPool: ..." after waiting 2 s for the other workers).
Real processes of the installed command on a corpus big enough for workers."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from process_helpers import alive, children, wait_gone

from newscli.index import parallel
from tests.conftest import article_text, write

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork and /proc")
NEWSCLI = str(Path(sys.executable).parent / "newscli")
FILES = 3000
SAID = (
    "newscli: error: a worker process loading the articles ended unexpectedly "
    "(killed by signal 9, SIGKILL); nothing was changed\n"
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    feeds = tmp_path_factory.mktemp("killed") / "feeds"
    for i in range(FILES):
        write(feeds / f"d{i % 10}" / f"a{i:05d}.md", article_text(title=f"Article {i}"))
    return feeds


def _digest(feeds: Path) -> dict[str, str]:
    """Every file below feeds but the folders' lock files (an edit takes the locks)."""
    return {
        str(p): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(feeds.rglob("*"))
        if p.is_file() and p.name != ".newscli.lock"
    }


def _cpu_ticks(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])  # utime + stime


def _kill_a_worker_at_work(proc: subprocess.Popen[bytes]) -> tuple[list[int], float]:
    """SIGKILL one of the run's two workers once it has parsed a moment (30 ms of
    CPU); (every worker seen, when it was killed)."""
    deadline = time.monotonic() + 60
    while True:
        assert proc.poll() is None, "the run ended before a worker was at work"
        assert time.monotonic() < deadline, "no worker at work"
        workers = children(proc.pid)
        busy = [pid for pid in workers if _cpu_ticks(pid) >= 3]
        if len(workers) == 2 and busy:
            os.kill(busy[0], signal.SIGKILL)
            return workers, time.monotonic()
        time.sleep(0.005)


def _killed_run(args: list[str], env: dict[str, str]) -> tuple[str, str, int, float]:
    """(stdout, stderr, exit code, seconds from the kill to the end)."""
    proc = subprocess.Popen(
        [NEWSCLI, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    workers: list[int] = []
    try:
        workers, killed = _kill_a_worker_at_work(proc)
        out, err = proc.communicate(timeout=60)
        ended = time.monotonic() - killed
        assert wait_gone(workers, 5) == [], "a worker was left behind"
    finally:
        proc.kill()
        proc.wait()
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
    return out.decode(), err.decode(), proc.returncode, ended


def _env(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "NEWSCLI_JOBS": "2", "NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    env["NEWSCLI_STATE_DIR"] = str(tmp_path / "state")
    env.pop("NEWSCLI_DEBUG", None)
    return env


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize(
    "args",
    [
        ["list", "--format", "tsv"],
        ["export", "--format", "jsonl", "--mark-published", "-o", "OUT"],
        ["publish", "--all"],
    ],
)
def test_a_killed_worker_is_one_line_and_changes_nothing(
    corpus: Path, tmp_path: Path, args: list[str]
) -> None:
    before = _digest(corpus)
    env = _env(tmp_path)
    args = [a.replace("OUT", str(tmp_path / "out.jsonl")) for a in args]
    out, err, code, ended = _killed_run([*args, str(corpus)], env)
    assert (code, err, out) == (1, SAID, "")
    # Not hung (the grace itself is timed where the other worker surely still works:
    # test_a_worker_that_ends_does_not_wait_for_the_others; here it may be done, and a
    # loaded machine once took 2.5 s).
    assert ended < 3 * parallel.GRACE, f"{ended:.2f} s from the kill to the end"
    assert _digest(corpus) == before
    assert not (tmp_path / "out.jsonl").exists()
    history = subprocess.run(  # no edit batch journaled
        [NEWSCLI, "history", "--format", "json"], env=env, capture_output=True, text=True
    )
    assert (history.returncode, history.stdout) == (0, "[]\n"), history.stderr
    # the cache the killed run began is sound: the next run gives what no cache gives
    again = subprocess.run(
        [NEWSCLI, "list", "--format", "tsv", str(corpus)], env=env, capture_output=True
    )
    fresh = subprocess.run(
        [NEWSCLI, "list", "--format", "tsv", "--no-cache", str(corpus)],
        env=env,
        capture_output=True,
    )
    assert again.returncode == 0, again.stderr
    assert again.stdout == fresh.stdout and again.stdout.count(b"\n") == FILES + 1


# map_jobs alone: job 0's worker ends on its own (SIGKILL, or os._exit) while job 1's
# sleeps a minute: the run must not wait for that minute, nor leave it behind.
MAPPING = """
import os, signal, sys, time
from newscli.errors import WorkerError
from newscli.index.parallel import map_jobs

def job(arg):
    n, _ = arg
    if sys.argv[1] == "second":  # the second worker ends on its own, the first sleeps
        import multiprocessing
        if multiprocessing.current_process()._identity[-1] % 2 == 0:
            time.sleep(0.3)
            os._exit(3)
        time.sleep(60)
    if sys.argv[1] == "submit":  # job 2 is killed as the run reads job 0's result
        if n == 1:
            time.sleep(60)
        if n == 2:
            time.sleep(0.1)
            os.kill(os.getpid(), signal.SIGKILL)
        return [n]
    if n == 0:
        time.sleep(0.3)  # (job 1 is at its sleep by then)
        if sys.argv[1] == "midsend":  # killed having sent 10 bytes of a 1,000-byte result
            import gc, multiprocessing.queues, struct
            found = gc.get_objects()
            results = [o for o in found if type(o) is multiprocessing.queues.SimpleQueue]
            assert len(results) == 1
            os.write(results[0]._writer.fileno(), struct.pack("!i", 1000) + bytes(10))
        if sys.argv[1] != "exit":
            os.kill(os.getpid(), signal.SIGKILL)
        os._exit(3)
    time.sleep(60)
    return [n]

try:
    # bigjobs: jobs of 1 MB, which fill the pipe to the workers while job 1 sleeps
    payload = bytes(2**20) if sys.argv[1] == "bigjobs" else b""
    jobs = [(n, payload) for n in range(20)]
    for n in map_jobs(job, jobs, 2, 20, doing="at a test"):
        if n == 0:
            time.sleep(0.5)  # ("submit": job 2 is killed meanwhile, then a job is sent)
except WorkerError as exc:
    sys.stderr.write(f"{exc}|{exc.how}\\n")
    sys.exit(1)
"""


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize(
    ("how", "said"),
    [
        ("kill", "killed by signal 9, SIGKILL"),
        ("exit", "exit code 3"),
        # the worker that ended first is named, not the one the pool killed then (h28:
        # "killed by signal 9" for a worker that had exited with 3)
        ("second", "exit code 3"),
        # Python's pool waited for the rest of the result forever (CI, Python 3.13)
        ("midsend", "killed by signal 9, SIGKILL"),
        # jobs that fill the pipe to the workers as one is killed (the broken pool
        # joins the thread that sends them)
        ("bigjobs", "killed by signal 9, SIGKILL"),
        # the broken pool waited for the workers, which ignore SIGTERM, holding the lock
        # that sending a job takes (CI, Python 3.13)
        ("submit", "killed by signal 9, SIGKILL"),
    ],
)
def test_a_worker_that_ends_does_not_wait_for_the_others(how: str, said: str) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", MAPPING, how],
        cwd=Path(__file__).resolve().parent.parent.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while len(workers) < 2 and proc.poll() is None and time.monotonic() < deadline:
            workers = children(proc.pid)
            time.sleep(0.005)
        started = time.monotonic()
        _, err = proc.communicate(timeout=30)
        limit = 0.3 + parallel.GRACE / 2  # (not the grace)
        if how == "midsend":  # (seen within a POLL, then GRACE / 2 for the result)
            limit += parallel.POLL + parallel.GRACE / 2
        assert time.monotonic() - started < limit
    finally:
        proc.kill()
        proc.wait()
    assert wait_gone(workers, 5) == []
    assert (proc.returncode, err.decode()) == (
        1,
        f"a worker process at a test ended unexpectedly ({said})|{said}\n",
    )
