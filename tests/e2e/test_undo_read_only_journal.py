"""h137 MED: with the undo journal on a read-only file system, `undo` restored the
files, exit 0, and the batch stayed: every undo after said "restored 0, already 1",
and the batches before it were out of reach. Now it refuses before restoring anything,
in one line, exit 1, as an edit that cannot write the journal does; once the journal
can be written again, the same undo restores the files. A real tmpfs remounted
read-only (root only), the installed command."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import NEWSCLI, SAMPLES
from small_disk import tmpfs


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(NEWSCLI), *args], env=env, capture_output=True, text=True,
                          timeout=60)  # fmt: skip


def test_undo_refuses_a_journal_it_could_not_change(tmp_path: Path) -> None:
    article = tmp_path / "feeds" / "a.md"
    article.parent.mkdir()
    article.write_bytes((SAMPLES / "rate-decision.md").read_bytes())
    before = article.read_bytes()
    with tmpfs(tmp_path / "state") as state:
        env = {**os.environ, "NEWSCLI_STATE_DIR": str(state),
               "NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}  # fmt: skip
        env.pop("NEWSCLI_DEBUG", None)
        assert _run(env, "set", "quality=85", str(article), "-q").returncode == 0
        edited = article.read_bytes()
        assert edited != before
        remount = ["mount", "-o", "remount,ro", str(state)]
        assert subprocess.run(remount, capture_output=True).returncode == 0
        try:
            refused = _run(env, "undo")
            assert (refused.returncode, refused.stdout) == (1, "")
            assert refused.stderr == (
                f"newscli: error: cannot change the undo journal {state / 'journal'} (a"
                " read-only file system): nothing restored\n"
            )
            assert article.read_bytes() == edited
        finally:
            subprocess.run(["mount", "-o", "remount,rw", str(state)], check=True)
        done = _run(env, "undo", "-q")
        assert done.returncode == 0, done.stderr
        assert article.read_bytes() == before
        again = _run(env, "undo")  # (the batch left the journal with it)
        assert (again.returncode, again.stderr) == (1, "newscli: error: nothing to undo\n")
