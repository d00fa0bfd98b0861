"""h110 LOW: `NEWSCLI_STATE_DIR=relative/state` put the undo journal (and the import
state) under the folder each command ran from, so `undo` from another folder found no
journal. A relative one is now a usage error (exit 2), before any file is edited or
exported; an empty one is unset. Through the installed command."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import REPO, run_cli

COMMANDS = [
    ["tag", "add", "X", "feeds/rate-decision.md"],
    ["publish", "feeds/rate-decision.md"],
    ["export", "feeds", "--unpublished", "--mark-published", "-o", "out.json"],
    ["import", "feeds.xml", "--into", "imported"],
    ["history"],
    ["undo"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_a_relative_state_dir_is_a_usage_error(tmp_path: Path, command: list[str]) -> None:
    shutil.copytree(REPO / "sample_feeds", tmp_path / "feeds")
    before = {p: p.read_bytes() for p in (tmp_path / "feeds").rglob("*.md")}
    (tmp_path / "feeds.xml").write_text(
        '<rss version="2.0"><channel><title>T</title><item><title>A</title>'
        "<link>https://a.example/1</link></item></channel></rss>",
        encoding="utf-8",
    )
    done = run_cli(*command, cwd=tmp_path, env={"NEWSCLI_STATE_DIR": "rel/state"})
    assert done.returncode == 2, done.stderr
    assert "NEWSCLI_STATE_DIR='rel/state' is not an absolute path" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "rel").exists() and not (tmp_path / "out.json").exists()
    assert not (tmp_path / "imported").exists()
    assert {p: p.read_bytes() for p in (tmp_path / "feeds").rglob("*.md")} == before


def test_an_empty_state_dir_is_unset(tmp_path: Path) -> None:
    shutil.copytree(REPO / "sample_feeds", tmp_path / "feeds")
    env = {"NEWSCLI_STATE_DIR": "", "XDG_STATE_HOME": str(tmp_path / "xdg")}
    done = run_cli("tag", "add", "X", "feeds/rate-decision.md", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "xdg" / "newscli" / "journal").is_dir()


def test_a_state_dir_linked_to_nothing_is_said_so(tmp_path: Path) -> None:
    """h112 LOW: a NEWSCLI_STATE_DIR that is a link to nothing was "cannot write the
    undo journal in .../journal: File exists"."""
    shutil.copytree(REPO / "sample_feeds", tmp_path / "feeds")
    (tmp_path / "state").symlink_to(tmp_path / "nowhere")
    env = {"NEWSCLI_STATE_DIR": str(tmp_path / "state")}
    done = run_cli("set", "quality=5", "feeds/rate-decision.md", cwd=tmp_path, env=env)
    assert done.returncode == 1
    said = f"{tmp_path / 'state'} is a link to {tmp_path / 'nowhere'}, which does not exist"
    assert said in done.stderr and "File exists" not in done.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["set", "quality=5", "feeds/rate-decision.md"],
        ["publish", "feeds/rate-decision.md"],
        ["tag", "add", "X", "feeds/rate-decision.md"],
    ],
    ids=["set", "publish", "tag"],
)
def test_a_journal_that_cannot_be_begun_is_one_line(tmp_path: Path, command: list[str]) -> None:
    """h114 LOW: with a broken state folder an edit said "stopped after changed 0,
    already true 0, refused 0: ..." before its error: nothing was done, so only the
    error is said."""
    shutil.copytree(REPO / "sample_feeds", tmp_path / "feeds")
    before = (tmp_path / "feeds" / "rate-decision.md").read_bytes()
    (tmp_path / "state").symlink_to(tmp_path / "nowhere")
    env = {"NEWSCLI_STATE_DIR": str(tmp_path / "state")}
    done = run_cli(*command, cwd=tmp_path, env=env)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"newscli: error: cannot write the undo journal in {tmp_path / 'state' / 'journal'}: "
        f"{tmp_path / 'state'} is a link to {tmp_path / 'nowhere'}, which does not exist"
    ]
    assert (tmp_path / "feeds" / "rate-decision.md").read_bytes() == before
