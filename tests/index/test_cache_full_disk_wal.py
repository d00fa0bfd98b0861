"""h137 MED: a run whose cache could not be written for want of room ("database or disk
is full; going on without it") left the write-ahead log of the failed write on the
disk, holding its last free space, run after run: every edit on that disk then failed
for want of room for its undo journal, until the cache folder was deleted. The log is
given back now (emptied where no other run reads it). A real tmpfs (root only), the
installed command."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from conftest import NEWSCLI, write
from small_disk import tmpfs


def _free(folder: Path) -> int:
    return shutil.disk_usage(folder).free


def test_a_cache_on_a_nearly_full_disk_leaves_the_room_to_edits(tmp_path: Path) -> None:
    """Also h138: a first run that stored a few files left their rows in the log; a
    second run filled the disk, and the log, holding committed rows, could not be put
    back into the database (no room for that either): the disk stayed full. The cache
    now never writes into the last RESERVE bytes of its disk."""
    with tmpfs(tmp_path / "disk") as disk:
        feeds = disk / "feeds"
        for n in range(150):
            body = f"{n} " * 300  # (about 1 KB of export JSON each, its excerpt)
            write(feeds / f"a{n:03}.md", f'---\ntitle: "Story {n}"\nexcerpt: "{body}"\n---\n')
        env = {**os.environ, "NEWSCLI_STATE_DIR": str(disk / "state"),
               "NEWSCLI_CACHE_DIR": str(disk / "cache")}  # fmt: skip
        env.pop("NEWSCLI_DEBUG", None)
        before = _free(disk)
        out = tmp_path / "out.json"
        for paths in ([feeds / "a000.md", feeds / "a001.md"], [feeds], [feeds]):
            done = subprocess.run(
                [str(NEWSCLI), "export", *map(str, paths), "-o", str(out)],
                env=env, capture_output=True, text=True, timeout=120,
            )  # fmt: skip
            assert done.returncode == 0, done.stderr
            assert before - _free(disk) <= 128 * 1024, (before, _free(disk))
            assert "its disk would be left with less than 16 MiB free" in done.stderr
        assert out.read_text().count('"title"') == 150
        edit = subprocess.run(
            [str(NEWSCLI), "publish", str(feeds), "--all", "--quiet"],
            env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert edit.returncode == 0, edit.stderr
        assert all("published: true" in p.read_text() for p in feeds.glob("*.md"))
