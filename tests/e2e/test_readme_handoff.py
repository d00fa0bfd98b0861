"""The README's hand-off script (`--mark-published` in a script), run as written twice
in a temp folder with the installed command first on PATH: the first run files the new
articles in outbox/, the second says "nothing new" and files nothing (h38: it filed an
empty [] each time)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from conftest import REPO, SAMPLES, installed_command


def handoff_script() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)\n```", text, re.S)
    (script,) = [block for block in blocks if "outbox" in block]
    return script


def test_the_handoff_script_files_new_articles_once_and_nothing_when_none(
    tmp_path: Path,
) -> None:
    shutil.copytree(SAMPLES, tmp_path / "feeds")
    env = {
        **os.environ,
        "PATH": f"{installed_command().parent}{os.pathsep}{os.environ['PATH']}",
        "NEWSCLI_STATE_DIR": str(tmp_path / "state"),
        "NEWSCLI_CACHE_DIR": str(tmp_path / "cache"),
    }
    said = []
    for _ in range(2):
        run = subprocess.run(["bash", "-c", handoff_script()], cwd=tmp_path, env=env,
                             capture_output=True, text=True, timeout=120)  # fmt: skip
        assert run.returncode == 0, run.stderr
        said.append(run.stdout)
    assert said == ["exported new articles\n", "nothing new\n"]
    (filed,) = (tmp_path / "outbox").iterdir()
    assert len(json.loads(filed.read_text(encoding="utf-8"))) == 13  # the unpublished
