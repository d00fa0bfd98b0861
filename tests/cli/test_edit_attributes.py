"""A replaced file keeps its extended attributes, through the installed command (h89:
every edit and `export -o` dropped a file's POSIX ACL, so a user it let write could no
longer, and the owning group gained the mask's write; a user's own attributes went
too; `undo` did not bring them back)."""

from __future__ import annotations

import errno
import json
import os
import shutil
import struct
import subprocess
import tempfile
from pathlib import Path

import pytest
from conftest import NEWSCLI, REPO, article_text, run_cli, write

ACL = "system.posix_acl_access"
DEFAULT_ACL = "system.posix_acl_default"
NOTE = "user.xdg.comment"
_OBJ, _USER, _GROUP, _MASK, _OTHER = 1, 2, 4, 16, 32  # (the kernel's ACL entry tags)


def _acl(owner: int, user: tuple[int, int], group: int, mask: int, other: int) -> bytes:
    """A POSIX ACL as the kernel stores it (version 2; tag, permissions, id): the
    owner's, one named user's (permissions, id), the group's, the mask's, others'."""
    none = 0xFFFFFFFF
    entries = [(_OBJ, owner, none), (_USER, *user), (_GROUP, group, none), (_MASK, mask, none),
               (_OTHER, other, none)]  # fmt: skip
    return struct.pack("<I", 2) + b"".join(struct.pack("<HHI", *e) for e in entries)


# user 1000 may read and write; the owning group only reads (the mask, rw, is the
# mode's group bits)
SHARED = _acl(6, (6, 1000), 4, 6, 4)


def _attributes(path: Path) -> dict[str, bytes]:
    return {name: os.getxattr(path, name) for name in sorted(os.listxattr(path))}


def _mark(path: Path) -> dict[str, bytes]:
    """Give the file the shared ACL and a user's note (skipped where the file system
    keeps no such attributes)."""
    try:
        os.setxattr(path, NOTE, b"checked by legal")
        os.setxattr(path, ACL, SHARED)
    except OSError as exc:
        if exc.errno in (errno.ENOTSUP, errno.EOPNOTSUPP):
            pytest.skip(f"no extended attributes here: {exc.strerror}")
        raise
    found = _attributes(path)
    assert found == {ACL: SHARED, NOTE: b"checked by legal"}
    return found


