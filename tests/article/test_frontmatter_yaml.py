import pytest
import yaml
from conftest import kind, property_examples
from hypothesis import given, settings
from hypothesis import strategies as st

from newscli.article.frontmatter_yaml import (
    MAX_DEPTH,
    MAX_FRONT_MATTER_CHARS,
    load_yaml,
    parse_front_matter,
)
from newscli.errors import InvalidArticleError


def test_parses_mapping_and_body() -> None:
    data, body = parse_front_matter("---\ntitle: Hi\nquality: 5\n---\n\nBody text\n")
    assert data == {"title": "Hi", "quality": 5}
    assert body == "Body text"


def test_dashes_in_body_do_not_end_the_article() -> None:
    data, body = parse_front_matter("---\ntitle: Hi\n---\nOne\n---\nTwo\n")
    assert data == {"title": "Hi"}
    assert body == "One\n---\nTwo"


def test_crlf_front_matter() -> None:
    data, _ = parse_front_matter("---\r\ntitle: Hi\r\npublished: true\r\n---\r\n")
    assert data == {"title": "Hi", "published": True}


@pytest.mark.parametrize("key", ["content", "handler", "metadata", "text", "encoding"])
def test_keys_that_clash_with_frontmatter_internals(key: str) -> None:
    data, _ = parse_front_matter(f"---\ntitle: Hi\n{key}: x\n---\n")
    assert data[key] == "x"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("no front matter\n", "no front matter"),
        ("---\ntitle: Hi\n", "not terminated"),
        ("---\n---\n", "front matter is empty"),
        ("---\n- a\n- b\n---\n", "not a mapping"),
        ("---\ntitle: [unclosed\n---\n", "invalid YAML"),
        ("---\na: &x 1\nb: *x\n---\n", "anchors are not allowed"),
        ("---\nb: *x\n---\n", "aliases are not allowed"),
        ("---\na: !!python/name:os.system ''\n---\n", "tags are not allowed"),
        ("---\na: !custom 1\n---\n", "tags are not allowed"),
        ("---\na: 1\na: 2\n---\n", "duplicate key 'a'"),
        ("---\na: 2023-02-30\n---\n", "a: impossible date or time: '2023-02-30'"),
        # a valid date whose offset takes it out of datetime's range once in UTC
        (
            "---\nfoo:\n  when: 0001-01-01T00:30:00+01:00\n---\n",
            "foo.when: impossible date or time: '0001-01-01T00:30:00+01:00' (out of range in UTC)",
        ),
        ("---\na:\n- 9999-12-31T23:30:00-01:00\n---\n", "(out of range in UTC)"),
        ("---\npublishedDateTime: 9999-12-31 23:30:00 -1\n---\n", "(out of range in UTC)"),
    ],
)
def test_invalid_front_matter(text: str, reason: str) -> None:
    with pytest.raises(InvalidArticleError) as info:
        parse_front_matter(text)
    assert reason in info.value.reason


def test_yaml_error_reports_line_in_the_whole_file() -> None:
    text = "---\ntitle: ok\nquality: 5\n  bad: indent\n---\n"
    with pytest.raises(InvalidArticleError) as info:
        parse_front_matter(text)
    assert info.value.line == 4
    assert "line 4" in info.value.reason


def test_nesting_limit() -> None:
    ok = "---\nx: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n---\n"
    assert parse_front_matter(ok)[0]["x"] is not None
    deep = "---\nx: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n---\n"
    with pytest.raises(InvalidArticleError, match="nests deeper"):
        parse_front_matter(deep)


def test_very_deep_nesting_is_refused_without_crashing() -> None:
    deep = "---\nx: " + "[" * 5000 + "]" * 5000 + "\n---\n"
    with pytest.raises(InvalidArticleError):
        parse_front_matter(deep)


def test_size_cap() -> None:
    big = "---\ntitle: x\nexcerpt: '" + "a" * MAX_FRONT_MATTER_CHARS + "'\n---\n"
    with pytest.raises(InvalidArticleError, match="larger than"):
        parse_front_matter(big)


def test_ampersand_star_and_bang_in_plain_text_are_fine() -> None:
    text = '---\ntitle: Q&A *live* now!\nurl: https://x.example/?a=1&b=2\nnote: "*quoted* &"\n---\n'
    data, _ = parse_front_matter(text)
    assert data["title"] == "Q&A *live* now!"
    assert data["note"] == "*quoted* &"


# --- the fast builder agrees with PyYAML's own safe loader --------------------------

SCALARS = st.one_of(
    st.integers(-(10**20), 10**20).map(str),
    st.from_regex(
        r"[+-]?(0|[1-9][0-9_]*|0[0-7]+|0x[0-9a-fA-F]+|[0-9]+:[0-5][0-9])", fullmatch=True
    ),
    st.datetimes().map(lambda d: d.isoformat()),
    st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ")),
    st.dates().map(str),
    st.sampled_from(["true", "False", "yes", "NO", "on", "~", "null", "", ".inf", "-.Inf", ".nan"]),
    st.from_regex(r"[0-9.eE+-]{1,8}", fullmatch=True),
    st.text(alphabet="abcXYZ019 -_.:", min_size=1, max_size=12),
)


@settings(max_examples=property_examples(60), deadline=None)
@given(st.lists(SCALARS, min_size=1, max_size=6))
def test_values_match_pyyaml(values: list[str]) -> None:
    text = "".join(f"k{i}: {v}\n" for i, v in enumerate(values))
    try:
        expected = yaml.load(text, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, ValueError, OverflowError):
        with pytest.raises((InvalidArticleError, ValueError, OverflowError, yaml.YAMLError)):
            load_yaml(text)
        return
    actual = load_yaml(text)
    assert actual == expected or (
        # nan != nan: compare what both give as text
        repr(actual) == repr(expected)
    )
    assert [kind(v) for v in actual.values()] == [type(v) for v in expected.values()]
