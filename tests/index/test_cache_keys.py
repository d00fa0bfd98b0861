"""newscli.index.cache_keys: keys, stamps, entries and folder listings of the index cache."""

from __future__ import annotations

import os

from newscli.article.record import FIELDS
from newscli.index.cache_keys import (
    FILTERED,
    Entry,
    entry,
    key_range,
    listing,
    outermost,
    split_key,
    stored_form,
    to_bytes,
    to_text,
)


def test_keys_split_into_folder_and_name() -> None:
    assert split_key(f"{os.sep}a{os.sep}b{os.sep}c.md") == (f"{os.sep}a{os.sep}b{os.sep}", "c.md")


def test_names_that_are_not_utf8_survive_the_round_trip() -> None:
    name = os.fsdecode(b"bad\xffname.md")
    assert to_bytes(name) == b"bad\xffname.md"
    assert to_text(to_bytes(name)) == name
    assert stored_form([(name, 1, 2, 3, 4)]) == [(b"bad\xffname.md", 1, 2, 3, 4)]


def test_key_range_covers_exactly_the_keys_below_a_folder() -> None:
    low, high = key_range(b"/a/b/")
    inside = [b"/a/b/", b"/a/b/x.md", b"/a/b/c/d.md", b"/a/b/\xff"]
    outside = [b"/a/b", b"/a/b0/x.md", b"/a/bc/x.md", b"/a/a/x.md", b"/a/b0"]
    assert all(low <= key < high for key in inside)
    assert not any(low <= key < high for key in outside)


def test_outermost() -> None:
    assert outermost(["/a/b/", "/a/", "/c/", "/a/", "/ab/"]) == ["/a/", "/ab/", "/c/"]
    assert outermost([]) == []


def test_listings_are_equal_bytes_for_equal_files() -> None:
    files = [("a.md", 1, 10, 100), ("b.md", 2, 20, 200)]
    assert listing(files) == listing([tuple(f) for f in files])  # type: ignore[misc]
    assert listing(files) != listing([("a.md", 1, 10, 100), ("b.md", 3, 20, 200)])
    assert listing(files) != listing([("a.md", 1, 10, 100), ("b.md", 2, 20, 201)])
    assert listing(files) != listing(files[:1])
    shared = "x" * 50  # the same string twice: no back-reference changes the bytes
    assert listing([(shared, 1, 1, 1), (shared, 1, 1, 1)]) == listing(
        [("x" * 50, 1, 1, 1), ("x" * 50, 1, 1, 1)]
    )


def test_entries() -> None:
    # error columns, then the problems, the field map and the version, then the record
    assert entry(("bad", 3, "quality", None, None, None)) == Entry(None, ("bad", 3, "quality"))
    assert entry(("bad", 3, "q", "[]", None, None)) == Entry(None, ("bad", 3, "q"), "[]")
    record = tuple(f"value {i}" for i in range(len(FIELDS)))
    head = (None, None, None, None, "m", b"v" * 16)
    assert entry((*head, *record)) == Entry(record, None, None, "m", b"v" * 16)
    # a valid file's version that is no digest (damage, a null too) is one no text has:
    # its text is taken for changed (left out, its row forgotten: read again next run)
    assert entry((*head[:5], "v", *record)).version == b""
    assert entry((*head[:5], None, *record)).version == b""
    # repeated values are shared between entries: one string each
    again = entry((*head, *(f"value {i}" for i in range(len(FIELDS)))))
    topics = FIELDS.index("topics")
    assert (
        again.record is not None and again.record[topics] is entry((*head, *record)).record[topics]
    )
    assert Entry(None, None) == FILTERED
