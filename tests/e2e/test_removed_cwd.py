"""A run whose current folder was removed (a cron job started from a folder deleted
since) works on absolute paths as from any folder: `clusters` from a warm cache (its
stored story ids are keyed by the folder run from: not stored then), an edit (its
journal records the folder) and `undo` (it shows paths relative to the folder) ended
in "internal error: FileNotFoundError" (found reviewing the stored ids, stop 47)."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

NEWSCLI = str(Path(sys.executable).parent / "newscli")


def _from_removed(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run newscli from a folder removed before it starts."""
    gone = tmp_path / "gone"
    gone.mkdir()
    env = {
        **os.environ,
        "NEWSCLI_CACHE_DIR": str(tmp_path / "cache"),
        "NEWSCLI_STATE_DIR": str(tmp_path / "state"),
    }
    return subprocess.run(
        [
            "sh",
            "-c",
            'cd "$1" && rmdir "$1" && shift && exec "$@"',
            "sh",
            str(gone),
            NEWSCLI,
            *args,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow  # (the long tier: it took 2-16 s of the default run, 2026-12-07)
def test_commands_run_from_a_removed_folder(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    shutil.copytree(REPO / "sample_feeds", feeds)
    before = {p: p.read_bytes() for p in feeds.rglob("*.md")}
    expected = subprocess.run(
        [NEWSCLI, "clusters", str(feeds), "--format", "json", "--no-cache"],
        capture_output=True, text=True, timeout=120, check=True,
    ).stdout  # fmt: skip
    assert json.loads(expected), "the sample has stories of several articles"
    for _ in range(3):  # cold, warm (the cache's grouping), warm again
        done = _from_removed(tmp_path, "clusters", str(feeds), "--format", "json")
        assert (done.returncode, done.stderr) == (0, "")
        assert done.stdout == expected
    done = _from_removed(tmp_path, "publish", str(feeds), "--all", "-q")
    assert (done.returncode, done.stderr) == (0, "")
    assert {p: p.read_bytes() for p in feeds.rglob("*.md")} != before
    done = _from_removed(tmp_path, "history")
    assert done.returncode == 0 and "newscli publish" in done.stdout, done.stderr
    done = _from_removed(tmp_path, "undo")
    assert done.returncode == 0, done.stderr
    assert f"{feeds}/" in done.stderr + done.stdout  # (shown whole: no folder to be relative to)
    assert {p: p.read_bytes() for p in feeds.rglob("*.md")} == before


def test_a_relative_path_in_a_removed_folder_is_one_clear_error(tmp_path: Path) -> None:
    """A relative output or folder there cannot be found: one line saying why, exit 1
    (it was "internal error: FileNotFoundError")."""
    feeds = tmp_path / "feeds"
    shutil.copytree(REPO / "sample_feeds", feeds)
    for args in (["export", str(feeds), "-o", "out.json"], ["list", "."]):
        done = _from_removed(tmp_path, *args)
        assert done.returncode == 1
        assert done.stderr == (
            "newscli: error: the current folder was removed: run from another one, or give"
            " absolute paths\n"
        )
