"""``export -o FILE``: what is replaced atomically, what is written as a stream, and
what is left untouched. Through the installed command, in a tmp_path folder."""

from __future__ import annotations

import os
import resource
import socket
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import SAMPLES, run_cli

from newscli.errors import OutputError
from newscli.terminal.destination import own_descriptor, write_output

NEWSCLI = str(Path(sys.executable).parent / "newscli")


def run(*args: str, cwd: Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    if not kwargs:
        return run_cli(*args, cwd=cwd)
    return subprocess.run(
        [NEWSCLI, *args], cwd=cwd, capture_output=True, text=True, timeout=60, **kwargs
    )  # type: ignore[call-overload]


def exported(cwd: Path) -> str:
    """What `export feeds` prints: the text every -o destination must receive."""
    result = run("export", "feeds", cwd=cwd)
    assert result.returncode == 0 and result.stdout.startswith("[")
    return result.stdout


def marked(feeds: Path) -> list[str]:
    return sorted(p.name for p in feeds.glob("*.md") if "published: true" in p.read_text())


@pytest.fixture
def already(feeds: Path) -> list[str]:
    """The sample articles that are published to begin with."""
    return marked(feeds)


def test_symlink_is_followed_and_stays_a_link(feeds: Path) -> None:
    tmp = feeds.parent
    (tmp / "real").mkdir()
    (tmp / "real" / "feed.json").write_text("old")
    (tmp / "site").mkdir()
    os.symlink("../real/feed.json", tmp / "site" / "hop.json")  # relative, two links
    os.symlink("hop.json", tmp / "site" / "feed.json")
    result = run("export", "feeds", "-o", "site/feed.json", cwd=tmp)
    assert result.returncode == 0, result.stderr
    assert os.readlink(tmp / "site" / "feed.json") == "hop.json"
    assert os.readlink(tmp / "site" / "hop.json") == "../real/feed.json"
    assert (tmp / "real" / "feed.json").read_text() == exported(tmp)
    assert sorted(os.listdir(tmp / "real")) == ["feed.json"]  # no temporary file left


def test_dangling_symlink_gets_its_target_created(feeds: Path) -> None:
    tmp = feeds.parent
    (tmp / "public").mkdir()
    os.symlink("public/feed.json", tmp / "feed.json")
    result = run("export", "feeds", "-o", "feed.json", cwd=tmp)
    assert result.returncode == 0, result.stderr
    assert os.readlink(tmp / "feed.json") == "public/feed.json"
    assert (tmp / "public" / "feed.json").read_text() == exported(tmp)


def test_no_folder_is_made_where_a_dangling_link_points(feeds: Path, already: list[str]) -> None:
    """h29: `-o` through a dangling link made the missing folders of its target,
    wherever the link pointed. Only the folders of the name written are made."""
    tmp = feeds.parent
    os.symlink("public/new/feed.json", tmp / "feed.json")
    result = run("export", "feeds", "-o", "feed.json", "--unpublished", "--mark-published",
                 cwd=tmp)  # fmt: skip
    target = tmp / "public" / "new" / "feed.json"
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        f"newscli: error: cannot write feed.json: it is a link to {target}, "
        "whose folder does not exist\n"
    )
    assert not (tmp / "public").exists() and marked(feeds) == already


def test_missing_parent_folders_are_created(feeds: Path) -> None:
    tmp = feeds.parent
    result = run("export", "feeds", "-f", "atom", "-o", "site/news/ai.xml", cwd=tmp)
    assert result.returncode == 0, result.stderr
    assert (tmp / "site" / "news" / "ai.xml").read_text().startswith("<?xml")


def test_a_folder_is_refused(feeds: Path, already: list[str]) -> None:
    result = run("export", "feeds", "-o", "feeds", "--unpublished", "--mark-published",
                 cwd=feeds.parent)  # fmt: skip
    assert result.returncode == 1
    assert result.stderr == "newscli: error: cannot write feeds: it is a folder\n"
    assert marked(feeds) == already


