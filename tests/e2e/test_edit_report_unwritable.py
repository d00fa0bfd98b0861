"""An edit's (and undo's) stdout that cannot be written, a full disk (`>/dev/full`) or a
closed descriptor (`>&-`), is handled as a reader gone from a pipe is: the report
stops, the work does not. Every file is edited, the batch is whole in the journal, the
summary is on stderr, then one `newscli: error:` line, exit 1 (141 for the pipe). It
used to edit one file, then stop with the error alone: the user could not tell that a
file had changed, and an undo stopped the same way left the journal as it was.
Real processes and real redirections."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import NEWSCLI

PIPE_COUNT = 400  # with these names, a report of ~100 KB: more than a pipe holds
NAME = "an-article-with-a-name-long-enough-to-fill-a-pipe-quickly-" * 3


def _corpus(tmp_path: Path, count: int) -> dict[Path, bytes]:
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    for i in range(count):
        (feeds / f"{NAME}{i:03}.md").write_text(f'---\ntitle: "A {i}"\npublished: false\n---\n')
    return {p: p.read_bytes() for p in feeds.iterdir()}


def _bash(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", f"set -o pipefail; {command}"], cwd=cwd,
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def _newest(cwd: Path) -> list[dict[str, object]]:
    run = subprocess.run([NEWSCLI, "history", "--format", "json"], cwd=cwd,
                         capture_output=True, text=True, timeout=60)  # fmt: skip
    return json.loads(run.stdout)  # type: ignore[no-any-return]


FAILURES = {">/dev/full": "No space left on device", ">&-": "Bad file descriptor"}


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize("redirect", [">/dev/full", ">&-", "| head -1"])
def test_an_edit_whose_report_cannot_be_written_edits_every_file(
    tmp_path: Path, redirect: str
) -> None:
    count = PIPE_COUNT if redirect == "| head -1" else 30  # (a full disk fails at once)
    originals = _corpus(tmp_path, count)
    run = _bash(f"{NEWSCLI} publish feeds --all {redirect}", tmp_path)
    summary = f"newscli: changed {count}, already true 0, refused 0\n"
    if redirect == "| head -1":
        assert run.returncode == 141, run.stderr
        assert run.stdout.endswith(": published false -> true\n") and run.stdout.count("\n") == 1
        assert run.stderr == summary
    else:
        assert run.returncode == 1, run.stderr
        assert run.stderr == summary + (
            f"newscli: error: cannot write to standard output: {FAILURES[redirect]}; the "
            "report stops there, the edit did not (newscli undo reverts it)\n"
        )
    assert all(p.read_bytes() != old for p, old in originals.items())
    batch = _newest(tmp_path)[0]
    assert (batch["files"], batch["complete"]) == (count, True)

    undo = _bash(f"{NEWSCLI} undo {redirect}", tmp_path)
    summary = (
        f"newscli: undo of `newscli publish feeds --all`: restored {count}, already 0, refused 0\n"
    )
    if redirect == "| head -1":
        assert undo.returncode == 141, undo.stderr
        assert undo.stderr == summary
    else:
        assert undo.returncode == 1, undo.stderr
        assert undo.stderr == summary + (
            f"newscli: error: cannot write to standard output: {FAILURES[redirect]}; the "
            "report stops there, the undo did not\n"
        )
    assert {p: p.read_bytes() for p in originals} == originals
    assert _newest(tmp_path) == []  # the batch is undone whole


def test_quiet_leaves_the_one_error_line(tmp_path: Path) -> None:
    originals = _corpus(tmp_path, 30)
    run = _bash(f"{NEWSCLI} set quality=5 feeds --all --quiet >/dev/full", tmp_path)
    assert run.returncode == 1
    assert run.stderr == (
        "newscli: error: cannot write to standard output: No space left on device; the "
        "report stops there, the edit did not (newscli undo reverts it)\n"
    )
    assert all(b"quality: 5\n" in p.read_bytes() for p in originals)
