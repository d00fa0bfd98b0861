"""Hard-linked names of one article file in the folders a run walks stay one file after
an edit and after its undo (README: "How files are edited"): the walk reads the file
once, under the first name, and remembers its other names; the edit makes each of them
a name of the new file, only if it is still the file replaced (else it is left alone,
said). A name outside the walked folders keeps the old bytes (`cp -al` snapshots); a
symbolic link stays a link. A SIGKILL during the relinks leaves each name a whole
version, and the next runs leave no temporary file and one file again.

Through the installed `newscli`; the steps a real process cannot be stopped at from
outside (a name replaced between the walk and the edit, a kill while relinking) by a
small driver that wraps one step and then runs newscli's own entry point."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.conftest import article_text, run_cli, write

ORIGINAL = article_text(title="Rate decision", quality=50).encode()
REPLACED = article_text(title="A correction", quality=60).encode()

# the command, and a line its edit writes
COMMANDS = {
    "publish": (["publish", "feeds", "--all"], b"published: true\n"),
    "set": (["set", "quality=90", "feeds", "--all"], b"quality: 90\n"),
    "tag": (["tag", "add", "Science", "feeds", "--all"], b"Science"),
    "reject": (["reject", "feeds", "--all", "--reason", "dup"], b"rejected: true\n"),
    "export": (
        ["export", "feeds", "--unpublished", "--mark-published", "-o", "out.json"],
        b"published: true\n",
    ),
}
# the other names of feeds/a.md
LAYOUTS = {
    "two in one folder": ["feeds/b.md"],
    "two, one in a subfolder": ["feeds/sub/b.md"],
    "three": ["feeds/b.md", "feeds/sub/c.md"],
}


def _tree(tmp_path: Path, others: list[str]) -> list[Path]:
    """feeds/a.md and its other names; also a plain article. Returns every name."""
    first = write(tmp_path / "feeds" / "a.md", ORIGINAL.decode())
    write(tmp_path / "feeds" / "z-plain.md", article_text(title="Plain", quality=50))
    names = [first]
    for other in others:
        (tmp_path / other).parent.mkdir(parents=True, exist_ok=True)
        os.link(first, tmp_path / other)
        names.append(tmp_path / other)
    return names


def _one_file(names: list[Path]) -> bytes:
    """The bytes the names hold; fails unless they are one file."""
    files = {(n.lstat().st_dev, n.lstat().st_ino) for n in names}
    assert len(files) == 1, f"{[str(n) for n in names]} are {len(files)} files"
    assert names[0].stat().st_nlink >= len(names)
    return names[0].read_bytes()


def _temporaries(tmp_path: Path) -> list[Path]:
    return sorted(tmp_path.rglob(".newscli-*"))


def _listed(tmp_path: Path) -> list[str]:
    run = run_cli("list", "feeds", "--include-rejected", "--format", "json", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    return sorted(a["path"] for a in json.loads(run.stdout))


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("command", COMMANDS)
def test_the_names_stay_one_file_after_an_edit_and_its_undo(
    tmp_path: Path, command: str, layout: str
) -> None:
    names = _tree(tmp_path, LAYOUTS[layout])
    args, written = COMMANDS[command]
    run = run_cli(*args, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "left alone" not in run.stderr
    edited = _one_file(names)
    assert written in edited and edited != ORIGINAL
    assert _listed(tmp_path) == ["feeds/a.md", "feeds/z-plain.md"]  # one article
    history = json.loads(run_cli("history", "--format", "json", cwd=tmp_path).stdout)
    assert history[0]["files"] == 2  # files, not names
    if command == "export":  # nothing is shipped again under another name
        assert len(json.loads((tmp_path / "out.json").read_text())) == 2
        again = run_cli(*args, cwd=tmp_path)
        assert again.returncode == 0, again.stderr
        assert json.loads((tmp_path / "out.json").read_text()) == []
    dry = run_cli("undo", "-n", cwd=tmp_path)
    assert dry.returncode == 0 and "would restore 2," in dry.stderr, dry.stderr
    undo = run_cli("undo", cwd=tmp_path)
    assert undo.returncode == 0, undo.stderr
    assert "restored 2," in undo.stderr
    assert _one_file(names) == ORIGINAL
    assert _listed(tmp_path) == ["feeds/a.md", "feeds/z-plain.md"]
    assert _temporaries(tmp_path) == []


def test_a_name_outside_the_walked_folders_keeps_the_old_bytes(tmp_path: Path) -> None:
    names = _tree(tmp_path, ["feeds/sub/b.md"])
    snapshot = tmp_path / "snapshot" / "a.md"  # as `cp -al feeds snapshot` makes it
    snapshot.parent.mkdir()
    os.link(names[0], snapshot)
    run = run_cli("publish", "feeds", "--all", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert b"published: true" in _one_file(names)
    assert snapshot.read_bytes() == ORIGINAL and snapshot.stat().st_nlink == 1
    # a run on the subfolder alone: feeds/a.md is outside it, and keeps its bytes
    run = run_cli("set", "quality=90", "feeds/sub", "--all", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert b"quality: 90" in names[1].read_bytes()
    assert b"quality: 90" not in names[0].read_bytes()
    assert not names[0].samefile(names[1])
    undo = run_cli("undo", cwd=tmp_path)
    assert undo.returncode == 0, undo.stderr
    assert names[1].read_bytes() == names[0].read_bytes()
    assert not names[0].samefile(names[1])  # (feeds/a.md was never touched)
    assert snapshot.read_bytes() == ORIGINAL


@pytest.mark.parametrize("command", ["publish", "set", "reject"])
def test_a_file_named_alone_keeps_its_names_beside_it(tmp_path: Path, command: str) -> None:
    """A file named on the command line (not its folder): its other names in its own
    folder stay names of it; one in a subfolder or a snapshot (not looked for) keeps the
    old bytes, as does a link of another name (not an article's: `a.md.bak`)."""
    names = _tree(tmp_path, ["feeds/b.md", "feeds/c.markdown"])
    far = tmp_path / "feeds" / "sub" / "d.md"
    far.parent.mkdir()
    os.link(names[0], far)
    backup = tmp_path / "feeds" / "a.md.bak"
    os.link(names[0], backup)
    hidden = tmp_path / "feeds" / ".a.md"  # a hidden name: the walk never shows it (h53)
    os.link(names[0], hidden)
    args = [a if a not in ("feeds", "--all") else "feeds/a.md" for a in COMMANDS[command][0]]
    args = [a for i, a in enumerate(args) if a != "feeds/a.md" or a not in args[:i]]
    run = run_cli(*args, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "left alone" not in run.stderr
    edited = _one_file(names)
    assert COMMANDS[command][1] in edited
    assert far.read_bytes() == backup.read_bytes() == hidden.read_bytes() == ORIGINAL
    assert not any(p.samefile(names[0]) for p in (far, backup, hidden))
    # one article, not two versions of it
    assert _listed(tmp_path) == ["feeds/a.md", "feeds/sub/d.md", "feeds/z-plain.md"]
    undo = run_cli("undo", cwd=tmp_path)
    assert undo.returncode == 0, undo.stderr
    assert _one_file(names) == ORIGINAL
    assert _temporaries(tmp_path) == []


def test_a_symbolic_link_stays_a_link(tmp_path: Path) -> None:
    """A symbolic link met first (its target is edited), one met after the file, beside
    a hard link: both stay links."""
    names = _tree(tmp_path, ["feeds/sub/b.md"])
    link = tmp_path / "feeds" / "0-link.md"
    link.symlink_to("a.md")
    later = tmp_path / "feeds" / "sub" / "z-link.md"
    later.symlink_to("../a.md")
    run = run_cli("set", "quality=90", "feeds", "--all", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("feeds/0-link.md: quality 50 -> 90\n"), run.stdout
    assert link.is_symlink() and os.readlink(link) == "a.md"
    assert later.is_symlink() and os.readlink(later) == "../a.md"
    assert b"quality: 90" in _one_file(names)
    undo = run_cli("undo", cwd=tmp_path)
    assert undo.returncode == 0, undo.stderr
    assert link.is_symlink() and later.is_symlink() and _one_file(names) == ORIGINAL


# argv: POINT, the name to replace, then newscli's own arguments. POINT: selected (the
# name is replaced after the walk, before the first file is edited), journaled (after
# the edited file's old bytes and names are journaled, before it is replaced),
# rewritten (the same, but the name is written in place: the file of every name),
# relinking (after its rename, just before its other names are made names of it),
# removed (the name removed then), folder-removed (its folder removed once journaled).
CHANGING = textwrap.dedent(
    """
    import os, shutil, sys
    point, name = sys.argv.pop(1), sys.argv.pop(1)
    from newscli.edit import engine, journal, names

    def replace_name():
        if point == "removed":
            os.remove(name)
            return
        if point == "folder-removed":
            shutil.rmtree(os.path.dirname(name), ignore_errors=True)
            return
        if point == "rewritten":
            with open(name, "wb") as handle:
                handle.write(os.environ["REPLACED"].encode())
            return
        with open(name + ".new", "wb") as handle:
            handle.write(os.environ["REPLACED"].encode())
        os.replace(name + ".new", name)

    def after(step):
        def wrapped(*args, **kwargs):
            if point == "selected":
                replace_name()
            result = step(*args, **kwargs)
            if point in ("journaled", "rewritten", "folder-removed"):
                replace_name()
            return result
        return wrapped

    if point == "selected":
        engine.edit_file = after(engine.edit_file)
    elif point in ("journaled", "rewritten", "folder-removed"):
        journal.Batch.record_old = after(journal.Batch.record_old)
    else:
        finish = names.Relink.finish

        def finish_after(self):
            replace_name()
            finish(self)

        names.Relink.finish = finish_after
    from newscli.cli import main
    sys.argv[0] = "newscli"
    main()
    """
)


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize("point", ["selected", "journaled", "rewritten", "relinking"])
def test_a_name_changed_meanwhile_is_left_alone_and_said(tmp_path: Path, point: str) -> None:
    names = _tree(tmp_path, ["feeds/b.md", "feeds/sub/c.md"])
    changed = "feeds/sub/c.md"
    run = subprocess.run(
        [sys.executable, "-c", CHANGING, point, changed, "publish", "feeds", "--all"],
        cwd=tmp_path,
        env={**os.environ, "REPLACED": REPLACED.decode()},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1, run.stderr
    assert names[2].read_bytes() == REPLACED  # left exactly as written
    assert _temporaries(tmp_path) == []  # (none beside any name)
    if point == "rewritten":  # the file changed while it was edited: left alone, whole
        assert "feeds/a.md: file changed while it was being edited; left alone\n" in run.stderr
        assert _one_file(names) == REPLACED
        return
    if point == "selected":  # a name replaced: the file's ctime moved; nothing is edited
        assert "feeds/a.md: changed since it was selected; left alone\n" in run.stderr
        assert _one_file(names[:2]) == ORIGINAL
        return
    said = (
        f"{changed}: changed since it was read, no longer the same file as feeds/a.md; left alone\n"
    )
    assert said in run.stderr
    assert run.stderr.endswith(
        "newscli: error: 1 other name of the files changed left alone (see above)\n"
    ), run.stderr
    assert b"published: true" in _one_file(names[:2])  # the others are one file
    undo = run_cli("undo", cwd=tmp_path)
    assert _one_file(names[:2]) == ORIGINAL
    assert names[2].read_bytes() == REPLACED
    # journaled as a name of the file: its undo says it is left alone too
    assert undo.returncode == 1, undo.stderr
    said = f"{changed}: changed since the edit, no longer the same file as feeds/a.md; "
    assert said in undo.stderr


@pytest.mark.parametrize("point", ["removed", "folder-removed"])
def test_a_name_removed_meanwhile_is_no_name_to_keep(tmp_path: Path, point: str) -> None:
    """A name removed while the file is edited (or before its undo) leaves no other
    file behind: nothing to say, exit 0 (it was said as changed, or as not linkable,
    exit 1, and undo said it again)."""
    names = _tree(tmp_path, ["feeds/b.md", "feeds/sub/c.md"])
    run = subprocess.run(
        [sys.executable, "-c", CHANGING, point, "feeds/sub/c.md", "publish", "feeds",
         "--all"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert (run.returncode, run.stderr) == (0, "newscli: changed 2, already true 0, refused 0\n")
    assert not names[2].exists()
    assert b"published: true" in _one_file(names[:2])
    names[1].unlink()  # and one removed before the undo
    undo = run_cli("undo", cwd=tmp_path)
    assert undo.returncode == 0, undo.stderr
    assert "left alone" not in undo.stderr
    assert names[0].read_bytes() == ORIGINAL and not names[1].exists()
    assert _temporaries(tmp_path) == []


# newscli's own arguments: killed (SIGKILL) just after the first other name is made a
# name of the file written (by an undo, here).
KILLED_RELINKING = textwrap.dedent(
    """
    import os, signal, sys
    from newscli.edit import names
    finish = names.Relink.finish

    def killing_finish(self):
        replace = os.replace

        def replace_then_die(source, target):
            replace(source, target)
            os.kill(os.getpid(), signal.SIGKILL)

        os.replace = replace_then_die
        finish(self)

    names.Relink.finish = killing_finish
    from newscli.cli import main
    sys.argv[0] = "newscli"
    main()
    """
)


def test_an_undo_killed_while_relinking_is_finished_by_the_next(tmp_path: Path) -> None:
    """An undo killed between the restored file's rename and its other names' left
    those names the edited version, a file of its own; the next undo found the file
    restored (`already`) and left them so, exit 0: the edit, published, listed and
    exported again under the other names. The names are now made names of the restored
    file before the file itself is replaced: the next undo finishes the work."""
    names = _tree(tmp_path, ["feeds/b.md", "feeds/sub/c.md"])
    assert run_cli("publish", "feeds", "--all", cwd=tmp_path).returncode == 0
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_RELINKING, "undo"], cwd=tmp_path, timeout=120
    )
    assert killed.returncode == -signal.SIGKILL
    for name in names:  # each a whole version
        assert name.read_bytes() in (ORIGINAL, ORIGINAL.replace(b"false", b"true", 1))
    undo = run_cli("undo", cwd=tmp_path)
    assert undo.returncode == 0, undo.stderr
    assert _one_file(names) == ORIGINAL
    assert _listed(tmp_path) == ["feeds/a.md", "feeds/z-plain.md"]
    assert run_cli("publish", "feeds", "--all", cwd=tmp_path).returncode == 0
    assert _temporaries(tmp_path) == []


# argv: the marker file, then newscli's own arguments. Each look at a name while
# relinking takes a moment, so that a kill lands between the steps; the marker is made
# as the relinking begins (the file's old bytes are journaled by then).
SLOW_RELINKS = textwrap.dedent(
    """
    import os, sys, time
    marker = sys.argv.pop(1)
    from newscli.edit import names
    identity_of, prepare = names.identity_of, names.Relink.prepare

    def slow_identity(path):
        time.sleep(0.03)
        return identity_of(path)

    def marked_prepare(self, new_file):
        open(marker, "w").close()
        prepare(self, new_file)

    names.identity_of = slow_identity
    names.Relink.prepare = marked_prepare
    from newscli.cli import main
    sys.argv[0] = "newscli"
    main()
    """
)
KILLS = int(os.environ.get("NEWSCLI_KILL_ITERATIONS", "3"))
SEED = int(os.environ.get("NEWSCLI_KILL_SEED", "21"))


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_a_kill_while_relinking_leaves_whole_versions_and_undo_makes_one_file(
    tmp_path: Path,
) -> None:
    rng = random.Random(SEED)
    edited_bytes = set()
    split = []  # per kill: how many of the 4 names held the new version
    for i in range(KILLS):
        root = tmp_path / str(i)
        root.mkdir()
        names = _tree(root, ["feeds/b.md", "feeds/sub/c.md", "feeds/sub/d.md"])
        marker = root / "relinking"
        args = [sys.executable, "-c", SLOW_RELINKS, str(marker), "publish", "feeds", "--all", "-q"]
        run = subprocess.Popen(args, cwd=root, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while not marker.exists() and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        assert marker.exists(), run.communicate(timeout=60)[1]
        # a random moment in the i-th of KILLS equal parts of the relinking (0.18 s:
        # 6 looks at a name) and a little after
        time.sleep(rng.uniform(i, i + 1) * 0.27 / KILLS)
        run.send_signal(signal.SIGKILL)
        run.communicate(timeout=60)
        for name in names:  # each a whole version, the old or the new
            raw = name.read_bytes()
            if raw != ORIGINAL:
                assert raw == ORIGINAL.replace(b"published: false", b"published: true")
                edited_bytes.add(raw)
        split.append(sum(name.read_bytes() != ORIGINAL for name in names))
        undo = run_cli("undo", cwd=root)  # the names one file again, the old version
        assert undo.returncode == 0, undo.stderr
        assert _one_file(names) == ORIGINAL
        done = run_cli("publish", "feeds", "--all", cwd=root)  # never blocked (exit 3)
        assert done.returncode == 0, done.stderr
        assert b"published: true" in _one_file(names)
        assert _temporaries(root) == []  # what the kill left is removed
    print(f"\n{KILLS} kills (seed {SEED}): names holding the new version {split}")
    assert edited_bytes, "no kill landed after the rename: the test tests nothing"


def test_files_named_alone_list_their_folder_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """h27: 5,000 files named, each with a link in a snapshot, listed their folder once
    each (10 s instead of 0.3 s): the folder is listed once a run."""
    from newscli.index import discovery

    feeds, snap = tmp_path / "feeds", tmp_path / "snap"
    snap.mkdir()
    for n in range(30):
        write(feeds / f"a{n}.md", article_text(title=f"Art {n}"))
        os.link(feeds / f"a{n}.md", snap / f"a{n}.md")
    os.link(feeds / "a0.md", feeds / "z.md")  # and one name beside it
    listings: list[str] = []
    real = os.scandir

    def scandir(path: str = ".") -> os.ScandirIterator[os.DirEntry[str]]:  # type: ignore[type-arg]
        listings.append(str(path))
        return real(path)

    monkeypatch.setattr(discovery.os, "scandir", scandir)
    others: dict[str, list[str]] = {}
    found = discovery.scan([str(feeds / f"a{n}.md") for n in range(30)], [], others=others)
    assert len(found) == 30 and listings == [str(feeds)]
    assert others == {str(feeds / "a0.md"): [str(feeds / "z.md")]}
