"""h45: a server that sends its status line and headers a byte a second held the run
past --timeout for ever (the socket's timeout is per read), and a body cut short (fewer
bytes than its Content-Length, or a gzip stream without its end) was imported as the
whole feed, its ETag saved, so the items after the cut never came. Raw sockets on
127.0.0.1, and the installed command."""

from __future__ import annotations

import contextlib
import gzip
import os
import shutil
import socket
import subprocess
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import NEWSCLI

from newscli.ingest.detect import SourceError
from newscli.ingest.fetch import Limits, fetch

ITEMS = "".join(
    f"<item><title>Story {n}</title><link>https://e.example/s/{n}</link></item>" for n in range(20)
)
FEED = f'<rss version="2.0"><channel><title>E</title>{ITEMS}</channel></rss>'.encode()
CUT = FEED[: FEED.index(b"</item>", len(FEED) // 2) + 7]  # whole items, then nothing


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)


@contextlib.contextmanager
def raw_server(answer: Callable[[socket.socket], None]) -> Iterator[str]:
    """A server calling ``answer`` with each connection (its request read)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    stop = threading.Event()

    def serve(conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            conn.recv(65536)
            answer(conn)

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/feed"
    finally:
        stop.set()
        listener.close()


def drip(conn: socket.socket) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nX-Drip: ")
    for _ in range(60):
        conn.sendall(b"a")
        time.sleep(0.2)


def cut_short(conn: socket.socket) -> None:
    head = f'HTTP/1.1 200 OK\r\nETag: "v1"\r\nContent-Length: {len(FEED)}\r\n\r\n'
    conn.sendall(head.encode() + CUT)


def gzip_cut_short(conn: socket.socket) -> None:
    body = gzip.compress(FEED)[:-40]
    head = f"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: {len(body)}\r\n\r\n"
    conn.sendall(head.encode() + body)


def chunk_cut_short(conn: socket.socket) -> None:
    """A chunked body whose second chunk ends before its announced size (h51)."""
    head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
    conn.sendall(head + b"%x\r\n" % len(CUT) + CUT + b"\r\n" + b"400\r\n" + b"x" * 10)


def test_headers_a_byte_at_a_time_end_at_the_timeout() -> None:
    with raw_server(drip) as url:
        started = time.monotonic()
        with pytest.raises(SourceError, match=r"timed out after 1 s"):
            fetch(url, Limits(timeout=1.0, retries=0))
        assert time.monotonic() - started < 5  # (it ran until the server stopped: 12 s)


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        (cut_short, r"the download ended early \(\d[\d,]* of \d[\d,]* bytes\)"),
        (gzip_cut_short, r"the download ended early \(the compressed data is cut short\)"),
        (chunk_cut_short, r"^the download ended early \(\d+ bytes, then a chunk cut short\)$"),
    ],
)
def test_a_body_cut_short_is_an_error(answer: Callable[[socket.socket], None], said: str) -> None:
    with raw_server(answer) as url, pytest.raises(SourceError, match=said):
        fetch(url, Limits(timeout=5.0, retries=0))


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_the_command_imports_nothing_of_a_cut_feed_and_all_of_it_later(tmp_path: Path) -> None:
    """The README's promise: nothing lost. The cut feed is one error line (exit 1), no
    state saved for it; a hanging source ends at --timeout and the next one imports."""
    env = {**os.environ, "NEWSCLI_STATE_DIR": str(tmp_path / "state"),
           "NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}  # fmt: skip
    good = tmp_path / "good.xml"
    good.write_bytes(FEED.replace(b"e.example", b"g.example"))
    feeds = tmp_path / "feeds"
    with raw_server(cut_short) as cut, raw_server(drip) as hanging:
        argv = [str(NEWSCLI), "import", cut, hanging, str(good), "--into", str(feeds)]
        run = subprocess.run([*argv, "--timeout", "1"], env=env, capture_output=True, text=True,
                             timeout=60)  # fmt: skip
    assert run.returncode == 1, run.stderr
    errors = [line for line in run.stderr.splitlines() if line.startswith("newscli: error:")]
    assert errors == [
        f"newscli: error: {cut}: the download ended early ({len(CUT):,} of {len(FEED):,} bytes)",
        f"newscli: error: {hanging}: timed out after 1 s",
    ], run.stderr
    assert len(list(feeds.rglob("*.md"))) == 20  # the good file's, none of the cut one's
    with raw_server(lambda c: c.sendall(
        f"HTTP/1.1 200 OK\r\nETag: \"v1\"\r\nContent-Length: {len(FEED)}\r\n\r\n".encode() + FEED
    )) as whole:  # fmt: skip
        again = subprocess.run([str(NEWSCLI), "import", whole, "--into", str(feeds)], env=env,
                               capture_output=True, text=True, timeout=60)  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert len(list(feeds.rglob("*.md"))) == 40


def _importer(tmp_path: Path, feeds: Path) -> Callable[[str], subprocess.CompletedProcess[str]]:
    """`newscli import URL --into feeds`, its state and cache under tmp_path."""
    env = {**os.environ, "NEWSCLI_STATE_DIR": str(tmp_path / "state"),
           "NEWSCLI_CACHE_DIR": str(tmp_path / "cache")}  # fmt: skip

    def run(url: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(NEWSCLI), "import", url, "--into", str(feeds)], env=env,
                              capture_output=True, text=True, timeout=60)  # fmt: skip

    return run


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_files_deleted_since_come_again_though_the_server_says_304(tmp_path: Path) -> None:
    """The README: a file you delete is no longer there, and the next import writes its
    item again while the feed gives it. A server answering If-None-Match with 304 hid
    them for good (h45), even with the whole folder gone. Fewer files than after the
    import that kept the ETag: the source is fetched in full; as many: the 304 stands."""
    from feed_server import feed_server

    feeds = tmp_path / "feeds"
    run = _importer(tmp_path, feeds)

    with feed_server() as served:
        url = served.base + "/harbor-ledger-rss20.xml"
        first = run(url)
        assert first.returncode == 0, first.stderr
        made = sorted(feeds.rglob("*.md"))
        assert len(made) >= 3
        unchanged = run(url)
        assert unchanged.returncode == 0 and unchanged.stdout == "", unchanged.stderr
        assert "1 not modified" in unchanged.stderr
        assert [len(h) for h in served.seen("/harbor-ledger-rss20.xml")] and [
            "if-none-match" in h for h in served.seen("/harbor-ledger-rss20.xml")
        ] == [False, True]  # (the 304 stood: no second, full request)
        for path in made[:2]:
            path.unlink()
        again = run(url)
        assert again.returncode == 0, again.stderr
        assert sorted(feeds.rglob("*.md")) == made  # the two back, nothing twice
        shutil.rmtree(feeds)
        gone = run(url)
        assert gone.returncode == 0, gone.stderr
        assert len(list(feeds.rglob("*.md"))) == len(made)


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize(
    ("option", "said"),
    [
        (["--timeout", "1e10"], "--timeout: at most 86,400 seconds (a day)"),
        (["--timeout", "inf"], "--timeout: inf is not a number of seconds"),
        (["--max-size", "1e308"], "--max-size: at most 4,096 MiB"),
        (["--max-size", "nan"], "--max-size: nan is not a size in MiB"),
    ],
)
def test_absurd_limits_are_usage_errors(tmp_path: Path, option: list[str], said: str) -> None:
    """h45: --timeout 1e10 and --max-size 1e308 were internal errors (OverflowError)."""
    argv = [str(NEWSCLI), "import", str(tmp_path / "f.xml"), "--into", str(tmp_path / "o")]
    run = subprocess.run([*argv, *option], capture_output=True, text=True)
    assert (run.returncode, run.stdout) == (2, ""), run.stderr
    assert run.stderr == f"newscli: error: {said}\n"


def slow_body(conn: socket.socket) -> None:
    conn.sendall(f"HTTP/1.1 200 OK\r\nContent-Length: {len(FEED)}\r\n\r\n".encode())
    for byte in FEED[:40]:
        conn.sendall(bytes([byte]))
        time.sleep(0.2)


def test_a_body_cut_by_the_timeout_is_said_to_be_the_timeout() -> None:
    """h51: a body sent a byte at a time, cut by the deadline, was reported as "the
    download ended early (4 of 1,210 bytes)"."""
    with raw_server(slow_body) as url, pytest.raises(SourceError, match=r"^timed out after 1 s$"):
        fetch(url, Limits(timeout=1.0, retries=0))


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_a_feed_s_deleted_files_come_back_though_another_feed_added_files(
    tmp_path: Path,
) -> None:
    """h51: the count was the whole folder's: two feeds into one folder, the second's
    new files hid the first's deleted ones, and its 304 kept them away for good. It is
    counted per source (the articles whose sourceFeed it is)."""
    from feed_server import feed_server

    feeds = tmp_path / "feeds"
    run = _importer(tmp_path, feeds)

    with feed_server() as served:
        first, second = (
            served.base + "/harbor-ledger-rss20.xml",
            served.base + "/lantern-jsonfeed.json",
        )
        assert run(first).returncode == 0
        mine = sorted(feeds.rglob("*.md"))
        assert run(second).returncode == 0
        theirs = sorted(set(feeds.rglob("*.md")) - set(mine))
        assert mine and theirs
        for path in mine:
            path.unlink()
        hand = [feeds / "mine" / f"note{n}.md" for n in range(len(mine))]  # written by hand
        for n, path in enumerate(hand):
            path.parent.mkdir(exist_ok=True)
            path.write_text(f"---\ntitle: Note {n}\n---\n")
        again = run(first)
        assert again.returncode == 0, again.stderr
        assert sorted(feeds.rglob("*.md")) == sorted([*mine, *theirs, *hand])


def test_a_document_cut_without_a_length_keeps_no_etag(tmp_path: Path) -> None:
    """h51: a response with no Content-Length, its connection closed after the first
    item, was imported as the whole feed with its ETag kept: a 304 then kept the rest
    away. Its items are imported, said, and it is asked for whole next time."""

    def cut_closed(conn: socket.socket) -> None:
        conn.sendall(b'HTTP/1.1 200 OK\r\nETag: "x3"\r\nConnection: close\r\n\r\n' + CUT)

    feeds = tmp_path / "feeds"
    run = _importer(tmp_path, feeds)
    with raw_server(cut_closed) as url:
        first = run(url)
    assert first.returncode == 0, first.stderr
    assert "the document ends before its end (cut short?)" in first.stderr
    assert 0 < len(list(feeds.rglob("*.md"))) < 20
    state = (tmp_path / "state" / "imports.json").read_text()
    assert '"x3"' not in state  # (no validator: the next run asks for it whole)


def one_byte_short(conn: socket.socket) -> None:
    head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(FEED)}\r\n\r\n"
    conn.sendall(head.encode() + FEED[:-1])


