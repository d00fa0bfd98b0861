"""A relative XDG_CACHE_HOME, XDG_STATE_HOME or XDG_CONFIG_HOME is ignored, as the XDG
spec says (h99 LOW: `XDG_CACHE_HOME=rel` made ./rel/newscli in whatever folder the run
was in); a --cache-dir that is a FIFO is said to be one (it was "a file")."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from conftest import SAMPLES, run_cli


def test_relative_xdg_folders_are_ignored(tmp_path: Path) -> None:
    here = tmp_path / "here"
    here.mkdir()
    shutil.copytree(SAMPLES, tmp_path / "feeds")
    env = {
        "HOME": str(tmp_path / "home"),
        "XDG_CACHE_HOME": "rel",
        "XDG_STATE_HOME": "rel",
        "XDG_CONFIG_HOME": "rel",
        "NEWSCLI_CACHE_DIR": "",
        "NEWSCLI_STATE_DIR": "",
    }
    (here / "rel" / "newscli").mkdir(parents=True)  # a config there must not be read
    (here / "rel" / "newscli" / "config.yaml").write_text("feeds: [nowhere]\n", encoding="utf-8")
    listed = run_cli("list", "--format", "tsv", str(tmp_path / "feeds"), cwd=here, env=env)
    assert listed.returncode == 0, listed.stderr
    edited = run_cli("set", "note=x", str(tmp_path / "feeds" / "rate-decision.md"), cwd=here,
                     env=env)  # fmt: skip
    assert edited.returncode == 0, edited.stderr
    assert sorted(os.listdir(here / "rel")) == ["newscli"]  # (nothing made here)
    assert os.listdir(here / "rel" / "newscli") == ["config.yaml"]
    assert (tmp_path / "home" / ".cache" / "newscli" / "index.sqlite3").is_file()
    assert (tmp_path / "home" / ".local" / "state" / "newscli" / "journal").is_dir()


def test_a_cache_dir_that_is_a_fifo(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "ff")
    done = run_cli("list", str(SAMPLES), "--cache-dir", "ff", cwd=tmp_path)
    assert done.returncode == 0
    assert done.stderr == (
        "newscli: cache disabled: cannot create ff: it is a FIFO, socket or device, not a folder\n"
    )
