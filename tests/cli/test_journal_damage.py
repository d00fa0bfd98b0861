"""A damaged undo journal (cut short, or a header that is not JSON) never makes undo
restore part of a batch and drop the rest: undo refuses, names the batch and says that
`undo --forget` drops it; --forget works on a damaged batch too. Installed command."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLES, run_cli


def test_a_damaged_batch_is_refused_whole_and_forget_drops_it(
    tmp_path: Path, private_state: Path
) -> None:
    feeds = tmp_path / "feeds"
    shutil.copytree(SAMPLES, feeds)
    assert run_cli("set", "status=held", "feeds", "--all", cwd=tmp_path).returncode == 0
    edited = {p: p.read_bytes() for p in feeds.glob("*.md")}
    (log,) = private_state.glob("journal/*/old.log")
    log.write_bytes(log.read_bytes()[:3000])  # a few files' old bytes left
    undo = run_cli("undo", cwd=tmp_path)
    assert undo.returncode == 1 and "is damaged (its old.log lacks" in undo.stderr
    assert "undo --forget" in undo.stderr
    assert {p: p.read_bytes() for p in feeds.glob("*.md")} == edited  # nothing restored
    forget = run_cli("undo", "--forget", cwd=tmp_path)
    assert forget.returncode == 0 and "forgot `newscli set status=held" in forget.stderr
    assert run_cli("set", "status=late", "feeds", "--all", cwd=tmp_path).returncode == 0
    (header,) = private_state.glob("journal/*/batch.json")
    header.write_text("not json", encoding="utf-8")
    assert run_cli("undo", cwd=tmp_path).returncode == 1
    forget = run_cli("undo", "--forget", cwd=tmp_path)
    assert forget.returncode == 0 and "forgot the damaged batch" in forget.stderr
    empty = run_cli("history", cwd=tmp_path)
    assert empty.returncode == 0 and "no edits recorded" in empty.stderr


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_a_damaged_older_batch_blocks_nothing_newer(tmp_path: Path, private_state: Path) -> None:
    feeds = tmp_path / "feeds"
    shutil.copytree(SAMPLES, feeds)
    originals = {p: p.read_bytes() for p in feeds.glob("*.md")}
    assert run_cli("set", "quality=11", "feeds", "--all", cwd=tmp_path).returncode == 0
    first = {p: p.read_bytes() for p in feeds.glob("*.md")}
    assert run_cli("set", "quality=22", "feeds", "--all", cwd=tmp_path).returncode == 0
    older = sorted(private_state.glob("journal/*"))[0]
    (older / "batch.json").write_text("garbage", encoding="utf-8")
    history = run_cli("history", cwd=tmp_path)
    assert history.returncode == 0, history.stderr
    newest, damaged = history.stdout.splitlines()
    assert "quality=22" in newest and "(damaged: `newscli undo --forget` drops it)" in damaged
    undo = run_cli("undo", cwd=tmp_path)  # the newest, intact batch
    assert undo.returncode == 0, undo.stderr
    assert {p: p.read_bytes() for p in feeds.glob("*.md")} == first
    again = run_cli("undo", cwd=tmp_path)  # now the damaged one is the newest: refused
    assert again.returncode == 1 and "damaged (batch.json)" in again.stderr
    assert {p: p.read_bytes() for p in feeds.glob("*.md")} == first != originals
    assert run_cli("undo", "--forget", cwd=tmp_path).returncode == 0
    assert run_cli("history", cwd=tmp_path).stdout == ""


def test_undo_quiet_prints_no_summary(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    shutil.copytree(SAMPLES, feeds)
    before = {p: p.read_bytes() for p in feeds.glob("*.md")}
    assert run_cli("set", "status=held", "feeds", "--all", cwd=tmp_path).returncode == 0
    undo = run_cli("undo", "-q", cwd=tmp_path)
    assert (undo.returncode, undo.stderr) == (0, "")
    assert {p: p.read_bytes() for p in feeds.glob("*.md")} == before


def test_history_marks_a_cut_log(tmp_path: Path, private_state: Path) -> None:
    feeds = tmp_path / "feeds"
    shutil.copytree(SAMPLES, feeds)
    assert run_cli("set", "quality=11", "feeds", "--all", cwd=tmp_path).returncode == 0
    intact = run_cli("history", cwd=tmp_path)
    assert "damaged" not in intact.stdout and intact.stdout.count("\n") == 1
    (batch,) = private_state.glob("journal/*")
    os.truncate(batch / "old.log", 10)
    history = run_cli("history", cwd=tmp_path)
    assert history.returncode == 0, history.stderr
    assert history.stdout.rstrip("\n").endswith(
        "set quality=11 feeds --all  (damaged: `newscli undo --forget` drops it)"
    )
    (row,) = json.loads(run_cli("history", "--format", "json", cwd=tmp_path).stdout)
    assert row["damaged"] is True and row["command"][1:] == ["set", "quality=11", "feeds", "--all"]
    undo = run_cli("undo", cwd=tmp_path)
    assert undo.returncode == 1 and "old.log lacks" in undo.stderr


@pytest.mark.parametrize(
    "change",
    [
        "a stamp of four numbers",
        "stamps as a list",
        "a stamp of text",
        "forgotten holding a mapping",
        "a stamp numbered ²",  # (h147: isdigit() but not int())
        "a time of 1e18",  # (h147: every journal command and edit an internal error)
        "a record numbered Infinity",  # (h147: old.log; OverflowError)
        "a count of -3",  # (h148: history showed -3 files edited)
        "a count of 10**30",
        "a replaced file forgotten",  # (h149 HIGH: undo restored the others, dropped it)
    ],
)
def test_a_header_of_valid_json_but_the_wrong_shape_is_damage(
    tmp_path: Path, private_state: Path, change: str
) -> None:
    """h144 MED: a batch.json cut so that a stamp held 4 numbers (valid JSON) made
    `undo` and `undo -n` an internal error (TypeError), and `history` called it whole."""
    feeds = tmp_path / "feeds"
    shutil.copytree(SAMPLES, feeds)
    assert run_cli("set", "note=x", "feeds", "--all", cwd=tmp_path).returncode == 0
    edited = {p: p.read_bytes() for p in feeds.glob("*.md")}
    (path,) = private_state.glob("journal/*/batch.json")
    header = json.loads(path.read_text(encoding="utf-8"))
    first = sorted(header["stamps"])[0]
    if change == "a stamp of four numbers":
        header["stamps"][first].append(7)
    elif change == "stamps as a list":
        header["stamps"] = list(header["stamps"].values())
    elif change == "a stamp of text":
        header["stamps"][first] = ["1", 2, 3]
    elif change == "a stamp numbered ²":
        header["stamps"]["\u00b2"] = header["stamps"].pop(first)
    elif change == "a time of 1e18":
        header["time"] = 1e18
    elif change == "a record numbered Infinity":
        log = path.parent / "old.log"
        data = log.read_bytes()
        assert data.count(b'"number": 1,') == 1, data[:200]
        log.write_bytes(data.replace(b'"number": 1,', b'"number": Infinity,'))
    elif change == "a replaced file forgotten":
        header["forgotten"] = [int(first)]
    elif change.startswith("a count of "):
        header["count"] = -3 if change.endswith("-3") else 10**30
    else:
        header["forgotten"] = [{"n": 1}]
    path.write_text(json.dumps(header), encoding="utf-8")
    history = run_cli("history", "--format", "json", cwd=tmp_path)
    what = "old.log" if "record" in change else "batch.json"
    assert history.returncode == 0  # (a record's number is read by undo, not history)
    assert json.loads(history.stdout)[0]["damaged"] is (what == "batch.json")
    for args in (["undo", "-n"], ["undo"]):
        undo = run_cli(*args, cwd=tmp_path)
        assert undo.returncode == 1, undo.stderr
        assert "is damaged" in undo.stderr and what in undo.stderr, undo.stderr
        assert "nothing was restored" in undo.stderr or "not restored" in undo.stderr, undo.stderr
        assert "internal error" not in undo.stderr
    assert {p: p.read_bytes() for p in feeds.glob("*.md")} == edited
    forget = run_cli("undo", "--forget", cwd=tmp_path)
    assert forget.returncode == 0 and "forgot " in forget.stderr, forget.stderr
    assert "nothing was reverted" in forget.stderr or "damaged" in forget.stderr
