"""h116 LOW: `newscli rules` dropped a rule's hidden characters (a zero-width space, an
escape sequence), so a rule that never matched read as one that should. They are now
written as escapes, as error lines write what was typed. Through the installed
command."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli


def test_rules_show_hidden_characters_escaped(tmp_path: Path) -> None:
    (tmp_path / "r.yaml").write_text(
        'rules:\n  exclude:\n    - "provider.name = \\"Harbor\\u200bLedger\\""\n'
        '    - "provider.name = \\"X\\e[31m\\""\n    - "quality < 10"\n'
        # h121: a rule of the text \x1b read as one of an ESC; a backslash elsewhere stays
        '    - "title contains \\"\\\\x1b\\""\n    - "title contains \\"a\\\\b\\""\n',
        encoding="utf-8",
    )
    done = run_cli("rules", "--config", "r.yaml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        'exclude: provider.name = "Harbor\\u200bLedger"',
        'exclude: provider.name = "X\\x1b[31m"',
        "exclude: quality < 10",
        'exclude: title contains "\\\\x1b"',
        'exclude: title contains "a\\b"',
    ]
