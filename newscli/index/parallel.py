"""Running a function over chunks of work in worker processes, results in order.

multiprocessing and concurrent.futures are imported only when workers are started: a
warm run, which parses nothing, forks at most the walk helper and never needs them.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from functools import partial
from itertools import islice
from typing import TYPE_CHECKING, TypeVar

from newscli.errors import WorkerError
from newscli.index.forking import HANDLED, default_signals, detach

if TYPE_CHECKING:
    import threading
    from concurrent.futures import Future, ProcessPoolExecutor
    from multiprocessing.context import BaseContext
    from multiprocessing.process import BaseProcess

T = TypeVar("T")
R = TypeVar("R")


_SIGNALS = HANDLED
JOBS_AHEAD = 4  # jobs sent per worker ahead of the results read


def _start_worker(parent: int) -> None:
    """Workers leave Ctrl-C to the main process (no traceback from every worker), hold
    none of its locks and end when it ends. They are forked with both signals blocked
    (signals_held), so that one sent meanwhile (to the process group: a terminal's
    Ctrl-C, `timeout`) cannot reach the main process's handlers in them; it is ignored
    here."""
    for signum in _SIGNALS:  # all the main process's to handle
        signal.signal(signum, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _SIGNALS)
    detach(parent)


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM blocked in this thread meanwhile (threads started and workers
    forked meanwhile inherit the mask); one that came is handled when they are unblocked,
    after the block. The mask is restored even when a signal that came just before is
    handled (and raises) as they are blocked."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, ())  # (the mask as it is)
    try:
        signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def _context() -> BaseContext:
    """The start method's context (fork starts workers in milliseconds with every module
    already imported), whose processes are killed where the pool terminates them.

    A broken pool's manager thread terminates the workers left and waits for them while
    it holds the lock that submit takes: ours ignore SIGTERM (_start_worker), so the run,
    submitting its next job, waited forever (Python 3.13: one in seven runs of
    test_worker_killed). The pool terminates workers only when it is broken, where what
    they do is lost anyway."""
    import multiprocessing

    base = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")

    class Killed(base.Process):  # type: ignore[name-defined,misc]
        def terminate(self) -> None:
            if self.pid is not None and not _ended([self], 0):  # (the pool "terminates"
                _killed.add(self.pid)  # those that have ended too)
            self.kill()

    context = type(base)()
    context.Process = Killed  # type: ignore[attr-defined]
    return context


# Seconds ending workers may take to finish their job, then to die once killed (_end).
GRACE = 2.0
_started: dict[int, ProcessPoolExecutor] = {}  # pools started ahead, by worker count
_killed: set[int] = set()  # workers this process killed (not how the pool broke: _how_ended)


def _pool(workers: int) -> ProcessPoolExecutor:
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=_context(), initializer=partial(_start_worker, os.getpid())
    )
    # The thread sending jobs, writing one as the last reader of the pipe goes (see
    # _unblock), ends at once: it would report the broken pipe under the lock Python
    # 3.12+'s manager thread holds while it waits for that thread to end.
    queue = getattr(pool, "_call_queue", None)
    if queue is not None and hasattr(queue, "_ignore_epipe"):
        queue._ignore_epipe = True
    return pool


def start_workers(workers: int) -> None:
    """Start ``workers`` processes now, for the next map_jobs of as many: a forked worker
    begins as a copy of this process, so the earlier, the smaller (a process tree's
    memory counts the pages they share once per process)."""
    if workers in _started:
        return
    pool = _started[workers] = _pool(workers)
    with signals_held():
        pool.submit(int)  # forked workers all start with the first job


def stop_workers() -> None:
    """End the workers started ahead that no map_jobs took (nothing came to parse), and
    wait for them (a few ms: they are idle; see _end)."""
    while _started:
        _end(_started.popitem()[1])


def _end(pool: ProcessPoolExecutor, grace: float = GRACE) -> None:
    """End the pool and wait for it, never longer than about 3 x GRACE seconds, with
    SIGINT and SIGTERM held meanwhile (one that came is handled when this returns). Its
    workers finish the jobs they are at and the few already sent to them; any not ended
    after ``grace`` seconds is killed (a chunk is stored in one transaction: nothing is
    left half-written; a broken pool's are killed at once: what they do is lost). Its
    manager thread is joined too: one still closing its wake-up pipe as Python exited
    printed an "Exception ignored ... Bad file descriptor" there.

    Why so: the manager thread must be neither left to Python's exit nor joined where
    a signal's handler may raise. On a Ctrl-C or SIGTERM, ``shutdown(wait=False)`` left
    it to Python's exit; a second signal (`timeout` sends one to the process, then one
    to its group) raising in that exit's wait for it cut the wait short (and a join it
    interrupts marks the running thread ended: CPython issue 90882, before 3.13).
    multiprocessing's exit then closed the queue that takes jobs to the workers before
    the manager thread put their "stop" in it: the workers waited for a job, and the
    run for them, forever. A job that never ends kept the run waiting forever too."""
    workers = list((getattr(pool, "_processes", None) or {}).values())
    thread = getattr(pool, "_executor_manager_thread", None)  # (shutdown forgets these)
    queue = getattr(pool, "_call_queue", None)
    results = getattr(pool, "_result_queue", None)
    with signals_held():
        killed = grace <= 0
        if killed:  # a broken pool: what its workers do is lost; killed first, as
            # Python 3.13's manager thread, ending a broken pool, waits for them while it
            # holds the lock shutdown takes (they ignore the SIGTERM it sends): it hung
            _kill(workers, queue)
        pool.shutdown(wait=False, cancel_futures=True)  # (the manager thread tells them)
        # Without a manager thread (a signal as they were forked), none got a job, and
        # none would be told to stop.
        if not _ended(workers, grace if thread is not None else 0):
            _kill(workers, queue)
            _ended(workers, GRACE)
            killed = True  # (one may have been killed in the middle of sending a result)
        if thread is not None and killed:
            _unblock(thread, queue, results)
        if thread is not None:
            thread.join(GRACE)  # (its workers gone: it ends at once)


def _unblock(thread: threading.Thread, jobs: object, results: object) -> None:
    """With a pool's workers killed (a broken pool's, or ones that would not end: one
    stopped, SIGSTOP, in the middle of sending a result), let its manager thread end
    (Python's exit waits for it forever otherwise). Two waits of its never end by themselves:
    - reading a result a worker was killed in the middle of sending: the rest never
      comes; this process's end for writing of that pipe is closed, so it reads the end;
    - (Python 3.10) waiting for the thread sending jobs, blocked writing one to a pipe
      nobody reads but this process: its end for reading is closed, so the writing
      fails (and the thread ends: _pool). Only once the manager thread is seen waiting
      (newer Pythons close it themselves, and the sending thread closes it as it ends
      normally: never two closes at once)."""
    writer = getattr(results, "_writer", None)
    if writer is not None:
        with contextlib.suppress(OSError):
            writer.close()
    thread.join(GRACE / 8)
    reader = getattr(jobs, "_reader", None)
    if thread.is_alive() and reader is not None:
        with contextlib.suppress(OSError):
            reader.close()


def _kill(workers: Sequence[BaseProcess], queue: object) -> None:
    """SIGKILL the workers not ended yet. The jobs not yet taken are lost with them: the
    queue's feeder thread, blocked writing them to a full pipe nobody will read, is not
    waited for (Python 3.10's manager thread waited for it, and Python's exit for the
    manager thread: the run hung after saying "terminated")."""
    if queue is not None:
        queue.cancel_join_thread()  # type: ignore[attr-defined]
    for worker in workers:
        if not _ended([worker], 0):  # (not reaped, so still this pid's process)
            if worker.pid is not None:
                _killed.add(worker.pid)
            with contextlib.suppress(OSError):
                os.kill(worker.pid, signal.SIGKILL)  # type: ignore[arg-type]


def _ended(children: Sequence[BaseProcess], timeout: float) -> bool:
    """Whether every child process has ended, waiting ``timeout`` seconds at most (on
    their sentinels: a wait a signal cannot spoil, unlike a thread's join)."""
    from multiprocessing.connection import wait

    deadline = time.monotonic() + timeout
    left = [child.sentinel for child in children]
    while left:
        remaining = deadline - time.monotonic()
        ready = wait(left, max(remaining, 0))
        left = [s for s in left if s not in ready]
        if remaining <= 0:
            break
    return not left


def map_chunks(
    func: Callable[[T], list[R]], jobs_: Iterable[T], workers: int, doing: str = ""
) -> Generator[tuple[T, list[R]], None, None]:
    """(job, ``func(job)``) for each job, computed in ``workers`` processes (started
    ahead or now), in job order. Jobs are taken from ``jobs_`` as they are sent, a few
    per worker ahead of the results read (pool.map sent them all at once: every job's
    arguments, and every result not yet read, were held at the same time). However it
    ends (done, Ctrl-C, SIGTERM, a consumer that stopped or closed it), the workers are
    ended and waited for (_end: no more jobs are started, the running ones finish,
    within a bound). A worker that ended on its own (killed) raises WorkerError ("a
    worker process {doing} ended unexpectedly (killed by signal 9, SIGKILL)"), once the
    others are killed and waited for."""
    from concurrent.futures.process import BrokenProcessPool

    ahead = JOBS_AHEAD * workers
    jobs = iter(jobs_)
    pending: deque[tuple[T, Future[list[R]]]] = deque()
    pool = _started.pop(workers, None) or _pool(workers)
    grace = GRACE
    try:
        while True:
            for job in islice(jobs, ahead - len(pending)):
                with signals_held():  # (the first submit forks the workers not started ahead)
                    pending.append((job, pool.submit(func, job)))
            if not pending:
                return
            job, future = pending.popleft()
            yield job, _result(future, pool)
    except BrokenProcessPool as exc:
        grace = 0  # the others' work is lost: no wait for it
        how = _how_ended(list((getattr(pool, "_processes", None) or {}).values()))
        who = f"a worker process {doing}" if doing else "a worker process"
        said = f"{who} ended unexpectedly" + (f" ({how})" if how else "")
        raise WorkerError(said, how) from exc
    finally:
        _end(pool, grace)


POLL = 0.25  # seconds between looks at the workers while a result is awaited


def _result(future: Future[list[R]], pool: ProcessPoolExecutor) -> list[R]:
    """The future's result; BrokenProcessPool once a worker has ended (they end only
    when killed, while the pool works) and the result has not come GRACE / 2 seconds
    later. The pool's manager thread raises it itself, unless the worker was killed in
    the middle of sending a result: then it waits for the rest of it forever."""
    from concurrent.futures import TimeoutError as Timeout
    from concurrent.futures.process import BrokenProcessPool
    from multiprocessing.connection import wait

    sentinels = [worker.sentinel for worker in (getattr(pool, "_processes", None) or {}).values()]
    while True:
        try:
            return future.result(POLL)
        except Timeout:
            if sentinels and wait(sentinels, 0):
                break
    try:
        return future.result(GRACE / 2)
    except Timeout:
        raise BrokenProcessPool("a worker ended in the middle of sending a result") from None


def map_jobs(
    func: Callable[[T], list[R]],
    jobs_: Iterable[T],
    workers: int,
    total: int,
    progress: Callable[[int, int], None] | None = None,
    doing: str = "",
) -> Iterator[R]:
    """The items of ``func`` over each job (see map_chunks), as soon as they are ready,
    in job order. ``progress(done, total)`` counts them. However it ends, map_chunks is
    closed here (its workers ended), not left to the garbage collector."""
    done = 0
    with contextlib.closing(map_chunks(func, jobs_, workers, doing)) as chunks:
        for _, part in chunks:
            yield from part
            done += len(part)
            if progress is not None:
                progress(done, total)


def _how_ended(workers: Sequence[BaseProcess]) -> str:
    """How the first of the workers that ended on their own ended ("killed by signal 9,
    SIGKILL", "exit code 1"), or "" if none can be told within a moment (the pool's
    manager thread may be collecting it just then: its exit code is set once it has).
    Not one this process killed once the pool broke (h28: a worker that had exited with
    3 was said "killed by signal 9", its sibling's end)."""
    deadline = time.monotonic() + 0.5
    while True:
        for worker in workers:
            if worker.pid in _killed:
                continue
            code = worker.exitcode
            if code is not None and code < 0:
                try:
                    name = f", {signal.Signals(-code).name}"
                except ValueError:
                    name = ""
                return f"killed by signal {-code}{name}"
            if code:
                return f"exit code {code}"
        if time.monotonic() >= deadline:
            return ""
        time.sleep(0.01)


def free_core() -> bool:
    """Whether a second process would likely have a core to itself: more than one
    core, and last minute's load average leaves one idle. Where the machine is busy
    anyway, a helper process only adds its start and hand-back to the same CPU time."""
    try:
        cores = len(os.sched_getaffinity(0))
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # not Linux: no helper anyway
        return False
    return cores > 1 and load < cores - 0.5


MAX_CLAIMS = 512  # runs of items fork_shared hands out (one byte each in a pipe)


def fork_shared(
    func: Callable[[Sequence[T]], list[R]],
    items: Sequence[T],
    meanwhile: Callable[[], object] | None = None,
) -> tuple[list[R], int, list[R] | None]:
    """(``func`` of ``items[:k]``, k, ``func`` of ``items[k:]`` computed at the same time
    by a forked child, or None when it failed). Both take the items a run at a time as
    each is free for more: this process from the front, after ``meanwhile`` (if given),
    the child from the back, so that both end about together whatever ``meanwhile``
    costs (a fixed share left this process the last to end in a warm run: h-bench
    2026-12-07). ``func`` is called on runs of consecutive items, the child's from the
    last run back: ``func(a) + func(b)`` must be ``func(a + b)``. The child's results
    come back marshalled: plain values only. Without a child (not Linux) every item is
    done here: (``func(items)``, len(items), []). ``func`` must not open the index cache
    in the child (it is not made to die with this process at once: forking.detach)."""
    n = len(items)
    if not sys.platform.startswith("linux") or n < 2:
        if meanwhile is not None:
            meanwhile()
        return func(items), n, []
    runs = min(n, MAX_CLAIMS)
    bounds = [n * r // runs for r in range(runs + 1)]  # run r: items[bounds[r]:bounds[r + 1]]
    # One byte a run in a pipe whose writing end is closed: a read of one byte takes a
    # run (the pipe hands each byte to one reader), an empty read says none is left.
    # At most 512 bytes: within any pipe's buffer, so the write never waits.
    claims, filler = os.pipe()
    try:
        os.write(filler, bytes(runs))
    finally:
        os.close(filler)
    read, write = os.pipe()
    parent = os.getpid()
    try:
        pid = os.fork()
    except BaseException:
        for fd in (claims, read, write):
            os.close(fd)
        raise
    if pid == 0:  # the child: compute, send, leave without running any exit code
        code = 1
        try:
            detach(parent, with_cache=False)  # (a walk: no cache)
            os.close(read)
            default_signals()
            parts = []
            low = runs
            while os.read(claims, 1):
                low -= 1
                parts.append(func(items[bounds[low] : bounds[low + 1]]))
            result = [r for part in reversed(parts) for r in part]
            with os.fdopen(write, "wb") as pipe:
                pipe.write(marshal.dumps((bounds[low], result)))
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    data = b""
    whole = False
    first: list[R] = []
    taken = 0
    with os.fdopen(read, "rb") as pipe:  # closed on the way out: a waiting child ends
        try:
            if meanwhile is not None:
                meanwhile()
            while os.read(claims, 1):
                first += func(items[bounds[taken] : bounds[taken + 1]])
                taken += 1
            data = pipe.read()
            whole = True
        finally:
            os.close(claims)
            pipe.close()
            if not whole:  # a signal or an error here: the child's part is not wanted, and
                # a child that is stopped or slow must not hold the run (os.waitpid is
                # retried through signals)
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
    k = bounds[taken]
    if os.waitstatus_to_exitcode(status) != 0:
        return first, k, None
    low, second = marshal.loads(data)
    return first, k, second if low == k else None
