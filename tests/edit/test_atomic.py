import os
import shutil
import tempfile
from pathlib import Path

import pytest

from newscli.edit.atomic import write_atomic
from newscli.errors import OutputError


def test_writes_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    write_atomic(str(target), b"one")
    target.chmod(0o640)
    write_atomic(str(target), b"two")
    assert target.read_bytes() == b"two"
    assert target.stat().st_mode & 0o777 == 0o640
    assert os.listdir(tmp_path) == ["out.json"]


def test_new_file_mode_follows_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_atomic(str(tmp_path / "f"), b"x")
    finally:
        os.umask(old)
    assert (tmp_path / "f").stat().st_mode & 0o777 == 0o644


def test_missing_folder_is_an_output_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="cannot write"):
        write_atomic(str(tmp_path / "no" / "such" / "f"), b"x")


@pytest.mark.parametrize("step", ["os.fsync", "os.replace", "os.chmod"])
def test_failure_at_any_step_leaves_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    target = tmp_path / "out.json"
    target.write_bytes(b"original")

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(step, boom)
    with pytest.raises(OutputError, match="No space left"):
        write_atomic(str(target), b"new contents")
    assert target.read_bytes() == b"original"
    assert os.listdir(tmp_path) == ["out.json"]


def test_target_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "dir").mkdir()
    with pytest.raises(OutputError):
        write_atomic(str(tmp_path / "dir"), b"x")
    assert os.listdir(tmp_path) == ["dir"]


GROUP = 4321


def _written_by_another_user(mode: int, in_group: bool) -> tuple[os.stat_result, bytes]:
    """A file of root's in GROUP, of this mode, written by user 65534 (in GROUP or not):
    its stat and bytes after."""
    folder = Path(tempfile.mkdtemp(prefix="newscli-owner-"))  # (pytest's is root's alone)
    os.chmod(folder, 0o777)
    path = folder / "a.md"
    path.write_bytes(b"old")
    os.chown(path, 0, GROUP)
    os.chmod(path, mode)
    pid = os.fork()
    if pid == 0:  # the child: user 65534
        code = 1
        try:
            os.setgroups([GROUP] if in_group else [])
            os.setgid(65534)
            os.setuid(65534)
            write_atomic(str(path), b"new")
            code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    try:
        assert os.waitstatus_to_exitcode(status) == 0
        return path.stat(), path.read_bytes()
    finally:
        shutil.rmtree(folder)


@pytest.mark.skipif(os.geteuid() != 0, reason="changing users needs root")
def test_another_users_file_keeps_its_group_when_the_editor_is_in_it() -> None:
    """h44: an edit by a user who is not the file's owner made the file theirs, and its
    group theirs too, even when they belong to the file's group. Only root gives a file
    away: the owner becomes the editor, the group stays, and so does the mode."""
    info, written = _written_by_another_user(0o664, in_group=True)
    assert written == b"new"
    assert (info.st_uid, info.st_gid, info.st_mode & 0o777) == (65534, GROUP, 0o664)


@pytest.mark.skipif(os.geteuid() != 0, reason="changing users needs root")
@pytest.mark.parametrize("in_group", [True, False])
def test_set_id_bits_are_not_handed_to_the_editor(in_group: bool) -> None:
    """h90: a user allowed to write another's set-user-ID (and set-group-ID) file made
    it theirs with the bits kept, as their own; a write in place clears them. The bit of
    an owner or group that changed goes; that of one kept stays."""
    # (anyone may write: the editor need not be in the group)
    info, written = _written_by_another_user(0o6777, in_group)
    assert written == b"new"
    kept_group = GROUP if in_group else 65534
    bits = 0o2777 if in_group else 0o777
    assert (info.st_uid, info.st_gid, info.st_mode & 0o7777) == (65534, kept_group, bits)


@pytest.mark.skipif(os.geteuid() != 0, reason="changing users needs root")
def test_the_editors_group_gets_no_more_than_others_had() -> None:
    """h91: a file whose group the editor is not in became the editor's group's with the
    old group's bits, so that group gained read; it gets what others had."""
    info, written = _written_by_another_user(0o672, in_group=False)  # (others may write)
    assert written == b"new"
    assert (info.st_uid, info.st_gid, info.st_mode & 0o7777) == (65534, 65534, 0o622)


def test_an_attribute_that_cannot_be_kept_leaves_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """h89: a replaced file keeps its extended attributes (its ACL); where one cannot be
    given to the new file, the file is left as it was, with no temporary file."""
    target = tmp_path / "out.json"
    target.write_bytes(b"original")
    try:
        os.setxattr(target, "user.note", b"kept")
    except OSError as exc:
        pytest.skip(f"no extended attributes here: {exc.strerror}")

    def refused(*args, **kwargs):
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr("os.setxattr", refused)
    with pytest.raises(OutputError, match=r"user\.note cannot be kept") as raised:
        write_atomic(str(target), b"new contents")
    # (an edit's report names the file already: its reason does not, h90)
    assert raised.value.reason == (
        "its extended attribute user.note cannot be kept (Operation not permitted); left alone"
    )
    assert target.read_bytes() == b"original"
    assert os.getxattr(target, "user.note") == b"kept"
    assert os.listdir(tmp_path) == ["out.json"]
