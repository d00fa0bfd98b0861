"""A FIFO (or device) named as an article, found in a folder, or put in a file's place
after the walk never hangs a run: it gets one `PATH: not a regular file` line."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLES, article_text, run_cli, write

from newscli.article.reading import read_bytes
from newscli.errors import InvalidArticleError
from newscli.index import loader, validation
from newscli.index.cache import IndexCache

NEWSCLI = str(Path(sys.executable).parent / "newscli")


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """A hang fails the test (TimeoutExpired) instead of blocking the suite."""
    return run_cli(*args, cwd=cwd)


@pytest.fixture
def with_fifo(tmp_path: Path) -> Path:
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    for name in ("ai-chip-export-rules.md", "rate-decision.md"):
        shutil.copy(SAMPLES / name, feeds / name)
    os.mkfifo(feeds / "pipe.md")
    return feeds


def test_show_a_fifo(with_fifo: Path) -> None:
    result = run("show", "feeds/pipe.md", cwd=with_fifo.parent)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == "newscli: error: feeds/pipe.md: not a regular file\n"


@pytest.mark.parametrize("command", ["list", "export"])
def test_a_fifo_in_a_folder(with_fifo: Path, command: str) -> None:
    result = run(command, "feeds", cwd=with_fifo.parent)
    assert result.returncode == 0
    assert result.stderr == "feeds/pipe.md: not a regular file\n"
    assert "rate-decision.md" in result.stdout


def test_validate_a_fifo_in_a_folder(with_fifo: Path) -> None:
    result = run("validate", "feeds", cwd=with_fifo.parent)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "feeds/pipe.md: not a regular file",
        "3 files checked: 2 valid, 1 invalid (1 problem)",
    ]


def test_a_device_named_as_an_article(tmp_path: Path) -> None:
    result = run("show", "/dev/zero", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (
        1,
        "newscli: error: /dev/zero: not a regular file\n",
    )


@pytest.fixture
def alarm() -> Iterator[None]:
    """In-process: a read that blocks is interrupted after 10 s and fails the test."""

    def stop(*_: Any) -> None:
        raise TimeoutError("blocked on a FIFO")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(10)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def replaced_after(real: Any, victim: Path) -> Any:
    """real (a walk), after which victim is replaced by a FIFO."""

    def walk_then_swap(*args: Any, **kwargs: Any) -> Any:
        found = real(*args, **kwargs)
        victim.unlink()
        os.mkfifo(victim)
        return found

    return walk_then_swap


@pytest.mark.parametrize("cached", [False, True])
def test_a_file_replaced_by_a_fifo_after_the_walk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, alarm: None, cached: bool
) -> None:
    write(tmp_path / "feeds" / "a.md", article_text(title="Stays"))
    victim = write(tmp_path / "feeds" / "b.md", article_text(title="Becomes a FIFO"))
    monkeypatch.setattr(loader, "scan", replaced_after(loader.scan, victim))
    cache = IndexCache.open(str(tmp_path / "cache"))[0] if cached else None
    result = loader.load_paths([str(tmp_path / "feeds")], cache=cache)
    assert [a.title for a in result.articles] == ["Stays"]
    assert [(p.path, p.reason) for p in result.problems] == [(str(victim), "not a regular file")]


def test_validate_a_file_replaced_by_a_fifo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, alarm: None
) -> None:
    victim = write(tmp_path / "b.md", article_text())
    monkeypatch.setattr(loader, "scan", replaced_after(loader.scan, victim))  # validate's walk
    [report] = validation.validate_paths([str(tmp_path)])
    assert [p.reason for p in report.problems] == ["not a regular file"]


def test_read_bytes_refuses_without_blocking(tmp_path: Path, alarm: None) -> None:
    os.mkfifo(tmp_path / "pipe.md")
    os.symlink("pipe.md", tmp_path / "link.md")  # links are followed, to the FIFO
    for name in ("pipe.md", "link.md"):
        with pytest.raises(InvalidArticleError, match="not a regular file"):
            read_bytes(str(tmp_path / name))


def test_read_bytes_reads_on_when_the_file_grew(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file longer than fstat said (it grew meanwhile) is read to its end."""
    path = tmp_path / "a.md"
    path.write_bytes(b"x" * 200_000)
    real_fstat = os.fstat

    def stale(fd: int) -> os.stat_result:
        info = real_fstat(fd)
        return os.stat_result((*info[:6], 10, *info[7:10]))  # st_size: 10

    monkeypatch.setattr(os, "fstat", stale)
    assert read_bytes(str(path)) == b"x" * 200_000
