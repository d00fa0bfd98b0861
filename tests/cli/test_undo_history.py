"""undo and history through the installed command: every edit command is a batch in
the journal; undo gives back the exact old bytes, refuses files changed since, and
survives a kill -9 in the middle of a batch. Concurrent edits of one folder never lose
an update."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import NEWSCLI, article_text, run_cli, write

# An aggregator-style article: comments, every quoting style, nested provider, a block
# list, a list of mappings, a block scalar, `---` in the body, no final newline.
AGGREGATOR = (
    "---\n"
    "# fetched by the aggregator\n"
    'title: "Central bank holds rates: \\"patience\\""\n'
    "excerpt: >-\n"
    "  Rates stay where they are;\n"
    "  cuts later.\n"
    "publishedDateTime: 2025-03-19T14:00:00Z\n"
    "originalUrl: 'https://news.example/rates?id=1&utm=x'\n"
    "quality: 54   # scored\n"
    "heat: 650\n"
    "published: false\n"
    "provider:\n"
    "  name: Harbor Ledger\n"
    "  domain: harborledger.example\n"
    "topics:\n"
    "  - Economy\n"
    "  - 'Central Banks'\n"
    "images:\n"
    "  - url: https://img.example/a.jpg\n"
    "    width: 640\n"
    "---\n"
    "Body\n---\nafter dashes"
)


def diff_lines(before: bytes, after: bytes) -> tuple[list[bytes], list[bytes]]:
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    return [x for x in old if x not in new], [x for x in new if x not in old]


def test_three_edits_then_three_undos_give_back_the_original_bytes(tmp_path: Path) -> None:
    path = write(tmp_path / "rates.md", AGGREGATOR)
    original = path.read_bytes()
    steps = [
        (["set", "quality=60"], [b"quality: 54   # scored\n"], [b"quality: 60   # scored\n"]),
        # one added line (a block list item, in the quoting of the last item)
        (["tag", "add", "Science"], [], [b"  - 'Science'\n"]),
        (["reject"], [], [b"rejected: true\n"]),
    ]
    versions = [original]
    for argv, gone, added in steps:
        result = run_cli(*argv, "rates.md", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert diff_lines(versions[-1], path.read_bytes()) == (gone, added)
        versions.append(path.read_bytes())
    history = run_cli("history", "--format", "json", cwd=tmp_path)
    batches = json.loads(history.stdout)
    assert [b["command"][1:] for b in batches] == [
        ["reject", "rates.md"],
        ["tag", "add", "Science", "rates.md"],
        ["set", "quality=60", "rates.md"],
    ]
    assert all(b["files"] == 1 and b["complete"] for b in batches)
    for expected in reversed(versions[:-1]):
        undone = run_cli("undo", cwd=tmp_path)
        assert undone.returncode == 0, undone.stderr
        assert undone.stdout == "rates.md: restored\n"
        assert path.read_bytes() == expected
    assert path.read_bytes() == original
    nothing = run_cli("undo", cwd=tmp_path)
    assert nothing.returncode == 1
    assert nothing.stderr == "newscli: error: nothing to undo\n"


def test_a_file_changed_since_is_reported_and_left_alone(tmp_path: Path) -> None:
    a = write(tmp_path / "a.md", article_text(title="A", quality=10))
    b = write(tmp_path / "b.md", article_text(title="B", quality=20))
    before_a = a.read_bytes()
    assert run_cli("set", "quality=90", "a.md", "b.md", cwd=tmp_path).returncode == 0
    b.write_bytes(b.read_bytes().replace(b'title: "B"', b'title: "B, corrected"'))
    corrected = b.read_bytes()
    dry = run_cli("undo", "--dry-run", cwd=tmp_path)
    assert dry.returncode == 1 and a.read_bytes() != before_a
    assert dry.stdout == "a.md: would restore\n"  # (h56: it said "restored")
    result = run_cli("undo", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == "a.md: restored\n"
    assert "b.md: changed since the edit; not reverted" in result.stderr
    assert a.read_bytes() == before_a and b.read_bytes() == corrected
    # the journal keeps the file it could not revert, for a later undo
    (kept,) = json.loads(run_cli("history", "--format", "json", cwd=tmp_path).stdout)
    assert kept["files"] == 1 and kept["undo_refused"] is True


def test_publish_and_mark_published_are_batches_too(tmp_path: Path) -> None:
    path = write(tmp_path / "feeds" / "a.md", article_text())
    original = path.read_bytes()
    assert run_cli("publish", "feeds/a.md", cwd=tmp_path).returncode == 0
    assert run_cli("undo", cwd=tmp_path).returncode == 0
    assert path.read_bytes() == original
    exported = run_cli("export", "feeds", "--mark-published", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert b"published: true" in path.read_bytes()
    listed = run_cli("history", cwd=tmp_path)
    assert "export feeds --mark-published" in listed.stdout
    assert run_cli("undo", cwd=tmp_path).returncode == 0
    assert path.read_bytes() == original


def test_a_dry_run_journals_nothing(tmp_path: Path) -> None:
    write(tmp_path / "a.md", article_text())
    assert run_cli("set", "quality=1", "a.md", "--dry-run", cwd=tmp_path).returncode == 0
    assert run_cli("history", "--format", "json", cwd=tmp_path).stdout.strip() == "[]"


def test_kill_9_mid_batch_then_undo_restores(tmp_path: Path, private_state: Path) -> None:
    folder = tmp_path / "feeds"
    count = int(os.environ.get("NEWSCLI_KILL_FILES", "400"))
    for i in range(count):
        write(folder / f"a{i:04}.md", article_text(title=f"t{i}", quality=i % 100))
    before = {p: p.read_bytes() for p in folder.iterdir()}
    proc = subprocess.Popen(
        [str(NEWSCLI), "set", "status=held", str(folder), "--all", "--no-cache"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    logs = private_state / "journal"
    while time.monotonic() < deadline and proc.poll() is None:
        # about ten files journaled (a record is a JSON line and the old bytes)
        if any(log.stat().st_size > 4000 for log in logs.glob("*/old.log")):
            break
        time.sleep(0.002)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    changed = [p for p in before if p.read_bytes() != before[p]]
    assert changed, "the run was killed before it changed any file"
    batches = json.loads(run_cli("history", "--format", "json").stdout)
    assert len(batches) == 1 and not batches[0]["complete"]  # killed mid-batch
    assert "(interrupted)" in run_cli("history").stdout
    undone = run_cli("undo")
    assert undone.returncode == 0, undone.stderr
    assert {p: p.read_bytes() for p in folder.iterdir() if p.suffix == ".md"} == before
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_two_set_runs_on_one_folder_lose_no_update(tmp_path: Path) -> None:
    folder = tmp_path / "feeds"
    for i in range(60):
        write(folder / f"a{i:03}.md", article_text(title=f"t{i}"))
    runs = [
        subprocess.Popen(
            [str(NEWSCLI), "set", field, str(folder), "--all", "--wait", "60"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for field in ("status=held", "note=checked")
    ]
    for proc in runs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    for path in folder.glob("*.md"):
        text = path.read_text()
        assert "status: held" in text and "note: checked" in text


def test_a_locked_folder_exits_3(tmp_path: Path) -> None:
    folder = tmp_path / "feeds"
    path = write(folder / "a.md", article_text())
    before = path.read_bytes()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from newscli.edit.locking import folder_locks\n"
            "with folder_locks([sys.argv[1]]):\n"
            "    print('held', flush=True); time.sleep(30)",
            str(folder),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        result = run_cli("set", "quality=1", str(path))
        assert result.returncode == 3
        assert "another newscli run is editing" in result.stderr
        assert path.read_bytes() == before
    finally:
        holder.kill()
        holder.wait()


def test_no_journal_no_edit(tmp_path: Path) -> None:
    """A state folder that cannot be made (a file is in the way): nothing is edited."""
    path = write(tmp_path / "a.md", article_text(quality=10))
    before = path.read_bytes()
    blocker = write(tmp_path / "state", "")
    result = run_cli("set", "quality=20", "a.md", cwd=tmp_path,
                     env={"NEWSCLI_STATE_DIR": str(blocker)})  # fmt: skip
    assert result.returncode == 1
    assert "newscli: error: cannot write the undo journal" in result.stderr
    assert path.read_bytes() == before and result.stdout == ""
