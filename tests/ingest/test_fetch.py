"""Fetching a source over HTTP: conditional GET, retries, timeouts, size caps,
redirects, compression, the User-Agent. Against a real server on 127.0.0.1."""

from __future__ import annotations

import time
import tracemalloc

import pytest
from feed_server import FEEDS, LAST_MODIFIED, feed_server, gzip_bomb

from newscli.ingest.detect import SourceError
from newscli.ingest.fetch import MAX_REDIRECTS, Limits, fetch

FAST = Limits(timeout=5.0, max_bytes=1024 * 1024, retries=2, backoff=0.001)


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)


def test_conditional_get_gets_304_and_the_user_agent_names_newscli() -> None:
    with feed_server() as served:
        url = served.base + "/harbor-ledger-rss20.xml"
        first = fetch(url, FAST)
        assert first.data == (FEEDS / "harbor-ledger-rss20.xml").read_bytes()
        assert first.etag and first.last_modified == LAST_MODIFIED
        again = fetch(url, FAST, first.etag, first.last_modified)
        assert again.data is None  # 304: nothing new
        plain, conditional = served.seen("/harbor-ledger-rss20.xml")
        assert "if-none-match" not in plain
        assert conditional["if-none-match"] == first.etag
        assert conditional["if-modified-since"] == LAST_MODIFIED
        assert plain["user-agent"].startswith("newscli/")
        assert "gzip" in plain["accept-encoding"]


def test_a_5xx_is_tried_again_after_a_backoff() -> None:
    with feed_server() as served:
        served.failures["/lantern-jsonfeed.json"] = 2
        got = fetch(served.base + "/lantern-jsonfeed.json", FAST)
        assert got.data and got.attempts == 3
        served.failures["/lantern-jsonfeed.json"] = 3  # one more than --retries 2
        with pytest.raises(SourceError, match=r"HTTP 500 .*after 3 attempts"):
            fetch(served.base + "/lantern-jsonfeed.json", FAST)


def test_a_429_waits_for_retry_after() -> None:
    pauses: list[float] = []
    with feed_server({"limited.json": b"[]"}) as served:
        served.failures["/limited.json"] = 1
        got = fetch(served.base + "/limited.json", FAST, sleep=pauses.append)
    assert got.data == b"[]"
    assert pauses == [1.0]  # the server's Retry-After, not the 0.001 s backoff


def test_a_slow_server_hits_the_timeout() -> None:
    with feed_server() as served:
        served.slow = 2.0
        started = time.monotonic()
        with pytest.raises(SourceError, match=r"timed out after 0.3 s"):
            fetch(served.base + "/slow", Limits(timeout=0.3, retries=0))
        assert time.monotonic() - started < 1.5


def test_size_caps_hold_before_and_after_decompression() -> None:
    big = b"[" + b" " * 2048 + b"]"
    assert len(gzip_bomb()) < 64 * 1024  # made before measuring
    with feed_server({"big.json": big}) as served:
        with pytest.raises(SourceError, match="larger than the size cap"):
            fetch(served.base + "/big.json", Limits(max_bytes=1024))
        tracemalloc.start()
        try:
            with pytest.raises(SourceError, match="larger than the size cap"):
                fetch(served.base + "/gzip-bomb", Limits(max_bytes=1024 * 1024))  # 32 MiB
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < 8 * 1024 * 1024  # never decompressed much beyond the cap
        got = fetch(served.base + "/gzip/lantern-jsonfeed.json", FAST)  # compressed: fine
        assert got.data == (FEEDS / "lantern-jsonfeed.json").read_bytes()


def test_redirects_are_limited_and_never_leave_http() -> None:
    with feed_server() as served:
        with pytest.raises(SourceError, match=f"too many redirects .at most {MAX_REDIRECTS}"):
            fetch(served.base + "/loop", FAST)
        assert len([p for p, _ in served.requests if p.startswith("/loop")]) == MAX_REDIRECTS + 1
        with pytest.raises(SourceError, match="refused a redirect to 'file:///etc/passwd'"):
            fetch(served.base + "/to-file", FAST)


def test_a_missing_page_and_a_closed_port_are_one_line_each() -> None:
    with feed_server() as served:
        with pytest.raises(SourceError, match="HTTP 404"):
            fetch(served.base + "/nothing-here.xml", FAST)
        base = served.base
    with pytest.raises(SourceError, match=r"cannot fetch: .*refused"):
        fetch(base + "/harbor-ledger-rss20.xml", FAST)


def test_an_opml_list_imports_each_feed_with_its_defaults() -> None:
    from newscli.ingest.sources import Source, read_source

    nested = b'<opml version="2.0"><body><outline xmlUrl="{base}/newsroom-feeds.opml"/>'
    nested += b'<outline xmlUrl="/etc/passwd"/></body></opml>'
    with feed_server({"nested.opml": nested}) as served:
        served.files["nested.opml"] = nested.replace(b"{base}", served.base.encode())
        reads = read_source(Source(served.base + "/newsroom-feeds.opml", topics=("Desk",)),
                            FAST, lambda url: (None, None))  # fmt: skip
        harbor, northwind = reads
        assert (len(harbor.items), len(northwind.items)) == (3, 2)
        assert harbor.source.location == served.base + "/harbor-ledger-rss20.xml"
        assert harbor.items[0].provider_name == "Harbor Ledger"  # the outline's title
        assert northwind.items[1].topics == ["Space", "Desk"]
        inner, local = read_source(Source(served.base + "/nested.opml"), FAST,
                                   lambda url: (None, None))  # fmt: skip
    assert inner.error == "an OPML list inside an OPML list is not followed"
    assert (local.source.location, local.error) == ("/etc/passwd", "not an http(s) URL")


@pytest.mark.parametrize("control", [b"&#x1b;]0;t&#x7;", b"\x1b]0;t\x07", b"&#x9b;"])
def test_an_opml_url_or_title_holding_a_control_is_read_as_it_was(control: bytes) -> None:
    """h129 1: a control character in an outline's xmlUrl was fetched as its stand-in
    (U+F001B ...: GET /f.xml%F3%B0%80%9B...) and shown so in the error; a URL holding a
    control is none, and a title's controls are left out of the provider it names."""
    from newscli.ingest.sources import Source, read_source

    listed = b'<opml version="2.0"><body><outline xmlUrl="{base}/harbor-ledger-rss20.xml'
    listed += control + b'"/><outline title="Harbor' + control + b' Ledger" '
    listed += b'xmlUrl="{base}/harbor-ledger-rss20.xml"/></body></opml>'
    with feed_server() as served:
        served.files["l.opml"] = listed.replace(b"{base}", served.base.encode())
        bad, good = read_source(Source(served.base + "/l.opml"), FAST, lambda url: (None, None))
        fetched = [path for path, _ in served.requests]
    assert bad.error == "not an http(s) URL"
    shown = control.decode("latin-1").replace("&#x1b;", "\x1b").replace("&#x7;", "\x07")
    shown = shown.replace("&#x9b;", "\x9b")
    assert bad.source.location == served.base + "/harbor-ledger-rss20.xml" + shown
    assert fetched == ["/l.opml", "/harbor-ledger-rss20.xml"]  # (the bad one never asked)
    # (as a feed's own title would be: an escape sequence left out whole, C1's CSI too)
    names = {item.provider_name for item in good.items}
    assert names in ({"Harbor Ledger"}, {"Harboredger"}) and all(n.isprintable() for n in names)
