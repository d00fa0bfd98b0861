"""h44: `undo` while another run was still making its edit took the edit before it
(the newest batch being written was skipped), found its file changed by the running
edit, refused it, and advised `undo --forget`, which then dropped the running edit's
300-file batch. The edit being made is the last one: undo waits for it (--wait) or
says so (exit 3). Real processes: an edit stopped (SIGSTOP) while its batch is open."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import NEWSCLI, write


def _batches(state: Path) -> list[Path]:
    journal = state / "journal"
    return sorted(journal.iterdir()) if journal.exists() else []


def _four_hundred(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """400 articles in four folders, and an environment of the test's own."""
    feeds = tmp_path / "feeds"
    for n in range(400):
        write(feeds / f"{n % 4}" / f"a{n:03}.md", f'---\ntitle: "Story {n}"\n---\nbody\n')
    env = {**os.environ, "NEWSCLI_STATE_DIR": str(tmp_path / "state"),
           "NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}  # fmt: skip
    env.pop("NEWSCLI_DEBUG", None)
    return feeds, env


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_undo_waits_for_the_edit_being_made_and_reverts_it(tmp_path: Path) -> None:
    feeds, env = _four_hundred(tmp_path)
    first = feeds / "0" / "a000.md"
    run = [str(NEWSCLI)]
    assert subprocess.run([*run, "set", "note=first", str(first)], env=env,
                          capture_output=True).returncode == 0  # fmt: skip
    original = {p: p.read_bytes() for p in feeds.rglob("*.md")}
    (older,) = _batches(tmp_path / "state")
    edit = subprocess.Popen([*run, "set", "note=second", str(feeds), "--all", "-q"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while len(_batches(tmp_path / "state")) < 2 or first.read_bytes() == original[first]:
            assert edit.poll() is None, "the edit ended before it could be stopped"
            assert time.monotonic() < deadline
            time.sleep(0.005)
        edit.send_signal(signal.SIGSTOP)  # its batch open, the first file changed
        newer = _batches(tmp_path / "state")[1]
        assert not json.loads((newer / "batch.json").read_text())["complete"]
        busy = subprocess.run([*run, "undo"], env=env, capture_output=True, text=True)
        assert busy.returncode == 3, busy.stderr
        assert busy.stderr.startswith(
            f"newscli: error: another newscli run (process {edit.pid}) is still making its edit"
        ), busy.stderr
        forget = subprocess.run([*run, "undo", "--forget"], env=env, capture_output=True,
                                text=True)  # fmt: skip
        assert forget.returncode == 3 and "still making its edit" in forget.stderr
        assert _batches(tmp_path / "state") == [older, newer]  # nothing undone, forgotten
        # history names it as being made, not interrupted (h51), in both formats
        shown = subprocess.run([*run, "history"], env=env, capture_output=True, text=True)
        newest = shown.stdout.splitlines()[0]
        assert newest.endswith(f"set note=second {feeds} --all -q  (being made by process "
                               f"{edit.pid})"), shown.stdout  # fmt: skip
        listed = subprocess.run([*run, "history", "--format", "json"], env=env,
                                capture_output=True, text=True)  # fmt: skip
        assert [b["running"] for b in json.loads(listed.stdout)] == [edit.pid, None]
        piped = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True}
        waiting = subprocess.Popen([*run, "undo", "--wait", "60"], env=env, **piped)
        time.sleep(0.5)
        assert waiting.poll() is None  # it waits for the edit
    finally:
        edit.send_signal(signal.SIGCONT)
    assert edit.wait(timeout=60) == 0
    _, err = waiting.communicate(timeout=60)
    assert waiting.returncode == 0, err
    assert "undo of `newscli set note=second" in err and "restored 400" in err, err
    assert {p: p.read_bytes() for p in feeds.rglob("*.md")} == original
    assert _batches(tmp_path / "state") == [older]  # the edit before is still there


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_history_says_interrupted_of_a_killed_edit(tmp_path: Path) -> None:
    """The batch of an edit killed (SIGKILL) mid-way: its run is gone."""
    feeds, env = _four_hundred(tmp_path)
    edit = subprocess.Popen([str(NEWSCLI), "set", "note=x", str(feeds), "--all", "-q"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 60
    while not (batches := _batches(tmp_path / "state")) or not (batches[0] / "batch.json").exists():
        assert edit.poll() is None and time.monotonic() < deadline
        time.sleep(0.002)
    edit.kill()
    edit.wait(timeout=60)
    if json.loads((batches[0] / "batch.json").read_text())["complete"]:
        pytest.skip("the edit ended before the kill")
    shown = subprocess.run([str(NEWSCLI), "history"], env=env, capture_output=True, text=True)
    assert shown.stdout.splitlines()[0].endswith("  (interrupted)"), shown.stdout
    listed = subprocess.run([str(NEWSCLI), "history", "--format", "json"], env=env,
                            capture_output=True, text=True)  # fmt: skip
    assert json.loads(listed.stdout)[0]["running"] is None


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize("wait", [[], ["--wait", "0.3"]])
def test_no_edit_being_made_is_no_wait(tmp_path: Path, wait: list[str]) -> None:
    env = {**os.environ, "NEWSCLI_STATE_DIR": str(tmp_path / "state")}
    empty = subprocess.run([str(NEWSCLI), "undo", *wait], env=env, capture_output=True, text=True)
    assert empty.returncode == 1 and empty.stderr == "newscli: error: nothing to undo\n"
