"""`newscli review` is registered like the other commands and pays for Textual only
when it runs."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def test_textual_is_imported_only_when_review_runs() -> None:
    code = (
        "import sys\n"
        "from newscli.cli import every_command\n"
        "every_command()  # every command built, review's options included\n"
        "print('textual' in sys.modules, 'newscli.review.app' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert result.stdout.split() == ["False", "False"]
