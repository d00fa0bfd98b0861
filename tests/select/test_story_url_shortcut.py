"""normalise_url splits the common address itself (a regular expression, not urlsplit):
it must give exactly what urlsplit's way gives, for any address."""

from __future__ import annotations

from conftest import property_examples
from hypothesis import example, given, settings
from hypothesis import strategies as st

from newscli.select.story_urls import _PLAIN, by_urlsplit, normalise_url

SCHEMES = ("http", "https", "HTTPS", "://", "www.", "amp.", "m.", "x.example", "X.Example")
PATHS = (":", ":8080", "/", "/a", "/amp", "/amp/", ".amp", "?", "#", "#frag?x", "&amp;")
ODD = (
    "id=3",
    "utm_source=z",
    "@",
    "..",
    "-",
    " ",
    "\t",
    "é",
    "%20",
    "\\",
    "[::1]",
    "/./",
    "/../",
    "x.example.",
    "bücher",
    "xn--bcher-kva",
)
AMP = (".cdn.ampproject.org/c/s/", "www-x-com")
PIECES = st.sampled_from([*SCHEMES, *PATHS, *ODD, *AMP])


@settings(max_examples=property_examples(400), deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=10).map("".join))
@example("https://www.x.example:8080/a/amp/#f?q")
@example("http://x.example:/a")
@example("HTTPS://WWW.X.Example/A?b=1&utm_source=z#f?q")
@example("http://x.example?p=3")
@example("https://www-x-com.cdn.ampproject.org/c/s/www.x.example/a")
def test_the_shortcut_agrees_with_urlsplit(url: str) -> None:
    assert normalise_url(url) == by_urlsplit(url.strip())


def test_the_shortcut_is_taken_for_common_addresses() -> None:
    for url in ("https://www.x.example/2025/03/a-story/", "http://x.example", "https://a.b/c#d"):
        assert _PLAIN.fullmatch(url)
