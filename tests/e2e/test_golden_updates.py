"""Update mode (NEWSCLI_UPDATE_GOLDEN=1) rewrites goldens and says which ones changed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import conftest
import pytest


@pytest.fixture
def goldens(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(conftest, "GOLDEN", tmp_path)
    monkeypatch.setattr(conftest, "REWRITTEN", [])
    return tmp_path


def test_compare_mode_fails_on_a_difference_and_writes_nothing(
    goldens: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NEWSCLI_UPDATE_GOLDEN", raising=False)
    (goldens / "a.txt").write_text("old\n")
    conftest.check_golden("a.txt", "old\n")
    with pytest.raises(AssertionError, match="differs"):
        conftest.check_golden("a.txt", "new\n")
    assert (goldens / "a.txt").read_text() == "old\n"
    assert conftest.REWRITTEN == []


def test_update_mode_names_each_changed_golden(
    goldens: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSCLI_UPDATE_GOLDEN", "1")
    (goldens / "same.txt").write_text("same\n")
    (goldens / "old.txt").write_text("old\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        conftest.check_golden("same.txt", "same\n")
        conftest.check_golden("old.txt", "new\r\n")
        conftest.check_golden("sub/made.txt", "made\n")
    messages = [str(w.message) for w in caught if issubclass(w.category, conftest.GoldenUpdated)]
    assert messages == [
        "golden old.txt changed: review the diff",
        "golden sub/made.txt created: review the diff",
    ]
    assert conftest.REWRITTEN == ["old.txt", "sub/made.txt"]
    assert (goldens / "old.txt").read_bytes() == b"new\r\n"  # written as given
    assert (goldens / "sub" / "made.txt").read_text() == "made\n"

    class Reporter:
        def __init__(self) -> None:
            self.lines: list[str] = []

        def section(self, title: str) -> None:
            self.lines.append(f"== {title}")

        def write_line(self, line: str) -> None:
            self.lines.append(line)

    reporter = Reporter()
    conftest.pytest_terminal_summary(reporter)
    assert reporter.lines == [
        "== NEWSCLI_UPDATE_GOLDEN=1",
        "rewritten: tests/golden/old.txt",
        "rewritten: tests/golden/sub/made.txt",
    ]
    monkeypatch.setattr(conftest, "REWRITTEN", [])
    reporter = Reporter()
    conftest.pytest_terminal_summary(reporter)
    assert reporter.lines == ["== NEWSCLI_UPDATE_GOLDEN=1", "no golden file changed"]


@pytest.mark.slow
def test_a_real_update_run_lists_the_changed_goldens(tmp_path: Path) -> None:
    """The summary comes from pytest itself (the hook is registered by conftest)."""
    tests = tmp_path / "tests"
    (tests / "golden").mkdir(parents=True)
    shutil.copy(Path(conftest.__file__), tests / "conftest.py")
    shutil.copy(Path(conftest.__file__).with_name("forkserver.py"), tests)  # conftest's
    (tests / "golden" / "kept.txt").write_text("kept\n")
    (tests / "golden" / "moved.txt").write_text("before\n")
    (tests / "test_x.py").write_text(
        "from conftest import check_golden\n\n\n"
        "def test_x() -> None:\n"
        "    check_golden('kept.txt', 'kept\\n')\n"
        "    check_golden('moved.txt', 'after\\n')\n"
    )
    env = {**os.environ, "NEWSCLI_UPDATE_GOLDEN": "1"}
    # its own --basetemp: the default would prune old runs' folders under the shared
    # temporary root (seconds of deleting other tests' corpora)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    command += ["--basetemp", str(tmp_path / "inner-tmp"), str(tests)]
    result = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "rewritten: tests/golden/moved.txt" in result.stdout
    assert "kept.txt" not in result.stdout
    assert "golden moved.txt changed" in result.stdout  # the warning summary
    assert (tests / "golden" / "moved.txt").read_text() == "after\n"
