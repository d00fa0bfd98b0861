"""review.stoppable.output_written against Textual's own writer thread: a `/` filter
starts only once "filtering… Ctrl-C stops it" is on the terminal (CI, a loaded machine:
the match held the interpreter's lock before the writer had written the screen, so the
hint never showed and the test waiting for it timed out)."""

from __future__ import annotations

import inspect
import threading
import time
from types import SimpleNamespace

from textual.drivers._writer_thread import WriterThread
from textual.drivers.linux_driver import LinuxDriver

from newscli.review.stoppable import output_written


class HeldFile:
    """A terminal that takes each write only once ``go`` is set."""

    def __init__(self) -> None:
        self.go = threading.Event()
        self.written: list[str] = []

    def write(self, text: str) -> None:
        self.go.wait()
        self.written.append(text)

    def flush(self) -> None:
        pass


def wait_for(test: object, timeout: float = 10.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if test():  # type: ignore[operator]
            return True
        time.sleep(0.005)
    return False


def test_not_written_while_the_writer_holds_a_frame_then_written() -> None:
    file = HeldFile()
    writer = WriterThread(file)  # type: ignore[arg-type]
    writer.start()
    driver = SimpleNamespace(_writer_thread=writer)
    try:
        assert wait_for(lambda: output_written(driver))  # idle: waits on its queue
        writer.write("frame 1")
        writer.write("frame 2")
        time.sleep(0.1)
        assert not output_written(driver)  # one taken and held, one queued
        file.go.set()
        assert wait_for(lambda: output_written(driver))
        assert file.written == ["frame 1", "frame 2"]
    finally:
        file.go.set()
        writer.stop()


def test_the_driver_review_runs_on_has_the_writer_it_looks_at() -> None:
    """Otherwise output_written would always say yes (another Textual)."""
    assert "self._writer_thread.write(" in inspect.getsource(LinuxDriver.write)
    queue = WriterThread(HeldFile())._queue  # type: ignore[arg-type]
    assert hasattr(queue.not_empty, "_waiters") and hasattr(queue, "mutex")


def test_true_where_it_cannot_be_told() -> None:
    assert output_written(SimpleNamespace())
    assert output_written(None)
