"""A small HTTP server on 127.0.0.1 for the import tests: serves the feed fixtures with
ETag and Last-Modified (answering 304 to a matching conditional request) and a few
misbehaving routes. Every request is recorded (path and headers)."""

from __future__ import annotations

import functools
import gzip
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FEEDS = Path(__file__).resolve().parent / "fixtures" / "feeds"
LAST_MODIFIED = "Fri, 14 Mar 2025 10:05:00 GMT"
TYPES = {".xml": "application/rss+xml", ".rdf": "application/rdf+xml",
         ".json": "application/json", ".opml": "text/x-opml"}  # fmt: skip


@dataclass
class Served:
    """What the server holds and what it saw."""

    base: str = ""
    files: dict[str, bytes] = field(default_factory=dict)  # path -> body
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)  # path -> 5xx answers still due
    slow: float = 3.0  # seconds /slow waits before answering

    def seen(self, path: str) -> list[dict[str, str]]:
        return [headers for p, headers in self.requests if p == path]


@functools.cache
def gzip_bomb() -> bytes:
    """32 MiB of JSON that gzip packs into about 32 KB (one read of the response)."""
    return gzip.compress(b"[" + b" " * (32 * 1024 * 1024) + b"]", compresslevel=9)


def _handler(served: Served) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:  # quiet
            pass

        def _send(
            self, code: int, body: bytes = b"", headers: dict[str, str] | None = None
        ) -> None:
            self.send_response(code)
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)

        def do_GET(self) -> None:
            path = self.path
            served.requests.append((path, {k.lower(): v for k, v in self.headers.items()}))
            if served.failures.get(path, 0) > 0:
                served.failures[path] -= 1
                code = 429 if path.startswith("/limited") else 500
                self._send(code, b"busy", {"Retry-After": "1" if code == 429 else "0"})
                return
            if path == "/slow":
                time.sleep(served.slow)
                self._send(200, b"[]")
                return
            if path.startswith("/loop"):  # a new URL each time: /loop?1, /loop?2, ...
                hop = int(path.partition("?")[2] or 0) + 1
                self._send(302, headers={"Location": f"/loop?{hop}"})
                return
            if path == "/to-file":
                self._send(302, headers={"Location": "file:///etc/passwd"})
                return
            if path == "/gzip-bomb":
                body = gzip_bomb()
                self._send(200, body, {"Content-Encoding": "gzip",
                                       "Content-Type": "application/json"})  # fmt: skip
                return
            if path.startswith("/gzip/") and path[6:] in served.files:
                body = gzip.compress(served.files[path[6:]])
                self._send(200, body, {"Content-Encoding": "gzip"})
                return
            name = path.lstrip("/")
            if name not in served.files:
                self._send(404, b"not found")
                return
            etag = f'"{zlib.crc32(served.files[name]):08x}"'
            if self.headers.get("If-None-Match") == etag:
                self._send(304, headers={"ETag": etag})
                return
            kind = TYPES.get(Path(name).suffix, "application/octet-stream")
            self._send(200, served.files[name], {"Content-Type": kind, "ETag": etag,
                                                 "Last-Modified": LAST_MODIFIED})  # fmt: skip

    return Handler


@contextmanager
def feed_server(extra: dict[str, bytes] | None = None) -> Iterator[Served]:
    """Serve every fixture of tests/fixtures/feeds (OPML lists with ``{base}`` filled in)
    plus ``extra``, on 127.0.0.1 at a free port, for the duration of the block."""
    served = Served()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(served))
    server.daemon_threads = True  # a handler still sleeping (/slow) does not hold us up
    server.block_on_close = False
    server.handle_error = lambda request, address: None  # type: ignore[method-assign]
    served.base = f"http://127.0.0.1:{server.server_address[1]}"
    for path in FEEDS.iterdir():
        served.files[path.name] = path.read_bytes().replace(b"{base}", served.base.encode())
    served.files.update(extra or {})
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
