"""Ctrl-C, SIGTERM or SIGKILL while worker processes make the story data of a first
grouping (select/story_make): the run ends, no worker is left behind, and the cache
holds whole chunks of rows or none (each chunk is stored in one transaction), every
row as a complete run makes it."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import write
from process_helpers import children, wait_gone

from newscli.index.story_cache import TABLE

pytestmark = [
    pytest.mark.slow,  # the long tier: pytest -m slow (CI runs it)
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork and /proc"),
]

NEWSCLI = str(Path(sys.executable).parent / "newscli")
FILES = 12000  # ~0.6 s of story data on 2 idle cores
CHUNK = 1000  # story_make.CHUNK_FILES


def _rows(cache: Path) -> set[tuple[object, ...]]:
    with sqlite3.connect(cache / "index.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
        if TABLE not in tables:
            return set()
        return set(db.execute(f"SELECT * FROM {TABLE}").fetchall())


def _text(n: int) -> str:
    return (
        f'---\ntitle: "Story {n % 700} about {n % 13} markets and taper talk {n}"\n'
        f"publishedDateTime: 2025-01-{1 + n % 28:02d}T{n % 24:02d}:00:00Z\n"
        f'webUrl: "https://www.x{n % 50}.example/{n}/?utm_source=q"\n'
        f'excerpt: "The lead of story {n % 700}, told by outlet {n % 9}"\n---\n'
    )


@pytest.mark.parametrize(
    ("sig", "codes"),
    [(signal.SIGINT, {130}), (signal.SIGTERM, {143}), (signal.SIGKILL, {-9})],
)
def test_a_signal_while_workers_make_story_data(
    tmp_path: Path, sig: signal.Signals, codes: set[int]
) -> None:
    feeds = tmp_path / "feeds"
    for n in range(FILES):
        write(feeds / f"d{n % 10}" / f"a{n:05}.md", _text(n))
    cache = tmp_path / "cache"
    env = {**os.environ, "NEWSCLI_JOBS": "2", "NEWSCLI_CACHE_DIR": str(cache)}
    subprocess.run([NEWSCLI, "list", str(feeds), "-q"], env=env, check=True, capture_output=True)
    assert _rows(cache) == set()  # warm, no story data yet
    run = [NEWSCLI, "clusters", str(feeds), "--format", "json", "--quiet"]
    proc = subprocess.Popen(run, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while len(workers := children(proc.pid)) < 2 and proc.poll() is None:
        assert time.monotonic() < deadline, "no workers started"
        time.sleep(0.005)
    time.sleep(0.1)  # the workers at work on the first chunks
    assert proc.poll() is None, "the run finished before the signal: make it bigger"
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode in codes, err
    assert not wait_gone(workers, 5), "a worker outlived the run"

    kept = _rows(cache)
    assert len(kept) % CHUNK == 0 and len(kept) < FILES, len(kept)  # whole chunks only
    done = subprocess.run(run, env=env, capture_output=True, check=True)
    assert kept <= _rows(cache)  # every row kept is the row a whole run makes
    assert len(_rows(cache)) == FILES
    fresh = subprocess.run([*run, "--no-cache"], env=env, capture_output=True, check=True)
    assert done.stdout == fresh.stdout