def asks_for_an_hour(conn: socket.socket) -> None:
    conn.sendall(
        b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 3600\r\nContent-Length: 0\r\n\r\n"
    )


def test_a_body_one_byte_short_is_cut() -> None:
    """h58: only bodies cut far short were tested (a 'received < length - 1' passed)."""
    with (
        raw_server(one_byte_short) as url,
        pytest.raises(
            SourceError,
            match=rf"^the download ended early \({len(FEED) - 1:,} of {len(FEED):,} bytes\)$",
        ),
    ):
        fetch(url, Limits(timeout=5.0, retries=0))


def test_a_server_asking_to_retry_after_an_hour_fails_at_once() -> None:
    """h58: the cap on Retry-After (MAX_RETRY_AFTER) was untested: a run could sleep for
    the hour, and hold every source after it."""
    slept: list[float] = []

    def sleep(seconds: float) -> None:  # (a long pause fails the test, never hangs it)
        slept.append(seconds)
        if seconds > 5:
            raise AssertionError(f"asked to sleep {seconds} s")

    with (
        raw_server(asks_for_an_hour) as url,
        pytest.raises(
            SourceError, match=r"^HTTP 503 Service Unavailable; asked to retry after 3600 s$"
        ),
    ):
        fetch(url, Limits(timeout=5.0, retries=2), sleep=sleep)
    assert slept == []


