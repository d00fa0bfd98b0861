"""A run imports and builds only the command it names; what a user sees is unchanged."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SAMPLES, run_cli

from newscli.cli import COMMAND_MODULES, app, needed

ALL = [c.name for c in app.registered_commands]


def test_every_command_is_in_the_table_with_its_module() -> None:
    assert sorted(ALL) == sorted(COMMAND_MODULES)
    for command in app.registered_commands:
        assert command.callback.__module__.endswith("." + COMMAND_MODULES[command.name])


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["list", "feeds", "--topic", "AI"], ["list"]),
        (["export", "--help"], ["export"]),
        (["--version"], []),
        (["--help", "export"], None),
        (["-h"], None),
        ([], None),
        (["lisst"], None),  # no such command: the error names the real ones
        (["--install-completion"], None),
    ],
)
def test_only_the_named_command_is_needed(args: list[str], names: list[str] | None) -> None:
    assert needed(args) == names


def test_completion_needs_every_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_NEWSCLI_COMPLETE", "complete_bash")
    assert needed(["list"]) is None


def test_a_run_imports_only_its_command_module() -> None:
    code = (
        "import sys\nfrom newscli.cli import main\nsys.argv = ['newscli', '--version']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.endswith('_commands')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    assert out.splitlines() == ["newscli 0.1.0", "[]"]


def test_the_real_command_line_is_unchanged() -> None:
    assert run_cli("--version").stdout == "newscli 0.1.0\n"
    overview = run_cli("--help").stdout
    listed = [line.split()[0] for line in overview.split("Commands:")[1].splitlines() if line]
    assert listed == list(COMMAND_MODULES)  # all of them, in the usual order
    typo = run_cli("lisst")
    assert typo.returncode == 2 and "did you mean 'list'?" in typo.stderr
    result = run_cli("list", str(SAMPLES))
    assert result.returncode == 0 and result.stdout.count("\n") == 19
    assert "--fail-if-empty" in run_cli("export", "--help").stdout
    assert run_cli("validate", str(SAMPLES)).returncode == 0


def test_a_warm_json_export_imports_no_feed_writer_or_yaml(tmp_path: Path) -> None:
    """Start-up stays lean: a warm JSON export needs neither YAML, rich, the feed writers
    (ElementTree, email, hashlib) nor the lock or edit modules."""
    cache = str(tmp_path / "cache")
    code = (
        "import sys\nfrom newscli.cli import main\n"
        f"sys.argv = ['newscli', 'export', {str(SAMPLES)!r}, '--topic', 'AI']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = ('yaml', 'rich', 'xml.etree.ElementTree', 'email.utils', 'hashlib',\n"
        "         'newscli.formats.feeds', 'newscli.edit.editing', 'newscli.edit.locking')\n"
        "sys.stderr.write(repr(sorted(m for m in heavy if m in sys.modules)))"
    )
    env = {**os.environ, "NEWSCLI_CACHE_DIR": cache}
    for _ in range(2):  # the second run is warm
        run = subprocess.run(
            [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True
        )
    assert run.returncode == 0 and run.stderr == "[]"
