"""`--show-completion SHELL` prints that shell's script, through the installed command."""

from __future__ import annotations

import pytest
from conftest import run_cli as newscli

from newscli.cli import shell_named


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("zsh", "#compdef newscli"),
        ("bash", "complete -o default -F _newscli_completion newscli"),
        ("fish", "complete --command newscli"),
    ],
)
def test_show_completion_for_a_named_shell(shell: str, marker: str) -> None:
    result = newscli("--show-completion", shell)
    assert result.returncode == 0, result.stderr
    assert marker in result.stdout
    assert "_NEWSCLI_COMPLETE" in result.stdout


def test_zsh_is_not_the_bash_script() -> None:
    zsh = newscli("--show-completion", "zsh").stdout
    assert zsh.startswith("#compdef newscli")
    assert "COMPREPLY" not in zsh  # bash's variable
    also = newscli("--show-completion=zsh").stdout
    assert also == zsh


def test_unknown_shell_is_a_usage_error() -> None:
    result = newscli("--show-completion", "tcsh")
    assert result.returncode == 2
    assert result.stderr.startswith("newscli: error: --show-completion: 'tcsh' is not one of")


def test_shell_named() -> None:
    assert shell_named(["--show-completion", "zsh"])
    assert shell_named(["--install-completion=fish"])
    assert not shell_named(["--show-completion"])
    assert not shell_named(["--show-completion", "--help"])
    assert not shell_named(["list", "sample_feeds"])
