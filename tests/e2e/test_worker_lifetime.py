"""Forked helpers (parsing workers, the walk helper) hold none of the main process's
folder locks, and end when it is killed (issue 11, item 4)."""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from process_helpers import alive, children, wait_gone

from newscli.edit.locking import LOCK_NAME
from tests.conftest import article_text, write

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork and /proc")
NEWSCLI = str(Path(sys.executable).parent / "newscli")


def _lock_is_free(folder: Path) -> bool:
    fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_killing_publish_leaves_no_worker_and_no_lock(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    for i in range(3000):
        write(feeds / f"a{i:05d}.md", article_text(title=f"Article {i}"))
    env = {**os.environ, "NEWSCLI_JOBS": "2"}
    main = subprocess.Popen(
        [NEWSCLI, "publish", str(feeds), "--all", "-q", "--no-cache"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while len(workers := children(main.pid)) < 2 and main.poll() is None:
            assert time.monotonic() < deadline, "no worker started"
            time.sleep(0.005)
        assert main.poll() is None, "publish ended before its workers could be seen"
        os.kill(main.pid, signal.SIGKILL)
    finally:
        main.kill()
        main.wait()
    try:
        assert wait_gone(workers, 5) == []
        assert _lock_is_free(feeds)
        again = subprocess.run(  # takes the lock, loads everything, edits one file
            [NEWSCLI, "publish", str(feeds), "--all", "--limit", "1", "-q", "--no-cache"],
            env=env,
            capture_output=True,
            timeout=120,
        )
        assert again.returncode == 0, again.stderr
    finally:
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


HOLDER = """
import os, sys, time
from newscli.index.cache import IndexCache
from newscli.edit.locking import folder_locks
from newscli.index.parallel import fork_shared

folder, cache_dir, report = sys.argv[1:4]
cache, _ = IndexCache.open(cache_dir)
main = os.getpid()

def half(items):
    if os.getpid() != main:  # the forked helper
        fds = []
        for n in os.listdir("/proc/self/fd"):
            try:
                fds.append(os.readlink(f"/proc/self/fd/{n}"))
            except OSError:  # the listing's own descriptor
                pass
        with open(report + ".part", "w") as handle:
            handle.write(f"{os.getpid()}\\n" + "\\n".join(fds))
        os.rename(report + ".part", report)
        time.sleep(60)
    else:
        time.sleep(60)
    return items

with folder_locks([folder]):
    fork_shared(half, [1, 2])
"""


def test_walk_helper_holds_nothing_and_ends_with_its_parent(tmp_path: Path) -> None:
    folder = tmp_path / "feeds"
    folder.mkdir()
    report = tmp_path / "report"
    main = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(folder), str(tmp_path / "cache"), str(report)],
        cwd=Path(__file__).resolve().parent.parent,
    )
    try:
        deadline = time.monotonic() + 30
        while not report.exists():
            assert main.poll() is None and time.monotonic() < deadline
            time.sleep(0.02)
        time.sleep(0.1)
        helper, *open_files = report.read_text().splitlines()
        assert not [f for f in open_files if f.endswith(LOCK_NAME)]
        assert not _lock_is_free(folder)  # the main process still holds it
        os.kill(main.pid, signal.SIGKILL)
    finally:
        main.kill()
        main.wait()
    assert wait_gone([int(helper)], 5) == []
    assert _lock_is_free(folder)


def _worker_files(_: object) -> list[str]:
    files = []
    for name in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):  # the listing's own descriptor
            files.append(os.readlink(f"/proc/self/fd/{name}"))
    return files


def _worker_files_job(job: object) -> list[list[str]]:
    return [_worker_files(job)]


def test_pool_workers_close_the_lock(tmp_path: Path) -> None:
    """Their copy of the lock descriptor goes; the cache's stays (SQLite's own state
    about the file; its POSIX locks are never inherited, see index/forking.py)."""
    from newscli.edit.locking import folder_locks
    from newscli.index.cache import IndexCache
    from newscli.index.parallel import map_jobs

    cache, _ = IndexCache.open(str(tmp_path / "cache"))
    assert cache is not None
    try:
        with folder_locks([str(tmp_path)]):
            mine = _worker_files(None)
            assert any(f.endswith(LOCK_NAME) for f in mine)
            assert any(f.endswith("index.sqlite3") for f in mine)
            theirs = list(map_jobs(_worker_files_job, [1], 1, 1))
    finally:
        cache.close()
    (files,) = theirs
    assert not [f for f in files if f.endswith(LOCK_NAME)]
    assert _lock_is_free(tmp_path)


def test_a_helper_whose_parent_died_before_it_started_ends(tmp_path: Path) -> None:
    script = textwrap.dedent(
        """
        import os, sys
        from newscli.index.forking import detach
        detach(os.getppid() + 10**6)  # not its parent: as if the parent had died
        sys.exit(0)
        """
    )
    run = subprocess.run([sys.executable, "-c", script], timeout=30)
    assert run.returncode == 1
