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

import pytest
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
            dry = _run(env, "undo", "-n")  # (h140: it said "would restore 1", exit 0)
            assert (dry.returncode, dry.stdout) == (1, "")
            assert "cannot change the undo journal" in dry.stderr
            refused = _run(env, "undo")
            assert (refused.returncode, refused.stdout) == (1, "")
            assert refused.stderr == (
                f"newscli: error: cannot change the undo journal {state / 'journal'} (a"
                " read-only file system): nothing restored\n"
            )
            assert article.read_bytes() == edited
            forget = _run(env, "undo", "--forget")  # (h138: it said it forgot the batch)
            assert (forget.returncode, forget.stdout) == (1, "")
            assert forget.stderr.startswith("newscli: error: the batch ")
            assert forget.stderr.endswith(
                "could not be dropped from the undo journal (Read-only file system); nothing"
                " was forgotten\n"
            )
        finally:
            subprocess.run(["mount", "-o", "remount,rw", str(state)], check=True)
        done = _run(env, "undo", "-q")
        assert done.returncode == 0, done.stderr
        assert article.read_bytes() == before
        again = _run(env, "undo")  # (the batch left the journal with it)
        assert (again.returncode, again.stderr) == (1, "newscli: error: nothing to undo\n")


def test_an_undo_whose_batch_cannot_be_dropped_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """h139 LOW: past check_changeable's guess (an immutable batch folder, EBUSY), the
    batch stayed after its files were restored, and the undo said nothing, exit 0."""
    from newscli.edit import journal, undo_plan
    from newscli.edit.journal import JournalError

    article = tmp_path / "a.md"
    article.write_bytes((SAMPLES / "rate-decision.md").read_bytes())
    env = {**os.environ, "NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
    assert _run(env, "set", "quality=85", str(article), "-q").returncode == 0
    plan = undo_plan.undo_last()

    def refused(folder: Path) -> OSError:
        return OSError(16, "Device or resource busy")

    monkeypatch.setattr(undo_plan, "_remove", refused)
    with pytest.raises(JournalError, match=r"could not be dropped .*\(Device or resource busy\);"
                       r" its files are restored"):  # fmt: skip
        undo_plan.finish_undo(plan)
    assert journal.list_batches()  # (still there, for `undo --forget`)
