"""Byte-preserving edits of `published`: golden diffs, verification, failure injection."""

import os
import shutil
from pathlib import Path

import pytest
from conftest import REPO, check_golden

from newscli.edit.editing import EditRefusedError, rewrite_published, set_published
from newscli.edit.locking import LOCK_NAME

EDIT = REPO / "tests" / "fixtures" / "edit"
NAMES = sorted(p.name for p in EDIT.iterdir())
pytestmark = pytest.mark.usefixtures("under_lock")  # (as every command edits)


def changed_lines(before: bytes, after: bytes) -> tuple[list[bytes], list[bytes]]:
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    return [x for x in old if x not in new], [x for x in new if x not in old]


@pytest.mark.parametrize("name", NAMES)
def test_publish_changes_only_the_published_line(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    shutil.copy(EDIT / name, path)
    original = path.read_bytes()
    result = set_published(str(path), True)
    assert result.changed and result.new is True
    edited = path.read_bytes()
    check_golden(f"edit/{name}", edited.decode("utf-8"))
    assert (GOLDEN_BYTES := (REPO / "tests" / "golden" / "edit" / name).read_bytes()) == edited
    removed, added = changed_lines(original, edited)
    assert len(added) == 1 and added[0].lstrip(b"\"'").startswith(b"published")
    assert b"true" in added[0]
    assert len(removed) <= 1  # a missing key is added, an existing value is replaced
    assert edited.startswith(b"\xef\xbb\xbf") == original.startswith(b"\xef\xbb\xbf")
    assert (b"\r\n" in edited) == (b"\r\n" in original)
    assert GOLDEN_BYTES.endswith(b"\n") == original.endswith(b"\n")


HAS_KEY = [
    n for n in NAMES if n not in ("missing-key.md", "missing-key-crlf.md", "block-scalar-last.md")
]


@pytest.mark.parametrize("name", HAS_KEY)
def test_publish_then_unpublish_restores_the_bytes(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    shutil.copy(EDIT / name, path)
    original = path.read_bytes()
    set_published(str(path), True)
    set_published(str(path), False)
    expected = original.replace(b"published: No", b"published: false")
    assert path.read_bytes() == expected


def test_already_in_state_is_not_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    shutil.copy(EDIT / "comments.md", path)
    before = path.stat()
    result = set_published(str(path), False)
    assert not result.changed
    assert path.stat().st_mtime_ns == before.st_mtime_ns
    assert path.stat().st_ino == before.st_ino


def test_dry_run_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    shutil.copy(EDIT / "crlf.md", path)
    assert set_published(str(path), True, dry_run=True).changed
    assert path.read_bytes() == (EDIT / "crlf.md").read_bytes()


def test_mode_is_kept_and_symlink_target_is_edited(tmp_path: Path) -> None:
    target = tmp_path / "real.md"
    shutil.copy(EDIT / "bom.md", target)
    target.chmod(0o604)
    link = tmp_path / "link.md"
    link.symlink_to(target)
    set_published(str(link), True)
    assert link.is_symlink()
    assert b"published: true" in target.read_bytes()
    assert target.stat().st_mode & 0o777 == 0o604


def test_invalid_file_is_refused_not_repaired(tmp_path: Path) -> None:
    path = tmp_path / "bad.md"
    path.write_bytes(b'---\ntitle: x\npublished: "no"\n---\n')
    with pytest.raises(EditRefusedError, match="invalid, not edited"):
        set_published(str(path), True)
    assert path.read_bytes() == b'---\ntitle: x\npublished: "no"\n---\n'


def test_unverifiable_edit_is_refused(tmp_path: Path) -> None:
    # `published` written on its own line after the key cannot be edited in place.
    path = tmp_path / "odd.md"
    data = b"---\ntitle: x\npublished:\n  false\n---\n"
    path.write_bytes(data)
    with pytest.raises(
        EditRefusedError, match="not written `published: WORD` on a line of its own"
    ):
        set_published(str(path), True)
    assert path.read_bytes() == data


def test_file_changed_between_read_and_replace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.md"
    shutil.copy(EDIT / "comments.md", path)
    import newscli.edit.engine as editing  # the one write path of every edit

    real_write = editing.write_atomic

    def racing_write(target, data, before_replace=None, prepare=None):
        Path(target).write_bytes(b"---\ntitle: someone else\n---\n")
        return real_write(target, data, before_replace, prepare)

    monkeypatch.setattr(editing, "write_atomic", racing_write)
    with pytest.raises(EditRefusedError, match="changed while"):
        set_published(str(path), True)
    assert path.read_bytes() == b"---\ntitle: someone else\n---\n"
    assert sorted(os.listdir(tmp_path)) == sorted(["a.md", LOCK_NAME])


@pytest.mark.parametrize("step", ["write", "os.fsync", "os.replace", "os.chmod"])
def test_injected_failures_leave_the_original(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    path = tmp_path / "a.md"
    shutil.copy(EDIT / "crlf.md", path)
    original = path.read_bytes()

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    if step == "write":
        real_fdopen = os.fdopen

        class FailingFile:
            def __init__(self, *args, **kwargs):
                self.handle = real_fdopen(*args, **kwargs)

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.handle.close()

            write = boom

        monkeypatch.setattr("os.fdopen", FailingFile)
    else:
        monkeypatch.setattr(step, boom)
    with pytest.raises(EditRefusedError, match="No space left"):
        set_published(str(path), True)
    monkeypatch.undo()
    assert path.read_bytes() == original
    assert sorted(os.listdir(tmp_path)) == sorted(["a.md", LOCK_NAME])


def test_rewrite_adds_line_before_closing_boundary() -> None:
    assert rewrite_published(b"---\ntitle: t\n---\nbody\n", True, False) == (
        b"---\ntitle: t\npublished: true\n---\nbody\n"
    )
