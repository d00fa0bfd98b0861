"""A file is edited only under its own folder's lock: a run on feeds/ and one on
feeds/sub/ cannot both edit feeds/sub/x.md (a lost update: both reported the change,
the file held only one), nor both mark and ship it."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import article_text, installed_command, run_cli, write


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    fd = os.open(folder / ".newscli.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # another run is editing this folder
        yield
    finally:
        os.close(fd)


def test_a_run_on_the_parent_folder_needs_the_subfolders_lock(tmp_path: Path) -> None:
    top = write(tmp_path / "r" / "top.md", article_text(title="Top"))
    sub = write(tmp_path / "r" / "a" / "sub.md", article_text(title="Sub"))
    before = {p: p.read_bytes() for p in (top, sub)}
    with locked(tmp_path / "r" / "a"):
        busy = run_cli("set", "note=A", "r", "--all", cwd=tmp_path)
        assert busy.returncode == 3, busy.stderr
        assert f"another newscli run is editing {tmp_path / 'r' / 'a'}" in busy.stderr
        assert busy.stdout == ""
        marking = run_cli("export", "r", "--mark-published", "-o", "out.json", cwd=tmp_path)
        assert marking.returncode == 3, marking.stderr
        assert not (tmp_path / "out.json").exists()
        assert {p: p.read_bytes() for p in before} == before  # nothing edited or marked
        # the subfolder's own run is not blocked by a lock on the parent alone
    with locked(tmp_path / "r"):
        own = run_cli("set", "note=B", "r/a", "--all", cwd=tmp_path)
        assert own.returncode == 0, own.stderr
        assert own.stdout == "r/a/sub.md: note (none) -> B\n"
    done = run_cli("set", "note=A", "r", "--all", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert b"note: A" in top.read_bytes() and b"note: A" in sub.read_bytes()


@pytest.mark.slow
def test_parallel_runs_on_a_folder_and_its_subfolder_lose_no_update(tmp_path: Path) -> None:
    for i in range(150):
        write(tmp_path / "r" / f"t{i}.md", article_text(title=f"T{i}"))
        write(tmp_path / "r" / "a" / f"s{i}.md", article_text(title=f"S{i}"))
    command = str(installed_command())
    env = {**os.environ, "NEWSCLI_STATE_DIR": str(tmp_path / "state")}
    for _ in range(2):
        runs = [
            subprocess.Popen(
                [command, "set", f"n{k}={k}", where, "--all", "--wait", "30"],
                cwd=tmp_path,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for k, where in enumerate(["r", "r/a", "r", "r/a"])
        ]
        for k, run in enumerate(runs):
            stdout, stderr = run.communicate(timeout=300)
            assert run.returncode in (0, 1), stderr  # 1: refused as changed since selected
            assert "Traceback" not in stderr
            for line in stdout.splitlines():  # every change reported is on disk
                path = line.split(": ", 1)[0]
                assert f'n{k}: "{k}"' in (tmp_path / path).read_text(), line


def test_a_run_on_the_parent_waits_for_the_subfolder_before_selecting(tmp_path: Path) -> None:
    """`export r --mark-published --wait` while a run on r/a holds r/a: it selects only
    after that run is done, so what that run shipped (and marked) is not shipped again."""
    write(tmp_path / "r" / "top.md", article_text(title="Top"))
    sub = write(tmp_path / "r" / "a" / "sub.md", article_text(title="Sub"))
    command = [str(installed_command()), "export", "r", "--unpublished", "--mark-published"]
    with locked(tmp_path / "r" / "a"):
        waiting = subprocess.Popen(
            [*command, "--wait", "30", "-o", "out.json"],
            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        time.sleep(2)  # it has started and waits for r/a (it would have selected by now)
        sub.write_text(article_text(title="Sub", published=True), encoding="utf-8")
    _, stderr = waiting.communicate(timeout=60)
    assert waiting.returncode == 0, stderr
    shipped = [record["path"] for record in json.loads((tmp_path / "out.json").read_text())]
    assert shipped == ["r/top.md"], shipped
