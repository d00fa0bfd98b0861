"""The installed `newscli review` in a real pseudo-terminal: p publishes, q quits; and
without a terminal, a clear error and exit 2."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest
from conftest import SAMPLES, article_text, installed_command, run_cli
from terminal_helpers import read_until, review_in_terminal


def test_review_in_a_pseudo_terminal_publishes_then_quits(tmp_path: Path) -> None:
    folder = tmp_path / "feeds"
    folder.mkdir()
    target = folder / "story.md"
    target.write_text(article_text(title="Terminal story", quality=90), encoding="utf-8")
    before = target.read_bytes()
    with review_in_terminal(tmp_path, "feeds", "--no-cache") as (proc, leader):
        read_until(leader, lambda seen: b"Terminal story" in seen and b"to do" in seen)
        os.write(leader, b"p")
        read_until(leader, lambda seen: b"published 1" in seen)
        os.write(leader, b"q")
        after = read_until(leader, lambda seen: b"review: " in seen and b"skipped 0" in seen)
        code = proc.wait(timeout=30)
    assert code == 0, after[-2000:]
    assert target.read_bytes() == before.replace(b"published: false", b"published: true")
    assert b"review: to do 0, published 1, rejected 0, skipped 0" in after


def test_review_without_a_terminal_exits_2(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(article_text(), encoding="utf-8")
    result = run_cli("review", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.startswith("newscli: error: review needs a terminal")
    assert result.stdout == ""


def test_review_with_no_color_draws_and_publishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """NO_COLOR=1 makes Textual pass every line through its monochrome filter, which
    needs a style on every segment: the queue's rows (and its blank lines) had none,
    and the first screen crashed with a traceback and exit 0."""
    monkeypatch.setenv("NO_COLOR", "1")
    folder = tmp_path / "feeds"
    folder.mkdir()
    target = folder / "story.md"
    target.write_text(article_text(title="Colourless story", quality=90), encoding="utf-8")
    before = target.read_bytes()
    with review_in_terminal(tmp_path, "feeds", "--no-cache") as (proc, leader):
        shown = read_until(leader, lambda seen: b"Colourless story" in seen or b"Error" in seen)
        os.write(leader, b"p")
        shown += read_until(leader, lambda seen: b"published 1" in seen or b"Error" in seen)
        os.write(leader, b"q")
        after = read_until(leader, lambda seen: b"review: " in seen)
        code = proc.wait(timeout=30)
    shown += after
    assert b"Traceback" not in shown and b"Error" not in shown, shown[-2000:]
    assert code == 0
    assert target.read_bytes() == before.replace(b"published: false", b"published: true")
    assert b"review: to do 0, published 1, rejected 0, skipped 0" in after


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_keys_read_at_once_act_in_the_order_typed(tmp_path: Path) -> None:
    """Keys that arrive in one terminal read (typed fast over a slow link, pasted).
    Textual's Input inserted text at once but ran Ctrl-U, Backspace and Enter only after
    they had gone up to the app: Ctrl-U, text, Enter inserted the text, cleared it, and
    wrote an empty topic list; a p after Enter went into the closed prompt. And the text
    read with the t that opens the prompt ran the queue's keys ("Sports": s skipped, p
    published) before the prompt had the focus."""
    folder = tmp_path / "feeds"
    folder.mkdir()
    first, second = folder / "first.md", folder / "second.md"
    first.write_text(article_text(title="Fast typist", quality=90), encoding="utf-8")
    second.write_text(article_text(title="Second story", quality=40), encoding="utf-8")
    before = {f: f.read_bytes() for f in (first, second)}
    with review_in_terminal(tmp_path, "feeds", "--no-cache") as (proc, leader):
        read_until(leader, lambda seen: b"Fast typist" in seen and b"to do" in seen)
        os.write(leader, b"t")
        read_until(leader, lambda seen: b"comma-separated" in seen)
        os.write(leader, b"\x15Climate, Polx\x7ficy\rp")  # one read
        read_until(leader, lambda seen: b"published 1" in seen)
        os.write(leader, b"t, Sports\rp")  # one read, the prompt not open yet
        read_until(leader, lambda seen: b"published 2" in seen)
        os.write(leader, b"q")
        after = read_until(leader, lambda seen: b"review: " in seen)
        code = proc.wait(timeout=30)
    assert code == 0, after[-2000:]
    published = {f: b.replace(b"published: false", b"published: true") for f, b in before.items()}
    assert first.read_bytes() == published[first].replace(
        b"topics: [AI]", b"topics: [Climate, Policy]"
    )
    assert second.read_bytes() == published[second].replace(
        b"topics: [AI]", b"topics: [AI, Sports]"
    )


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_a_tab_a_page_of_text_and_a_paste_leave_the_keys_in_order(tmp_path: Path) -> None:
    """A Tab in a prompt (or a click on the queue) moved the focus to the queue, and
    every key after it was held for the prompt, then dropped: Escape and q did nothing,
    only Ctrl-C left. Two keys read together on the help page closed it twice: a
    traceback, exit 1. Text pasted in an open prompt goes into it, wherever the focus,
    its lines joined by ", " (Input kept the first line alone)."""
    folder = tmp_path / "feeds"
    folder.mkdir()
    stories = [folder / f"{n}.md" for n in ("one", "two", "three")]
    for quality, story in zip((90, 60, 30), stories, strict=True):
        story.write_text(article_text(title=f"Story {story.stem}", quality=quality))
    before = [s.read_bytes() for s in stories]
    with review_in_terminal(tmp_path, "feeds", "--no-cache") as (proc, leader):
        read_until(leader, lambda seen: b"Story one" in seen and b"to do" in seen)
        os.write(leader, b"t")
        read_until(leader, lambda seen: b"comma-separated" in seen)
        os.write(leader, b"\t")
        time.sleep(0.5)  # (the Tab acted on: it used to move the focus)
        os.write(leader, b", Tabbed\rp")
        read_until(leader, lambda seen: b"published 1" in seen, timeout=10)
        os.write(leader, b"?")
        read_until(leader, lambda seen: b"any key closes" in seen)
        os.write(leader, b"xp")  # one read: x closes the page, p publishes
        read_until(leader, lambda seen: b"published 2" in seen, timeout=10)
        os.write(leader, b"t")
        read_until(leader, lambda seen: b"comma-separated" in seen)
        os.write(leader, b"\x1b[<0;5;4M\x1b[<0;5;4m")  # a click on the queue: its focus
        time.sleep(0.5)
        os.write(leader, b"\x1b[200~, Pasted\nMore\n\x1b[201~\rp")  # one read: the prompt's
        read_until(leader, lambda seen: b"published 3" in seen, timeout=10)
        os.write(leader, b"q")
        after = read_until(leader, lambda seen: b"review: " in seen)
        code = proc.wait(timeout=30)
    assert code == 0, after[-2000:]
    published = [b.replace(b"published: false", b"published: true") for b in before]
    topics = [b"[AI, Tabbed]", b"[AI]", b"[AI, Pasted, More]"]  # (lines pasted: a list)
    for story, old, new in zip(stories, published, topics, strict=True):
        assert story.read_bytes() == old.replace(b"[AI]", new)


_CRASHING_SCREEN = """
import sys
from newscli.review.widgets import QueueList