@pytest.mark.parametrize("target", ["new/", "site/new/", "new/.", "dangling"])
def test_a_name_of_a_folder_to_be_is_refused_and_nothing_is_made(
    feeds: Path, already: list[str], target: str
) -> None:
    """`-o new/` used to create the folder new, then fail with "Not a directory",
    leaving it there; now nothing is made, nothing marked."""
    tmp = feeds.parent
    os.symlink("gone/", tmp / "dangling")  # a dangling link to a folder's name
    before = sorted(p.name for p in tmp.iterdir())
    result = run("export", "feeds", "-o", target, "--unpublished", "--mark-published", cwd=tmp)
    assert (result.returncode, result.stdout) == (1, "")
    reason = "it names a folder, not a file"
    assert result.stderr == f"newscli: error: cannot write {target}: {reason}\n"
    assert sorted(p.name for p in tmp.iterdir()) == before
    assert marked(feeds) == already


@pytest.mark.parametrize(
    ("target", "read"),
    [
        ("feeds/rate-decision.md", "feeds/rate-decision.md"),
        ("./feeds//rate-decision.md", "feeds/rate-decision.md"),
        ("link.md", "feeds/rate-decision.md"),  # a link to an article
        ("feeds/broken.md", "feeds/broken.md"),  # an invalid one is somebody's data too
    ],
)
def test_an_article_file_read_is_never_replaced(
    feeds: Path, already: list[str], target: str, read: str
) -> None:
    """(New-user pass: `export feeds -o feeds/article.md` replaced an article with JSON.)"""
    tmp = feeds.parent
    (feeds / "broken.md").write_bytes(b"---\ntitle: [unclosed\n---\nbody\n")
    os.symlink("feeds/rate-decision.md", tmp / "link.md")
    before = {p: p.read_bytes() for p in feeds.rglob("*.md")}
    result = run("export", "feeds", "-o", target, "--unpublished", "--mark-published", cwd=tmp)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        f"newscli: error: cannot write {target}: it is an article file read ({read})"
    )
    assert {p: p.read_bytes() for p in feeds.rglob("*.md")} == before
    assert marked(feeds) == already
    elsewhere = run("export", "feeds/rate-decision.md", "-o", "feeds/new.json", cwd=tmp)
    assert elsewhere.returncode == 0, elsewhere.stderr  # a file beside them is fine


@pytest.mark.parametrize("target", ["feeds/.newscli.lock", "lock-link"])
def test_a_lock_file_is_never_replaced(feeds: Path, already: list[str], target: str) -> None:
    """(New-user pass: `-o feeds/.newscli.lock` replaced the lock while the export held
    it, so an edit could run meanwhile.)"""
    tmp = feeds.parent
    os.symlink("feeds/.newscli.lock", tmp / "lock-link")
    result = run("export", "feeds", "-o", target, "--unpublished", "--mark-published", cwd=tmp)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        f"newscli: error: cannot write {target}: it is a folder's lock file"
    )
    assert marked(feeds) == already


def test_fifo_is_written_as_a_stream(feeds: Path) -> None:
    tmp = feeds.parent
    fifo = tmp / "feed.pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = run("export", "feeds", "-o", str(fifo), cwd=tmp)
    reader.join(timeout=30)
    assert result.returncode == 0, result.stderr
    assert received == [exported(tmp).encode()]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_unix_socket_is_written_as_a_stream(feeds: Path) -> None:
    tmp = feeds.parent
    address = tmp / "feed.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(address))
    server.listen(1)
    received: list[bytes] = []

    def serve() -> None:
        connection, _ = server.accept()
        with connection:
            parts = iter(lambda: connection.recv(65536), b"")
            received.append(b"".join(parts))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        result = run("export", "feeds", "-o", str(address), cwd=tmp)
        thread.join(timeout=30)
    finally:
        server.close()
    assert result.returncode == 0, result.stderr
    assert received == [exported(tmp).encode()]
    assert stat.S_ISSOCK(os.lstat(address).st_mode)


def device(tmp_path: Path, name: str, minor: int) -> Path:
    """A private copy of /dev/null (minor 3) or /dev/full (minor 7): a test that went
    wrong as root would otherwise replace the machine's own device node."""
    node = tmp_path / name
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    except OSError:
        pytest.skip("cannot make device nodes here")
    return node


def test_null_device_stays_a_device(feeds: Path, already: list[str]) -> None:
    null = device(feeds.parent, "null", 3)
    result = run("export", "feeds", "--unpublished", "--mark-published", "-q", "-o", str(null),
                 cwd=feeds.parent)  # fmt: skip
    assert (result.returncode, result.stderr) == (0, "")
    assert stat.S_ISCHR(os.lstat(null).st_mode)
    assert len(marked(feeds)) > len(already)  # written successfully, so marked


