"""Reading one article file: its bytes (bounded), its text (UTF-8, a BOM accepted),
its validated Article."""

from __future__ import annotations

import os

from newscli.article.model import Article, article_from_mapping
from newscli.errors import InvalidArticleError

MAX_FILE_BYTES = 16 << 20


def read_bytes(path: str) -> bytes:
    """A file's bytes, at most MAX_FILE_BYTES. Raises InvalidArticleError."""
    try:
        with open(path, "rb") as handle:
            # Ask for the size the file has (plus one byte, to notice growth): a huge
            # read() request costs a huge buffer, about 25 µs per file.
            want = min(os.fstat(handle.fileno()).st_size, MAX_FILE_BYTES) + 1
            raw = handle.read(want)
            if len(raw) == want:  # grew since fstat (or is at the limit): read on
                raw += handle.read(MAX_FILE_BYTES + 1 - len(raw))
    except OSError as exc:
        raise InvalidArticleError(f"cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise InvalidArticleError(f"file is larger than {MAX_FILE_BYTES >> 20} MiB")
    return raw


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
