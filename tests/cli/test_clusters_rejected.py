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
