"""Reading one article file: its bytes (bounded), its text (UTF-8, a BOM accepted),
its validated Article."""

from __future__ import annotations

import errno
import os
from stat import S_ISREG

from newscli.article.model import Article, article_from_mapping
from newscli.errors import InvalidArticleError

MAX_FILE_BYTES = 16 << 20


# Opening never blocks (a FIFO without a writer would wait forever); symbolic links
# are followed. Whatever is opened must then be a regular file.
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)

# Errors of the process or the machine, not of the file: they must not make the file
# "invalid" (the index cache would keep that problem until the file changes), so they
# end the run instead.
_TRANSIENT = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOMEM, errno.ENOBUFS})


def read_bytes(path: str) -> bytes:
    """A file's bytes, at most MAX_FILE_BYTES. Raises InvalidArticleError, also for
    anything that is not a regular file (a FIFO or device would block or never end,
    and a file can be replaced by one after the folder was listed)."""
    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError as exc:
        if exc.errno in _TRANSIENT:
            raise
        raise InvalidArticleError(f"cannot read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not S_ISREG(info.st_mode):
            raise InvalidArticleError("not a regular file")
        raw = _read_all(fd, info.st_size)
    except OSError as exc:
        if exc.errno in _TRANSIENT:
            raise
        raise InvalidArticleError(f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(raw) > MAX_FILE_BYTES:
        raise InvalidArticleError(f"file is larger than {MAX_FILE_BYTES >> 20} MiB")
    return raw


def _read_all(fd: int, size: int) -> bytes:
    """Up to MAX_FILE_BYTES + 1 bytes. The first read asks for the size the file has
    plus one byte (a huge request costs a huge buffer, about 25 µs per file); a file
    that grew since is read on. A first read that gives exactly the size fstat gave (one
    byte less than asked) has reached the end: no second read to see it."""
    limit = MAX_FILE_BYTES + 1
    ask = min(size, MAX_FILE_BYTES) + 1
    first = os.read(fd, ask)
    if len(first) == size < ask:
        return first
    parts: list[bytes] = [first]
    total = len(first)
    ask = 1 << 16
    while total < limit:
        piece = os.read(fd, min(ask, limit - total))
        if not piece:
            break
        parts.append(piece)
        total += len(piece)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def read_text(path: str) -> str:
    """A file's text as UTF-8 (a BOM is accepted). Raises InvalidArticleError."""
    raw = read_bytes(path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidArticleError(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        ) from None


def load_with_body(path: str) -> tuple[Article, str]:
    """Load and validate one article file, with its Markdown body. Raises
    InvalidArticleError."""
    # Imported here: a run that finds everything in the cache never needs YAML.
    from newscli.article.frontmatter_yaml import parse_front_matter

    data, body = parse_front_matter(read_text(path))
    return article_from_mapping(path, data), body


def load_file(path: str) -> Article:
    """Load and validate one article file. Raises InvalidArticleError."""
    return load_with_body(path)[0]
