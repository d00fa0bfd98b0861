"""h111 LOW: `show` on a terminal wrote a URL's non-ASCII text raw into its OSC 8
link target, which carries ASCII 32-126 only (terminals cut or refuse the link). The
target now has its host in IDNA and the rest percent-encoded as UTF-8, as a browser
sends it; the text shown stays as written. Through the installed command on a
pseudo-terminal."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import run_in_terminal, write

CASES = [
    (
        "https://bücher.example/straße?q=é#ü",
        "https://xn--bcher-kva.example/stra%C3%9Fe?q=%C3%A9#%C3%BC",
    ),
    ("https://news.example/été/", "https://news.example/%C3%A9t%C3%A9/"),
    ("https://news.example/plain", "https://news.example/plain"),
    # h119: IDNA 2003 made faß.de fass.de, another registered domain
    ("https://faß.de/x", "https://xn--fa-hia.de/x"),
]


@pytest.mark.parametrize(("url", "target"), CASES, ids=["idn", "path", "ascii", "sharp-s"])
def test_link_targets_are_ascii(tmp_path: Path, url: str, target: str) -> None:
    write(
        tmp_path / "a.md",
        f'---\ntitle: A\npublishedDateTime: "2025-01-01T00:00:00Z"\nwebUrl: "{url}"\n---\nBody\n',
    )
    code, screen = run_in_terminal("show", "a.md", cwd=tmp_path, env={"COLUMNS": "200"})
    assert code == 0, screen
    targets = re.findall(r"\x1b\]8;[^;]*;([^\x1b]*)\x1b\\", screen)
    assert target in targets, (targets, screen)
    assert all(t.isascii() for t in targets), targets
    assert url in screen  # shown as written
