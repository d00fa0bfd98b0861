"""`newscli import` stopped by a signal while it writes: every file it made is whole
and counted (h29: a SIGTERM said only "terminated", with no count), and the next run
imports the rest, none twice. The installed command, a real SIGTERM or SIGHUP."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import NEWSCLI

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="signals")
ITEMS = 1500


def numbered_feed(path: Path, count: int = ITEMS) -> None:
    """An RSS feed of ``count`` items, Item 0, Item 1, ..., each with its own link."""
    items = "".join(
        f"<item><title>Item {n}</title><link>https://a.example/{n}</link>"
        "<pubDate>Fri, 14 Mar 2025 09:12:00 GMT</pubDate></item>"
        for n in range(count)
    )
    path.write_text(f'<rss version="2.0"><channel><title>T</title>{items}</channel></rss>')


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize(("sent", "code", "said"), [
    (signal.SIGTERM, 143, "terminated"), (signal.SIGHUP, 129, "hung up"),
])  # fmt: skip
def test_an_import_stopped_midway_says_how_far_and_the_next_run_ends_it(
    tmp_path: Path, sent: int, code: int, said: str
) -> None:
    feed = tmp_path / "feed.xml"
    numbered_feed(feed)
    env = {**os.environ, "NEWSCLI_STATE_DIR": str(tmp_path / "state"),
           "NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}  # fmt: skip
    env.pop("NEWSCLI_DEBUG", None)
    feeds = tmp_path / "feeds"
    argv = [str(NEWSCLI), "import", str(feed), "--into", str(feeds)]
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    first = proc.stdout.readline()  # the first file made
    assert first, proc.communicate()[1]
    time.sleep(0.1)
    proc.send_signal(sent)
    out, err = proc.communicate(timeout=60)
    made = sorted(feeds.rglob("*.md"))
    if proc.returncode == 0:
        pytest.skip("the import ended before its signal (a fast machine)")
    assert proc.returncode == code, err
    counted = re.search(rb"interrupted after importing (\d+) new articles", err)
    assert counted and int(counted[1]) == len(made) < ITEMS, err
    assert err.endswith(f"newscli: error: {said}\n".encode()), err
    listed = sorted(line.split(b": ")[0].decode() for line in (first + out).splitlines())
    assert listed == sorted(str(p) for p in made)  # every file made, and only those
    assert not [p for p in tmp_path.rglob("*") if ".tmp" in p.name]
    assert all(p.read_text().endswith("---\n") for p in made)  # each whole
    again = subprocess.run(argv, env=env, capture_output=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert len(again.stdout.splitlines()) == ITEMS - len(made)
    assert len(list(feeds.rglob("*.md"))) == ITEMS


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_a_killed_import_s_temporary_file_goes_with_the_next_import(tmp_path: Path) -> None:
    """h40: SIGKILL cannot be caught, so an import killed while writing leaves its
    temporary file in a day folder. The next import removes it (its process is gone),
    even when it writes nothing into that folder; a live process's is kept."""
    feed = tmp_path / "feed.xml"
    numbered_feed(feed, 3)
    env = {**os.environ, "NEWSCLI_STATE_DIR": str(tmp_path / "state"),
           "NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}  # fmt: skip
    feeds = tmp_path / "feeds"
    argv = [str(NEWSCLI), "import", str(feed), "--into", str(feeds)]
    assert subprocess.run(argv, env=env, capture_output=True).returncode == 0
    (day,) = {p.parent for p in feeds.rglob("*.md")}
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    stale = day / f".newscli-{dead.stdout.strip()}-{'0' * 16}.tmp"
    stale.write_text("---\ntitle: half")
    live = day / f".newscli-{os.getpid()}-{'1' * 16}.tmp"
    live.write_text("being written")
    again = subprocess.run(argv, env=env, capture_output=True)  # nothing new to write
    assert again.returncode == 0 and again.stdout == b"", again.stderr
    assert not stale.exists() and live.exists()
    dry = day / f".newscli-{dead.stdout.strip()}-{'2' * 16}.tmp"
    dry.write_text("a dry run writes and removes nothing")
    assert subprocess.run([*argv, "--dry-run"], env=env, capture_output=True).returncode == 0
    assert dry.exists()
