"""`review --strict` with invalid files names the first one and the reason (as `list
--strict` prints each), and starts no review."""

from __future__ import annotations

from pathlib import Path

import pytest
from review_helpers import NOW, corpus, make_queue

from newscli.cli.options import SHARED, build_query
from newscli.cli.review_commands import build_queue
from newscli.errors import StrictModeError
from newscli.terminal.output import Output


def test_strict_names_the_first_invalid_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = corpus(tmp_path, fillers=1)  # with feeds/bad.md
    (folder / "worse.md").write_text("no front matter\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(StrictModeError) as caught:
        values = {name: default for name, _, default in SHARED}
        values.update(now=NOW, no_cache=True)
        build_queue(Output(), ["feeds"], build_query(values)[0], strict=True, wait=0.0)
    message = str(caught.value)
    assert message.startswith("2 invalid files (feeds/bad.md: "), message
    assert message.endswith(" and 1 other); no review started (--strict)"), message
    assert len(make_queue(["feeds"]).items) == 4  # without --strict: the valid ones


def test_strict_names_a_file_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "feeds").mkdir()
    (tmp_path / "feeds" / "a\nb.md").write_text("no front matter\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    values = {name: default for name, _, default in SHARED}
    values.update(now=NOW, no_cache=True)
    with pytest.raises(StrictModeError) as caught:
        build_queue(Output(), ["feeds"], build_query(values)[0], strict=True, wait=0.0)
    assert str(caught.value).startswith("1 invalid file (feeds/a b.md: no front matter")
