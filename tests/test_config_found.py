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


@pytest.mark.skipif(os.geteuid() != 0, reason="root's rule")
def test_root_does_not_read_a_config_another_user_can_change(tmp_path: Path) -> None:
    """h50: a config writable by all chose where root's cron job wrote (`output:`) and
    with what (`template:`); root refuses it, as ssh and sudo refuse theirs."""
    config = write(tmp_path / "c.yaml", "feeds: [feeds]\n")
    cases = [  # (h117: the fix said for another user's file was chmod, not chown)
        (0o666, 0, "every user can write it (mode 0666, owner 0)", "`chmod o-w` it"),
        (0o646, 0, "every user can write it (mode 0646, owner 0)", "`chmod o-w` it"),
        (0o644, 65534, "another user owns it (mode 0644, owner 65534)", "`chown root` it"),
        (0o666, 65534, "every user can write it (mode 0666, owner 65534)",
         "`chmod o-w` and `chown root` it"),
    ]  # fmt: skip
    for mode, owner, said, fix in cases:
        os.chmod(config, mode)
        os.chown(config, owner, 0)
        run = run_cli("rules", "--config", str(config))
        assert (run.returncode, run.stdout) == (2, ""), run.stderr
        assert run.stderr == (f"newscli: error: {config}: {said}: root does not read it "
                              f"({fix}, or run as its owner)\n")  # fmt: skip
    os.chown(config, 0, 0)
    for mode in (0o644, 0o664):  # (a group-writable one too: umask 002 makes them so)
        os.chmod(config, mode)
        assert run_cli("rules", "--config", str(config)).returncode == 0
