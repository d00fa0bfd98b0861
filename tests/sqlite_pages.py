"""Damage made by hand in an SQLite database's pages, where SQLite sees none: the
index cache's tests of damage it must catch itself (tests/index/test_cache_silent_damage.py,
tests/review/test_review_damage.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def varint(data: bytes | bytearray, at: int) -> tuple[int, int]:
    """SQLite's varint at ``at``: (its value, where the next starts)."""
    value = 0
    for n in range(9):
        byte = data[at + n]
        if n == 8:
            return (value << 8) | byte, at + 9
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, at + n + 1
    raise AssertionError("unreachable")


def flip_type(database: Path, name: bytes, column: int, bit: int) -> None:
    """Flip ``bit`` (1: a blob read as text; 2: a blob one byte shorter) of the serial
    type of ``column`` (0 folder, 1 name) in the record of the `files` row named
    ``name``, on its leaf page (SQLite sees no damage in the header itself)."""
    db = sqlite3.connect(database)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    query = "SELECT pageno FROM dbstat WHERE name = 'files' AND pagetype = 'leaf'"
    pages = [page for (page,) in db.execute(query)]
    size = db.execute("PRAGMA page_size").fetchone()[0]
    db.close()
    data = bytearray(database.read_bytes())
    for page in pages:
        start = (page - 1) * size
        head = start + (100 if page == 1 else 0)
        cells = int.from_bytes(data[head + 3 : head + 5], "big")
        for n in range(cells):
            at = start + int.from_bytes(data[head + 8 + 2 * n : head + 10 + 2 * n], "big")
            _, at = varint(data, at)  # (the payload's size)
            header, next_type = varint(data, at)
            body = at + header
            types = []  # (where each column's serial type ends, and the type)
            while next_type < body:
                kind, next_type = varint(data, next_type)
                types.append((next_type - 1, kind))
            lengths = [(kind - 12) // 2 for _, kind in types[:2]]
            found = bytes(data[body + lengths[0] : body + lengths[0] + lengths[1]])
            if found == name:
                data[types[column][0]] ^= bit  # (the varint's last byte holds its low bits)
                database.write_bytes(bytes(data))
                return
    raise AssertionError(f"no row named {name!r}")
