"""h118 LOW: `cat feed.xml | newscli import - --into x` said "-: no such file", and
/dev/stdin from a pipe "not a regular file": a feed piped in had to be written to a
file first. `-` is now standard input (a terminal is refused, never waited on). A
feed that names no URL, id or site of its own keeps its items' ids within a digest of
the document. Through the installed command, with real pipes."""

from __future__ import annotations

import json
import os
import pty
import subprocess
from pathlib import Path

from conftest import installed_command

RSS = """<rss version="2.0"><channel><title>F</title><link>https://f.example/</link>
<item><title>Piped headline</title><link>https://f.example/1</link></item></channel></rss>"""
IDS = json.dumps([{"title": "Numbered one", "id": 1}, {"title": "Numbered two", "id": 2}])


def piped(tmp_path: Path, data: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(installed_command()), "import", "-", "--into", "in", *args],
        cwd=tmp_path, input=data, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_a_feed_piped_in_is_imported_once(tmp_path: Path) -> None:
    first = piped(tmp_path, RSS)
    assert first.returncode == 0, first.stderr
    assert first.stdout.endswith(": Piped headline\n")
    again = piped(tmp_path, RSS)
    assert (again.returncode, again.stdout) == (0, ""), again.stderr
    assert len(list((tmp_path / "in").rglob("*.md"))) == 1


def test_ids_of_a_piped_document_are_its_own(tmp_path: Path) -> None:
    assert piped(tmp_path, IDS).returncode == 0
    feeds = {
        line for path in (tmp_path / "in").rglob("*.md")
        for line in path.read_text().splitlines() if line.startswith("sourceFeed:")
    }  # fmt: skip
    assert len(feeds) == 1 and "stdin:sha256:" in feeds.pop()
    assert piped(tmp_path, IDS).stdout == ""  # the same document: nothing new
    other = json.dumps([{"title": "Another feed's one", "id": 1}])
    assert piped(tmp_path, other).stdout.endswith(": Another feed's one\n")  # not lost
    assert len(list((tmp_path / "in").rglob("*.md"))) == 3


def test_a_terminal_is_not_waited_on(tmp_path: Path) -> None:
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [str(installed_command()), "import", "-", "--into", "in"],
            cwd=tmp_path, stdin=follower, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    finally:
        os.close(follower)
        os.close(leader)
    assert done.returncode == 1
    assert "newscli: error: -: standard input is a terminal" in done.stderr
