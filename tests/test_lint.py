"""ruff check, ruff format and mypy are part of the test suite."""

import shutil
import subprocess
import sys

import pytest
from conftest import REPO


def ruff(*args: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("ruff") or str(__import__("pathlib").Path(sys.executable).with_name("ruff"))
    return subprocess.run([exe, *args], cwd=REPO, capture_output=True, text=True)


@pytest.mark.parametrize("args", [["check", "."], ["format", "--check", "."]])
def test_ruff_clean(args: list[str]) -> None:
    result = ruff(*args)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_mypy_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
