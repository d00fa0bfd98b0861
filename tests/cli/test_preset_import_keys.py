"""h117 LOW: a preset key that only a command taking no presets has (`max-size`,
`timeout`: `import`'s) was listed by `newscli presets` and ignored by every run, while
`import --max-size 5000` is refused. It is now an unknown option of the preset, as
any key no preset-taking command has. Through the installed command."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import REPO, run_cli


@pytest.mark.parametrize("key", ["max-size: 5000", "timeout: 0", "retries: 3"])
@pytest.mark.parametrize("command", [["presets"], ["list", "feeds", "--preset", "p"]])
def test_an_option_no_preset_command_has_is_unknown(
    tmp_path: Path, key: str, command: list[str]
) -> None:
    shutil.copytree(REPO / "sample_feeds", tmp_path / "feeds")
    (tmp_path / "newscli.yaml").write_text(f"presets:\n  p:\n    {key}\n", encoding="utf-8")
    done = run_cli(*command, cwd=tmp_path)
    name = key.split(":")[0]
    assert (done.returncode, done.stdout) == (2, ""), done.stderr
    assert done.stderr.startswith(f"newscli: error: newscli.yaml: presets.p.{name}: unknown option")
