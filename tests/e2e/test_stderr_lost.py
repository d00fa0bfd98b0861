"""h75 2: stderr is diagnostics only. A summary that cannot be written (`2>/dev/full`,
a reader of stderr gone) after every article was written and marked made the run exit
1 or 141, which says none was; now the exit status says what the run did."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from test_pipes import NEWSCLI

SAMPLES = Path(__file__).resolve().parents[2] / "sample_feeds"


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "NEWSCLI_STATE_DIR": str(tmp_path / "state"),
        "NEWSCLI_CACHE_DIR": str(tmp_path / "cache"),
    }


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_a_summary_that_cannot_be_written_changes_no_exit_status(tmp_path: Path) -> None:
    env = _env(tmp_path)
    feeds = tmp_path / "feeds"
    shutil.copytree(SAMPLES, feeds, ignore=shutil.ignore_patterns("archive"))
    out = tmp_path / "out.json"
    args = [NEWSCLI, "export", str(feeds), "--unpublished", "--mark-published", "-o", str(out)]
    with open("/dev/full", "w") as full:
        done = subprocess.run([*args, "--limit", "2"], env=env, stderr=full)
    assert done.returncode == 0
    assert len(json.loads(out.read_text())) == 2
    read, write = os.pipe()
    os.close(read)  # (a reader of stderr gone before the run)
    done = subprocess.run([*args, "--limit", "3"], env=env, stderr=write)
    os.close(write)
    assert done.returncode == 0
    shipped = json.loads(out.read_text())
    assert len(shipped) == 3
    left = subprocess.run(
        [NEWSCLI, "export", str(feeds), "--unpublished", "--fields", "path"],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert {r["path"] for r in shipped}.isdisjoint(r["path"] for r in json.loads(left.stdout))
    # a run that fails still says so by its status
    with open("/dev/full", "w") as full:
        failed = subprocess.run([NEWSCLI, "list", str(tmp_path / "missing")], env=env, stderr=full)
    assert failed.returncode == 1
