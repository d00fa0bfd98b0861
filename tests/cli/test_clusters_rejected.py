"""h150 LOW: `clusters` showed a rejected member like any other (`--dedupe` passes it
over, `--mark-published` leaves it): now JSON says `"rejected": true` on it and the
table marks it with ✗. Installed command; the reject through `newscli reject`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import SAMPLES, run_cli, run_in_terminal

REJECTED = "feeds/ai-chip-export-rules.md"


def test_a_rejected_member_is_marked(tmp_path: Path) -> None:
    shutil.copytree(SAMPLES, tmp_path / "feeds")
    env = {"NEWSCLI_STATE_DIR": str(tmp_path / "state")}
    assert run_cli("reject", REJECTED, cwd=tmp_path, env=env).returncode == 0
    done = run_cli("clusters", "feeds", "--format", "json", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    members = {a["path"]: a for story in json.loads(done.stdout) for a in story["articles"]}
    assert members[REJECTED]["rejected"] is True
    assert [p for p, a in members.items() if "rejected" in a] == [REJECTED]
    code, screen = run_in_terminal("clusters", "feeds", cwd=tmp_path, env=env)
    assert code == 0
    marked = [line for line in screen.splitlines() if "✗" in line]
    assert len(marked) == 1 and "Regulators draft new export" in marked[0], screen


def test_a_story_rejected_whole_is_marked_on_its_kept_row_too(tmp_path: Path) -> None:
    """h151 LOW: with --include-rejected, a story all of whose members are rejected kept
    one of them, shown with ★ like a story a reader may get."""
    shutil.copytree(SAMPLES, tmp_path / "feeds")
    env = {"NEWSCLI_STATE_DIR": str(tmp_path / "state")}
    done = run_cli("clusters", "feeds", "--format", "json", cwd=tmp_path, env=env)
    story = json.loads(done.stdout)[0]
    paths = [a["path"] for a in story["articles"]]
    assert run_cli("reject", *paths, cwd=tmp_path, env=env).returncode == 0
    code, screen = run_in_terminal("clusters", "feeds", "--include-rejected", cwd=tmp_path, env=env)
    assert code == 0
    rows = [line for line in screen.splitlines() if "✗" in line or "★" in line]
    numbered = [line for line in rows if line.lstrip("│ ").startswith("1 ")]
    assert len(numbered) == 1 and "✗" in numbered[0] and "★" not in numbered[0], screen
    assert sum("✗" in line for line in rows) == len(paths), screen
