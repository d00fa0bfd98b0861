"""edit.room.unmarkable: what an edit could not replace, known before trying (h59)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from newscli.edit import room


def test_read_only_and_another_user_s_file_in_a_sticky_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    path = folder / "a.md"
    path.write_text("---\ntitle: A\n---\n", encoding="utf-8")
    assert room.unmarkable(str(path)) is None
    path.chmod(0o444)
    assert room.unmarkable(str(path)) == "read-only"
    path.chmod(0o666)
    folder.chmod(0o777 | stat.S_ISVTX)  # /tmp's kind
    owner = os.stat(path).st_uid
    monkeypatch.setattr(room.os, "geteuid", lambda: owner + 1)  # another user
    monkeypatch.setattr(room, "read_only", lambda _: False)  # (its mode lets them write)
    assert room.unmarkable(str(path)) == "another user's, in a sticky folder"
    monkeypatch.setattr(room.os, "geteuid", lambda: owner)  # its owner may
    assert room.unmarkable(str(path)) is None
    folder.chmod(0o777)  # no sticky bit: anyone who may write the folder may
    monkeypatch.setattr(room.os, "geteuid", lambda: owner + 1)
    assert room.unmarkable(str(path)) is None
