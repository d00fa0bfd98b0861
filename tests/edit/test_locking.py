"""newscli.edit.locking: per-folder advisory locks, waited for up to a deadline."""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

import pytest
from conftest import held_elsewhere, is_locked

from newscli.edit.locking import (
    LOCK_NAME,
    LockBusyError,
    LockError,
    _in_order,
    folder_locks,
    lock_folder_for,
)


def test_lock_folder_for(tmp_path: Path) -> None:
    (tmp_path / "f").mkdir()
    article = tmp_path / "f" / "a.md"
    article.write_text("x")
    assert lock_folder_for(str(tmp_path / "f")) == str(tmp_path / "f")
    assert lock_folder_for(str(article)) == str(tmp_path / "f")
    (tmp_path / "link.md").symlink_to(article)
    assert lock_folder_for(str(tmp_path / "link.md")) == str(tmp_path / "f")  # the target's


def test_locks_are_held_inside_and_released_after(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x.md").write_text("x")
    with folder_locks([str(a / "x.md"), str(a), str(b)]):  # a once, though named twice
        assert is_locked(a) and is_locked(b)
    assert not is_locked(a) and not is_locked(b)
    assert (a / LOCK_NAME).exists()  # lock files stay in place


def test_locks_are_released_when_the_work_fails(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), folder_locks([str(tmp_path)]):
        raise RuntimeError("boom")
    assert not is_locked(tmp_path)


def test_a_busy_folder_fails_at_once_without_wait(tmp_path: Path) -> None:
    with held_elsewhere(tmp_path):
        started = time.monotonic()
        busy = pytest.raises(LockBusyError, match="another newscli run is editing")
        with busy, folder_locks([str(tmp_path)]):
            pass
        assert time.monotonic() - started < 1


def test_wait_gives_up_after_the_wait_and_not_long_after(tmp_path: Path) -> None:
    os.mkdir(tmp_path / "a")
    os.mkdir(tmp_path / "b")
    # (locked in this order: by device and inode, whatever their names)
    free, busy = _in_order([str(tmp_path / "a"), str(tmp_path / "b")])
    with held_elsewhere(Path(busy)):
        started = time.monotonic()
        with pytest.raises(LockBusyError, match="--wait"), folder_locks([busy, free], wait=0.3):
            pass
        elapsed = time.monotonic() - started
        assert 0.3 <= elapsed < 0.3 + 2
        assert not is_locked(Path(free))  # the lock taken before the busy one was let go


def test_wait_succeeds_when_the_lock_comes_free(tmp_path: Path) -> None:
    fd = os.open(tmp_path / LOCK_NAME, os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    pid = os.fork()
    if pid == 0:  # the child holds the lock a moment, then lets go
        time.sleep(0.3)
        os._exit(0)
    os.close(fd)  # the child's copy of the description still holds it
    try:
        with folder_locks([str(tmp_path)], wait=10):
            assert is_locked(tmp_path)
    finally:
        os.waitpid(pid, 0)


def test_a_folder_where_no_lock_file_can_be_made(tmp_path: Path) -> None:
    (tmp_path / LOCK_NAME).mkdir()  # cannot be opened for writing, even by root
    refused = pytest.raises(LockError, match=f"cannot create lock file {tmp_path / LOCK_NAME}")
    with refused, folder_locks([str(tmp_path)]):
        pass
