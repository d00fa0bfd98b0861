"""h57: a read-only article (chmod 444) in a writable folder passed the checks made
before the output, was exported, then left unmarked ("read-only; left alone"), so the
README's hand-off script shipped it again at every run. It is left out of the export
now, with a line saying why, and exit 1; after --dedupe, a story is left out only when
every file of it to mark is read-only. Installed command."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest
from conftest import SAMPLES, run_cli, write

LEFT_OUT = "read-only, so it cannot be marked published; not exported"


def _paths(path: Path) -> list[str]:
    return [Path(a["path"]).name for a in json.loads(path.read_text(encoding="utf-8"))]


def test_a_read_only_article_is_left_out_not_shipped_at_every_run(tmp_path: Path) -> None:
    shutil.copytree(SAMPLES, tmp_path / "feeds")
    locked = tmp_path / "feeds" / "heat-pump-sales.md"
    locked.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    before = locked.read_bytes()
    env = {"NEWSCLI_STATE_DIR": str(tmp_path / "state")}
    for n in (1, 2):
        run = run_cli("export", "feeds", "--unpublished", "--mark-published", "-o",
                      f"out{n}.json", cwd=tmp_path, env=env)  # fmt: skip
        assert run.returncode == 1, run.stderr
        assert f"feeds/heat-pump-sales.md: {LEFT_OUT}" in run.stderr.splitlines()
        assert run.stderr.endswith(
            "newscli: error: not exported: 1 article that cannot be marked published (see above)\n"
        )
        assert "heat-pump-sales.md" not in _paths(tmp_path / f"out{n}.json")
    assert len(_paths(tmp_path / "out1.json")) == 12 and _paths(tmp_path / "out2.json") == []
    assert locked.read_bytes() == before


def test_after_dedupe_a_story_goes_out_when_one_of_its_files_can_be_marked(
    tmp_path: Path,
) -> None:
    feeds = tmp_path / "feeds"
    for name in ("a", "b"):  # one story (one URL), a read-only
        write(feeds / f"{name}.md", f'---\ntitle: "Crane collapse {name}"\nquality: '
              f'{90 if name == "a" else 10}\nwebUrl: https://x.example/crane\n---\n')  # fmt: skip
    write(feeds / "c.md", '---\ntitle: "Alone"\nwebUrl: https://x.example/alone\n---\n')
    for name in ("a", "c"):
        os.chmod(feeds / f"{name}.md", 0o444)
    argv = ["export", "feeds", "--unpublished", "--dedupe", "--mark-published", "-o"]
    env = {"NEWSCLI_STATE_DIR": str(tmp_path / "s")}
    run = run_cli(*argv, "out.json", cwd=tmp_path, env=env)
    assert run.returncode == 1, run.stderr
    assert _paths(tmp_path / "out.json") == ["a.md"]  # its story marked through b
    assert f"feeds/c.md: {LEFT_OUT}" in run.stderr.splitlines()
    assert b"published: true" in (feeds / "b.md").read_bytes()
    again = run_cli(*argv, "again.json", cwd=tmp_path, env=env)
    assert again.returncode == 1 and _paths(tmp_path / "again.json") == []  # neither again


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_read_only_articles_at_the_top_hold_nothing_back(tmp_path: Path) -> None:
    """h59: --limit was applied before they were left out: with the first two read-only,
    `--limit 2` exported nothing at every run, and the rest never shipped; with nothing
    left, --fail-if-empty gave 1, not 4 (the hand-off script filed an empty [])."""
    shutil.copytree(SAMPLES, tmp_path / "feeds")
    for name in ("rate-decision.md", "ai-chip-export-rules-2.md"):  # the two newest
        (tmp_path / "feeds" / name).chmod(0o444)
    env = {"NEWSCLI_STATE_DIR": str(tmp_path / "state")}
    argv = ["export", "feeds", "--unpublished", "--mark-published", "--fail-if-empty"]
    shipped: list[str] = []
    for n in range(8):
        run = run_cli(*argv, "--limit", "2", "-o", f"out{n}.json", cwd=tmp_path, env=env)
        got = _paths(tmp_path / f"out{n}.json") if run.returncode != 4 else []
        assert run.returncode == (1 if got else 4), run.stderr
        shipped += got
        if not got:
            break
    assert len(shipped) == len(set(shipped)) == 11  # every writable unpublished one, once


def test_a_read_only_article_past_the_page_is_neither_said_nor_an_error(tmp_path: Path) -> None:
    """h60: with --limit 2, a read-only article far down the list failed the run (exit 1,
    its line said) though it would never have been exported."""
    shutil.copytree(SAMPLES, tmp_path / "feeds")
    (tmp_path / "feeds" / "archive" / "2024" / "satellite-debris-rules.md").chmod(0o444)  # last
    env = {"NEWSCLI_STATE_DIR": str(tmp_path / "s")}
    run = run_cli("export", "feeds", "--unpublished", "--limit", "2", "--mark-published", "-o",
                  "out.json", cwd=tmp_path, env=env)  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "satellite-debris" not in run.stderr and len(_paths(tmp_path / "out.json")) == 2
