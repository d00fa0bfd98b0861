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


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize("linked", [False, True])
def test_a_run_on_the_parent_waits_for_the_subfolder_before_selecting(
    tmp_path: Path, linked: bool
) -> None:
    """`export r --mark-published --wait` while a run on r/a holds r/a: it selects only
    after that run is done, so what that run shipped (and marked) is not shipped again.
    The same when r/a is a link to a folder elsewhere."""
    write(tmp_path / "r" / "top.md", article_text(title="Top"))
    held = tmp_path / ("ext" if linked else "r/a")
    sub = write(held / "sub.md", article_text(title="Sub"))
    if linked:
        (tmp_path / "r" / "a").symlink_to("../ext")
    command = [str(installed_command()), "export", "r", "--unpublished", "--mark-published"]
    with locked(held):
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


def test_a_tree_of_more_folders_than_open_files_is_locked(tmp_path: Path) -> None:
    """1,100 dated folders with articles under the usual 1,024 open files: the run
    raises its own limit (up to the hard one) to hold their locks; empty folders get no
    lock file."""
    import resource

    for day in range(1100):
        write(tmp_path / "feeds" / f"d{day:04d}" / "a.md", article_text(published=True))
    (tmp_path / "feeds" / "empty").mkdir()
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    if hard != resource.RLIM_INFINITY and hard < 1400:
        pytest.skip(f"the hard open-file limit is {hard}")

    def usual_limit() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (1024, hard))

    run = subprocess.run(
        [str(installed_command()), "export", "feeds", "--unpublished", "--mark-published"],
        cwd=tmp_path, capture_output=True, text=True, preexec_fn=usual_limit, timeout=120,
    )  # fmt: skip
    assert (run.returncode, run.stdout) == (0, "[]\n"), run.stderr
    assert (tmp_path / "feeds" / "d1099" / ".newscli.lock").exists()
    assert not (tmp_path / "feeds" / "empty" / ".newscli.lock").exists()


def test_a_folder_this_user_cannot_write_is_not_locked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No lock is taken (or made) in a folder nothing can be edited in: its files are
    refused one by one, the rest of the run goes on (root can write anywhere: the
    access test is stood in for)."""
    import contextlib
    from types import SimpleNamespace

    from newscli.cli.edit_selection import lock_own_folders
    from newscli.edit.locking import with_subfolders

    write(tmp_path / "r" / "ok" / "a.md", article_text())
    write(tmp_path / "r" / "ro" / "b.md", article_text())
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, m: not str(p).endswith("/ro") and real_access(p, m))
    assert with_subfolders([str(tmp_path / "r")]) == [str(tmp_path / "r"), str(tmp_path / "r/ok")]
    articles = [
        SimpleNamespace(path=str(tmp_path / "r" / d / n))
        for d, n in (("ok", "a.md"), ("ro", "b.md"))
    ]
    with contextlib.ExitStack() as stack:
        lock_own_folders(stack, articles, 0.0)  # type: ignore[arg-type]
        assert (tmp_path / "r" / "ok" / ".newscli.lock").exists()
        assert not (tmp_path / "r" / "ro" / ".newscli.lock").exists()


_WITHOUT_OVERRIDE = [  # root, less what lets it read and write anywhere: a user's rights
    "setpriv",
    "--bounding-set=-dac_override,-dac_read_search,-fowner",
    "--inh-caps=-dac_override,-dac_read_search,-fowner",
]


@pytest.mark.skipif(
    os.geteuid() != 0 or subprocess.run(["which", "setpriv"], capture_output=True).returncode,
    reason="needs root and setpriv",
)
def test_a_subfolder_without_search_permission_is_left_alone_not_the_run(tmp_path: Path) -> None:
    """h124 MED: a subfolder one may write in but not enter (rw-) passed the access test
    (write alone), its lock could not be made, and the whole run stopped with nothing
    edited. Its files are left alone now; the rest is edited."""
    write(tmp_path / "cap" / "a.md", article_text(title="A", quality=84))
    write(tmp_path / "cap" / "sub" / "s.md", article_text(title="S", quality=69))
    os.chmod(tmp_path / "cap" / "sub", 0o644)
    try:
        run = subprocess.run(
            [*_WITHOUT_OVERRIDE, str(installed_command()), "set", "quality=9", "cap", "--all"],
            cwd=tmp_path, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    finally:
        os.chmod(tmp_path / "cap" / "sub", 0o755)
    assert run.returncode == 0, run.stderr
    assert run.stdout == "cap/a.md: quality 84 -> 9\n"
    assert "cap/sub/s.md: cannot read: Permission denied" in run.stderr
    assert "quality: 9" in (tmp_path / "cap" / "a.md").read_text()
    assert "quality: 69" in (tmp_path / "cap" / "sub" / "s.md").read_text()
