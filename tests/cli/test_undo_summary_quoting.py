"""undo's summary names the command as history shows it: quoted as the shell would take
it back, so `note=a: b` is one argument, not two."""

from __future__ import annotations

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