def test_full_device_is_a_clear_error_and_marks_nothing(feeds: Path, already: list[str]) -> None:
    full = device(feeds.parent, "full", 7)
    result = run("export", "feeds", "--unpublished", "--mark-published", "-o", str(full),
                 cwd=feeds.parent)  # fmt: skip
    assert result.returncode == 1
    assert result.stderr == f"newscli: error: cannot write {full}: No space left on device\n"
    assert stat.S_ISCHR(os.lstat(full).st_mode)
    assert marked(feeds) == already


# Not /dev/stdout itself: code that regressed to replacing it would, as root, turn the
# machine's /dev/stdout into a regular file. /dev/fd/1 takes the same path through
# the links (to /proc/PID/fd/1), and a rename into /proc fails harmlessly.
@pytest.mark.parametrize("target", ["-", "/dev/fd/1", "/proc/self/fd/1"])
def test_stdout_by_name(feeds: Path, target: str) -> None:
    result = run("export", "feeds", "-o", target, cwd=feeds.parent)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == exported(feeds.parent)


def test_dev_stdout_appends_where_the_shell_appends(feeds: Path) -> None:
    """/dev/fd/1 is written where it points, as it is: `>> log` keeps what was there."""
    tmp = feeds.parent
    log = tmp / "log.json"
    log.write_text("previous\n")
    command = f'"{NEWSCLI}" export feeds -o /dev/fd/1 >> log.json'
    result = subprocess.run(["sh", "-c", command], cwd=tmp, capture_output=True, text=True)
    assert (result.returncode, result.stderr) == (0, "")
    assert log.read_text() == "previous\n" + exported(tmp)


def test_dev_stdout_is_a_descriptor() -> None:
    if not os.path.islink("/dev/stdout"):
        pytest.skip("/dev/stdout is not a link here")
    assert own_descriptor("/dev/stdout") == 1
    assert own_descriptor("/dev/stderr") == 2


def test_unchanged_output_leaves_the_file_untouched(feeds: Path) -> None:
    tmp = feeds.parent
    out = tmp / "site" / "feed.json"
    assert run("export", "feeds", "-o", str(out), cwd=tmp).returncode == 0
    before = out.stat()
    os.utime(out, ns=(before.st_atime_ns, before.st_mtime_ns - 10**9))  # 1 s older
    before = out.stat()
    assert run("export", "feeds", "-o", str(out), cwd=tmp).returncode == 0
    after = out.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    # a different result does replace it
    assert run("export", "feeds", "--limit", "1", "-o", str(out), cwd=tmp).returncode == 0
    assert out.stat().st_ino != before.st_ino
    assert out.read_text().count('"path"') == 1
    assert sorted(os.listdir(out.parent)) == ["feed.json"]


def test_failed_write_leaves_the_previous_file(feeds: Path, already: list[str]) -> None:
    """A write that fails part way (here: over a file size limit) leaves the previous
    file as it was, no temporary file, and nothing marked."""
    tmp = feeds.parent
    out = tmp / "feed.json"
    out.write_text("the previous feed\n")
    limit = len(exported(tmp)) // 2

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = run("export", "feeds", "--unpublished", "--mark-published", "--no-cache",
                 "-o", str(out), cwd=tmp, preexec_fn=small_files)  # fmt: skip
    assert result.returncode == 1
    assert result.stderr == f"newscli: error: cannot write {out}: File too large\n"
    assert out.read_text() == "the previous feed\n"
    assert sorted(p.name for p in tmp.iterdir()) == ["feed.json", "feeds"]
    assert marked(feeds) == already


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (b"abcdef", b"abcdef"),
        (b"abcdef", b"abc"),  # the old file is longer
        (b"abc", b"abcdef"),  # the new content is longer
        (b"abcdef", b"abXdef"),  # a difference in the middle
        (b"", b"abc"),
        (b"abc", b""),
    ],
)
def test_comparison_with_the_old_file(tmp_path: Path, old: bytes, new: bytes) -> None:
    target = tmp_path / "out"
    target.write_bytes(old)
    inode = target.stat().st_ino
    pieces = [new[i : i + 2] for i in range(0, len(new), 2)]  # several chunks
    write_output(str(target), pieces)
    assert target.read_bytes() == new
    assert (target.stat().st_ino == inode) == (old == new)
    assert os.listdir(tmp_path) == ["out"]


