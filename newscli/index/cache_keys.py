"""What the index cache stores and compares: stamps, entries, keys and listings.

Keys are resolved paths split into (folder ending in a separator, name), stored as
their bytes so that names which are not UTF-8 work too. A folder's *listing* is the
(name, size, mtime_ns, ctime_ns, inode) of its files, sorted by name, as marshal bytes:
equal listings give equal bytes, so whole folders compare in one step.
"""

from __future__ import annotations

import marshal
import os
import zlib
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from newscli.article.record import FIELDS

# The index cache's schema; a database of another is made again. Its history:
# 29: CSV cells keep the version they were made from (h158: read joined with the
# exports, a warm CSV export was 1.36x slower);
# 28: the version is a BLAKE2b digest, stored with the text too (h157: a CRC-32 can be
# matched by a crafted file);
# 27: each file's row holds its export JSON's version (its checksum), which a text read
# after the selection is checked against (h155 F3: another run's version was written);
# 26: each folder's listing with a checksum of its rows' names, in order (h149: a row
# whose name lost a byte, its other columns shifted, passed every check);
# 25: the checksums cover each row's key too (h138: another row's text and sum copied
# into a row passed);
# 24: a quality or heat YAML 1.2 reads otherwise than YAML 1.1 (`1:30`, `017`) is
# invalid (h136: `quality: 1:30` was 90);
# 23: each export text and each file's CSV cells with their checksum (h122 MED: a byte
# changed inside one, which SQLite cannot see, was copied into a json export as it was);
# 22: topic keys folded composed (NFC: "café" with a combining accent is "café");
# 21: topic keys folded as every comparison does (article.folding: "İstanbul" is "istanbul");
# 20: cells made anew (a noncharacter is U+FFFD in them, h94);
# 19: dates of ASCII digits only, and a second's digits past the ninth (h93, h94);
# 18: a key .inf/.nan is named "inf"/"nan" in the export, as `fields` and `show` name
# it (it was "None", which no --where or --fields could name: h43);
# 17: an unquoted impossible date lists the file's other problems too (h42);
# 16: `rejected` other than true, false or null is invalid (h36);
# 15: keys naming one field (1 and "1") are duplicates (such files are invalid now);
# 14: triggers keep the listings; 13: ctime_ns beside mtime_ns (the later of the two was
# kept); 12: cells; 11: problems, field_map; 10: rejected; 9: impossible dates with their
# field and line; integers bounded
SCHEMA_VERSION = 29
_MARSHAL_VERSION = 2  # no back-references: the same listing gives the same bytes

# (name, size, mtime_ns, ctime_ns, inode): one file of a listing
Listed = tuple[str, int, int, int, int]
Packed = tuple[int, bytes]  # a folder's files as (how many, the bytes of their listing)
Files = list[Listed] | Packed  # a folder's files, listed or packed
STAMP_COLUMNS = ("size", "mtime_ns", "ctime_ns", "inode")
STAMP_SQL = ", ".join(STAMP_COLUMNS)  # (as a query selects them)
ERROR_COLUMNS = ("error", "error_line", "error_field")
# Beside a file's first error or its record: all of its problems, as `validate` gives them
# (JSON, when they are not just the error), its field map (article.field_map) and the
# version of its export JSON (version_of, stored with the text too: StoredText checks
# the text read after the selection against it, h155 F3).
EXTRA_COLUMNS = ("problems", "field_map", "version")


class Stamp(NamedTuple):
    """What identifies one version of a file: its size, modification and status-change
    times (ns) and inode; a version differs when any of them does. Both times are
    kept: a rewrite in place that puts the old mtime back (`touch -r`, `os.utime`, a
    copy keeping times) still moves ctime, which nothing but the kernel sets, and on a
    file system whose ctime is the creation time (vfat) only mtime moves. (The later of
    the two alone missed a rewrite of a file whose mtime is in the future: it stayed
    that mtime.) A rename or chmod moves ctime too, which only costs one more read."""

    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int