def render_line(self, y):
    raise RuntimeError("a bug in the screen")

QueueList.render_line = render_line
sys.argv[0] = "newscli"
from newscli.cli import main
main()
"""


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_a_screen_that_fails_exits_1_with_one_error_line(tmp_path: Path) -> None:
    """An error inside the screen (Textual prints its traceback as it leaves) ended
    the run with the counts and exit 0, as if all went well."""
    folder = tmp_path / "feeds"
    folder.mkdir()
    (folder / "story.md").write_text(article_text(title="Broken screen"), encoding="utf-8")
    python = installed_command().parent / "python"
    with review_in_terminal(
        tmp_path, "feeds", "--no-cache", command=[str(python), "-c", _CRASHING_SCREEN]
    ) as (proc, leader):
        shown = read_until(leader, lambda seen: b"newscli: error: " in seen)
        code = proc.wait(timeout=30)
    assert code == 1
    assert b"newscli: error: review stopped on an internal error" in shown


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_review_leaves_when_its_terminal_goes_away_without_a_hangup_signal(
    tmp_path: Path,
) -> None:
    """A pty that is not the run's controlling terminal, closed: no SIGHUP comes, and
    its input reads as an endless end of file. review ran on alone at a full core (h17's
    harness left two for 25 and 36 minutes); it now leaves within seconds."""
    master, slave = os.openpty()
    env = {**os.environ, "NEWSCLI_CACHE_DIR": str(tmp_path / "c"), "TERM": "xterm-256color"}
    proc = subprocess.Popen(
        [str(installed_command()), "review", str(SAMPLES)],
        stdin=slave, stdout=slave, stderr=slave, env=env,
    )  # fmt: skip
    os.close(slave)
    read_until(master, lambda seen: b"to do" in seen)  # its first screen drawn
    os.close(master)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise AssertionError("review ran on after its terminal went away") from None
    assert proc.returncode in (1, 129), proc.returncode


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_sigterm_ends_review_whose_terminal_is_not_read(tmp_path: Path) -> None:
    """A terminal that is not read (output stopped with Ctrl-S, a stalled connection)
    blocked the writes review makes to leave, and the run outlived its SIGTERM until the
    terminal was read again: it now ends with 143 within STUCK seconds, its decisions
    whole (each is written atomically and journaled)."""
    import signal
    import time

    folder = tmp_path / "feeds"
    folder.mkdir()
    (folder / "story.md").write_text(article_text(title="Stalled screen"), encoding="utf-8")
    with review_in_terminal(tmp_path, "feeds", "--no-cache") as (proc, leader):
        read_until(leader, lambda seen: b"Stalled screen" in seen and b"to do" in seen)
        for _ in range(40):  # pages drawn and closed, never read: the terminal fills
            os.write(leader, b"?")
            time.sleep(0.05)
            os.write(leader, b"x")
            time.sleep(0.05)
        time.sleep(1)
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=15)
    assert code == 143


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_text_pasted_with_escape_sequences_goes_in_inert(tmp_path: Path) -> None:
    """h29: a paste holding ESC reached the terminal raw from the prompt, scrambling the
    line shown (`one<ESC>two` showed as `^twoone`). Pasted escape sequences are dropped
    (a coloured word copied from a terminal is that word), as in any untrusted text."""
    folder = tmp_path / "feeds"
    folder.mkdir()
    story = folder / "one.md"
    story.write_text(article_text(title="Story one"), encoding="utf-8")
    before = story.read_bytes()
    with review_in_terminal(tmp_path, "feeds", "--no-cache") as (proc, leader):
        read_until(leader, lambda seen: b"Story one" in seen and b"to do" in seen)
        # with no prompt open, a paste is nothing: its letters after an ESC were keys
        os.write(leader, b"\x1b[200~x\x1b[0mpq\x1b[201~")
        time.sleep(0.5)
        assert proc.poll() is None and story.read_bytes() == before  # not quit, published
        os.write(leader, b"t")
        read_until(leader, lambda seen: b"comma-separated" in seen)
        os.write(leader, b"\x1b[200~, \x1b[31mRed\x1b[0m\x1b]0;owned\x07\x1b[201~")
        seen = read_until(leader, lambda seen: b"Red" in seen, timeout=10)
        os.write(leader, b"\r")
        read_until(leader, lambda seen: b"topics" in seen, timeout=10)
        os.write(leader, b"q")
        read_until(leader, lambda seen: b"review: " in seen)
        assert proc.wait(timeout=30) == 0
    assert b"owned" not in seen and b"\x1b[31m" not in seen, seen[-2000:]  # (what it drew)
    assert story.read_bytes() == before.replace(b"[AI]", b"[AI, Red]")


def test_review_on_a_dumb_terminal_exits_2(tmp_path: Path) -> None:
    """h47: TERM=dumb (Emacs's shell) got the full screen, alternate screen, mouse
    tracking and 24-bit colour: escape codes shown as text. A usage error instead."""
    import pty

    (tmp_path / "feeds").mkdir()
    leader, follower = pty.openpty()
    argv = [str(installed_command()), "review", "feeds"]
    proc = subprocess.Popen(argv, cwd=tmp_path, stdin=follower, stdout=follower,
                            stderr=follower, env={**os.environ, "TERM": "dumb"})  # fmt: skip
    os.close(follower)
    try:
        shown = read_until(leader, lambda seen: b"dumb" in seen)
        assert proc.wait(timeout=30) == 2
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(leader)
    assert b"review needs a terminal that can draw a screen (TERM=dumb here)" in shown
    assert b"\x1b[?1049h" not in shown  # no alternate screen


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize("cache", [["--no-cache"], []])
def test_review_of_a_topic_no_article_has_says_so_after_the_screen(
    tmp_path: Path, cache: list[str]
) -> None:
    """h47: `review --topic Spcae` showed "Nothing to review here" and, after q, only the
    summary, without the note `list` gives of a topic no article has."""
    folder = tmp_path / "feeds"
    folder.mkdir()
    (folder / "story.md").write_text(article_text(topics="Space"), encoding="utf-8")
    args = ["feeds", "--topic", "Spcae", "--provider", "Nobody", *cache]
    with review_in_terminal(tmp_path, *args) as (proc, leader):
        read_until(leader, lambda seen: b"Nothing to review here" in seen)
        os.write(leader, b"q")
        after = read_until(leader, lambda seen: b"review: " in seen)
        code = proc.wait(timeout=30)
    assert code == 0, after[-2000:]
    tail = after[after.index(b"newscli: note: no article has topic") :].decode()
    assert tail.splitlines()[:2] == [
        "newscli: note: no article has topic 'Spcae'",
        "newscli: note: no article is from provider 'Nobody'",
    ], tail


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_the_screen_is_drawn_again_after_a_stop_and_fg(tmp_path: Path) -> None:
    """h47: after `kill -TSTP` (the shell's Ctrl-Z) and SIGCONT (`fg`), the screen
    stayed blank until a key was pressed: Textual draws only what changed."""
    import select
    import signal

    folder = tmp_path / "feeds"
    folder.mkdir()
    (folder / "story.md").write_text(article_text(title="Stopped story"), encoding="utf-8")
    with review_in_terminal(tmp_path, "feeds", "--no-cache") as (proc, leader):
        read_until(leader, lambda seen: b"Stopped story" in seen and b"to do" in seen)
        time.sleep(0.5)  # (idle: nothing left to draw)
        os.kill(proc.pid, signal.SIGTSTP)
        left = read_until(leader, lambda seen: b"\x1b[?1049l" in seen)  # the screen left
        assert left  # (the alternate screen given back to the shell)
        time.sleep(0.3)
        while select.select([leader], [], [], 0.1)[0]:
            os.read(leader, 65536)  # (what came before the stop)
        os.kill(proc.pid, signal.SIGCONT)
        back = read_until(  # (at once: the old code drew nothing until a key, or a minute)
            leader,
            lambda seen: all(w in seen for w in (b"Stopped story", b"to do", b"q quit")),
            timeout=5,
        )
        assert b"\x1b[?1049h" in back  # the alternate screen again, drawn whole
        os.write(leader, b"q")
        assert proc.wait(timeout=30) == 0
