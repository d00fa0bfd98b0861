"""A usage error names a path as it was typed (h98 LOW: `MyFeeds: a folder with no
filter ...` was said as `myFeeds`, another, possibly existing, folder); Click's own
messages still begin in lower case."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli


def test_a_folder_is_named_as_typed(tmp_path: Path) -> None:
    (tmp_path / "MyFeeds").mkdir()
    done = run_cli("set", "note=x", "MyFeeds", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("newscli: error: MyFeeds: a folder with no filter")


def test_clicks_messages_begin_in_lower_case(tmp_path: Path) -> None:
    done = run_cli("list", "--bogus", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("newscli: error: no such option: --bogus")
