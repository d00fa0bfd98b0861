"""Processes as /proc shows them, for the e2e tests of workers and kills (Linux)."""

from __future__ import annotations

import os
import subprocess
import time


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid``."""
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(name))
    return found


def alive(pid: int) -> bool:
    """Running (a zombie nobody reaped counts as gone: it holds nothing)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_gone(pids: list[int], seconds: float) -> list[int]:
    """The processes of ``pids`` still alive after waiting up to ``seconds`` for them."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(map(alive, pids)):
        time.sleep(0.05)
    return [p for p in pids if alive(p)]


def wait_stopped(process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    """Wait until ``process`` is stopped (SIGSTOP: state T); fail if it ends or the time
    runs out first."""
    stat = f"/proc/{process.pid}/stat"
    deadline = time.monotonic() + seconds
    while True:
        with open(stat) as handle:
            if handle.read().rsplit(")", 1)[1].split()[0] == "T":
                return
        assert time.monotonic() < deadline and process.poll() is None, "it never stopped"
        time.sleep(0.02)