def stamp_of(info: os.stat_result) -> Stamp:
    """The Stamp of the file version ``os.stat`` looked at."""
    return Stamp(info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


class Entry(NamedTuple):
    """A cached result: a record (valid) or an error (invalid). ``problems``: every
    problem of an invalid file as JSON ``[[reason, line, field], ...]`` (None: the error
    is the only one); ``field_map``: what article.field_map made of a valid one;
    ``version``: its export JSON's version (a valid one's, once known: versioned)."""

    record: tuple[Any, ...] | None
    error: tuple[str, int | None, str | None] | None
    problems: str | None = None
    field_map: str | None = None
    version: bytes | None = None


FILTERED = Entry(None, None)  # unchanged, and cannot match the prefilter


def sound_error(error: tuple[Any, ...]) -> bool:
    """Whether a stored error is one this code stores: a reason, a line or none (h149:
    a flipped bit made a reason the number 0, an internal error in every run)."""
    reason, line = error[0], error[1]
    return type(reason) is str and (line is None or type(line) is int)


def entry(row: Sequence[Any]) -> Entry:
    """The Entry of a row that starts with the error columns, then the extra columns,
    then the fields."""
    if row[0] is not None:
        return Entry(None, (row[0], row[1], row[2]), row[3])
    record = list(row[6:])
    for index in _REPEATED:  # one string each, not one per row (100,000 rows: ~30 MB)
        value = record[index]
        if value is not None:
            record[index] = _shared.setdefault(value, value) if len(_shared) < 50_000 else value
    field_map = row[4]
    if field_map is not None and len(_shared) < 50_000:
        field_map = _shared.setdefault(field_map, field_map)
    version = row[5]
    if type(version) is not bytes:  # (damage, a null too: its text is taken for changed,
        version = b""  # its row forgotten, and the next run reads the file again)
    return Entry(tuple(record), None, None, field_map, version)


# Record fields whose values repeat across many files.
_REPEATED = tuple(
    FIELDS.index(name)
    for name in ("type", "category", "categories", "provider_name", "provider_domain", "topics")
)
_shared: dict[str, str] = {}


def checksum(key: bytes, text: str) -> int:
    """What a stored text is checked against when read back: CRC-32 of its row's key
    and its UTF-8 (about 1 us for an article's export JSON; with the key, h138: another
    row's text and sum copied into a row, or an empty text, passed)."""
    return zlib.crc32(text.encode("utf-8", "surrogatepass"), zlib.crc32(key + b"\0"))


def version_of(text: str) -> bytes:
    """The version of an export JSON: a 128-bit BLAKE2b digest of its UTF-8 (h157: a
    CRC-32, which a file's author can match in seconds, let a crafted new version pass
    for the one selected). About 4 us for an article's; computed where a text is stored
    or made again, never for a text read back (its version is stored with it)."""
    try:
        from _blake2 import blake2b  # (hashlib's OpenSSL import costs 6 ms more)
    except ImportError:  # pragma: no cover  (a Python without it)
        from hashlib import blake2b
    return blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def versioned(entry: Entry, text: str | None) -> Entry:
    """A valid file's entry with the version of its export JSON ``text``."""
    if text is None or entry.record is None or entry.version is not None:
        return entry
    return entry._replace(version=version_of(text))


def sound_text(key: object, text: object, stored: object) -> bool:
    """Whether a text read back with its key and checksum is the one stored."""
    return isinstance(key, bytes) and isinstance(text, str) and checksum(key, text) == stored


def to_bytes(text: str) -> bytes:
    """A path's bytes as the file system has them (os.fsencode: the same as UTF-8 in
    Python's UTF-8 mode, and under an ASCII locale with it off, h40: a name read back
    as other text could not be found, so an invalid file passed --strict)."""
    try:
        return os.fsencode(text)
    except UnicodeEncodeError:  # (text the file system cannot name: as UTF-8)
        return text.encode("utf-8", "surrogateescape")


def to_text(data: bytes) -> str:
    return os.fsdecode(data)


def stored_form(files: list[Listed]) -> list[tuple[bytes, int, int, int, int]]:
    """Files of a listing as the cache's rows hold them (names as bytes)."""
    return [(to_bytes(name), size, mt, ct, inode) for name, size, mt, ct, inode in files]


def split_key(key: str) -> tuple[str, str]:
    """(folder ending in a separator, name) of a resolved file path."""
    folder, _, name = key.rpartition(os.sep)
    return folder + os.sep, name


def listing(files: list[Listed]) -> bytes:
    """The bytes a folder's listing is stored and compared as."""
    return marshal.dumps(files, _MARSHAL_VERSION)


def names_sum(names: Iterable[bytes]) -> int:
    """The checksum of a folder's names (as bytes, in order) kept with its listing, for
    the names its rows give back (cache_survey; CRC-32 of them joined by '/')."""
    return zlib.crc32(b"/".join(names))


def pack(files: list[Listed]) -> Packed:
    return len(files), listing(files)


def unpack(files: Files) -> list[Listed]:
    """The files, listed."""
    return files if isinstance(files, list) else marshal.loads(files[1])


def listing_of(files: Files) -> bytes:
    return listing(files) if isinstance(files, list) else files[1]


def count_of(files: Files) -> int:
    return len(files) if isinstance(files, list) else files[0]


def key_range(prefix: bytes) -> tuple[bytes, bytes]:
    """Bounds of every key that starts with ``prefix`` (which ends in a separator)."""
    return prefix, prefix[:-1] + bytes([prefix[-1] + 1])


def outermost(prefixes: Iterable[str]) -> list[str]:
    """The prefixes that are not inside another one of them."""
    kept: list[str] = []
    for prefix in sorted(set(prefixes)):
        if not kept or not prefix.startswith(kept[-1]):
            kept.append(prefix)
    return kept
