"""undo holds the lock of every folder it restores into, even when another run
committed a newer batch between undo's first look at the journal and its locks."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import article_text, write
from typer.testing import CliRunner

from newscli.cli import app
from newscli.edit import engine, locking


def test_undo_locks_the_folders_of_the_batch_it_reverts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSCLI_STATE_DIR", str(tmp_path / "state"))
    x = write(tmp_path / "x" / "a.md", article_text(title="X"))
    y = write(tmp_path / "y" / "b.md", article_text(title="Y"))
    runner = CliRunner()
    assert runner.invoke(app, ["set", "note=1", str(x)]).exit_code == 0
    y_before = y.read_bytes()
    original_locks = locking.folder_locks
    locked: list[set[str]] = []
    raced = []

    @contextlib.contextmanager
    def racing_locks(paths: list[str], wait: float = 0.0) -> Iterator[None]:
        if not raced:  # another run edits y and commits, just before undo locks x
            raced.append(True)
            assert runner.invoke(app, ["set", "note=2", str(y)]).exit_code == 0
        folders = {os.path.dirname(os.path.realpath(p)) for p in paths}
        with original_locks(paths, wait):
            locked.append(folders)
            yield
            locked.pop()

    original_restore = engine.restore_file

    def checked_restore(path: str, expected: bytes, old: bytes, *names: Any) -> Any:
        assert locked and os.path.dirname(os.path.realpath(path)) in locked[-1]
        return original_restore(path, expected, old, *names)

    monkeypatch.setattr(locking, "folder_locks", racing_locks)
    monkeypatch.setattr(engine, "restore_file", checked_restore)
    result = runner.invoke(app, ["undo"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert y.read_bytes() == y_before  # the newest batch is the one reverted
