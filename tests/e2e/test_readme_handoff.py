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
import time
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


def test_two_overlapping_runs_of_the_script_file_every_marked_article_once(
    tmp_path: Path,
) -> None:
    """h52: the script removed new.json at its start, so a run started while another
    was marking removed the first run's export: 333 articles marked, none filed. Run
    B starts once A's export is written (A is marking); every article marked published
    is in the outbox exactly once."""
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    for n in range(600):
        (feeds / f"a{n:03}.md").write_text(
            f'---\ntitle: "Story {n}"\nwebUrl: https://news.example/{n}\npublished: false\n'
            "---\nbody\n",
            encoding="utf-8",
        )
    env = {
        **os.environ,
        "PATH": f"{installed_command().parent}{os.pathsep}{os.environ['PATH']}",
        "NEWSCLI_STATE_DIR": str(tmp_path / "state"),
        "NEWSCLI_CACHE_DIR": str(tmp_path / "cache"),
    }
    script = ["bash", "-c", handoff_script()]
    first = subprocess.Popen(script, cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob("new*.json")) and first.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.002)
    second = subprocess.run(script, cwd=tmp_path, env=env, capture_output=True, text=True,
                            timeout=120)  # fmt: skip
    _, err = first.communicate(timeout=120)
    assert first.returncode == 0 and second.returncode == 0, (err, second.stderr)
    filed = [a["path"] for f in (tmp_path / "outbox").iterdir()
             for a in json.loads(f.read_text(encoding="utf-8"))]  # fmt: skip
    marked = [p for p in feeds.iterdir() if "published: true" in p.read_text(encoding="utf-8")]
    assert len(marked) == 600
    assert sorted(filed) == sorted(f"feeds/{p.name}" for p in marked)
    assert list(tmp_path.glob("new.*")) == []  # nothing left beside the outbox
