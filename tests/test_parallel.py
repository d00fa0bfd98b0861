"""Worker processes: results in order, and Ctrl-C is left to the main process."""

import signal

from newscli.parallel import map_jobs


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


def test_workers_ignore_ctrl_c() -> None:
    assert list(map_jobs(_interrupt_handling, [None, None], 2, 2)) == [True, True]
