"""An article removed between its loading and the check before marking (h95 MED: a
cleanup job beside cron): the whole `export --mark-published` failed, `cannot mark the
articles in FOLDER published (No such file or directory); nothing was exported`, naming
the folder. Now the others are exported and marked, and the removed one, having nothing
to mark, is counted as gone (h138: no refusal, exit 0). The installed command, the
file removed at that very point by a sitecustomize wrapping edit.room.check_room (a
real process, a deterministic moment)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLES, run_cli

HOOK = """
import os
from newscli.edit import room

_real = room.check_room


def check_room(sizes, *args, **kwargs):
    victim = os.environ["NEWSCLI_TEST_REMOVE"]
    if os.path.exists(victim):
        os.remove(victim)
    return _real(sizes, *args, **kwargs)


room.check_room = check_room
"""


@pytest.mark.parametrize("dedupe", [[], ["--dedupe"]], ids=["plain", "dedupe"])
def test_an_article_removed_before_the_check_stops_nothing_else(
    tmp_path: Path, dedupe: list[str]
) -> None:
    shutil.copytree(SAMPLES, tmp_path / "feeds")
    (tmp_path / "hook").mkdir()
    (tmp_path / "hook" / "sitecustomize.py").write_text(HOOK, encoding="utf-8")
    victim = tmp_path / "feeds" / "startup-layoffs.md"
    assert "published: false" in victim.read_text(encoding="utf-8")
    env = {"PYTHONPATH": str(tmp_path / "hook"), "NEWSCLI_TEST_REMOVE": str(victim),
           "NEWSCLI_STATE_DIR": str(tmp_path / "state")}  # fmt: skip
    done = run_cli("export", "feeds", "--unpublished", *dedupe, "--mark-published",
                   "--format", "jsonl", "--fields", "path", "-o", "out.jsonl",
                   cwd=tmp_path, env=env)  # fmt: skip
    assert not victim.exists()
    # (h138: a file gone since it was selected has nothing to mark: no refusal, exit 0;
    # the summary counts it)
    assert done.returncode == 0, done.stderr
    assert "nothing was exported" not in done.stderr
    assert "feeds/startup-layoffs.md" not in done.stderr
    assert done.stderr.rstrip().endswith(", refused 0, gone since selected 1"), done.stderr
    shipped = [json.loads(line)["path"] for line in (tmp_path / "out.jsonl").open()]
    assert len(shipped) > 3 and "feeds/startup-layoffs.md" in shipped  # (it was read)
    for path in shipped:
        if path != "feeds/startup-layoffs.md":
            assert "\npublished: true\n" in (tmp_path / path).read_text(encoding="utf-8")


SWAP = """
import os
from newscli.edit import room

_real = room.check_room


def check_room(sizes, *args, **kwargs):
    victim = os.environ["NEWSCLI_TEST_SWAP"]
    if not os.path.islink(victim):
        os.remove(victim)
        os.symlink("p.md", victim)
    return _real(sizes, *args, **kwargs)


room.check_room = check_room
"""


def test_an_article_swapped_for_a_published_one_is_said_to_have_changed(tmp_path: Path) -> None:
    """h96: a.md replaced, before its marking, by a link to an article already published
    was counted "already true", no line naming it; it changed since it was exported."""
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    (feeds / "a.md").write_text("---\ntitle: A\npublished: false\n---\n", encoding="utf-8")
    (feeds / "p.md").write_text("---\ntitle: P\npublished: true\n---\n", encoding="utf-8")
    (tmp_path / "hook").mkdir()
    (tmp_path / "hook" / "sitecustomize.py").write_text(SWAP, encoding="utf-8")
    env = {"PYTHONPATH": str(tmp_path / "hook"), "NEWSCLI_TEST_SWAP": str(feeds / "a.md"),
           "NEWSCLI_STATE_DIR": str(tmp_path / "state")}  # fmt: skip
    done = run_cli("export", "feeds", "--unpublished", "--mark-published", "-o", "out.json",
                   cwd=tmp_path, env=env)  # fmt: skip
    assert (feeds / "a.md").is_symlink()
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines()[0] == "feeds/a.md: changed since it was exported; not marked"
    assert [r["path"] for r in json.loads((tmp_path / "out.json").read_text())] == ["feeds/a.md"]
