"""Reading a source's bytes: a local file, or one HTTP(S) GET with the standard
library's urllib.

Each attempt has one deadline (``timeout`` seconds for connecting, waiting and the
whole body); bodies are capped at ``max_bytes`` after decompression (gzip or deflate,
so a compressed bomb stops at the cap); at most MAX_REDIRECTS redirects, to http(s)
only; conditional GET with the remembered ETag / Last-Modified; 5xx and 429 are tried
again after a backoff, or after the server's Retry-After when it gives one.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

from newscli import __version__
from newscli.ingest.detect import SourceError

USER_AGENT = f"newscli/{__version__} (feed import; +https://pypi.org/project/newscli/)"
ACCEPT = (
    "application/feed+json, application/rss+xml, application/atom+xml, application/json, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
MAX_REDIRECTS = 5
MAX_RETRY_AFTER = 120.0  # seconds: a server asking for a longer pause fails this run
CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class Fetched:
    """A source's bytes (None: not modified since the remembered validators)."""

    data: bytes | None
    etag: str | None = None
    last_modified: str | None = None
    attempts: int = 1


@dataclass(frozen=True, slots=True)
class Limits:
    timeout: float = 30.0
    max_bytes: int = 32 * 1024 * 1024
    retries: int = 2
    backoff: float = 1.0  # seconds before the first retry, doubled after each


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def read_file(path: str, limits: Limits) -> bytes:
    """A local source, at most max_bytes (a FIFO or device is refused, never read)."""
    try:
        info = os.stat(path)
        if not os.path.isfile(path):  # (h150: a folder said so, as `show` says it)
            raise SourceError("is a folder" if os.path.isdir(path) else "not a regular file")
        if info.st_size > limits.max_bytes:
            raise SourceError(_too_big(limits))
        with open(path, "rb") as handle:
            data = handle.read(limits.max_bytes + 1)
    except FileNotFoundError:
        raise SourceError("no such file") from None
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}") from None
    if len(data) > limits.max_bytes:
        raise SourceError(_too_big(limits))
    return data


STDIN = "-"  # the source that is standard input


