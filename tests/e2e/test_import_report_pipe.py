"""`import`'s stdout only lists the files it made: a reader that leaves (`| head -1`)
or a full disk stops the list, not the import (h30: it stopped after a file or two,
with no count, and the next run imported the rest). Every file is made, the import
state saved, the summary said; exit 141 (the pipe) or 1 (the disk). Real processes."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import NEWSCLI
from test_import_interrupted import numbered_feed

ITEMS = 400  # a list of ~30 KB: more than a pipe's reader that left can take


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "NEWSCLI_STATE_DIR": str(tmp_path / "state"),
            "NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}  # fmt: skip


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_a_reader_gone_stops_the_list_not_the_import(tmp_path: Path) -> None:
    numbered_feed(tmp_path / "feed.xml", ITEMS)
    line = f"set -o pipefail; {NEWSCLI} import feed.xml --into feeds | head -1"
    run = subprocess.run(["bash", "-c", line], cwd=tmp_path, env=_env(tmp_path),
                         capture_output=True, text=True, timeout=120)  # fmt: skip
    assert run.returncode == 141, run.stderr
    assert run.stdout.startswith("feeds/2025/03/14/item-0-") and run.stdout.count("\n") == 1
    assert run.stderr == f"newscli: imported {ITEMS} new articles from 1 source (0 already there)\n"
    assert len(list((tmp_path / "feeds").rglob("*.md"))) == ITEMS
    again = subprocess.run([NEWSCLI, "import", "feed.xml", "--into", "feeds"], cwd=tmp_path,
                           env=_env(tmp_path), capture_output=True, text=True)  # fmt: skip
    assert (again.returncode, again.stdout) == (0, ""), again.stderr
    assert f"({ITEMS} already there)" in again.stderr


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
def test_a_full_disk_under_stdout_stops_the_list_not_the_import(tmp_path: Path) -> None:
    numbered_feed(tmp_path / "feed.xml", ITEMS)
    with open("/dev/full", "w") as full:
        run = subprocess.run([NEWSCLI, "import", "feed.xml", "--into", "feeds"], cwd=tmp_path,
                             env=_env(tmp_path), stdout=full, stderr=subprocess.PIPE,
                             text=True, timeout=120)  # fmt: skip
    assert run.returncode == 1, run.stderr
    assert run.stderr == (
        f"newscli: imported {ITEMS} new articles from 1 source (0 already there)\n"
        "newscli: error: cannot write to standard output: No space left on device; "
        "the list stops there, the import did not\n"
    )
    assert len(list((tmp_path / "feeds").rglob("*.md"))) == ITEMS
