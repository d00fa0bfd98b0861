"""A fork server for the test suite: `run_cli` without paying Python's start-up and
typer's import (about 0.15 s of CPU) on each of the suite's thousand-odd runs.

The server is a plain Python started once per test worker with the worker's
environment. It imports what the installed `newscli` console script imports before it
calls ``main()`` (``newscli.cli``), the module ``main()`` imports first
(``newscli.cli.application``, which brings typer) and the library modules most commands
import on first use (``PRELOADED``: loading, querying, records, YAML, rich), but no
command module, so each run still builds only the command it names, as the installed
command does. (What a command imports, and when, is tested on the script itself:
tests/cli/test_cli_startup.py, tests/formats/test_templates.py.)
For each run it forks; the child takes the run's stdin, stdout and stderr (pipes of
the test), its working folder, environment and arguments, then runs the console
script's own two lines (``sys.argv[0] = ...; sys.exit(main())``) and ends through the
interpreter's normal shutdown (flushes, exit status), a real process with real pipes.

What a fork cannot reproduce is decided at the server's start: the locale and
encodings of the standard streams, ``PYTHON*`` settings, the hash seed. So `run_cli`
uses the server only when the run's environment differs from the server's in
variables read at run time (``NEWSCLI_*``, pytest's ``PYTEST_*``, ``COLUMNS``,
``NO_COLOR`` ... see ``RUNTIME_ONLY``); any other difference (``LANG``, ``TZ``,
``PYTHONIOENCODING``) runs the script itself. ``NEWSCLI_TEST_EXEC=1`` runs every
test through the script itself; tests/test_forkserver.py checks that both ways give
the same bytes and exit codes.
Signals, pseudo-terminals, kills, locks and concurrency tests start the script
themselves (``subprocess`` with ``NEWSCLI``), never through this server.
"""

from __future__ import annotations

import gc
import importlib
import io
import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

# Library modules most commands import on first use: imported once here too. No module
# that registers a command (those stay per run), nothing with effects at import.
PRELOADED = (
    "newscli.cli.options",
    "newscli.cli.loading",
    "newscli.index.loader",
    "newscli.select.query",
    "newscli.formats.records",
    "newscli.terminal.output",
    "yaml",
    "rich.console",
    "rich.table",
    "rich.text",
)

RUNTIME_ONLY = frozenset(
    {
        "COLUMNS",
        "LINES",
        "TERM",
        "NO_COLOR",
        "FORCE_COLOR",
        "HOME",
        "XDG_CACHE_HOME",
        "XDG_CONFIG_HOME",
        "XDG_STATE_HOME",
        "XDG_DATA_HOME",
        "PATH",
        "PWD",
        "EDITOR",
        "VISUAL",
        "BROWSER",
    }
)


def _runtime_only(name: str) -> bool:
    return name.startswith(("NEWSCLI_", "PYTEST_")) or name in RUNTIME_ONLY


class ForkServer:
    """The client side: one server process, one run at a time."""

    def __init__(self, script: Path) -> None:
        self.script = script
        self.env = dict(os.environ)
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.sock = ours
        self.proc = subprocess.Popen(
            [sys.executable, __file__, str(theirs.fileno()), str(script)],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            env=self.env,
        )
        theirs.close()
        self.lock = threading.Lock()
        self.child_cpu = 0.0  # CPU seconds of the runs so far (for profiling the suite)

    def usable(self, env: Mapping[str, str]) -> bool:
        if os.environ.get("NEWSCLI_TEST_EXEC") or self.proc.poll() is not None:
            return False
        names = set(env) | set(self.env)
        return all(_runtime_only(n) for n in names if env.get(n) != self.env.get(n))

    def run(
        self, args: Sequence[str], cwd: Path, env: Mapping[str, str], timeout: float
    ) -> subprocess.CompletedProcess[str]:
        request = {"args": list(args), "cwd": str(cwd), "env": dict(env)}
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        with self.lock:
            try:
                socket.send_fds(self.sock, [json.dumps(request).encode()], [0, out_w, err_w])
            finally:
                os.close(out_w)
                os.close(err_w)
            pid = json.loads(self.sock.recv(4096))["pid"]
            try:
                out, err = _read_both(out_r, err_r, time.monotonic() + timeout)
            except subprocess.TimeoutExpired:
                os.kill(pid, signal.SIGKILL)
                self.sock.recv(4096)
                raise subprocess.TimeoutExpired([str(self.script), *args], timeout) from None
            ended = json.loads(self.sock.recv(4096))
        status = ended["status"]
        self.child_cpu += ended["cpu"]
        code = os.waitstatus_to_exitcode(status)
        return subprocess.CompletedProcess([str(self.script), *args], code, _text(out), _text(err))

    def close(self) -> None:
        self.sock.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def _text(data: bytes) -> str:
    """As ``subprocess.run(..., text=True)`` decodes (universal newlines)."""
    return data.decode().replace("\r\n", "\n").replace("\r", "\n")


