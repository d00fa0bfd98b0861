"""h40: with Python's UTF-8 mode off under an ASCII locale (PYTHONUTF8=0 LC_ALL=C), the
cache stored a non-ASCII file name as UTF-8 text and read it back as a name the file
system did not have: the file was taken as gone, so an invalid one passed validate and
--strict. The cache keeps names as the file system's bytes (os.fsencode). Installed
command, its own environment."""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import installed_command


def test_a_non_ascii_name_is_the_same_file_with_the_cache_under_an_ascii_locale(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "brøken-日本.md").write_text("---\ntitle: [x\n---\n", encoding="utf-8")
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONUTF8": "0",
        "LC_ALL": "C",
        "NEWSCLI_STATE_DIR": str(tmp_path / "state"),
        "NEWSCLI_CACHE_DIR": str(tmp_path / "cache"),
    }
    for args in (["validate", "bad"], ["validate", "bad"], ["list", "bad", "--strict"],
                 ["validate", "bad", "--no-cache"]):  # fmt: skip
        run = subprocess.run([str(installed_command()), *args], cwd=tmp_path, env=env,
                             capture_output=True, timeout=60)  # fmt: skip
        assert run.returncode == 1, (args, run.stderr)
        assert b"invalid YAML" in run.stdout + run.stderr or b"invalid file" in run.stderr


def test_a_non_ascii_path_the_locale_cannot_write_is_one_error_line(tmp_path: Path) -> None:
    """h40: a config's feed folder `nouvelles-été` gave "internal error:
    UnicodeEncodeError" in that locale; now one line saying what to do."""
    (tmp_path / "nouvelles-été").mkdir()
    (tmp_path / "newscli.yaml").write_text("feeds:\n  - nouvelles-été\n", encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "PYTHONUTF8": "0", "LC_ALL": "C",
           "NEWSCLI_STATE_DIR": str(tmp_path / "state"),
           "NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}  # fmt: skip
    run = subprocess.run(
        [str(installed_command()), "list", "--config", str(tmp_path / "newscli.yaml")],
        cwd="/", env=env, capture_output=True, timeout=60,
    )  # fmt: skip
    assert run.returncode == 1 and run.stdout == b""
    assert run.stderr.startswith(b"newscli: error: a name this locale's encoding (ascii)")
    assert b"PYTHONUTF8=1" in run.stderr and run.stderr.count(b"\n") == 1
