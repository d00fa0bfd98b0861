"""h50: with stderr closed (`2>&-`, as some supervisors start a job), Python gives no
sys.stderr, and the first message (one invalid file's line) ended the run: nothing
listed or exported, exit 1; a usage error gave 1, not 2; a publish done said it had
failed. Only the messages are lost now. A real shell, the installed command."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import NEWSCLI, SAMPLES, write


def _sh(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", command], cwd=cwd, capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "NEWSCLI_STATE_DIR": str(cwd / "s"),
                               "NEWSCLI_CACHE_DIR": str(cwd / "c")}, timeout=120)  # fmt: skip


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_a_closed_stderr_loses_the_messages_only(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    for sample in sorted(SAMPLES.glob("*.md")):
        write(feeds / sample.name, sample.read_text(encoding="utf-8"))
    write(feeds / "broken.md", "---\ntitle: [\n---\n")
    count = len(list(SAMPLES.glob("*.md")))
    listed = _sh(f"{NEWSCLI} list feeds --format tsv 2>&-", tmp_path)
    assert listed.returncode == 0 and len(listed.stdout.splitlines()) == count + 1
    exported = _sh(f"{NEWSCLI} export feeds -o out.json 2>&-; echo $?", tmp_path)
    assert exported.stdout == "0\n" and (tmp_path / "out.json").read_text().count('"path"') == count
    assert _sh(f"{NEWSCLI} list --bogus 2>&-; echo $?", tmp_path).stdout == "2\n"
    one = feeds / "sleep-study.md"
    published = _sh(f"{NEWSCLI} publish {one} 2>&-; echo $?", tmp_path)
    assert published.stdout.endswith("0\n") and "published: true" in one.read_text()
    # the lock and output files the run opened did not take descriptor 2: none holds a
    # message (a file opened as fd 2 would get what is written to stderr)
    assert "newscli:" not in (tmp_path / "out.json").read_text()
