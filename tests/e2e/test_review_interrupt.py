"""The installed `newscli review` in a real pseudo-terminal: Ctrl-C (a key, the terminal
being raw) and an outside SIGINT both quit with the session's summary and exit 130,
the terminal given back (the alternate screen left); an invalid file is counted in
words ("1 invalid file")."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from conftest import article_text
from terminal_helpers import read_until, review_in_terminal


@pytest.mark.parametrize("how", ["ctrl-c", "sigint"])
def test_ctrl_c_and_sigint_quit_with_the_summary_and_130(tmp_path: Path, how: str) -> None:
    folder = tmp_path / "feeds"
    folder.mkdir()
    (folder / "story.md").write_text(article_text(title="Terminal story"), encoding="utf-8")
    (folder / "bad.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    with review_in_terminal(tmp_path, "feeds", "--no-cache") as (proc, leader):
        read_until(leader, lambda seen: b"Terminal story" in seen)
        if how == "ctrl-c":
            os.write(leader, b"\x03")
        else:
            proc.send_signal(signal.SIGINT)
        after = read_until(leader, lambda seen: b"newscli: error: interrupted" in seen)
        code = proc.wait(timeout=30)
    assert code == 130, after[-2000:]
    assert b"\x1b[?1049l" in after  # the alternate screen left: the terminal restored
    summary = b"review: to do 1, published 0, rejected 0, skipped 0; 1 invalid file skipped"
    assert summary in after
    assert after.index(summary) < after.index(b"newscli: error: interrupted")
