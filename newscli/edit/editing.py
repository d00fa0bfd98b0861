"""Byte-preserving edits of the `published` flag.

Only the value of the top-level `published:` key changes (or one `published: true` line
is added at the end of the front matter). The new text is parsed again and must differ
from the old only in `published`; the file is replaced atomically, and not at all if it
changed since it was read.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any, NamedTuple

from newscli.article.frontmatter_yaml import parse_front_matter
from newscli.article.model import article_from_mapping
from newscli.article.reading import read_bytes
from newscli.article.record import to_record
from newscli.edit.atomic import write_atomic
from newscli.errors import InvalidArticleError, NewscliError, OutputError
from newscli.index.cache_keys import Stamp

_BOM = b"\xef\xbb\xbf"
_BOUNDARY = re.compile(rb"-{3,}[ \t]*(\r\n|\r|\n)?")
_PUBLISHED_LINE = re.compile(
    rb"""(?P<key>(?P<q>["']?)published(?P=q)[ \t]*:[ \t]*)
         (?P<value>[A-Za-z]+)
         (?P<rest>[ \t]*(?:\#[^\r\n]*)?(?:\r\n|\r|\n)?)\Z""",
    re.VERBOSE,
)


class EditRefusedError(NewscliError):
    """The file was left alone; ``reason`` says why."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class ChangedError(EditRefusedError):
    """The file is no longer the version it was expected to be; it was left alone."""


class Version(NamedTuple):
    """One version of an article file, as it was loaded: its stamp, and its known
    fields as a record (record.to_record)."""

    stamp: Stamp
    record: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class EditResult:
    path: str
    old: bool
    new: bool

    @property
    def changed(self) -> bool:
        return self.old != self.new


def _front_matter_lines(raw: bytes) -> tuple[list[bytes], int, int]:
    """The file's lines (ends kept) and the indexes of the opening and closing boundary."""
    lines = raw.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None or not _BOUNDARY.fullmatch(lines[start]):
        raise EditRefusedError("no front matter")
    for end in range(start + 1, len(lines)):
        if _BOUNDARY.fullmatch(lines[end]):
            return lines, start, end
    raise EditRefusedError("front matter is not terminated")


def rewrite_published(raw: bytes, value: bool) -> bytes:
    """Return raw with the top-level `published` set to value, every other byte kept."""
    bom = _BOM if raw.startswith(_BOM) else b""
    lines, start, end = _front_matter_lines(raw[len(bom) :])
    new_value = b"true" if value else b"false"
    matches = [i for i in range(start + 1, end) if _PUBLISHED_LINE.match(lines[i])]
    if len(matches) > 1:
        raise EditRefusedError("more than one published line")
    if matches:
        i = matches[0]
        m = _PUBLISHED_LINE.match(lines[i])
        assert m is not None
        lines[i] = m["key"] + new_value + m["rest"]
    else:
        first = lines[start]
        eol = b"\r\n" if first.endswith(b"\r\n") else b"\r" if first.endswith(b"\r") else b"\n"
        lines.insert(end, b"published: " + new_value + eol)
    return bom + b"".join(lines)


def _read(path: str) -> bytes:
    try:
        return read_bytes(path)
    except InvalidArticleError as exc:
        raise EditRefusedError(exc.reason) from None


def _parse(raw: bytes) -> dict:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidArticleError("not valid UTF-8") from None
    data, _ = parse_front_matter(text)
    return data


def _stamp(path: str) -> Stamp | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return Stamp(info.st_size, info.st_mtime_ns, info.st_ino)


def set_published(
    path: str, value: bool, *, dry_run: bool = False, expect: Version | None = None
) -> EditResult:
    """Set `published` in one article file. A symbolic link's target is edited.

    ``expect``: edit only that version of the file (the one a selection or an export was
    made from); ChangedError when its stamp or its known fields differ now.

    Raises EditRefusedError (file left alone) when the file is invalid, the edit cannot
    be verified, the file changed meanwhile, or it cannot be written.
    """
    target = os.path.realpath(path)
    raw = _read(target)
    # Taken after the read: a file replaced or rewritten since the version expected
    # shows another stamp (if it changed after the read, it is refused too).
    stamp = _stamp(target) if expect is not None else None
    try:
        data = _parse(raw)
        article = article_from_mapping(path, data)
    except InvalidArticleError as exc:
        raise EditRefusedError(f"invalid, not edited: {exc.reason}") from None
    old = article.published
    if old == value:
        return EditResult(path, old, value)
    if expect is not None and (stamp != expect.stamp or to_record(article) != expect.record):
        raise ChangedError("changed since it was loaded; left alone")
    new_raw = rewrite_published(raw, value)
    try:
        new_data = _parse(new_raw)
    except InvalidArticleError:
        new_data = None
    if new_data != {**data, "published": value}:
        raise EditRefusedError("the edit could not be verified; file left alone")
    if not dry_run:

        def unchanged() -> None:
            if _read(target) != raw:
                raise EditRefusedError("file changed while it was being edited; left alone")

        try:
            write_atomic(target, new_raw, before_replace=unchanged)
        except OutputError as exc:
            raise EditRefusedError(str(exc)) from None
    return EditResult(path, old, value)