def _read_both(out_r: int, err_r: int, deadline: float) -> tuple[bytes, bytes]:
    chunks: dict[int, list[bytes]] = {out_r: [], err_r: []}
    with selectors.DefaultSelector() as sel:
        for fd in chunks:
            sel.register(fd, selectors.EVENT_READ)
        try:
            while sel.get_map():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise subprocess.TimeoutExpired("newscli", remaining)
                for key, _ in sel.select(remaining):
                    data = os.read(key.fd, 65536)
                    if data:
                        chunks[key.fd].append(data)
                    else:
                        sel.unregister(key.fd)
        finally:
            os.close(out_r)
            os.close(err_r)
    return b"".join(chunks[out_r]), b"".join(chunks[err_r])


def _reopen_standard_streams() -> None:
    """sys.stdin, stdout and stderr over the run's descriptors, made as Python makes
    them at start (the server's own were made over other files: seekable, say)."""
    for fd, name in enumerate(("stdin", "stdout", "stderr")):
        old = getattr(sys, name)
        unbuffered = isinstance(old.buffer, io.FileIO)  # PYTHONUNBUFFERED, python -u
        mode = "rb" if fd == 0 else "wb"
        buffer = open(fd, mode, buffering=0 if unbuffered else -1, closefd=False)  # noqa: SIM115
        stream = io.TextIOWrapper(
            buffer,  # type: ignore[arg-type]
            encoding=old.encoding,
            errors=old.errors,
            newline="\n",
            line_buffering=fd == 2 or (fd == 1 and buffer.isatty()),
            write_through=old.write_through,
        )
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)


def _serve(sock: socket.socket) -> dict[str, object]:
    """Serve forks until the client goes; return (in a child) the run to make."""
    while True:
        try:
            message, fds, _flags, _addr = socket.recv_fds(sock, 1 << 22, 3)
        except OSError:
            os._exit(0)
        if not message:
            os._exit(0)
        pid = os.fork()
        if pid == 0:
            sock.close()
            for target, fd in enumerate(fds):
                os.dup2(fd, target)
                os.close(fd)
            return json.loads(message)  # type: ignore[no-any-return]
        for fd in fds:
            os.close(fd)
        sock.send(json.dumps({"pid": pid}).encode())
        _, status, usage = os.wait4(pid, 0)
        cpu = usage.ru_utime + usage.ru_stime
        sock.send(json.dumps({"status": status, "cpu": cpu}).encode())


if __name__ == "__main__":
    _sock = socket.socket(fileno=int(sys.argv[1]))
    _script = sys.argv[2]
    sys.path[0] = os.path.dirname(_script)  # as when the script itself runs
    import newscli.cli
    import newscli.cli.application  # noqa: F401  (main() imports it first)

    for _name in PRELOADED:
        importlib.import_module(_name)
    gc.freeze()  # a run's collections leave the server's objects (and pages) alone

    _run = _serve(_sock)
    _reopen_standard_streams()
    os.chdir(str(_run["cwd"]))
    os.environ.clear()
    os.environ.update(_run["env"])  # type: ignore[arg-type]
    sys.argv = [_script, *_run["args"]]  # type: ignore[misc]
    from newscli.cli import main

    sys.exit(main())