def read_stdin(limits: Limits) -> bytes:
    """Standard input as a source (``-``, h118: a feed piped in had to be a file
    first), at most max_bytes; a terminal is refused, never waited on."""
    try:
        if os.isatty(0):
            raise SourceError("standard input is a terminal: pipe a feed into it")
        chunks, size = [], 0
        while size <= limits.max_bytes:
            chunk = os.read(0, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise SourceError(f"cannot read standard input: {exc.strerror or exc}") from None
    if size > limits.max_bytes:
        raise SourceError(_too_big(limits))
    return b"".join(chunks)


def _too_big(limits: Limits) -> str:
    return f"larger than the size cap ({limits.max_bytes:,} bytes; see --max-size)"


class _Redirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def redirect_request(
        self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> Any:
        if not is_url(newurl):
            raise SourceError(f"refused a redirect to {newurl[:80]!r} (only http and https)")
        _no_credentials(newurl)
        if not (headers.get("Location") or headers.get("URI") or "").strip():
            # (h104: a blank Location leads to the page itself: "too many redirects")
            raise SourceError(f"HTTP {code} {msg} without a Location to follow".strip())
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class _Sockets:
    """The sockets an attempt opened (redirects too), shut at its deadline: a socket's
    own timeout is per read, so a server sending its status line or headers a byte a
    second would otherwise hold the run past --timeout for ever."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.open: list[socket.socket] = []
        self.expired = False

    def add(self, sock: socket.socket) -> None:
        with self.lock:
            self.open.append(sock)
            expired = self.expired
        if expired:
            self.shut()

    def shut(self) -> None:
        with self.lock:
            self.expired = True
            sockets = list(self.open)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def _tracked(base: Any, sockets: _Sockets) -> Any:
    class Connection(base):  # type: ignore[misc, valid-type]
        def connect(self) -> None:
            super().connect()
            sockets.add(self.sock)

    return Connection


def _opener(sockets: _Sockets | None = None) -> urllib.request.OpenerDirector:
    """http(s) only: no file:, ftp: or data: handler, so nothing can lead there."""
    tracked = sockets if sockets is not None else _Sockets()

    class Http(urllib.request.HTTPHandler):
        def http_open(self, req: Any) -> Any:
            return self.do_open(_tracked(http.client.HTTPConnection, tracked), req)

    class Https(urllib.request.HTTPSHandler):
        def https_open(self, req: Any) -> Any:
            return self.do_open(
                _tracked(http.client.HTTPSConnection, tracked),
                req,
                context=self._context,  # type: ignore[attr-defined]
            )

    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        Http(),
        Https(),
        _Redirects(),
        urllib.request.HTTPErrorProcessor(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.UnknownHandler(),
    ):
        opener.add_handler(handler)
    return opener


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


def _body(response: Any, deadline: float, limits: Limits) -> bytes:
    """The response body, decompressed, within the deadline and the size cap."""
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > limits.max_bytes:
        raise SourceError(_too_big(limits))
    encoding = (response.headers.get("Content-Encoding") or "identity").strip().lower()
    decoder: Any = None
    if encoding in ("gzip", "x-gzip"):
        decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        decoder = _Deflate()
    elif encoding != "identity":
        raise SourceError(f"unsupported Content-Encoding {encoding[:40]!r}")
    parts: list[bytes] = []
    size = 0
    received = 0
    sock = _socket(response)
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError()
        if sock is not None and sock.fileno() != -1:  # (Python 3.13's read1 closes the
            # connection once Content-Length bytes came: then there is nothing to wait for)
            sock.settimeout(remaining)
        try:
            chunk = response.read1(CHUNK) if hasattr(response, "read1") else response.read(CHUNK)
        except http.client.IncompleteRead:  # (h51: "cannot fetch: IncompleteRead(0 bytes
            # read)" of a chunked body cut short)
            raise SourceError(
                f"the download ended early ({received:,} bytes, then a chunk cut short)"
            ) from None
        if not chunk:
            break
        received += len(chunk)
        if decoder is not None:
            try:
                chunk = decoder.decompress(chunk, limits.max_bytes - size + 1)
            except zlib.error as exc:
                raise SourceError(f"cannot decompress the response: {exc}") from None
            if decoder.unconsumed_tail:
                raise SourceError(_too_big(limits))
        size += len(chunk)
        if size > limits.max_bytes:
            raise SourceError(_too_big(limits))
        parts.append(chunk)
    chunked = "chunked" in (response.headers.get("Transfer-Encoding") or "").lower()
    if length.isdigit() and not chunked and received < int(length):
        raise SourceError(f"the download ended early ({received:,} of {int(length):,} bytes)")
    if decoder is not None and not decoder.eof:
        raise SourceError("the download ended early (the compressed data is cut short)")
    return b"".join(parts)


class _Deflate:
    """A "deflate" body: zlib's format, as HTTP names it, or raw deflate without its
    header, which servers send and browsers read (h102). Told apart by the first two
    bytes (a zlib header is a multiple of 31, method 8)."""

    def __init__(self) -> None:
        self._decoder: Any = None
        self._start = b""

    def decompress(self, data: bytes, most: int) -> bytes:
        if self._decoder is None:
            self._start += data
            if len(self._start) < 2:
                return b""
            first, second = self._start[0], self._start[1]
            zlib_header = first & 0x0F == 8 and (first << 8 | second) % 31 == 0
            self._decoder = zlib.decompressobj(zlib.MAX_WBITS if zlib_header else -zlib.MAX_WBITS)
            data, self._start = self._start, b""
        return bytes(self._decoder.decompress(data, most))

    @property
    def unconsumed_tail(self) -> bytes:
        return bytes(self._decoder.unconsumed_tail) if self._decoder is not None else b""

    @property
    def eof(self) -> bool:
        return bool(self._decoder is not None and self._decoder.eof)


def _socket(response: Any) -> socket.socket | None:
    """The socket under an http.client response (to shorten its timeout as the
    deadline nears), or None."""
    try:
        return response.fp.raw._sock  # type: ignore[no-any-return]
    except AttributeError:
        return None


def wire_url(url: str) -> str:
    """``url`` as it goes on the wire, as browsers and curl send it (h32: a feed at
    `/café` could not be fetched, its path not ASCII): the host in IDNA, the path and
    query percent-encoded where they hold a space, a control or a non-ASCII character
    (escapes already there kept). Raises SourceError for a host IDNA cannot hold."""
    import urllib.parse

    if url.isascii() and " " not in url and url.isprintable():
        return url
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    try:
        wire_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise SourceError("cannot fetch: the host name is not a valid domain name") from None
    netloc = parts.netloc.rpartition("@")
    address = wire_host if ":" not in wire_host else f"[{wire_host}]"
    port = f":{parts.port}" if parts.port is not None else ""
    netloc_wire = (netloc[0] + netloc[1] if netloc[1] else "") + address + port
    safe = "/%:@!$&'()*+,;=-._~"
    return urllib.parse.urlunsplit((
        parts.scheme,
        netloc_wire,
        urllib.parse.quote(parts.path, safe=safe),
        urllib.parse.quote(parts.query, safe=safe + "?"),
        "",
    ))  # fmt: skip


def _no_credentials(url: str) -> None:
    """Refuse a URL holding a user name or password: newscli sends none (h105: it went
    on the wire as part of the host, "Name or service not known")."""
    if "@" in urllib.parse.urlsplit(url).netloc:
        raise SourceError(
            "cannot fetch: the URL holds a user name or password, and newscli sends none"
        )


def fetch(
    url: str,
    limits: Limits,
    etag: str | None = None,
    last_modified: str | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Fetched:
    """GET url (conditional when validators are given). Raises SourceError."""
    _no_credentials(url)
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    attempt = 0
    while True:
        attempt += 1
        deadline = time.monotonic() + limits.timeout
        sockets = _Sockets()
        opener = _opener(sockets)
        watchdog = threading.Timer(limits.timeout, sockets.shut)
        watchdog.daemon = True
        watchdog.start()
        try:
            request = urllib.request.Request(wire_url(url), headers=headers)
            with opener.open(request, timeout=limits.timeout) as response:
                try:
                    data = _body(response, deadline, limits)
                except SourceError:
                    if sockets.expired:  # (h51: "ended early", where the watchdog cut it)
                        raise TimeoutError() from None
                    raise
                if sockets.expired:  # the watchdog cut the body short
                    raise TimeoutError()
                return Fetched(
                    data,
                    response.headers.get("ETag"),
                    response.headers.get("Last-Modified"),
                    attempt,
                )
        except urllib.error.HTTPError as exc:
            with exc:
                status = f"HTTP {exc.code} {exc.reason}".strip()
                if exc.code == 304:
                    if etag or last_modified:
                        return Fetched(None, etag, last_modified, attempt)
                    # (h102: counted "not modified" on every run, the source never read)
                    raise SourceError(f"{status}, to a request for the whole feed") from None
                if 300 <= exc.code <= 399:  # urllib stopped following redirects
                    if "infinite loop" in str(exc.reason):
                        raise SourceError(f"too many redirects (at most {MAX_REDIRECTS})") from None
                    where = (exc.headers.get("Location") or "") if exc.headers else ""
                    target = urllib.parse.urljoin(str(exc.filename or url), where)
                    if where and not is_url(target):  # (urllib's own refusal)
                        raise SourceError(
                            f"refused a redirect to {target[:80]!r} (only http and https)"
                        ) from None
                    # (h102: one without a Location was said to be to another scheme)
                    said = "without a Location to follow" if not where else "not followed"
                    raise SourceError(f"{status} {said}") from None
                if exc.code not in (429,) and not 500 <= exc.code <= 599:
                    raise SourceError(status) from None
                if attempt > limits.retries:
                    raise SourceError(f"{status} (after {attempt} attempts)") from None
                pause = _retry_after(exc.headers.get("Retry-After") if exc.headers else None)
                if pause is not None and pause > MAX_RETRY_AFTER:
                    raise SourceError(f"{status}; asked to retry after {pause:.0f} s") from None
                sleep(limits.backoff * 2 ** (attempt - 1) if pause is None else pause)
        except TimeoutError:
            raise SourceError(f"timed out after {limits.timeout:g} s") from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError) or sockets.expired:
                raise SourceError(f"timed out after {limits.timeout:g} s") from None
            if isinstance(reason, OSError):
                reason = reason.strerror or str(reason)
            raise SourceError(f"cannot fetch: {reason}") from None
        except (OSError, ValueError, http.client.HTTPException) as exc:  # reset, bad URL
            if sockets.expired:
                raise SourceError(f"timed out after {limits.timeout:g} s") from None
            text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
            raise SourceError(f"cannot fetch: {text}") from None
        finally:
            watchdog.cancel()
