"""A signal whose exception comes just after the new cache's COMMIT (its handler runs
as the call returns) ends the run: the ROLLBACK that finds no transaction must not
replace it with its own error (the cache was then rebuilt and the run went on: the
signal lost; found by helper h6 with logging handlers, 4 runs in 300)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from newscli.index import cache as cache_module


def test_a_signal_just_after_the_creating_commit_is_not_lost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raised: list[bool] = []

    class Interrupted(sqlite3.Connection):
        def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
            cursor = super().execute(sql, *args)
            if sql == "COMMIT" and not raised:
                raised.append(True)
                raise KeyboardInterrupt  # as a handler run right after the call returns
            return cursor

    real = sqlite3.connect
    monkeypatch.setattr(
        sqlite3, "connect", lambda *a, **k: real(*a, **{**k, "factory": Interrupted})
    )
    with pytest.raises(KeyboardInterrupt):
        cache_module.IndexCache.open(str(tmp_path / "cache"))
    assert raised
