"""A folder's lock file is never opened through a symbolic link. A link planted in a
shared feed folder (`.newscli.lock -> /etc/nologin`) made a run, root's from cron,
create its target anywhere; a link to an article locked that article's inode, which
the edit then replaced, so the next run locked another inode: two runs at once.
Now the run is refused (exit 1), nothing is created and nothing edited."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import article_text, run_cli, write


@pytest.mark.parametrize("target", ["../elsewhere/created", "a.md"])
def test_a_lock_file_that_is_a_symbolic_link_is_refused(tmp_path: Path, target: str) -> None:
    article = write(tmp_path / "feeds" / "a.md", article_text(title="A"))
    (tmp_path / "elsewhere").mkdir()
    lock = tmp_path / "feeds" / ".newscli.lock"
    os.symlink(target, lock)
    before = article.read_bytes()

    for args in (["publish", "feeds/a.md"], ["set", "quality=7", "feeds", "--all"]):
        result = run_cli(*args, cwd=tmp_path)
        assert result.returncode == 1, result.stderr
        assert result.stderr == (
            f"newscli: error: cannot create lock file {lock}: it is a symbolic link\n"
        )
        assert result.stdout == ""
    assert article.read_bytes() == before
    assert not (tmp_path / "elsewhere" / "created").exists()
    assert lock.is_symlink()
