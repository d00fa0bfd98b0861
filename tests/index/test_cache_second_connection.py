"""A second connection of one process to the index cache (review's grouping thread,
shell completion beside a run, a long-lived process running several commands) must not
drop the first one's locks. It did: the second open looked at the database file's
header through a descriptor of its own, and closing that descriptor dropped every POSIX
lock the process held on the file, SQLite's too. Another program closing the database
then took itself for its last user, removed the WAL and its index under the first
connection, and this process went on with a stale index: rows other runs wrote were
unseen (each file parsed again), and in the test suite's long-lived workers, Python
3.13's run read the cache as "database disk image is malformed" (stop 55's note)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import SAMPLES, run_cli

_PROCESS = """
import json, os, subprocess, sys
from newscli.index.cache import IndexCache
from newscli.index.loader import load_paths
folder, feeds, newscli = sys.argv[1:4]
first, _ = IndexCache.open(folder)
load_paths([feeds], None, first)  # this process's connection, kept open
second, _ = IndexCache.open(folder)  # and a second one, closed again
second.close()
closes = ("import sqlite3, sys; d = sqlite3.connect(sys.argv[1]); "
          "d.execute('select count(*) from files').fetchone(); d.close()")  # (a reader)
subprocess.run([sys.executable, "-c", closes, os.path.join(folder, "index.sqlite3")], check=True)
files = sorted(os.listdir(folder))
for name in os.listdir(feeds):  # every file changed: the next run stores them anew
    with open(os.path.join(feeds, name), "a", encoding="utf-8") as handle:
        handle.write("\\n")
subprocess.run([newscli, "export", feeds, "--cache-dir", folder], check=True,
               stdout=subprocess.DEVNULL)
third, warning = IndexCache.open(folder)
loaded = load_paths([feeds], None, third)
print(json.dumps([files, warning, len(loaded.articles), loaded.parsed]))
"""


def test_a_second_connection_keeps_the_first_ones_locks(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    shutil.copytree(SAMPLES, feeds, ignore=shutil.ignore_patterns("archive"))
    cache = tmp_path / "cache"
    assert run_cli("export", str(feeds), "--cache-dir", str(cache)).returncode == 0
    newscli = str(Path(sys.executable).parent / "newscli")
    result = subprocess.run(
        [sys.executable, "-c", _PROCESS, str(cache), str(feeds), newscli],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    files, warning, articles, parsed = json.loads(result.stdout)
    # Another program's close left the WAL and its index to this process's connection ...
    assert "index.sqlite3-wal" in files and "index.sqlite3-shm" in files
    # ... and this process sees what the other run stored since: no file parsed again.
    assert (warning, parsed) == (None, 0) and articles > 0
