"""The installed `newscli review` in a real pseudo-terminal, on an article whose topics
hold escape sequences (h39): the `t` prompt shows them inert (`\\x1b]52...`), never as
sequences (an OSC 52 wrote to the reviewer's clipboard, a CSI cleared the screen), and
a topic added there keeps the others byte for byte."""

from __future__ import annotations

import os
from pathlib import Path

from terminal_helpers import read_until, review_in_terminal

HOSTILE = (
    "---\ntitle: Hostile topics\npublishedDateTime: 2025-03-01T08:00:00Z\n"
    'topics: ["\\e]52;c;aGVsbG8=\\e\\\\clip", "\\e[2Jcls", plain]\n---\nBody.\n'
)


def test_the_topics_prompt_shows_escape_sequences_inert_and_keeps_them(tmp_path: Path) -> None:
    folder = tmp_path / "feeds"
    folder.mkdir()
    story = folder / "a.md"
    story.write_text(HOSTILE, encoding="utf-8")
    with review_in_terminal(tmp_path, "feeds", "--no-cache") as (proc, leader):
        read_until(leader, lambda seen: b"Hostile topics" in seen and b"to do" in seen)
        os.write(leader, b"t")
        seen = read_until(
            leader, lambda seen: b"Topics, comma-separated" in seen and b"plain" in seen
        )
        assert b"\x1b]52" not in seen and b"\x1b[2Jcls" not in seen
        assert b"\\x1b]52;c;aGVsbG8=" in seen  # shown, inert
        os.write(leader, b"\x05, added\r")  # Ctrl-E: the end of the line
        read_until(leader, lambda seen: b"topics: 1 file changed" in seen)
        os.write(leader, b"q")
        proc.wait(timeout=30)
    text = story.read_text(encoding="utf-8")
    assert '"\\e]52;c;aGVsbG8=\\e\\\\clip"' in text and '"\\e[2Jcls"' in text and "added" in text
