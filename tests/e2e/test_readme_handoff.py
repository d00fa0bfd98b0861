"""The README's hand-off script (`--mark-published` in a script), run as written twice
in a temp folder with the installed command first on PATH: the first run files the new
articles in outbox/, the second says "nothing new" and files nothing (h38: it filed an
empty [] each time)."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
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


def _unpublished(tmp_path: Path, count: int) -> tuple[Path, dict[str, str]]:
    """feeds/ of ``count`` unpublished articles, and the script's environment (the
    installed command first on PATH)."""
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    for n in range(count):
        (feeds / f"a{n:04}.md").write_text(
            f'---\ntitle: "Story {n} about topic {n * 7919}"\nwebUrl: https://x.example/{n}\n'
            "published: false\n---\nbody\n",
            encoding="utf-8",
        )
    env = {
        **os.environ,
        "PATH": f"{installed_command().parent}{os.pathsep}{os.environ['PATH']}",
        "NEWSCLI_STATE_DIR": str(tmp_path / "state"),
        "NEWSCLI_CACHE_DIR": str(tmp_path / "cache"),
    }
    return feeds, env


@pytest.mark.slow  # (the long tier: it took 2-16 s of the default run, 2026-12-07)
def test_two_overlapping_runs_of_the_script_file_every_marked_article_once(
    tmp_path: Path,
) -> None:
    """h52: the script removed new.json at its start, so a run started while another
    was marking removed the first run's export: 333 articles marked, none filed. Run
    B starts once A's export is written (A is marking); every article marked published
    is in the outbox exactly once."""
    feeds, env = _unpublished(tmp_path, 600)
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


def _marking(tmp_path: Path, feeds: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """The README's script started by sh in a session of its own, returned once newscli
    has marked one of the first 50 articles (skipped if it ended before)."""
    (tmp_path / "handoff.sh").write_text(handoff_script() + "\n", encoding="utf-8")
    script = subprocess.Popen(["sh", "handoff.sh"], cwd=tmp_path, env=env,
                              start_new_session=True, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)  # fmt: skip
    deadline = time.monotonic() + 60
    while not any(b"published: true" in p.read_bytes() for p in sorted(feeds.glob("*.md"))[:50]):
        if script.poll() is not None:
            pytest.skip("the marking ended before the signal could be sent")
        assert time.monotonic() < deadline
        time.sleep(0.01)
    return script


@pytest.mark.slow  # (the long tier: it took 2-16 s of the default run, 2026-12-07)
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_the_script_signalled_as_a_whole_still_files_what_was_exported(
    tmp_path: Path, signum: int
) -> None:
    """h57: `timeout`, systemd or Ctrl-C signal the script's whole process group; sh
    died at once, newscli stopped marking, and its export was never filed: the
    articles marked published by then reached no reader. Run by sh (dash here)."""
    feeds, env = _unpublished(tmp_path, 2000)
    script = _marking(tmp_path, feeds, env)
    os.killpg(script.pid, signum)
    script.communicate(timeout=60)
    marked = {p.name for p in feeds.glob("*.md") if b"published: true" in p.read_bytes()}
    filed = {Path(a["path"]).name for f in (tmp_path / "outbox").iterdir()
             for a in json.loads(f.read_text(encoding="utf-8"))}  # fmt: skip
    assert marked and marked <= filed  # every article marked reached the outbox
    assert list(tmp_path.glob("new.*")) == []


def test_an_export_that_cannot_be_filed_is_kept_and_said(tmp_path: Path) -> None:
    """h59: with `outbox` a file (or a failed `mv`), the script removed the export whose
    articles were marked published, and said "exported new articles", exit 0."""
    feeds, env = _unpublished(tmp_path, 5)
    (tmp_path / "outbox").write_text("not a folder\n", encoding="utf-8")
    run = subprocess.run(["sh", "-c", handoff_script()], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=120)  # fmt: skip
    assert run.returncode == 1 and "exported new articles" not in run.stdout
    (kept,) = tmp_path.glob("new.*.json")
    assert f"could not file {kept.name}; kept" in run.stderr
    assert len(json.loads(kept.read_text(encoding="utf-8"))) == 5
    assert all(b"published: true" in p.read_bytes() for p in feeds.glob("*.md"))


@pytest.mark.slow  # (the long tier: it took 2-16 s of the default run, 2026-12-07)
def test_an_export_left_by_a_killed_run_is_filed_by_the_next(tmp_path: Path) -> None:
    """h102 1: SIGKILL to the script's whole process group (the OOM killer, systemd
    after its stop timeout, `timeout -s KILL`) while newscli was marking left
    new.PID.json unfiled, and no later run filed it: 158 of 800 articles marked
    published reached no outbox. The next run files it (its process is gone); every
    article marked is in the outbox, and nothing is left beside it."""
    feeds, env = _unpublished(tmp_path, 2000)
    script = _marking(tmp_path, feeds, env)
    os.killpg(script.pid, signal.SIGKILL)
    script.communicate(timeout=60)
    (left,) = tmp_path.glob("new.*.json")  # what the killed run could not file
    again = subprocess.run(["sh", "handoff.sh"], cwd=tmp_path, env=env, capture_output=True,
                           text=True, timeout=120)  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert f"filed {left.name}, left by another run" in again.stdout
    marked = {p.name for p in feeds.glob("*.md") if b"published: true" in p.read_bytes()}
    filed = {Path(a["path"]).name for f in (tmp_path / "outbox").iterdir()
             for a in json.loads(f.read_text(encoding="utf-8"))}  # fmt: skip
    assert len(marked) == 2000 and marked <= filed
    assert list(tmp_path.glob("new.*")) == []


def test_an_export_that_could_not_be_filed_is_filed_by_the_next_run(tmp_path: Path) -> None:
    """The export kept when `outbox` could not take it is filed by the next run that
    can: its articles were marked published."""
    _, env = _unpublished(tmp_path, 5)
    (tmp_path / "outbox").write_text("not a folder\n", encoding="utf-8")
    run = subprocess.run(["sh", "-c", handoff_script()], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=120)  # fmt: skip
    assert run.returncode == 1
    (kept,) = tmp_path.glob("new.*.json")
    (tmp_path / "outbox").unlink()
    again = subprocess.run(["sh", "-c", handoff_script()], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=120)  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert again.stdout == f"filed {kept.name}, left by another run\nnothing new\n"
    (filed,) = (tmp_path / "outbox").iterdir()
    assert len(json.loads(filed.read_text(encoding="utf-8"))) == 5


def test_exports_left_under_any_name_are_filed_and_empty_ones_removed(tmp_path: Path) -> None:
    """h104 F2: the next run skipped a leftover whose process number was alive (its own:
    a container per run makes every script process 1; or an unrelated process now), then
    replaced it with its own export and, with nothing new, removed it: 6 articles
    marked published reached no outbox. Every leftover holding articles is filed,
    whatever its name; one holding nothing new ([]) is removed."""
    _, env = _unpublished(tmp_path, 6)
    killed = subprocess.run(
        [str(installed_command()), "export", "feeds", "--unpublished", "--mark-published",
         "-o", "new.1.json"], cwd=tmp_path, env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert killed.returncode == 0, killed.stderr  # (as a killed run left it: exported, marked)
    (tmp_path / f"new.{os.getpid()}.json").write_text("[\n]\n", encoding="utf-8")
    run = subprocess.run(["sh", "-c", handoff_script()], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=120)  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert run.stdout == "filed new.1.json, left by another run\nnothing new\n"
    (filed,) = (tmp_path / "outbox").iterdir()
    assert len(json.loads(filed.read_text(encoding="utf-8"))) == 6
    assert list(tmp_path.glob("new.*")) == []


def test_leftovers_that_are_not_exports_are_never_read_or_removed(tmp_path: Path) -> None:
    """h105 F1, F2: a FIFO named like an export hung every run (grep waited for a
    writer); one that grep could not read was taken for [] and removed, and with it
    the articles it held. Only regular files are read; one that cannot be read is kept
    and said; a folder or a link is left alone. (Root reads a file of mode 000: grep's
    failure to read is made by a grep on PATH that fails for that one file.)"""
    _, env = _unpublished(tmp_path, 3)
    os.mkfifo(tmp_path / "new.1.json")
    (tmp_path / "new.2.json").mkdir()
    (tmp_path / "new.3.json").symlink_to("elsewhere.json")
    unreadable = tmp_path / "new.4.json"
    unreadable.write_text('[{"path": "x"}]\n', encoding="utf-8")
    shims = tmp_path / "shims"
    shims.mkdir()
    real = shutil.which("grep")
    assert real is not None
    (shims / "grep").write_text(
        '#!/bin/sh\ncase "$*" in *new.4.json*) echo "grep: new.4.json: Permission denied" >&2;'
        f' exit 2;; esac\nexec {real} "$@"\n',
        encoding="utf-8",
    )
    (shims / "grep").chmod(0o755)
    env = {**env, "PATH": f"{shims}{os.pathsep}{env['PATH']}"}
    run = subprocess.run(["sh", "-c", handoff_script()], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=60)  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert run.stdout == "exported new articles\n"
    assert "could not file new.4.json; kept" in run.stderr
    assert unreadable.read_text(encoding="utf-8") == '[{"path": "x"}]\n'
    assert (tmp_path / "new.1.json").exists() and (tmp_path / "new.2.json").is_dir()
    assert (tmp_path / "new.3.json").is_symlink()


def _shim(tmp_path: Path, env: dict[str, str], name: str, body: str) -> dict[str, str]:
    """env with a command ``name`` of this shell ``body`` first on PATH."""
    shims = tmp_path / "shims"
    shims.mkdir(exist_ok=True)
    (shims / name).write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    (shims / name).chmod(0o755)
    return {**env, "PATH": f"{shims}{os.pathsep}{env['PATH']}"}


def _script(tmp_path: Path, env: dict[str, str], *shell: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*(shell or ("sh",)), "-c", handoff_script()], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def test_an_empty_export_is_never_filed_whatever_the_exit(tmp_path: Path) -> None:
    """h106 F2: a SIGTERM just after newscli wrote [] made it exit 143, not 4, and the
    script filed [] into the outbox. What holds no article is never filed."""
    _, env = _unpublished(tmp_path, 1)
    env = _shim(tmp_path, env, "newscli",
                'for a; do o=$a; done; printf "[\\n]\\n" > "$o"; exit 143')  # fmt: skip
    run = _script(tmp_path, env)
    assert run.returncode == 1 and run.stdout == ""
    assert not (tmp_path / "outbox").exists() and list(tmp_path.glob("new.*")) == []


@pytest.mark.parametrize("shell", ["dash", "bash"])
def test_the_script_under_set_e_says_nothing_new_and_goes_on(tmp_path: Path, shell: str) -> None:
    """h106 F3: under `set -e` exit 4 ended the script before `status=$?`, leaving its []
    behind, and every later run died at the leftover loop's grep, silently: nothing was
    handed on again."""
    if shutil.which(shell) is None:
        pytest.skip(f"no {shell}")
    feeds, env = _unpublished(tmp_path, 1)
    assert _script(tmp_path, env, shell, "-e").stdout == "exported new articles\n"
    nothing = _script(tmp_path, env, shell, "-e")
    assert nothing.returncode == 0 and nothing.stdout == "nothing new\n", nothing.stderr
    (feeds / "b.md").write_text('---\ntitle: "B"\npublished: false\n---\n', encoding="utf-8")
    again = _script(tmp_path, env, shell, "-e")
    assert again.returncode == 0 and again.stdout == "exported new articles\n", again.stderr
    assert list(tmp_path.glob("new.*")) == [] and len(list((tmp_path / "outbox").iterdir())) == 2


def test_no_random_number_no_run(tmp_path: Path) -> None:
    """h106 F1: with /dev/urandom unreadable, od printed nothing, runs of one second in
    a container per run (process 1 each) took one name and replaced each other's export:
    4 of 6 articles marked published reached no outbox. No random number, no run."""
    feeds, env = _unpublished(tmp_path, 2)
    env = _shim(tmp_path, env, "od", "exit 1")
    run = _script(tmp_path, env)
    assert run.returncode == 1 and run.stderr == "cannot read /dev/urandom\n"
    assert not any(b"published: true" in p.read_bytes() for p in feeds.glob("*.md"))


def test_a_leftover_another_run_files_meanwhile_is_not_said(tmp_path: Path) -> None:
    """h106 F4: two runs filing the same leftovers said "could not read ...; kept" of
    files the other had filed, with grep's and mv's own errors. A leftover gone when it
    is read was filed by another run: nothing is said."""
    _, env = _unpublished(tmp_path, 1)
    (tmp_path / "new.1.1.1.json").write_text('[{"path": "x"}]\n', encoding="utf-8")
    real = shutil.which("grep")
    env = _shim(tmp_path, env, "grep",
                f'case "$*" in *new.1.1.1.json*) rm -f new.1.1.1.json; exit 2;; esac\n'
                f'exec {real} "$@"')  # fmt: skip
    run = _script(tmp_path, env)
    assert run.returncode == 0 and run.stdout == "exported new articles\n"
    assert [line for line in run.stderr.splitlines() if not line.startswith("newscli: ")] == []
