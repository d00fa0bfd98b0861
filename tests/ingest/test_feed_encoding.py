"""A feed that declares UTF-8 (or nothing) but is not valid UTF-8: mostly UTF-8 with a
few stray bytes keeps every other letter (the stray bytes become U+FFFD; feedparser alone
read all of it as windows-1252, so every accented letter became two); text with no UTF-8
in it is windows-1252, as feedparser reads it. Either way import says so, once a source."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli

from newscli.ingest.feeds import parse_feed

HEAD = b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>'


def feed(*titles: bytes, declaration: bytes = HEAD) -> bytes:
    items = b"".join(
        b"<item><title>%s</title><link>https://a.example/%d</link></item>" % (title, n)
        for n, title in enumerate(titles)
    )
    return declaration + items + b"</channel></rss>"


MIXED = feed("Café in München".encode(), b"Bad \xff byte", "Naïve résumé".encode())
LEGACY = feed(b"Caf\xe9 news", b"M\xfcnchen \x93quoted\x94")


def titles(data: bytes) -> list[str | None]:
    return [item.title for item in parse_feed(data).items]


def test_mostly_utf8_keeps_its_letters_and_replaces_the_stray_bytes() -> None:
    parsed = parse_feed(MIXED)
    assert [i.title for i in parsed.items] == ["Café in München", "Bad \ufffd byte", "Naïve résumé"]
    assert parsed.encoding == "1 sequence not valid UTF-8 read as U+FFFD"
    undeclared = MIXED.replace(b' encoding="utf-8"', b"")
    assert titles(undeclared) == ["Café in München", "Bad \ufffd byte", "Naïve résumé"]


def test_legacy_text_is_windows_1252_and_valid_text_says_nothing() -> None:
    parsed = parse_feed(LEGACY)
    assert [i.title for i in parsed.items] == ["Café news", "München \u201cquoted\u201d"]
    assert parsed.encoding == "declared as utf-8, but parsed as windows-1252"
    valid = feed("Café in München".encode())
    assert (titles(valid), parse_feed(valid).encoding) == (["Café in München"], None)
    # Another declared encoding is read as declared, never "repaired" as UTF-8.
    # (Its bytes C3 A9 would read as UTF-8's é.)
    latin = feed("Ã©Ã©Ã© Café".encode("latin-1"), declaration=HEAD.replace(b"utf-8", b"latin-1"))
    assert (titles(latin), parse_feed(latin).encoding) == (["Ã©Ã©Ã© Café"], None)


def test_import_says_it_once_per_source_and_writes_the_letters(tmp_path: Path) -> None:
    (tmp_path / "mixed.xml").write_bytes(MIXED)
    (tmp_path / "legacy.xml").write_bytes(LEGACY.replace(b"a.example", b"b.example"))
    done = run_cli("import", "mixed.xml", "legacy.xml", "--into", "feeds", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    notes = [line for line in done.stderr.splitlines() if "UTF-8" in line or "utf-8" in line]
    assert notes == [
        "newscli: mixed.xml: 1 sequence not valid UTF-8 read as U+FFFD",
        "newscli: legacy.xml: declared as utf-8, but parsed as windows-1252",
    ]
    written = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "feeds").rglob("*.md"))
    for title in ("Café in München", "Bad \ufffd byte", "Naïve résumé", "München \u201cquoted"):
        assert title in written
    quiet = run_cli("import", "mixed.xml", "--into", "f2", "--quiet", cwd=tmp_path)
    assert (quiet.returncode, quiet.stderr) == (0, "")


def test_utf16_without_a_bom_is_never_repaired_as_utf8(tmp_path: Path) -> None:
    """UTF-16 without a BOM declares its encoding in UTF-16, which the declaration's
    pattern cannot read, so it looked undeclared (UTF-8). Its CJK letters U+8FC2-U+8FDF
    are the bytes of UTF-8 pairs (C2-DF 8F), so one letter that is not (é: E9 00) made it
    "mostly UTF-8": every title turned into other letters and U+FFFD."""
    title = "".join(chr(0x8F00 + low) for low in range(0xC2, 0xE0)) + " é"
    document = feed(b"%s", declaration=HEAD.replace(b"utf-8", b"utf-16")).decode() % title
    for codec in ("utf-16-le", "utf-16-be"):
        parsed = parse_feed(document.encode(codec))
        assert ([i.title for i in parsed.items], parsed.encoding) == ([title], None), codec
    (tmp_path / "cjk.xml").write_bytes(document.encode("utf-16-le"))
    done = run_cli("import", "cjk.xml", "--into", "feeds", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "U+FFFD" not in done.stderr and "windows-1252" not in done.stderr, done.stderr
    (written,) = (tmp_path / "feeds").rglob("*.md")
    assert title in written.read_text(encoding="utf-8")


def test_the_note_says_whether_the_feed_declared_utf8_or_nothing() -> None:
    """feedparser says "declared as utf-8" of a feed that declares no encoding; and where
    windows-1252 lacks a byte (81) its fallback is iso-8859-2: the note names that."""
    undeclared = LEGACY.replace(b'<?xml version="1.0" encoding="utf-8"?>', b"")
    assert parse_feed(undeclared).encoding == (
        "declaring no encoding (so utf-8), but parsed as windows-1252"
    )
    with_bom = b"\xef\xbb\xbf" + undeclared  # a UTF-8 BOM declares UTF-8
    assert parse_feed(with_bom).encoding == "declared as utf-8, but parsed as windows-1252"
    single = LEGACY.replace(b'"1.0" encoding="utf-8"', b"'1.0' encoding='utf-8'")
    assert parse_feed(single).encoding == "declared as utf-8, but parsed as windows-1252"
    lacking = feed(b"Caf\xe9 \x81 news")
    assert parse_feed(lacking).encoding == "declared as utf-8, but parsed as iso-8859-2"
