"""Only the command a run needs is built; what a user sees does not change."""

from pathlib import Path

import pytest
from conftest import SAMPLES, run_cli

from newscli.cli import _only_needed, app

ALL = [c.name for c in app.registered_commands]


@pytest.mark.parametrize(
    ("args", "built"),
    [
        (["list", "feeds", "--topic", "AI"], ["list"]),
        (["--version"], []),
        (["export", "--help"], ["export"]),
        (["--help", "export"], ALL),
        (["-h"], ALL),
        ([], ALL),
        (["lisst"], ALL),  # no such command: the error names the real ones
        (["--install-completion"], ALL),
    ],
)
def test_only_the_named_command_is_built(args: list[str], built: list[str]) -> None:
    assert [c.name for c in _only_needed(args)] == built


def test_completion_builds_every_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_NEWSCLI_COMPLETE", "complete_bash")
    assert [c.name for c in _only_needed(["list"])] == ALL


def test_the_real_command_line_is_unchanged() -> None:
    assert run_cli("--version").stdout == "newscli 0.1.0\n"
    overview = run_cli("--help").stdout
    assert all(f"  {name} " in overview for name in ALL)
    typo = run_cli("lisst")
    assert typo.returncode == 2 and "Did you mean 'list'?" in typo.stderr
    listed = run_cli("list", str(SAMPLES))
    assert listed.returncode == 0 and listed.stdout.count("\n") == 19
    assert "--fail-if-empty" in run_cli("export", "--help").stdout
    assert app.registered_commands and len(app.registered_commands) == len(ALL)


def test_main_restores_the_commands(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import newscli.cli as cli

    monkeypatch.setattr("sys.argv", ["newscli", "--version"])
    with pytest.raises(SystemExit):
        cli.main()
    assert [c.name for c in app.registered_commands] == ALL