def _deflated(raw: bool) -> Callable[[socket.socket], None]:
    def answer(conn: socket.socket) -> None:
        packer = zlib.compressobj(wbits=-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)
        body = packer.compress(FEED) + packer.flush()
        head = (
            f"HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        conn.sendall(head.encode() + body)

    return answer


@pytest.mark.parametrize("raw", [False, True])
def test_a_deflate_body_is_read_with_or_without_its_zlib_header(raw: bool) -> None:
    """h102: a "deflate" body without zlib's header (raw deflate, which browsers read)
    failed with "cannot decompress the response: incorrect header check"."""
    with raw_server(_deflated(raw)) as url:
        assert fetch(url, Limits(timeout=5.0, retries=0)).data == FEED


def no_location(conn: socket.socket) -> None:
    conn.sendall(b"HTTP/1.1 302 Found\r\nContent-Length: 0\r\n\r\n")


def blank_location(conn: socket.socket) -> None:
    conn.sendall(b"HTTP/1.1 301 Moved Permanently\r\nLocation: \r\nContent-Length: 0\r\n\r\n")


def not_modified(conn: socket.socket) -> None:
    conn.sendall(b"HTTP/1.1 304 Not Modified\r\n\r\n")


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        # h102: "refused a redirect to 'http://...' (only http and https)", of an http URL
        (no_location, r"^HTTP 302 Found without a Location to follow$"),
        # h104: a blank one was "too many redirects (at most 5)"
        (blank_location, r"^HTTP 301 Moved Permanently without a Location to follow$"),
        # h102: counted "1 not modified" on every run, the feed never read
        (not_modified, r"^HTTP 304 Not Modified, to a request for the whole feed$"),
    ],
)
def test_answers_that_cannot_be_followed_say_why(
    answer: Callable[[socket.socket], None], said: str
) -> None:
    with raw_server(answer) as url, pytest.raises(SourceError, match=said):
        fetch(url, Limits(timeout=5.0, retries=0))


def test_a_304_to_a_conditional_request_is_not_modified() -> None:
    with raw_server(not_modified) as url:
        assert fetch(url, Limits(timeout=5.0, retries=0), etag='"v1"').data is None


def test_a_url_with_credentials_is_refused_in_so_many_words() -> None:
    """h105: `http://user:pw@127.0.0.1:PORT/feed` failed with "Name or service not
    known" (the user name went on the wire as part of the host)."""
    with raw_server(not_modified) as url:
        with_user = url.replace("http://", "http://user:pw@")
        with pytest.raises(SourceError, match="the URL holds a user name or password"):
            fetch(with_user, Limits(timeout=5.0, retries=0))
