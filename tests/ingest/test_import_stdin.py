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


def _gamma(*items: tuple[str, str, str]) -> str:
    body = "".join(
        f'<item><title>{title}</title><guid isPermaLink="false">{guid}</guid>'
        f"<pubDate>Fri, 14 Mar 2025 {hour}:00:00 GMT</pubDate></item>"
        for guid, title, hour in items
    )
    return f'<rss version="2.0"><channel><title>Gamma</title>{body}</channel></rss>'


def test_a_piped_feed_renumbered_is_one_feed(tmp_path: Path) -> None:
    """h120 MED: a piped feed naming no URL or site was known by a digest of the whole
    document, so its next version was another feed and the items it renumbered came in
    twice; it is known by its title, as a file of it is."""
    first = _gamma(("1", "Harbour reopens after storm", "09"), ("2", "Mayor resigns", "10"))
    assert piped(tmp_path, first).returncode == 0
    later = _gamma(
        ("1", "New bridge opens", "12"),
        ("2", "Harbour reopens after storm", "09"),
        ("3", "Mayor resigns", "10"),
    )
    done = piped(tmp_path, later)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].endswith(": New bridge opens")
    assert len(done.stdout.splitlines()) == 1, done.stdout


def test_standard_input_given_twice_is_a_usage_error(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(installed_command()), "import", "-", "-", "--into", "in"],
        cwd=tmp_path, input=RSS, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert (done.returncode, done.stdout) == (2, ""), done.stderr
    assert "standard input (-) can be given once" in done.stderr
    assert not (tmp_path / "in").exists()


def test_standard_input_twice_in_the_config_is_a_usage_error(tmp_path: Path) -> None:
    """h121 LOW: `-` twice under the config's `sources:` read an empty document."""
    (tmp_path / "newscli.yaml").write_text('sources:\n  - "-"\n  - url: "-"\n', "utf-8")
    done = subprocess.run(
        [str(installed_command()), "import", "--into", "in"],
        cwd=tmp_path, input=RSS, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert (done.returncode, done.stdout) == (2, ""), done.stderr
    assert "sources: standard input (-) can be given once" in done.stderr
