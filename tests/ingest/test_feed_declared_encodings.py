"""A feed is surveyed for entity declarations as feedparser's parsers will read it.

Before, the survey (detect.survey_xml) read the bytes as they came, with expat, and
feedparser read them its own way afterwards:
- an encoding expat cannot read (Shift_JIS, GB2312, Big5, EUC-KR, UTF-7, a name no codec
  knows) was an internal error that ended the whole run: no source was imported;
- an encoding expat reads byte by byte but Python decodes otherwise (unicode_escape's
  ``\\x3c``, UTF-7's ``+ADw-``) hid entity declarations from the survey, and feedparser
  then expanded them; so did a declaration cut by a category element that the thinning
  of categories (over 100) removed before feedparser.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import run_cli

ITEM = "<item><title>{title}</title><link>https://{host}.example/1</link></item>"
BODY = '<rss version="2.0"><channel><title>C</title>{items}</channel></rss>'


def document(encoding: str, title: str, host: str, prolog: str = "") -> str:
    declaration = f'<?xml version="1.0" encoding="{encoding}"?>'
    return declaration + prolog + BODY.format(items=ITEM.format(title=title, host=host))


def written_titles(folder: Path) -> list[str]:
    return sorted(
        line
        for path in folder.rglob("*.md")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("title:")
    )


CJK = [
    ("shift_jis", "東京ニュース"),
    ("euc-jp", "大阪の天気"),
    ("gb2312", "北京新闻"),
    ("big5", "台北新聞"),
    ("euc-kr", "서울 뉴스"),
]


def test_multi_byte_and_unknown_encodings_are_read_and_the_run_goes_on(tmp_path: Path) -> None:
    names = []
    for n, (codec, title) in enumerate(CJK):
        (tmp_path / f"{n}.xml").write_bytes(document(codec, title, f"h{n}").encode(codec))
        names.append(f"{n}.xml")
    (tmp_path / "u7.xml").write_bytes(document("utf-7", "Plus+Minus", "u7").encode("utf-7"))
    (tmp_path / "bogus.xml").write_bytes(document("x-no-such-codec", "Bogus", "bg").encode())
    (tmp_path / "plain.xml").write_bytes(document("utf-8", "Plain", "pl").encode())
    sources = [*names, "u7.xml", "bogus.xml", "plain.xml"]
    done = run_cli("import", *sources, "--into", "feeds", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "internal error" not in done.stderr
    assert "newscli: bogus.xml: declared as x-no-such-codec, but parsed as utf-8" in done.stderr
    expected = [f'title: "{title}"' for _, title in CJK]
    expected += ['title: "Plus+Minus"', 'title: "Bogus"', 'title: "Plain"']
    assert written_titles(tmp_path / "feeds") == sorted(expected)


def test_a_codec_that_fails_its_own_way_is_one_error_line(tmp_path: Path) -> None:
    """Up to Python 3.12 the punycode codec fails with an error of its own (one line,
    the other feed imported); from 3.13 it fails as other codecs do, and the document is
    read as UTF-8, with the note that says so (h56: the test expected 3.12's way)."""
    (tmp_path / "p.xml").write_bytes(document("punycode", "P", "p").encode())
    (tmp_path / "plain.xml").write_bytes(document("utf-8", "Plain", "pl").encode())
    done = run_cli("import", "p.xml", "plain.xml", "--into", "feeds", cwd=tmp_path)
    errors = [line for line in done.stderr.splitlines() if "error" in line]
    if sys.version_info < (3, 13):
        assert done.returncode == 1, done.stderr
        assert len(errors) == 1 and errors[0].startswith(
            "newscli: error: p.xml: cannot parse the feed: decoding with 'punycode' codec failed"
        ), done.stderr
        assert written_titles(tmp_path / "feeds") == ['title: "Plain"']
    else:
        assert done.returncode == 0 and errors == [], done.stderr
        assert "newscli: p.xml: declared as punycode, but parsed as utf-8" in done.stderr
        assert written_titles(tmp_path / "feeds") == ['title: "P"', 'title: "Plain"']


NESTED = '<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">'
EXTERNAL = '<!ENTITY b SYSTEM "file:///etc/hostname">'


def _hidden(kind: str, entities: str) -> bytes:
    if kind == "unicode_escape":
        prolog = "<!DOCTYPE r [" + entities + "]>"
        return document(kind, "T &b;", "ue", prolog.replace("<", "\\x3c")).encode()
    if kind == "utf-7":
        return document(kind, "T &b;", "u7", "<!DOCTYPE r [" + entities + "]>").encode("utf-7")
    # a category element inside each declaration's keyword, removed (with the hundred
    # before it, in a comment) by the thinning of categories before feedparser reads it
    cut = entities.replace("<!ENTITY", "<!ENT<category/>ITY")
    prolog = "<!DOCTYPE r [<!-- " + "<category/>" * 100 + " -->" + cut + "]>"
    return document("utf-8", "T &b;", "ct", prolog).encode()


@pytest.mark.parametrize("kind", ["unicode_escape", "utf-7", "categories"])
@pytest.mark.parametrize(
    ("entities", "reason"),
    [
        (NESTED, "refused: the document declares entity 'b' that expands to other entities"),
        (EXTERNAL, "refused: the document declares external entity 'b'"),
    ],
)
def test_entity_declarations_cannot_hide_from_the_survey(
    tmp_path: Path, kind: str, entities: str, reason: str
) -> None:
    (tmp_path / "hidden.xml").write_bytes(_hidden(kind, entities))
    done = run_cli("import", "hidden.xml", "--into", "feeds", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert f"newscli: error: hidden.xml: {reason}" in done.stderr, done.stderr
    assert not (tmp_path / "feeds").exists()