def test_symlink_loop_is_an_error(tmp_path: Path) -> None:
    os.symlink("b", tmp_path / "a")
    os.symlink("a", tmp_path / "b")
    with pytest.raises(OutputError, match="symbolic links"):
        write_output(str(tmp_path / "a"), [b"x"])


def test_fifo_reader_gone_is_an_error_and_marks_nothing(tmp_path: Path) -> None:
    from test_pipes import make_corpus

    feeds = make_corpus(tmp_path / "feeds", 300)  # far more than a pipe holds
    fifo = tmp_path / "feed.pipe"
    os.mkfifo(fifo)

    def read_a_little() -> None:
        with open(fifo, "rb") as reader:
            reader.read(100)

    thread = threading.Thread(target=read_a_little, daemon=True)
    thread.start()
    result = run("export", "feeds", "-f", "rss", "--feed-link", "https://n.example/",
        "--unpublished", "--mark-published",
                 "--no-cache", "-o", str(fifo), cwd=tmp_path)  # fmt: skip
    thread.join(timeout=30)
    assert result.returncode == 1
    assert result.stderr == f"newscli: error: cannot write {fifo}: Broken pipe\n"
    assert marked(feeds) == []


def test_an_empty_output_name_is_a_usage_error(tmp_path: Path) -> None:
    """`-o ''` (an unset shell variable, say) is not stdout: one usage error, no output."""
    result = subprocess.run(
        [str(Path(sys.executable).parent / "newscli"), "export", str(SAMPLES), "-o", ""],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "newscli: error: -o: needs a file name ('-' is stdout)\n"


def test_a_read_only_file_is_refused_and_nothing_is_marked(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    article = feeds / "a.md"
    article.write_text("---\ntitle: A\npublished: false\n---\n", encoding="utf-8")
    target = tmp_path / "ro.json"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o444)
    refused = run("export", "feeds", "--mark-published", "-o", "ro.json", cwd=tmp_path)
    assert refused.returncode == 1, refused.stderr
    assert (
        refused.stderr == "newscli: error: cannot write ro.json: read-only (no write permission)\n"
    )
    assert target.read_text(encoding="utf-8") == "old\n"
    assert "published: false" in article.read_text(encoding="utf-8")  # nothing marked
    target.chmod(0o644)  # writable again: replaced, permissions kept
    assert run("export", "feeds", "-o", "ro.json", cwd=tmp_path).returncode == 0
    assert target.read_text(encoding="utf-8").startswith("[")


@pytest.mark.parametrize("number", [3, 5, 6, 9])
def test_a_descriptor_not_given_is_refused_and_nothing_is_marked(feeds: Path, number: int) -> None:
    """h125 HIGH: `-o /dev/fd/5` with no descriptor 5 given wrote the export into the
    index cache's own database (newscli's 5), exit 0, and --mark-published marked every
    article nobody received. Now: one line, exit 1, nothing marked, the cache intact.
    (3 and 4 were the folder locks' in that run, 5-7 the cache's files, 9 none.)"""
    tmp = feeds.parent
    assert run("list", "feeds", cwd=tmp).returncode == 0  # (a warm cache: open early)
    before = {p.name: p.read_bytes() for p in feeds.glob("*.md")}
    args = ["export", "feeds", "--unpublished", "--mark-published", "--format", "jsonl"]
    result = run(*args, "-o", f"/dev/fd/{number}", cwd=tmp, stdin=subprocess.DEVNULL)
    assert (result.returncode, result.stdout) == (1, "")
    reason = "Bad file descriptor" + (" (not given to newscli)" if number != 9 else "")
    assert result.stderr == f"newscli: error: cannot write /dev/fd/{number}: {reason}\n"
    assert {p.name: p.read_bytes() for p in feeds.glob("*.md")} == before
    again = run("export", "feeds", "--format", "jsonl", cwd=tmp)
    assert again.returncode == 0 and again.stderr == ""  # (no "was unreadable; rebuilt")


def test_a_descriptor_given_is_written_and_then_marked(feeds: Path) -> None:
    tmp = feeds.parent
    assert run("list", "feeds", cwd=tmp).returncode == 0
    unpublished = run("export", "feeds", "--unpublished", "--format", "jsonl", cwd=tmp).stdout
    args = "export feeds --unpublished --mark-published --format jsonl -o /dev/fd/5"
    command = f'"{NEWSCLI}" {args} 5> out.jsonl'
    result = subprocess.run(["sh", "-c", command], cwd=tmp, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (tmp / "out.jsonl").read_text() == unpublished
    assert unpublished.count("\n") == 13  # (then none: each was marked once written)
    assert run("export", "feeds", "--unpublished", "--format", "jsonl", cwd=tmp).stdout == ""


def test_a_file_on_a_read_only_file_system_is_said_so(feeds: Path) -> None:
    """h125 LOW: `-o existing.json` on a read-only mount said "read-only (no write
    permission)" of a file of mode 644; the reason is the file system's."""
    from small_disk import tmpfs

    tmp = feeds.parent
    with tmpfs(tmp / "ro") as mounted:
        (mounted / "out.json").write_text("old\n")
        remounted = subprocess.run(["mount", "-o", "remount,ro", str(mounted)],
                                   capture_output=True)  # fmt: skip
        if remounted.returncode != 0:
            pytest.skip("cannot remount read-only here")
        result = run("export", "feeds", "-o", "ro/out.json", cwd=tmp)
        assert (result.returncode, result.stdout) == (1, "")
        assert result.stderr == "newscli: error: cannot write ro/out.json: Read-only file system\n"
        assert (mounted / "out.json").read_text() == "old\n"


def test_a_descriptor_not_given_named_through_the_thread_is_refused(feeds: Path) -> None:
    """h126: /proc/thread-self/fd/N (/proc/PID/task/TID/fd/N) was taken for a file,
    opened and written: the cache's database, and every article marked."""
    tmp = feeds.parent
    assert run("list", "feeds", cwd=tmp).returncode == 0
    before = {p: p.read_bytes() for p in feeds.rglob("*.md")}
    args = ["export", "feeds", "--unpublished", "--mark-published", "--format", "jsonl"]
    result = run(*args, "-o", "/proc/thread-self/fd/5", cwd=tmp, stdin=subprocess.DEVNULL)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        "newscli: error: cannot write /proc/thread-self/fd/5: Bad file descriptor "
        "(not given to newscli)\n"
    )
    assert {p: p.read_bytes() for p in feeds.rglob("*.md")} == before
    assert run("export", "feeds", cwd=tmp).stderr == ""


def test_a_file_of_the_undo_journal_is_never_replaced(feeds: Path, private_state: Path) -> None:
    """h137 LOW: `-o STATE/journal/BATCH/old.log` replaced the old versions of the last
    edit: `undo` then found the batch damaged and could restore nothing. The journal and
    the import state are refused; other files of the state folder are the user's."""
    tmp = feeds.parent
    edit = run("set", "quality=9", "feeds/rate-decision.md", "-q", cwd=tmp)
    assert edit.returncode == 0, edit.stderr
    (batch,) = (private_state / "journal").iterdir()
    old_log = batch / "old.log"
    kept = old_log.read_bytes()
    journal = os.path.realpath(private_state / "journal")
    for target in (str(old_log), str(batch / "new.json")):
        result = run("export", "feeds", "-o", target, cwd=tmp)
        assert (result.returncode, result.stdout) == (1, "")
        assert result.stderr == (
            f"newscli: error: cannot write {target}: it is in newscli's undo journal"
            f" ({journal}); name another file\n"
        )
    state_file = run("export", "feeds", "-o", str(private_state / "imports.json"), cwd=tmp)
    assert state_file.returncode == 1 and "it is newscli's import state" in state_file.stderr
    folder = run("export", "feeds", "-o", str(private_state / "journal"), cwd=tmp)
    assert folder.returncode == 1 and folder.stderr.endswith(": it is a folder\n")
    from newscli.cli.output_targets import IMPORT_STATE
    from newscli.ingest.state import FILE_NAME

    assert IMPORT_STATE == FILE_NAME  # (a copy: start-up imports no ingest module)
    assert old_log.read_bytes() == kept
    beside = run("export", "feeds", "-o", str(private_state / "out.json"), cwd=tmp)
    assert beside.returncode == 0, beside.stderr  # (the state folder may be a working one)
    relative = run(
        "export", "feeds", "-o", str(old_log), cwd=tmp,
        env={**os.environ, "NEWSCLI_STATE_DIR": os.path.relpath(private_state, tmp)},
    )  # fmt: skip
    assert relative.returncode == 1 and "undo journal" in relative.stderr
    assert old_log.read_bytes() == kept
    undone = run("undo", "-q", cwd=tmp)
    assert undone.returncode == 0, undone.stderr
    assert "quality: 84" in (feeds / "rate-decision.md").read_text()
