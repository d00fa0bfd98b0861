"""query_key keeps a URL's identifying parameters without parse_qsl and urlencode when
nothing needs (un)quoting: it must give exactly what their round trip gives."""

from __future__ import annotations

from conftest import property_examples
from hypothesis import example, given, settings
from hypothesis import strategies as st

from newscli.select.story_urls import _SIMPLE_QUERY, query_by_parse_qsl, query_key

PIECES = st.sampled_from(
    [
        "id",
        "p",
        "=",
        "&",
        "3",
        "a.b",
        "~",
        "-",
        "_",
        "utm_x",
        "REF",
        "+",
        "%20",
        "%3D",
        " ",
        "é",
        ";",
    ]
)


@settings(max_examples=property_examples(400), deadline=None)
@given(st.lists(PIECES, max_size=12).map("".join))
@example("id=3&p=&utm_source=z&&b")
@example("a=b=c")
@example("feed=OBR&date=20140310&id=17418699")
def test_query_key_agrees_with_parse_qsl(query: str) -> None:
    assert query_key(query) == query_by_parse_qsl(query)


def test_the_shortcut_is_taken_for_common_queries() -> None:
    for query in ("id=17418699&feed=OBR", "p=63376", "outputType=amp", "a&b=", ""):
        assert _SIMPLE_QUERY.fullmatch(query)
    assert query_key("p=2&id=1&utm_source=x&Ref=y") == "?id=1&p=2"
