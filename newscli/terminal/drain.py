"""Waiting until a pipe's reader has taken what was written to it (h74).

A write to a pipe or FIFO returns as soon as its data is in the pipe's buffer (64 KiB
on Linux). A reader that went away with the output's last part still there unread
looked like one that had it all, and `export --mark-published` marked articles nobody
received. Before it marks them, it waits here until the buffer is empty (then the reader
has read every byte) or the reader has gone (then nothing is marked).
"""

from __future__ import annotations

import os
import stat
import time

__all__ = ["wait_until_read"]


def wait_until_read(fd: int) -> None:
    """On a pipe or FIFO, return once its readers have read every byte written to it;
    raise BrokenPipeError if they went away first. Anything else, or a system whose
    pipes do not tell how much is unread (FIONREAD), returns at once. A reader that
    stays but never reads is waited for, as a write to a full pipe waits (Ctrl-C or
    SIGTERM end the wait: then nothing is marked either)."""
    import fcntl
    import select
    import struct
    import termios

    try:
        if not stat.S_ISFIFO(os.fstat(fd).st_mode):
            return
    except OSError:
        return
    poller = select.poll()
    poller.register(fd, select.POLLOUT)
    pause = 0.001
    while True:
        try:
            unread = struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0" * 4))[0]
        except OSError:
            return  # (as before: no way to tell)
        if unread <= 0:
            return
        # (the data stays in the buffer after its last reader closed it: POLLERR)
        if any(event & (select.POLLERR | select.POLLHUP) for _, event in poller.poll(0)):
            raise BrokenPipeError(32, "Broken pipe")
        time.sleep(pause)
        pause = min(pause * 2, 0.05)