EDITS = {
    "publish": ["publish"],
    "set": ["set", "quality=42"],
    "tag": ["tag", "add", "Science"],
    "reject": ["reject", "--reason", "off topic"],
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_an_edit_and_its_undo_keep_the_files_attributes(tmp_path: Path, edit: str) -> None:
    article = write(tmp_path / "feeds" / "a.md", article_text())
    before = _mark(article)
    mode = article.stat().st_mode
    done = run_cli(*EDITS[edit], str(article), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert article.read_text(encoding="utf-8") != article_text()
    assert _attributes(article) == before
    assert article.stat().st_mode == mode  # (group r--: the mask, not the group's rw)
    undone = run_cli("undo", cwd=tmp_path)
    assert undone.returncode == 0, undone.stderr
    assert article.read_text(encoding="utf-8") == article_text()
    assert _attributes(article) == before


def test_export_output_and_marking_keep_the_attributes(tmp_path: Path) -> None:
    article = write(tmp_path / "feeds" / "a.md", article_text())
    out = write(tmp_path / "out.json", "[]\n")
    kept = {path: _mark(path) for path in (article, out)}
    done = run_cli("export", "feeds", "--mark-published", "-o", "out.json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert [Path(r["path"]).name for r in json.loads(out.read_text(encoding="utf-8"))] == ["a.md"]
    assert b"published: true" in article.read_bytes()
    for path, attributes in kept.items():
        assert _attributes(path) == attributes, path


def test_a_folders_default_acl_gives_a_replaced_file_none(tmp_path: Path) -> None:
    """A new file in a folder with a default ACL gets one; a replaced file keeps what
    it had (none), not the folder's."""
    folder = tmp_path / "feeds"
    article = write(folder / "a.md", article_text())
    try:
        os.setxattr(folder, DEFAULT_ACL, SHARED)
    except OSError as exc:
        if exc.errno in (errno.ENOTSUP, errno.EOPNOTSUPP):
            pytest.skip(f"no ACLs here: {exc.strerror}")
        raise
    probe = write(folder / "probe.txt", "")  # (the folder's default reaches a new file)
    assert ACL in os.listxattr(probe)
    probe.unlink()
    assert ACL not in os.listxattr(article)
    done = run_cli("publish", str(article), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert b"published: true" in article.read_bytes()
    assert ACL not in os.listxattr(article)


# the folder's default ACL: user 1003 may read and write, others nothing
PRIVATE = _acl(7, (7, 1003), 5, 7, 0)


def test_a_new_file_takes_the_folders_default_acl_as_any_program_s(tmp_path: Path) -> None:
    """h90: a new `-o` file, and each article `import` made, was chmod-ed to 0666 less
    the umask over the ACL the folder gave it: others could read (0644), and the named
    user's write went (mask r--). It now has what a file any program makes there has."""
    feeds = tmp_path / "feeds"
    write(feeds / "a.md", article_text())
    for name in ("exports", "imported"):
        (tmp_path / name).mkdir()
        try:
            os.setxattr(tmp_path / name, DEFAULT_ACL, PRIVATE)
        except OSError as exc:
            if exc.errno in (errno.ENOTSUP, errno.EOPNOTSUPP):
                pytest.skip(f"no ACLs here: {exc.strerror}")
            raise
    old = os.umask(0o022)
    try:
        probe = tmp_path / "exports" / "probe"
        probe.touch()  # (open(..., 0o666), as any program makes a file)
        expected = (probe.stat().st_mode, _attributes(probe))
        probe.unlink()
    finally:
        os.umask(old)
    assert expected[0] & 0o7777 == 0o660  # (the ACL's, not the umask's 0644)
    shell = f"umask 022 && exec {NEWSCLI} "  # (the umask a folder's default ACL overrides)
    exported = subprocess.run(["sh", "-c", shell + "export feeds -o exports/out.json"],
                              cwd=tmp_path, capture_output=True, text=True)  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    out = tmp_path / "exports" / "out.json"
    assert (out.stat().st_mode, _attributes(out)) == expected
    source = REPO / "tests" / "fixtures" / "feeds" / "upstream-aggregator.json"
    imported = subprocess.run(["sh", "-c", shell + f"import {source} --into imported --quiet"],
                              cwd=tmp_path, capture_output=True, text=True)  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    made = sorted((tmp_path / "imported").rglob("*.md"))
    assert made
    for article in made:
        assert (article.stat().st_mode, _attributes(article)) == expected, article


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason="needs root")
def test_an_article_whose_attribute_cannot_be_kept_is_not_exported_to_be_marked() -> None:
    """h90: a user's article carrying an attribute only root may set (a file capability)
    was exported by every `--mark-published` run, its marking refused each time (the
    file left alone, as it should be). It is left out of the export as a read-only one
    is; the other ships and is marked. (Root may set it: not tested as root.)"""
    folder = Path(tempfile.mkdtemp(prefix="newscli-attr-"))  # (pytest's is root's alone)
    try:
        os.chmod(folder, 0o777)
        feeds = folder / "feeds"
        held = write(feeds / "a.md", article_text(title="Held"))
        shipped = write(feeds / "b.md", article_text(title="Shipped"))
        for path in (feeds, held, shipped):
            os.chown(path, 65534, 65534)
        capability = bytes.fromhex("0100000200200000000000000000000000000000")
        try:
            os.setxattr(held, "security.capability", capability)
        except OSError as exc:
            pytest.skip(f"no file capabilities here: {exc.strerror}")
        before = held.read_bytes()
        user = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        env = {**os.environ, "HOME": str(folder), "NEWSCLI_STATE_DIR": str(folder / "state"),
               "NEWSCLI_CACHE_DIR": str(folder / "cache")}  # fmt: skip
        if subprocess.run([*user, str(NEWSCLI), "--version"], capture_output=True).returncode:
            pytest.skip("the installed command cannot run as another user (its Python is root's)")
        argv = [*user, str(NEWSCLI), "export", "feeds", "--unpublished", "--mark-published"]
        for run in (1, 2):
            done = subprocess.run([*argv, "-o", f"out{run}.json"], cwd=folder, env=env,
                                  capture_output=True, text=True, timeout=120)  # fmt: skip
            assert done.returncode == 1, done.stderr
            lines = done.stderr.splitlines()
            assert lines[0] == (
                "feeds/a.md: its extended attribute security.capability cannot be kept"
                " (Operation not permitted), so it cannot be marked published; not exported"
            ), done.stderr
            titles = [r["title"] for r in json.loads((folder / f"out{run}.json").read_text())]
            assert titles == (["Shipped"] if run == 1 else []), run
        assert held.read_bytes() == before
        assert os.getxattr(held, "security.capability") == capability
        assert b"published: true" in shipped.read_bytes()
    finally:
        shutil.rmtree(folder)
