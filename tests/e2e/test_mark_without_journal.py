"""h40: `export --mark-published` whose undo journal cannot be written (a service
account's HOME at /nonexistent; here a state folder that is a file) wrote its output,
marked nothing, exited 1, and shipped the same articles at every cron run. Now it
writes nothing: one error line, exit 1, no output, no file changed. Installed command."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import SAMPLES, run_cli


def test_no_output_when_nothing_could_be_marked(tmp_path: Path) -> None:
    shutil.copytree(SAMPLES, tmp_path / "feeds")
    before = {p: p.read_bytes() for p in (tmp_path / "feeds").rglob("*.md")}
    (tmp_path / "state").write_text("a file, not a folder\n", encoding="utf-8")
    env = {"NEWSCLI_STATE_DIR": str(tmp_path / "state")}
    for target in (["-o", "new.json"], []):
        result = run_cli("export", "feeds", "--unpublished", "--mark-published", *target,
                         cwd=tmp_path, env=env)  # fmt: skip
        assert result.returncode == 1, result.stderr
        assert result.stdout == ""
        assert result.stderr.startswith("newscli: error: cannot write the undo journal in ")
        assert result.stderr.count("\n") == 1
    assert not (tmp_path / "new.json").exists()
    assert {p: p.read_bytes() for p in (tmp_path / "feeds").rglob("*.md")} == before
