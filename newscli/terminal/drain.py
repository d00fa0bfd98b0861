"""Waiting until a pipe's reader has taken what was written to it (h74, h75).

A write to a pipe or FIFO returns as soon as its data is in the pipe's buffer (64 KiB
on Linux), and one to a Unix stream socket once it is in the peer's receive queue (about
200 KB; Node.js gives a child's stdout as one). A reader that went away with the
output's last part still there unread looked like one that had it all, and `export
--mark-published` marked articles nobody received. Before it marks them, it waits here
until nothing is left unread (then the reader has read every byte) or the reader has
gone (then nothing is marked).
"""

from __future__ import annotations

import os
import stat
import time

__all__ = ["wait_until_read"]


def wait_until_read(fd: int) -> None:
    """On a pipe, a FIFO or a Unix stream socket, return once its reader has read every
    byte written to it; raise BrokenPipeError if it went away first. Anything else (a
    file, a terminal, a TCP socket, whose count is what the peer's system has not
    acknowledged, not what its program read), or a system that does not tell how much
    is unread, returns at once. A reader that stays but never reads is waited for, as a
    write to a full pipe waits (Ctrl-C or SIGTERM end the wait: then nothing is marked
    either)."""
    import select
    import termios

    try:
        mode = os.fstat(fd).st_mode
    except OSError:
        return
    if stat.S_ISFIFO(mode):
        # The data stays in a pipe after its last reader closed it (POLLERR): what is
        # unread is counted first, none left being success however the reader ended.
        _wait(fd, termios.FIONREAD, select.POLLERR | select.POLLHUP, counted_first=True)
    elif stat.S_ISSOCK(mode) and _unix_stream(fd):
        # A peer that closed with data unread frees it and sets ECONNRESET (POLLERR);
        # one that read it all and closed gives only POLLHUP: the error is looked at
        # after the count, so that an empty queue then means it was read.
        _wait(fd, termios.TIOCOUTQ, select.POLLERR, counted_first=False)


def _unix_stream(fd: int) -> bool:
    import socket

    try:
        sock = socket.socket(fileno=fd)
    except OSError:
        return False
    try:
        return sock.family == socket.AF_UNIX and sock.type == socket.SOCK_STREAM
    finally:
        sock.detach()  # (the descriptor stays open: it is not this one's to close)


def _wait(fd: int, request: int, gone: int, counted_first: bool) -> None:
    """Poll ``request`` (the bytes written and still unread) until it is 0; raise
    BrokenPipeError when a poll shows one of the ``gone`` events."""
    import fcntl
    import select
    import struct

    poller = select.poll()
    poller.register(fd, select.POLLOUT)
    pause = 0.001
    while True:
        try:
            unread = struct.unpack("i", fcntl.ioctl(fd, request, b"\0" * 4))[0]
        except OSError:
            return  # (as before: no way to tell)
        if counted_first and unread <= 0:
            return
        if any(event & gone for _, event in poller.poll(0)):
            raise BrokenPipeError(32, "Broken pipe")
        if unread <= 0:
            return
        time.sleep(pause)
        pause = min(pause * 2, 0.05)
