"""undo's summary names the command as history shows it: quoted as the shell would take
it back, so `note=a: b` is one argument, not two."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import article_text, run_cli, write


def test_the_undo_summary_quotes_the_command_like_history(tmp_path: Path) -> None:
    write(tmp_path / "a.md", article_text(title="A"))
    assert run_cli("set", "note=a: b", "a.md", cwd=tmp_path).returncode == 0
    shown = run_cli("history", cwd=tmp_path).stdout
    assert "newscli set 'note=a: b' a.md" in shown
    result = run_cli("undo", cwd=tmp_path)
    assert result.returncode == 0
    assert "undo of `newscli set 'note=a: b' a.md`: restored 1" in result.stderr


def test_a_long_command_line_is_cut_where_shown_and_whole_in_json(tmp_path: Path) -> None:
    write(tmp_path / "a.md", article_text(title="A"))
    topics = [f"topic{n}" for n in range(1, 401)]
    assert run_cli("tag", "add", *topics, "a.md", cwd=tmp_path).returncode == 0
    whole = "newscli tag add " + " ".join(topics) + " a.md"
    line = run_cli("history", cwd=tmp_path).stdout.rstrip("\n")
    assert line.endswith(f"... ({len(whole):,} characters)") and len(line) < 400
    assert whole[:300] in line
    (batch,) = json.loads(run_cli("history", "--format", "json", cwd=tmp_path).stdout)
    assert batch["command"] == whole.split()
    result = run_cli("undo", cwd=tmp_path)
    assert (
        result.returncode == 0 and f"... ({len(whole):,} characters)`: restored 1" in result.stderr
    )
