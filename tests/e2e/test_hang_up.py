"""A closed terminal or SSH session (SIGHUP) ends a run as SIGTERM does: the same
clean-up (no temporary file left, every file changed journaled), then exit 129 (h28,
h29: the run ended by the signal itself, exit -1 for a caller, a `.tmp` file left and
its list of files changed cut short). The installed command on a real pseudo-terminal
that is its controlling one, as a user's is, whose leader side is then closed."""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import NEWSCLI, article_text, write
from process_helpers import children, wait_gone

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ptys, /proc")

# The terminal made the command's controlling one (the harness's has none), then the
# command itself.
CONTROLLED = (
    sys.executable,
    "-c",
    "import fcntl, os, sys, termios; fcntl.ioctl(0, termios.TIOCSCTTY, 0); "
    "os.execv(sys.argv[1], sys.argv[1:])",
)


class Terminal:
    """The command on a pseudo-terminal that is its controlling one; ``hang_up`` closes
    the terminal (the kernel then sends SIGHUP). Killed if still running after."""

    def __init__(self, args: list[str], cwd: Path, env: dict[str, str]) -> None:
        self.leader, follower = pty.openpty()
        self.proc = subprocess.Popen(
            [*CONTROLLED, NEWSCLI, *args],
            cwd=cwd,
            env=env,
            stdin=follower,
            stdout=follower,
            stderr=follower,
            start_new_session=True,
        )
        os.close(follower)

    def hang_up(self) -> int:
        """Close the terminal; the command's exit code."""
        os.close(self.leader)
        self.leader = -1
        return self.proc.wait(timeout=60)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.leader >= 0:
            os.close(self.leader)
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def _drain(leader: int, seconds: float) -> None:
    """Read what the terminal shows for a while (a terminal that is read, as a user's)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        ready, _, _ = select.select([leader], [], [], 0.01)
        if ready:
            try:
                os.read(leader, 65536)
            except OSError:
                return


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_an_edit_whose_terminal_closes_is_whole_and_journaled(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    for i in range(3000):
        write(feeds / f"a{i:04}.md", f'---\ntitle: "A {i}"\nquality: 10\n---\nBody.\n')
    originals = {p: p.read_bytes() for p in feeds.iterdir()}
    env = {**os.environ, "NEWSCLI_STATE_DIR": str(tmp_path / "state")}
    env.pop("NEWSCLI_DEBUG", None)
    with Terminal(["publish", "feeds", "--all"], tmp_path, env) as terminal:
        deadline = time.monotonic() + 60
        while not list((tmp_path / "state").glob("journal/*/old.log")):
            assert terminal.proc.poll() is None, "the edit ended before its terminal closed"
            assert time.monotonic() < deadline, "the edit never began"
            _drain(terminal.leader, 0.005)
        _drain(terminal.leader, 0.2)
        code = terminal.hang_up()
    changed = [p for p, old in originals.items() if p.read_bytes() != old]
    assert code == 129, code  # (not -1: ended by the signal itself)
    assert 0 < len(changed) < len(originals), "the edit ended before its terminal closed"
    assert [p.name for p in feeds.iterdir() if ".tmp" in p.name] == []
    history = subprocess.run([NEWSCLI, "history", "--format", "json"], cwd=tmp_path, env=env,
                             capture_output=True, text=True, timeout=60)  # fmt: skip
    batch = json.loads(history.stdout)[0]
    assert (batch["files"], batch["complete"]) == (len(changed), False)
    undo = subprocess.run([NEWSCLI, "undo"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=60)  # fmt: skip
    assert f"restored {len(changed)}, already 0, refused 0" in undo.stderr, undo.stderr
    assert {p: p.read_bytes() for p in originals} == originals


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_a_hang_up_to_the_group_during_a_cold_load_is_said_as_one(tmp_path: Path) -> None:
    """SIGHUP reaches the terminal's whole foreground group, the parsing workers too:
    they leave it to the run (not "a worker process ended unexpectedly")."""
    feeds = tmp_path / "feeds"
    for i in range(4000):
        write(feeds / f"d{i % 8}" / f"a{i:05}.md", article_text(title=f"Article {i}"))
    env = {**os.environ, "NEWSCLI_JOBS": "2", "NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("NEWSCLI_DEBUG", None)
    proc = subprocess.Popen(
        [NEWSCLI, "list", str(feeds), "-q"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while len(workers := children(proc.pid)) < 2:
            assert proc.poll() is None, "the load ended before its workers started"
            assert time.monotonic() < deadline, "no workers"
            time.sleep(0.002)
        time.sleep(0.1)
        os.killpg(proc.pid, signal.SIGHUP)
        _, err = proc.communicate(timeout=60)
        assert wait_gone(workers, 5) == [], "a worker was left behind"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert (proc.returncode, err) == (129, b"newscli: error: hung up\n")


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_review_whose_terminal_closes_ends_with_129(tmp_path: Path) -> None:
    folder = tmp_path / "feeds"
    folder.mkdir()
    (folder / "story.md").write_text(article_text(title="Closing terminal"), encoding="utf-8")
    env = {**os.environ, "TERM": "xterm-256color"}
    with Terminal(["review", "feeds", "--no-cache"], tmp_path, env) as terminal:
        seen, deadline = b"", time.monotonic() + 30
        while b"Closing terminal" not in seen:
            assert time.monotonic() < deadline, seen[-2000:]
            if select.select([terminal.leader], [], [], 0.05)[0]:
                seen += os.read(terminal.leader, 65536)
        assert terminal.hang_up() == 129
