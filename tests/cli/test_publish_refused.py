"""publish/unpublish: an invalid file named on the command line is a refused file, in
the summary and in the error, through the installed command."""

import subprocess
import sys
from pathlib import Path

from conftest import article_text, run_cli, write

NEWSCLI = Path(sys.executable).parent / "newscli"
BAD = "---\ntitle: x\nquality: high\n---\n"
REASON = "quality: expected an integer, got string 'high'"


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, "--no-cache", cwd=cwd)


def test_one_invalid_named_file_is_counted_as_refused(tmp_path: Path) -> None:
    write(tmp_path / "bad.md", BAD)
    result = run(tmp_path, "publish", "bad.md")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"bad.md: {REASON}",
        "newscli: changed 0, already true 0, refused 1",
        "newscli: error: 1 file could not be edited",
    ]
    assert (tmp_path / "bad.md").read_text() == BAD


def test_invalid_named_files_and_a_good_one(tmp_path: Path) -> None:
    write(tmp_path / "bad.md", BAD)
    write(tmp_path / "bad2.md", BAD)
    write(tmp_path / "good.md", article_text(published=True))
    write(tmp_path / "new.md", article_text())
    result = run(tmp_path, "publish", "bad.md", "good.md", "new.md", "bad2.md")
    assert result.returncode == 1
    assert result.stdout == "new.md: published false -> true\n"
    assert result.stderr.splitlines()[-2:] == [
        "newscli: changed 1, already true 1, refused 2",
        "newscli: error: 2 files could not be edited",
    ]
    dry = run(tmp_path, "unpublish", "bad.md", "good.md", "--dry-run")
    assert dry.returncode == 1
    assert dry.stderr.splitlines()[-2:] == [
        "newscli: would change 1, already false 0, refused 1",
        "newscli: error: 1 file could not be edited",
    ]


def test_quiet_still_names_the_refused_file(tmp_path: Path) -> None:
    write(tmp_path / "bad.md", BAD)
    result = run(tmp_path, "publish", "bad.md", "--quiet")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"bad.md: {REASON}",
        "newscli: error: 1 file could not be edited",
    ]
