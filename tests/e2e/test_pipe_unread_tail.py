"""h74: a reader that leaves with the output's last part still unread in the pipe (or a
FIFO, or a descriptor `-o /dev/fd/N` names) has not received those articles: `export
--mark-published` marks nothing and says so (exit 141 on stdout, 1 with -o). A write
returns once its data is in the pipe's buffer, so this shows only by waiting for the
buffer to be read (terminal/drain.py); a reader that reads it all, however slowly, has
every article marked."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_pipes import EXIT_BROKEN_PIPE, NEWSCLI, make_corpus

# Reads N bytes of its input, then waits PAUSE seconds and goes: the rest stays unread
# in the pipe. With N of -1 it reads everything, PAUSE seconds after its first read.
READER = """\
import os, sys, time
n, pause = int(sys.argv[1]), float(sys.argv[2])
if n < 0:
    first = os.read(0, 1)
    time.sleep(pause)
    while os.read(0, 65536):
        pass
else:
    while n > 0:
        b = os.read(0, min(n, 4096))
        if not b:
            break
        n -= len(b)
    time.sleep(pause)
"""


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "NEWSCLI_STATE_DIR": str(tmp_path / "state"),
        "NEWSCLI_CACHE_DIR": str(tmp_path / "cache"),
    }


def _unpublished(folder: Path) -> int:
    return sum("published: false" in p.read_text() for p in folder.glob("*.md"))


def _size(folder: Path, env: dict[str, str]) -> int:
    args = [NEWSCLI, "export", str(folder), "--unpublished"]
    return len(subprocess.run(args, env=env, capture_output=True, check=True).stdout)


def _read(count: int, pause: float = 0.5) -> list[str]:
    return [sys.executable, "-c", READER, str(count), str(pause)]


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_a_pipe_reader_leaving_the_last_part_unread_gets_nothing_marked(tmp_path: Path) -> None:
    env = _env(tmp_path)
    folder = make_corpus(tmp_path / "feeds", 300)
    take = _size(folder, env) - 20_000  # all but the last 20 KB: they fit in the pipe
    args = [NEWSCLI, "export", str(folder), "--unpublished", "--mark-published"]
    writer = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert writer.stdout is not None and writer.stderr is not None
    subprocess.run(_read(take), stdin=writer.stdout, check=True)
    writer.stdout.close()
    assert writer.wait(60) == EXIT_BROKEN_PIPE, writer.stderr.read()
    assert _unpublished(folder) == 300
    # a reader that takes it all, only after a pause (the export written by then): all
    writer = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert writer.stdout is not None
    subprocess.run(_read(-1, 1.0), stdin=writer.stdout, check=True)
    writer.stdout.close()
    assert writer.wait(60) == 0
    assert _unpublished(folder) == 0


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_a_fifo_or_descriptor_reader_leaving_early_gets_nothing_marked(tmp_path: Path) -> None:
    env = _env(tmp_path)
    folder = make_corpus(tmp_path / "feeds", 300)
    take = _size(folder, env) - 20_000
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    args = [NEWSCLI, "export", str(folder), "--unpublished", "--mark-published", "-o", str(fifo)]
    writer = subprocess.Popen(args, env=env, stderr=subprocess.PIPE, text=True)
    with open(fifo, "rb") as stream:
        subprocess.run(_read(take), stdin=stream, check=True)
    _, err = writer.communicate(timeout=60)
    assert writer.returncode == 1 and "Broken pipe" in err, err
    assert _unpublished(folder) == 300
    # -o /dev/fd/N, a pipe on a descriptor of its own
    read_end, write_end = os.pipe()
    args[-1] = f"/dev/fd/{write_end}"
    writer = subprocess.Popen(
        args, env=env, stderr=subprocess.PIPE, text=True, pass_fds=(write_end,)
    )
    os.close(write_end)
    with os.fdopen(read_end, "rb") as stream:
        subprocess.run(_read(take), stdin=stream, check=True)
    _, err = writer.communicate(timeout=60)
    assert writer.returncode == 1 and "Broken pipe" in err, err
    assert _unpublished(folder) == 300


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_a_unix_socket_reader_leaving_early_gets_nothing_marked(tmp_path: Path) -> None:
    """h75 1: Node.js gives a child's stdout as a Unix socketpair, whose buffer held
    about 120 KB that a consumer gone after its first chunk never read, and all of it
    was marked; `-o SOCKET` the same."""
    import socket
    import threading

    env = _env(tmp_path)
    folder = make_corpus(tmp_path / "feeds", 300)
    take = _size(folder, env) - 20_000
    args = [NEWSCLI, "export", str(folder), "--unpublished", "--mark-published"]
    for count, code, left in ((take, EXIT_BROKEN_PIPE, 300), (-1, 0, 0)):
        ours, theirs = socket.socketpair()
        writer = subprocess.Popen(args, env=env, stdout=theirs, stderr=subprocess.PIPE)
        theirs.close()
        with ours:
            subprocess.run(_read(count), stdin=ours, check=True)
        assert writer.wait(60) == code
        assert _unpublished(folder) == left
    # -o SOCKET: a server that reads part of it and closes
    folder = make_corpus(tmp_path / "more", 300)
    take = _size(folder, env) - 20_000
    path = tmp_path / "out.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(str(path))
        server.listen(1)

        def serve() -> None:
            peer, _ = server.accept()
            with peer:
                subprocess.run(_read(take), stdin=peer, check=True)

        thread = threading.Thread(target=serve)
        thread.start()
        args = [NEWSCLI, "export", str(folder), "--unpublished", "--mark-published"]
        done = subprocess.run([*args, "-o", str(path)], env=env, capture_output=True, text=True)
        thread.join(60)
    assert done.returncode == 1 and "out.sock" in done.stderr, done.stderr
    assert _unpublished(folder) == 300
