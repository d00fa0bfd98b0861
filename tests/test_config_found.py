"""h50: a ./newscli.yaml (or the XDG config) that exists but cannot be read as a file
(a link to a moved file, a link loop, a folder, a FIFO) was passed over in silence: the
next config, or none, was used, and its exclude rules no longer applied, exit 0. Also
`[]` for a flag in a preset was an internal error. Installed command."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import SAMPLES, run_cli, write


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (lambda p: p.symlink_to("moved.yaml"),
         "a symbolic link to a missing file, not a configuration file"),
        (lambda p: p.symlink_to(p.name), "cannot read the configuration file"),
        (lambda p: p.mkdir(), "a directory, not a configuration file"),
        (lambda p: os.mkfifo(p), "not a regular file"),
    ],
)  # fmt: skip
def test_a_config_that_cannot_be_read_is_an_error_not_skipped(
    tmp_path: Path, make: object, said: str
) -> None:
    home = tmp_path / "home"
    write(home / ".config" / "newscli" / "config.yaml", "feeds: [elsewhere]\n")
    make(tmp_path / "newscli.yaml")  # type: ignore[operator]
    env = {"HOME": str(home), "XDG_CONFIG_HOME": "", "NEWSCLI_CACHE_DIR": str(tmp_path / "c")}
    for args in (["list", str(SAMPLES)], ["rules"]):
        run = run_cli(*args, cwd=tmp_path, env=env)
        assert (run.returncode, run.stdout) == (2, ""), run.stderr
        assert run.stderr.startswith(f"newscli: error: newscli.yaml: {said}"), run.stderr
    made = tmp_path / "newscli.yaml"
    if made.is_dir() and not made.is_symlink():
        made.rmdir()
    else:
        made.unlink()
    (tmp_path / "newscli.yaml").symlink_to(os.devnull)  # the null device: an empty config
    assert run_cli("rules", cwd=tmp_path, env=env).returncode == 0


def test_an_empty_list_for_a_flag_in_a_preset_is_a_config_error(tmp_path: Path) -> None:
    write(tmp_path / "c.yaml", "presets:\n  p: {dedupe: []}\n")
    for args in (["list", str(SAMPLES), "--preset", "p"], ["presets"]):
        run = run_cli(*args, "--config", str(tmp_path / "c.yaml"))
        assert run.returncode == 2, run.stderr
        assert "internal error" not in run.stderr and run.stderr.count("\n") == 1
        assert "presets.p.dedupe" in run.stderr, run.stderr
