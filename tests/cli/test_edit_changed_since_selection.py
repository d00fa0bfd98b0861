"""set/tag/reject/publish edit a file only if it is still the version that was selected.

A file rewritten by another program (an editor, an aggregator) between the selection
and the edit may no longer match the filters: it is refused and left as it is.
"""

import os
from pathlib import Path

import pytest
from conftest import write
from typer.testing import CliRunner

from newscli.cli import app, write_commands


def article(title: str, quality: int) -> str:
    return f'---\ntitle: "{title}"\nquality: {quality}\ntopics: [AI]\n---\nBody.\n'


@pytest.mark.parametrize(
    "command",
    [["set", "note=x"], ["tag", "add", "Science"], ["reject"], ["publish"]],
)
def test_a_file_changed_after_the_selection_is_not_edited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    feeds = tmp_path / "feeds"
    for name in ("a", "b"):
        write(feeds / f"{name}.md", article(f"Story {name}", 80))
    lowered = article("Story b", 10)
    original = write_commands.apply_edit

    def lower_then_edit(*a: object, **kw: object) -> None:
        tmp = feeds / ".incoming.tmp"
        tmp.write_text(lowered)
        os.replace(tmp, feeds / "b.md")  # now out of --min-quality 50
        original(*a, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(write_commands, "apply_edit", lower_then_edit)
    args = [*command, str(feeds), "--min-quality", "50", "--no-cache"]
    result = CliRunner().invoke(app, args, catch_exceptions=False)
    assert result.exit_code == 1
    assert f"{feeds}/b.md: changed since it was selected; left alone" in result.stderr
    assert (feeds / "b.md").read_text() == lowered  # left exactly as written
    assert (feeds / "a.md").read_text() != article("Story a", 80)  # the other is edited
