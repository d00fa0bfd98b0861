"""h153 LOW: articles and the undo journal on one full disk. `publish` kept a file's old
version in the journal, its write failed (no room), and then the journal's header,
which lists the files not replaced, could not be written either: `history` counted
one file more than the run changed (an interrupted batch is counted by its records).
A record whose file was not replaced is now cut off the journal's log, which frees
room and needs none. Swept over how full the disk is: whatever the run managed,
`history` counts exactly the files changed and `undo` gives every byte back. A real
tmpfs (root only), the installed command."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import run_cli, write
from small_disk import tmpfs

SIZE = 120_000  # bytes of body per article


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_history_counts_only_the_files_a_full_disk_let_change(tmp_path: Path) -> None:
    counts: list[int] = []
    with tmpfs(tmp_path / "disk", "size=2m") as disk:
        feeds, state = disk / "feeds", disk / "state"
        env = {"NEWSCLI_STATE_DIR": str(state), "NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}
        for left in range(320_000, 480_001, 20_000):
            shutil.rmtree(state, ignore_errors=True)  # (each try from an empty journal)
            for n in range(3):
                write(feeds / f"a{n}.md", f"---\ntitle: A{n}\npublished: false\n---\n"
                      f"{'x' * SIZE}\n")  # fmt: skip
            before = {p: p.read_bytes() for p in feeds.glob("*.md")}
            room = os.statvfs(disk)
            with open(disk / "fill", "wb") as fill, contextlib.suppress(OSError):
                fill.write(bytes(max(0, room.f_bavail * room.f_frsize - left)))
            run_cli("publish", str(feeds), "--all", env=env)
            (disk / "fill").unlink()
            changed = sum(p.read_bytes() != old for p, old in before.items())
            shown = run_cli("history", "--format", "json", env=env)
            assert shown.returncode == 0, shown.stderr
            batches = json.loads(shown.stdout)
            assert [b["files"] for b in batches] == ([changed] if changed else []), left
            counts.append(changed)
            if changed:
                undone = run_cli("undo", env=env)
                assert undone.returncode == 0, undone.stderr
            assert {p: p.read_bytes() for p in feeds.glob("*.md")} == before, left
    assert 0 < min(counts) < 3 or len(set(counts)) > 1, counts  # (the sweep met a stop)
