"""newscli.article.reading: one file's bytes (bounded), text (UTF-8, BOM accepted), article."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import newscli.article.reading as reading
from newscli.article.reading import load_file, load_with_body, read_bytes, read_text
from newscli.errors import InvalidArticleError


def test_read_bytes_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 10)
    at_limit = tmp_path / "ten.md"
    at_limit.write_bytes(b"x" * 10)
    assert read_bytes(str(at_limit)) == b"x" * 10
    over = tmp_path / "eleven.md"
    over.write_bytes(b"x" * 11)
    with pytest.raises(InvalidArticleError, match="larger than"):
        read_bytes(str(over))


def test_read_bytes_reads_what_a_file_holds(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"")
    assert read_bytes(str(path)) == b""
    path.write_bytes(b"\x00\xff" * 5000)
    assert read_bytes(str(path)) == b"\x00\xff" * 5000


def test_a_file_that_grows_after_its_size_was_taken_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"0123456789" * 100)
    real = reading.os.fstat

    def smaller(fd: int) -> os.stat_result:
        info = list(real(fd))
        info[6] -= 990  # st_size: as it was before the file grew
        return os.stat_result(info)

    monkeypatch.setattr(reading.os, "fstat", smaller)
    assert read_bytes(str(path)) == b"0123456789" * 100


def test_unreadable_paths(tmp_path: Path) -> None:
    with pytest.raises(InvalidArticleError, match=r"^cannot read: No such file"):
        read_bytes(str(tmp_path / "missing.md"))
    with pytest.raises(InvalidArticleError, match=r"^not a regular file"):
        read_bytes(str(tmp_path))


def test_read_text(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"\xef\xbb\xbf---\r\ntitle: caf\xc3\xa9\r\n---\r\n")
    assert read_text(str(path)) == "---\r\ntitle: caf\u00e9\r\n---\r\n"  # BOM gone, CRLF kept
    path.write_bytes(b"---\ntitle: caf\xe9\n---\n")
    with pytest.raises(InvalidArticleError) as caught:
        read_text(str(path))
    assert caught.value.reason == "not valid UTF-8 (byte 0xe9 at offset 14)"


def test_load_with_body_and_load_file(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: T\nquality: 5\n---\n# Heading\n\nText.\n")
    article, body = load_with_body(str(path))
    assert (article.path, article.title, article.quality) == (str(path), "T", 5)
    assert body == "# Heading\n\nText."
    assert load_file(str(path)).title == "T"
    path.write_text("---\ntitle: T\nquality: 500\n---\n")
    with pytest.raises(InvalidArticleError, match="quality: 500 is outside 0-100"):
        load_file(str(path))
