"""`show` on a terminal makes a URL clickable (an OSC 8 link) only when it is a plain
http(s) URL: what is shown is what is opened."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from newscli.terminal.article_view import link


def rendered(url: object) -> str:
    buffer = io.StringIO()
    Console(file=buffer, width=200, force_terminal=True, color_system="standard").print(link(url))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("url", "clickable"),
    [
        ("https://ok.example/a?b=1&c=%20d#e", True),
        ("http://ok.example/", True),
        ('  https://ok.example/a b"onmouseover=alert(1)', False),
        ('https://ok.example/a"b', False),
        ("https://ok.example/a b", False),
        ("https://ok.example/<script>", False),
        (" https://ok.example/", False),  # shown with its blank: not what would be opened
        ("javascript:alert(1)", False),
        ("ftp://ok.example/", False),
        (42, False),
        ("https://[::1]:99999/x", False),  # no such port
        ("https://[::1]:8080/x", True),
    ],
)
def test_only_plain_http_urls_are_links(url: object, clickable: bool) -> None:
    screen = rendered(url)
    assert ("\x1b]8;" in screen) is clickable, screen
    if clickable:
        assert f";{url}\x1b\\" in screen
