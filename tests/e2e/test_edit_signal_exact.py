"""A signal that stops an edit (or an undo) never leaves a file changed that its report
leaves out: the stdout lines, the summary's count, the journal and what `undo` restores
name exactly the files whose bytes changed on disk. (A new-user pass found one file too
many or too few in about 1 run in 2: the signal fell between a file's journal record
and its rename, or between the rename and its count and line.)

Real processes: a small driver starts newscli's own entry point after wrapping one
step (the journal record, the rename of an article, the write of a report line) so
that the process sends itself SIGTERM exactly after the n-th such step."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import NEWSCLI

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="signals")

# argv: POINT N then newscli's own arguments. POINT: journaled (after the n-th journal
# record), renamed (after the n-th rename onto an article file), said (after the n-th
# write to stdout), finishing (as undo's n-th batch is finished in the journal).
DRIVER = textwrap.dedent(
    """
    import os, signal, sys
    point, nth = sys.argv.pop(1), int(sys.argv.pop(1))
    seen = [0]

    def step():
        seen[0] += 1
        if seen[0] == nth:
            os.kill(os.getpid(), getattr(signal, os.environ.get("SIGNAL", "SIGTERM")))

    if point == "journaled":
        from newscli.edit import journal
        record_old = journal.Batch.record_old

        def recorded(self, *args):
            number = record_old(self, *args)
            step()
            return number

        journal.Batch.record_old = recorded
    elif point == "renamed":
        replace = os.replace

        def replaced(source, target, *args, **kwargs):
            replace(source, target, *args, **kwargs)
            if str(target).endswith(".md"):
                step()

        os.replace = replaced
    elif point == "said":
        write = os.write

        def written(fd, data):
            count = write(fd, data)
            if fd == 1:
                step()
            return count

        os.write = written
    elif point == "finishing":
        from newscli.edit import undo_plan
        finish_undo = undo_plan.finish_undo

        def finishing(*args, **kwargs):
            step()
            return finish_undo(*args, **kwargs)

        undo_plan.finish_undo = finishing
    from newscli.cli import main
    sys.argv[0] = "newscli"
    main()
    """
)

FILES = 24


def _corpus(tmp_path: Path) -> dict[Path, bytes]:
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    for i in range(FILES):
        text = f'---\ntitle: "Article {i}"\nquality: 10\n---\nBody {i}.\n'
        (feeds / f"a{i:02}.md").write_text(text, encoding="utf-8")
    return {p: p.read_bytes() for p in sorted(feeds.iterdir())}


def _driven(
    point: str, nth: int, *args: str, cwd: Path, sent: str = "SIGTERM"
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", DRIVER, point, str(nth), *args],
        cwd=cwd,
        env={**os.environ, "SIGNAL": sent},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _newest_batch(cwd: Path) -> dict[str, object]:
    run = subprocess.run([NEWSCLI, "history", "--format", "json"], cwd=cwd,
                         capture_output=True, text=True, timeout=60)  # fmt: skip
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)[0]  # type: ignore[no-any-return]


def _listed(stdout: str) -> list[str]:
    """The files of the report's lines (a file per line: one field edited)."""
    return [line.split(": ", 1)[0] for line in stdout.splitlines()]


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize(
    ("point", "command", "sent"),
    [
        ("journaled", ["publish", "feeds", "--all"], "SIGTERM"),
        ("renamed", ["set", "quality=9", "feeds", "--all"], "SIGTERM"),
        ("said", ["unset", "quality", "feeds", "--all"], "SIGTERM"),
        # a closed terminal or SSH session: handled as SIGTERM (it ended the run by the
        # signal itself: a temporary file left, the list of files changed cut short)
        ("renamed", ["publish", "feeds", "--all"], "SIGHUP"),
    ],
)
def test_an_edit_stopped_at_any_step_reports_exactly_the_files_it_changed(
    tmp_path: Path, point: str, command: list[str], sent: str
) -> None:
    originals = _corpus(tmp_path)
    # (the report is written a piece or a tenth of a second at a time: the first write)
    run = _driven(point, 1 if point == "said" else 10, *command, cwd=tmp_path, sent=sent)
    code, said = (129, "hung up") if sent == "SIGHUP" else (143, "terminated")
    assert run.returncode == code, run.stderr
    changed = {f"feeds/{p.name}" for p, old in originals.items() if p.read_bytes() != old}
    assert 0 < len(changed) < FILES, run.stderr
    listed = _listed(run.stdout)
    assert sorted(listed) == sorted(changed), (run.stdout, run.stderr)  # each once
    assert f"newscli: interrupted after changed {len(changed)}, " in run.stderr
    assert run.stderr.endswith(f"newscli: error: {said}\n"), run.stderr
    assert not [p for p in (tmp_path / "feeds").iterdir() if ".tmp" in p.name]  # no temporary
    batch = _newest_batch(tmp_path)
    assert (batch["files"], batch["complete"]) == (len(changed), False)
    undo = subprocess.run([NEWSCLI, "undo"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=60)  # fmt: skip
    assert undo.returncode == 0, undo.stderr
    assert f"restored {len(changed)}, already 0, refused 0" in undo.stderr
    assert {p: p.read_bytes() for p in originals} == originals


def test_an_undo_stopped_after_a_rename_counts_that_file(tmp_path: Path) -> None:
    originals = _corpus(tmp_path)
    edit = subprocess.run([NEWSCLI, "set", "quality=9", "feeds", "--all"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert edit.returncode == 0, edit.stderr
    run = _driven("renamed", 10, "undo", cwd=tmp_path)
    assert run.returncode == 143, run.stderr
    restored = {f"feeds/{p.name}" for p, old in originals.items() if p.read_bytes() == old}
    assert len(restored) == 10
    assert sorted(_listed(run.stdout)) == sorted(restored), run.stdout
    assert "newscli: interrupted after restoring 10; " in run.stderr
    again = subprocess.run([NEWSCLI, "undo"], cwd=tmp_path, capture_output=True, text=True,
                           timeout=60)  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert f"restored {FILES - 10}, already 0, refused 0" in again.stderr
    assert {p: p.read_bytes() for p in originals} == originals


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize(("point", "nth"), [("renamed", FILES), ("finishing", 1)])
def test_an_undo_signalled_as_it_ends_says_it_is_done(
    tmp_path: Path, private_state: Path, point: str, nth: int
) -> None:
    """A signal with the last file restored (h15: 40 of 40 runs signalled as the last
    report line was read): either "interrupted after restoring 24; `newscli undo` again
    finishes it" with the batch already gone from the journal (undo again would have
    reverted the edit before), or no summary at all, the batch left behind or a
    half-deleted one in the journal. The undo is done: its summary says so, the batch
    is gone, and the next undo is the edit before it."""
    originals = _corpus(tmp_path)
    for edit in (["set", "quality=9", "feeds", "--all"], ["publish", "feeds", "--all"]):
        run = subprocess.run([NEWSCLI, *edit], cwd=tmp_path, capture_output=True, timeout=60)
        assert run.returncode == 0, run.stderr
    run = _driven(point, nth, "undo", cwd=tmp_path)
    assert run.returncode == 143, run.stderr
    assert {p: p.read_bytes() for p in originals} != originals  # (the set is not undone)
    assert all(b"quality: 9\n" in p.read_bytes() for p in originals)
    assert all(b"published: true" not in p.read_bytes() for p in originals)
    assert len(_listed(run.stdout)) == FILES, run.stdout
    assert run.stderr == (
        f"newscli: undo of `newscli publish feeds --all`: restored {FILES}, already 0, "
        "refused 0\nnewscli: error: terminated\n"
    )
    assert _newest_batch(tmp_path)["command"][1] == "set"  # type: ignore[index]
    assert not [p for p in private_state.rglob("*") if p.name.startswith(".trash-")]
    again = subprocess.run([NEWSCLI, "undo"], cwd=tmp_path, capture_output=True, text=True,
                           timeout=60)  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert "undo of `newscli set quality=9 feeds --all`" in again.stderr
    assert {p: p.read_bytes() for p in originals} == originals


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_a_report_nobody_reads_is_given_up_after_a_signal_and_said(tmp_path: Path) -> None:
    """stdout a pipe that is full and not read: SIGTERM while the report waits for it.
    The run waits a bounded time for a reader, then says how many lines the report
    lacks: the lines read plus those said missing are the files changed."""
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    count = 400  # ~120 KB of report: more than a pipe holds
    for i in range(count):
        (feeds / f"{'x' * 200}-{i:03}.md").write_text(f'---\ntitle: "A {i}"\n---\n')
    read, write = os.pipe()
    proc = subprocess.Popen([NEWSCLI, "publish", "feeds", "--all"], cwd=tmp_path,
                            stdout=write, stderr=subprocess.PIPE, text=True)  # fmt: skip
    os.close(write)
    try:
        waiting = time.monotonic() + 60
        while time.monotonic() < waiting and not _waits_on_stdout(proc.pid, read):
            time.sleep(0.02)
        assert _waits_on_stdout(proc.pid, read), "the run never waited for its reader"
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
        took = time.monotonic() - started
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    with os.fdopen(read, "rb") as pipe:
        report = pipe.read().decode()
    assert report.endswith("\n")  # whole lines only
    lines = report.splitlines()
    assert proc.returncode == 143, err
    assert 1.5 < took < 20, took  # waited for a reader (2 s), then gave up
    changed = [p for p in feeds.iterdir() if b"published: true" in p.read_bytes()]
    lacking = re.search(r"the report on stdout lacks the last (\d+) lines?", err)
    assert lacking, err
    assert len(lines) + int(lacking[1]) == len(changed), err
    assert all(line.endswith(": published false -> true") for line in lines)
    assert f"interrupted after changed {len(changed)}, " in err


def _waits_on_stdout(pid: int, pipe: int) -> bool:
    """The report has begun (its pipe holds lines nobody reads) and the run is blocked
    waiting (the pipe full: no slot free), the pipe unchanged meanwhile."""
    import fcntl
    import termios

    def unread() -> int:
        size = bytearray(4)
        fcntl.ioctl(pipe, termios.FIONREAD, size)
        return int.from_bytes(size, sys.byteorder)

    before = unread()
    if not before:
        return False
    time.sleep(0.2)
    try:
        with open(f"/proc/{pid}/wchan") as handle:
            wchan = handle.read()
    except OSError:
        return False
    return unread() == before and ("select" in wchan or "poll" in wchan or "pipe" in wchan)


@pytest.mark.slow  # 24 runs of hundreds of files, each stopped at a random moment
def test_edits_stopped_at_random_moments_report_exactly_what_changed(tmp_path: Path) -> None:
    import random

    rng = random.Random(8)
    commands = [["publish", "feeds", "--all"], ["set", "quality=9", "feeds", "--all"],
                ["reject", "feeds", "--all", "--reason", "spam"]]  # fmt: skip
    wrong, stopped = [], 0
    for n in range(24):
        work = tmp_path / f"run{n}"
        work.mkdir()
        originals = _corpus_of(work, 300)
        env = {**os.environ, "NEWSCLI_STATE_DIR": str(work / "state")}
        command = rng.choice(commands)
        sig = rng.choice([signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
        proc = subprocess.Popen([NEWSCLI, *command], cwd=work, env=env, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            if list((work / "state").glob("journal/*/old.log")):
                break
            time.sleep(0.001)
        time.sleep(rng.uniform(0, 0.6))
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=60)
        changed = {f"feeds/{p.name}" for p, old in originals.items() if p.read_bytes() != old}
        if proc.returncode == 0:
            continue
        stopped += 1
        # (a signal after the last file: the usual summary, then "terminated")
        said = re.search(r"newscli: (?:interrupted after )?changed (\d+)", err)
        batch = _newest_batch_env(work, env) if changed else {"files": 0}
        undo = subprocess.run([NEWSCLI, "undo"], cwd=work, env=env, capture_output=True,
                              text=True, timeout=60)  # fmt: skip
        back = all(p.read_bytes() == old for p, old in originals.items())
        lines = sorted(set(_listed(out)))
        per_file = 2 if command[0] == "reject" else 1  # rejected and rejectedReason
        # (a signal after the run finished, as Python shut down, ends it by the signal
        # itself: its work done and said; CI met it once in the slow tier)
        done_then_killed = proc.returncode == -sig and len(changed) == len(originals)
        if (
            (proc.returncode != 128 + sig and not done_then_killed)
            or lines != sorted(changed)
            or len(_listed(out)) != per_file * len(changed)
            or not said
            or int(said[1]) != len(changed)
            or batch["files"] != len(changed)
            or (changed and f"restored {len(changed)}, already 0," not in undo.stderr)
            or not back
        ):
            wrong.append((n, command[0], sig.name, proc.returncode, len(changed), len(lines),
                          err[-300:], batch["files"], undo.stderr[-200:]))  # fmt: skip
    assert stopped >= 8, "most runs ended before their signal: make the corpus bigger"
    assert not wrong, wrong


def _corpus_of(work: Path, count: int) -> dict[Path, bytes]:
    feeds = work / "feeds"
    feeds.mkdir()
    for i in range(count):
        (feeds / f"a{i:04}.md").write_text(f'---\ntitle: "A {i}"\nquality: 10\n---\nBody.\n')
    return {p: p.read_bytes() for p in feeds.iterdir()}


def _newest_batch_env(cwd: Path, env: dict[str, str]) -> dict[str, object]:
    run = subprocess.run([NEWSCLI, "history", "--format", "json"], cwd=cwd, env=env,
                         capture_output=True, text=True, timeout=60)  # fmt: skip
    return json.loads(run.stdout)[0]  # type: ignore[no-any-return]
