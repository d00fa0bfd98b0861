"""Worker processes: results in order, and Ctrl-C is left to the main process."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e.process_helpers import wait_gone

from newscli.index.parallel import map_jobs


def _square_all(numbers: list[int]) -> list[int]:
    return [n * n for n in numbers]


def _interrupt_handling(_: object) -> list[bool]:
    return [signal.getsignal(signal.SIGINT) is signal.SIG_IGN]


def test_results_keep_the_order_of_the_jobs() -> None:
    jobs = [list(range(i, i + 5)) for i in range(0, 100, 5)]
    seen: list[tuple[int, int]] = []
    results = list(map_jobs(_square_all, jobs, 2, 100, lambda d, t: seen.append((d, t))))
    assert results == [n * n for n in range(100)]
    assert seen[-1] == (100, 100)


def test_jobs_are_taken_as_they_are_sent() -> None:
    """A few jobs per worker ahead of the results read, not all at once (pool.map took
    them all: every job's arguments, and every result not read, held together)."""
    from newscli.index.parallel import JOBS_AHEAD, map_chunks

    taken: list[int] = []

    def jobs() -> Iterator[list[int]]:
        for number in range(100):
            taken.append(number)
            yield [number]

    results = map_chunks(_square_all, jobs(), 2)
    assert next(results) == ([0], [0]) and len(taken) == JOBS_AHEAD * 2
    assert list(results) == [([n], [n * n]) for n in range(1, 100)]
    assert len(taken) == 100


def test_workers_ignore_ctrl_c() -> None:
    assert list(map_jobs(_interrupt_handling, [None, None], 2, 2)) == [True, True]


def _pids(items: list[int]) -> list[int]:
    import os

    return [os.getpid() for _ in items]


def test_fork_shared_computes_the_items_in_two_processes() -> None:
    import os

    from newscli.index.parallel import fork_shared

    first, cut, second = fork_shared(_square_all, list(range(1001)))
    assert second is not None and first + second == [n * n for n in range(1001)]
    assert len(first) == cut
    mine, cut, theirs = fork_shared(_pids, list(range(10)))
    assert mine == [os.getpid()] * cut
    assert theirs is not None and len(theirs) == 10 - cut
    assert os.getpid() not in theirs and len(set(theirs)) <= 1


def test_fork_shared_says_when_the_child_failed() -> None:
    import os

    from newscli.index.parallel import fork_shared

    parent = os.getpid()

    def fails_in_child(items: list[int]) -> list[int]:
        if os.getpid() != parent:
            raise RuntimeError("child")
        return [n + 1 for n in items]

    # (this process busy first: the child takes items, and fails on them)
    first, cut, second = fork_shared(fails_in_child, [1, 2, 3, 4], lambda: time.sleep(0.2))
    assert second is None and cut < 4 and first == [n + 1 for n in [1, 2, 3, 4][:cut]]


def test_fork_shared_child_ends_when_the_parent_fails() -> None:
    import os

    import pytest

    from newscli.index.parallel import fork_shared

    parent = os.getpid()

    def fails_in_parent(items: list[int]) -> list[int]:
        if os.getpid() == parent:
            raise KeyError("parent")
        time.sleep(0.5)  # (so that this process takes the other item)
        return list(range(100_000))  # more than a pipe holds: the child waits to write

    def children() -> set[str]:  # this process's children (the tests' fork server, say)
        tasks = Path(f"/proc/{parent}/task")
        return {pid for task in tasks.iterdir() for pid in (task / "children").read_text().split()}

    before = children()
    with pytest.raises(KeyError):
        fork_shared(fails_in_parent, [1, 2])
    assert children() == before  # no child left behind, running or a zombie


def test_fork_shared_runs_meanwhile_here_while_the_child_computes(tmp_path: Path) -> None:
    """``meanwhile`` runs in this process after the fork and before the results are
    joined: each side waits for a sign of the other (neither before nor after would do)."""
    import os

    from newscli.index.parallel import fork_shared

    parent = os.getpid()
    started, answered = tmp_path / "child started", tmp_path / "parent answered"

    def func(items: list[int]) -> list[int]:
        if os.getpid() != parent:
            started.touch()
            return items if _wait_for(answered) else []
        return [-n for n in items]

    calls = []

    def meanwhile() -> None:
        calls.append(_wait_for(started))
        answered.touch()

    mine, cut, theirs = fork_shared(func, list(range(10)), meanwhile)
    assert calls == [True]  # called once, while the child ran
    assert theirs is not None and cut < 10  # (the child had taken the last item)
    assert mine == [-n for n in range(cut)] and theirs == list(range(cut, 10))


def test_fork_shared_leaves_more_to_the_process_with_less_to_do() -> None:
    """Each side takes the next item as it is free: the child takes most while this
    process is busy meanwhile, this process takes most when the child's items are slow
    (a fixed share left this process, with the cache's queries to do, the last to end)."""
    import os

    from newscli.index.parallel import fork_shared

    parent = os.getpid()

    def slow_here(items: list[int]) -> list[int]:
        if os.getpid() == parent:
            time.sleep(0.05 * len(items))
        return items

    def slow_there(items: list[int]) -> list[int]:
        if os.getpid() != parent:
            time.sleep(0.05 * len(items))
        return items

    mine, cut, theirs = fork_shared(slow_here, list(range(40)), lambda: time.sleep(0.5))
    assert mine + (theirs or []) == list(range(40)) and cut <= 8
    mine, cut, theirs = fork_shared(slow_there, list(range(40)))
    assert mine + (theirs or []) == list(range(40)) and cut >= 32


def _wait_for(path: Path) -> bool:
    deadline = time.monotonic() + 10
    while not path.exists():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


def test_workers_started_ahead_and_stopped_are_gone_when_it_returns() -> None:
    """stop_workers waits for the idle workers and the pool's manager thread: one still
    closing its pipe when Python exits raced with Python writing to it (an "Exception
    ignored ... Bad file descriptor" traceback on stderr, found by the day's new-user
    pass after every story data row went stale)."""
    import threading

    from newscli.index import parallel

    for _ in range(3):
        before = set(threading.enumerate())
        parallel.start_workers(2)
        pool = parallel._started[2]
        assert pool.submit(int).result() == 0  # (the workers are up)
        processes = list(pool._processes.values())
        parallel.stop_workers()
        assert set(threading.enumerate()) <= before  # no manager thread left
        assert not any(process.is_alive() for process in processes)


def test_workers_are_forked_with_ctrl_c_and_sigterm_blocked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A signal sent to the process group while a worker starts must not reach the main
    process's handlers in it (a traceback from the worker: found by the day's new-user
    pass, SIGTERM to the group 0.19 s into the first `clusters` after a cold run)."""
    from newscli.index import parallel

    masks: list[set[int]] = []
    fork = os.fork

    def recorded() -> int:
        masks.append(set(signal.pthread_sigmask(signal.SIG_BLOCK, [])))
        return fork()

    monkeypatch.setattr(os, "fork", recorded)
    parallel.start_workers(2)
    parallel.stop_workers()
    assert list(map_jobs(_square_all, [[1], [2], [3]], 2, 3)) == [1, 4, 9]
    assert len(masks) == 4
    assert all({signal.SIGINT, signal.SIGTERM} <= mask for mask in masks)
    assert not {signal.SIGINT, signal.SIGTERM} & set(signal.pthread_sigmask(signal.SIG_BLOCK, []))


def test_no_worker_is_left_when_a_signal_comes_as_they_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers started ahead (by a load, or for story data) and a Ctrl-C or SIGTERM
    raised as they start or right after: none is left running (idle workers left
    behind kept a run from ending after `newscli: error: terminated`, the day's
    new-user pass; a suspected cause, not the proven one)."""
    import multiprocessing

    from newscli.index import loader, parallel
    from newscli.index.loader import load_paths
    from newscli.select import story_light, story_make
    from newscli.select.query import Query

    for n in range(3):
        (tmp_path / f"{n}.md").write_text(f'---\ntitle: "Title {n}"\n---\n', encoding="utf-8")

    def interrupted(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(loader, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(loader, "_plan", interrupted)
    with pytest.raises(KeyboardInterrupt):
        load_paths([str(tmp_path)], jobs=2)
    assert parallel._started == {} and multiprocessing.active_children() == []

    def started_then_interrupted(*_: object) -> bool:
        parallel.start_workers(2)
        raise KeyboardInterrupt  # (as a signal handled when start_workers unblocks it)

    monkeypatch.setattr(story_make, "workers_ahead", started_then_interrupted)
    loaded = loader.LoadResult()
    with pytest.raises(KeyboardInterrupt):
        story_light.query_from_cache(loaded, object(), Query(dedupe=True), None)  # type: ignore[arg-type]
    assert parallel._started == {} and multiprocessing.active_children() == []


def test_the_signals_are_unblocked_when_one_is_handled_as_they_are_blocked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A signal that came just before workers are forked is handled (its handler raises)
    by the very call that blocks both: the mask is restored all the same (it was left
    blocked: later signals were never handled)."""
    from newscli.index import parallel

    sigmask = signal.pthread_sigmask

    def blocked_then_handled(how: int, mask: object) -> object:
        previous = sigmask(how, mask)  # type: ignore[arg-type]
        if how == signal.SIG_BLOCK and mask:
            raise KeyboardInterrupt  # (as Python runs the handler when the call returns)
        return previous

    monkeypatch.setattr(signal, "pthread_sigmask", blocked_then_handled)
    with pytest.raises(KeyboardInterrupt):
        parallel.start_workers(2)
    monkeypatch.undo()
    parallel.stop_workers()
    assert not {signal.SIGINT, signal.SIGTERM} & set(signal.pthread_sigmask(signal.SIG_BLOCK, []))


def test_no_worker_is_left_when_a_signal_comes_as_the_story_values_workers_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """story.* values from the cache (story_select.from_cache): workers started ahead and
    a signal raised as they start are ended (the pool was left to Python's exit, whose
    wait for it a second signal could turn into a hang, see parallel._end)."""
    import multiprocessing

    from newscli.index import loader, parallel
    from newscli.select import story_make, story_select
    from newscli.select.query import Query

    def started_then_interrupted(*_: object) -> bool:
        parallel.start_workers(2)
        raise KeyboardInterrupt  # (as a signal handled when start_workers unblocks it)

    monkeypatch.setattr(story_make, "workers_ahead", started_then_interrupted)
    with pytest.raises(KeyboardInterrupt):
        story_select.from_cache(loader.LoadResult(), object(), Query(), None)  # type: ignore[arg-type]
    assert parallel._started == {} and multiprocessing.active_children() == []


def test_fork_shared_does_not_wait_for_a_slow_child_when_the_parent_is_interrupted() -> None:
    """Ctrl-C or SIGTERM while the child walks its half (a stopped helper, or one on a
    slow disk that got no signal): the run ends at once, not when the child is done
    (h28: a warm `list` whose walk helper was stopped ignored SIGTERM until it went on)."""
    import time

    from newscli.index.parallel import fork_shared

    parent = os.getpid()

    def slow_in_child(items: list[int]) -> list[int]:
        if os.getpid() != parent:
            time.sleep(30)
        return list(items)

    def interrupted() -> None:
        raise KeyboardInterrupt

    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        fork_shared(slow_in_child, [1, 2, 3, 4], meanwhile=interrupted)
    assert time.monotonic() - started < 5


def test_a_worker_the_pool_kills_is_told_from_one_that_ended_on_its_own() -> None:
    """A broken pool "terminates" all its workers, those already gone too; only the
    ones still running count as killed by this process, and the worker that ended on
    its own is the one said (h28: its sibling's SIGKILL was said instead)."""
    import time

    from newscli.index import parallel

    context = parallel._context()
    gone = context.Process(target=os._exit, args=(3,))
    running = context.Process(target=time.sleep, args=(60,))
    gone.start()
    running.start()
    try:
        assert parallel._ended([gone], 10)
        running.terminate()  # (what the pool does: running first, as it may list them)
        gone.terminate()
        assert parallel._ended([running], 10)
        assert running.pid in parallel._killed
        assert gone.pid not in parallel._killed
        assert parallel._how_ended([running, gone]) == "exit code 3"
    finally:
        running.kill()
        running.join()
        gone.join()
        parallel._killed.difference_update({running.pid, gone.pid})


_ORPHAN = """
import os, signal, sys
from newscli.index.forking import detach
read, write = os.pipe()
parent = os.getpid()
pid = os.fork()
if pid == 0:
    nowhere = os.open(os.devnull, os.O_WRONLY)  # (the test reads the parent's to its end)
    os.dup2(nowhere, 1)
    os.dup2(nowhere, 2)
    detach(parent)
    os.write(write, b"r")
    sum(range(10**10))  # one call that holds the interpreter: the watch cannot run
    os._exit(0)
print(pid, flush=True)
os.read(read, 1)
os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_child_dies_with_its_parent_even_in_a_long_call() -> None:
    """A worker left writing to the cache after its run died took no lock SQLite would
    see: a run starting then reset the WAL under it (SIGBUS, a damaged cache). The
    kernel now kills each forked child the moment its parent dies, even one in a call
    that keeps its watch thread from running (here: one lasting minutes)."""
    run = subprocess.run(
        [sys.executable, "-c", _ORPHAN], capture_output=True, text=True, timeout=60
    )
    assert run.returncode == -signal.SIGKILL, run.stderr
    child = int(run.stdout)
    left = wait_gone([child], 5)
    if left:
        os.kill(child, signal.SIGKILL)
    assert not left, "the child outlived its parent"
