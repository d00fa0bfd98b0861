"""How many workers the default run's `-n auto` starts (conftest's hook, through
xdist's own hook chain as `-n auto` calls it)."""

from __future__ import annotations

import os

import pytest


def _auto(config: pytest.Config) -> int:
    return int(config.hook.pytest_xdist_auto_num_workers(config=config))


def test_auto_is_one_more_than_the_cores_this_run_may_use(
    pytestconfig: pytest.Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PYTEST_XDIST_AUTO_NUM_WORKERS", raising=False)
    if hasattr(os, "sched_getaffinity"):  # `taskset -c 0`, a container's CPU set
        allowed = set(range((os.cpu_count() or 1) + 3))  # (never the machine's count)
        monkeypatch.setattr(os, "sched_getaffinity", lambda pid: allowed)
        assert _auto(pytestconfig) == len(allowed) + 1
    else:
        assert _auto(pytestconfig) == (os.cpu_count() or 1) + 1


def test_xdist_s_own_variable_still_sets_it(
    pytestconfig: pytest.Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    for count in (1, 7):  # (a low-memory machine; a big one)
        monkeypatch.setenv("PYTEST_XDIST_AUTO_NUM_WORKERS", str(count))
        assert _auto(pytestconfig) == count
