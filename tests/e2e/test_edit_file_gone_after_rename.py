"""h110 MED: an article another program removed just after newscli renamed its new
version into place (an aggregator's clean-up, `rsync --delete`) stopped the whole batch
with `internal error: FileNotFoundError`: the other files unedited, nothing on stdout,
and history calling the batch complete. The new file's stamp is now taken before the
rename, from the whole temporary file: the batch goes on, and `undo` says the file no
longer exists. One replaced by the other program just then keeps that program's text:
undo leaves it alone (a stamp taken after the rename was of that program's file; that
case passes on the code before too unless the other program wins the race).

A watcher (inotify) acts on the first article renamed into the folder; real processes."""

from __future__ import annotations

import os
import select
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, run_cli

WATCHER = r"""
import ctypes, os, struct, sys
folder, mode = sys.argv[1], sys.argv[2]
libc = ctypes.CDLL("libc.so.6", use_errno=True)
fd = libc.inotify_init()
assert fd >= 0 and libc.inotify_add_watch(fd, folder.encode(), 0x80) >= 0  # IN_MOVED_TO
print("ready", flush=True)
while True:
    data = os.read(fd, 65536)
    at = 0
    while at < len(data):
        _, _, _, size = struct.unpack_from("iIII", data, at)
        name = data[at + 16 : at + 16 + size].rstrip(b"\0").decode()
        at += 16 + size
        if name.endswith(".md"):
            path = os.path.join(folder, name)
            if mode == "remove":
                os.unlink(path)
            else:  # another program's own version, written in place
                with open(path, "w") as handle:
                    handle.write("---\ntitle: theirs\n---\n")
            print(name, flush=True)
            sys.exit(0)
"""


def _line(process: subprocess.Popen[str], timeout: float = 60.0) -> str:
    """The process's next line, or "" when none comes within ``timeout`` seconds."""
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    return process.stdout.readline() if ready else ""


@pytest.mark.slow  # (the long tier: it took 2-16 s of the default run, 2026-12-07)
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify")
@pytest.mark.parametrize("mode", ["remove", "replace"])
def test_a_file_gone_or_replaced_after_the_rename(tmp_path: Path, mode: str) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    sample = (REPO / "sample_feeds" / "rate-decision.md").read_bytes()
    for n in range(200):
        (folder / f"a{n:03d}.md").write_bytes(sample)
    watcher = subprocess.Popen(
        [sys.executable, "-c", WATCHER, str(folder), mode], stdout=subprocess.PIPE, text=True
    )
    try:
        assert _line(watcher) == "ready\n"
        done = run_cli("set", "note=x", str(folder), "--all")
        touched = _line(watcher).strip()
        watcher.wait(timeout=30)
    finally:
        watcher.kill()  # (a failure before any rename must not leave it waiting)
        watcher.wait()
    assert touched, "the watcher saw no rename"
    assert done.returncode == 0, done.stderr
    assert "internal error" not in done.stderr
    assert len(done.stdout.splitlines()) == 200  # each file changed is said
    others = sorted(p for p in folder.glob("*.md") if p.name != touched)
    assert len(others) == 199 and all(b"note: x" in p.read_bytes() for p in others)
    assert "(interrupted)" not in run_cli("history").stdout
    undone = run_cli("undo")
    assert undone.returncode == 1, undone.stderr  # one file could not be reverted
    assert all(p.read_bytes() == sample for p in others)
    if mode == "remove":
        assert f"{touched}: no longer exists; not reverted" in undone.stderr
        assert not (folder / touched).exists()
    else:  # the other program's text is kept
        assert (folder / touched).read_text() == "---\ntitle: theirs\n---\n"
    left = [n for n in os.listdir(folder) if not n.endswith(".md") and n != ".newscli.lock"]
    assert not left  # (no temporary file)
