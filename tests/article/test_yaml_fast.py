"""The YAML fast path gives exactly what the full loader gives, or leaves the text to it."""

from __future__ import annotations

import os
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO, kind, property_examples
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from newscli.article.frontmatter_yaml import (
    HANDLER,
    fast_load_yaml,
    load_yaml,
    load_yaml_full,
    split_front_matter,
)
from newscli.errors import InvalidArticleError

ROOT = REPO


def same(a: Any, b: Any) -> bool:
    """Equal values of the same types, dictionaries in the same order (True is not 1)."""
    if kind(a) is not kind(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and a != a:
        return b != b
    if isinstance(a, datetime):
        return a == b and a.tzinfo == b.tzinfo
    return bool(a == b)


def full_or_error(text: str) -> Any:
    try:
        return load_yaml_full(text)
    except Exception as exc:  # the full loader refuses it: the fast path must not accept it
        return exc


def libyaml(text: str) -> Any:
    """The independent oracle: plain libyaml with PyYAML's own safe constructors, none
    of this project's code (the full loader shares its scalar code with the fast path,
    so a mistake there would agree with itself)."""
    try:
        return yaml.load(text, Loader=yaml.CSafeLoader)
    except Exception as exc:  # what libyaml refuses, the fast path must not accept
        return exc


def check(text: str) -> Any:
    """The fast result, after checking it against the full loader and against plain
    libyaml. Where the fast path answers, the text is plain block YAML without duplicate
    keys, aliases or tags, which both accept; the project's own refusals (duplicate
    keys, YAML 1.1 words as keys, deep nesting, bad dates) all make it give None."""
    fast = fast_load_yaml(text)
    if fast is not None:
        full = full_or_error(text)
        assert not isinstance(full, Exception), f"fast path accepted what fails: {full!r}"
        assert same(fast, full), f"{text!r}: fast {fast!r} != full {full!r}"
        oracle = libyaml(text)
        assert not isinstance(oracle, Exception), f"fast path accepted {oracle!r}"
        assert same(fast, oracle), f"{text!r}: fast {fast!r} != libyaml {oracle!r}"
    return fast


ARTICLE = """\
category: news
title: "Chips: new rules, 'draft' # not a comment"
excerpt: 'It''s a plan: "quoted" words'
publishedDateTime: 2023-12-21T07:34:00Z
updatedDateTime:
type: article
quality: 54
heat: -1
published: false
provider:
  name: KOTA TV
  domain: kotatv.com
topics:
  - AI
  - Policy
tags:
- a b
- c
images:
  - url: "https://example.test/x.jpg?width=800&height=450"
    width: 800
    isCached: true
related:
  - title: Other coverage
    provider:
      name: The Guardian
    images:
      - url: "https://example.test/y.jpg"
        width: 620
  - title: "Third"
secured: "4qjaacLD+/=="
"""


def test_a_typical_article_takes_the_fast_path_with_the_same_values() -> None:
    fast = check(ARTICLE)
    assert fast is not None
    assert fast["title"] == "Chips: new rules, 'draft' # not a comment"
    assert fast["excerpt"] == 'It\'s a plan: "quoted" words'
    assert fast["related"][0]["images"][0]["width"] == 620
    assert fast["updatedDateTime"] is None
    assert fast["published"] is False and fast["heat"] == -1


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\r\nb: two\r\n",
        "a: 0x1F\nb: 1_000\nc: 1:30\nd: 0o17\ne: 017\nf: +5\ng: -0\n",
        "a: 1.5\nb: .inf\nc: -.INF\nd: .nan\ne: 1e3\nf: 6.02e+23\n",
        "a: yes\nb: No\nc: ON\nd: off\ne: True\nf: ~\ng: null\nh: NULL\ni: Null\n",
        "a: 2023-12-21\nb: 2023-12-21 07:34:00\nc: 2023-12-21T07:34:00+02:00\n",
        "a: 2023-12-21t07:34:00.123456Z\nb: 2001-12-14 21:59:43.10 -5\n",
        "a: x  y\nb: é ü 中文 😀\nc: a:b\nd: a -b\ne: -x\nf: ---\n",
        "a: \"\"\nb: ''\nc: \"  spaced  \"\nd: ''''\n",
        "a:\n  - 1\n  -   2\n",
        "a:\n- x\nb: 1\n",
        "- a\n- b\n",
        "a: 1\n  b: 2\n",
        "a:\n    b: 1\n  c: 2\n",
        "a:\n  b\n",
        "title: Hello\n  world\n",
        "a: 1\na: 2\n",
        "yes: 1\n",
        "null: 1\n",
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "a: [1, 2]\nb: {c: 1}\n",
        "a: [a,b]\nb: [ a , b ]\nc: [a, b,]\nd: [a,,b]\ne: []\nf: [a] x\ng: [a]]\n",
        "a: [a b, c:d, -1, -, #x, a#b]\n",
        "- [a, b]\n",
        "a: |\n  text\n",
        "a: >\n  text\n",
        "# comment\na: 1\n",
        "a: Hello\n# comment\n  world\n",
        "a:\n  # note\n  b: 1\n",
        "a: 1 # comment\n",
        'a: "esc\\"aped"\n',
        'a: "a\\\\"\nb: "\\\\"\nc: "\\""\nd: "\\"\\\\\\""\n',
        'a: "\\xfF\\u00E9\\U0010FFFF"\nb: "\\t\\n\\r\\a\\b\\v\\f"\n',
        'a: "x\\\\\\"\n',
        'a: "1"\nb: "\\x31"\nc: "~"\nd: "\\x7e"\n',
        '- "a\\"b"\n',
        'a:\n  - "x\\"y: z"\n  - b: "\\"[1]\\""\n',
        'a: "multi\n  line"\n',
        "a: 'unterminated\n",
        "a:\tb\n",
        "a: 2023-02-30\n",
        "a: 2023-12-21T25:00:00Z\n",
        "<<: {b: 1}\n",
        "a: =\n",
        "? a\n: b\n",
        "a: b: c\n",
        "a:b\n",
        "  a: 1\n",
        "a:\n  - b: 1\n    c: 2\n  - d\n",
        "a:\n  - - b\n",
        "a:\n  -\n    b: 1\n",
        "a: x\x85y\n",
        "a: x\u2028y\n",
        "a: x\ufeffy\n",
        "a: x\ry\n",
        "a: '\x07'\n",
        "---\na: 1\n",
        "a: 1\n...\n",
        "%YAML 1.1\n---\na: 1\n",
        "a: -\n",
        "a: - b\n",
        "a: @b\n",
        "a: `b`\n",
        "a: ?b\n",
        "a: :b\n",
        "a: b:\n",
        "a: 'b' c\n",
        '"a": 1\n',
        "a b: 1\n",
        "a :1\n",
    ],
)
def test_tricky_documents_match_the_full_loader(text: str) -> None:
    check(text)


@pytest.mark.parametrize(
    ("text", "handled"),
    [
        ("a: 1\n", True),
        ("a:\n  - b: 1\n    c: 2\n", True),
        ("# comment\na: 1\n  # indented comment\nb:\n# between\n  - 1\n", True),
        ("a: 1 # comment\n", False),
        ("a: [1]\nb: [ ]\nc: [en-GB, x_y, 2023-01-01, Off, 1_0]\n", True),
        ("a: [b, [c]]\n", False),
        ("a: [b, 'c']\n", False),
        ("a: {b: 1}\n", False),
        ('a: "x\\ty"\n', True),
        ('a: "Say \\"no\\": [a] {b} #c"\nb: "News \\\\& Observer"\n', True),
        ('a:\n  - "\\u00e9\\x41\\U0001F600\\/\\ \\N\\_\\L\\P\\0\\e"\n', True),
        ('a: "x\\\\\'y"\n', True),
        ('a: "x\\\'y"\n', False),
        ('a: "x\\qy"\n', False),  # unknown escapes, and those only PyYAML's pure loader
        ('a: "\\ud800"\n', False),  # takes (surrogates), are the full loader's to refuse
        ('a: "\\U0000dfff"\n', False),
        ('a: "\\U00110000"\n', False),
        ('a: "\\x4"\n', False),
        ('a: "\\u00e"\n', False),
        ('a: "\\U0001F60"\n', False),
        ('a: "x\\"\n', False),  # the closing quote escaped: not a one-line scalar
        ('a: "x"y"\n', False),
        ("a: 1\na: 2\n", False),  # the full loader reports the duplicate
        ("yes: 1\n", False),
        ("a: 2023-02-30\n", False),  # the full loader reports the bad date
        (
            "x:\n" + "".join("  " * d + f"k{d}:\n" for d in range(1, 14)) + "  " * 14 + "v: 1\n",
            False,
        ),
    ],
)
def test_what_the_fast_path_leaves_to_the_full_loader(text: str, handled: bool) -> None:
    assert (check(text) is not None) is handled


@pytest.mark.parametrize(
    "template",
    ["a: 1 # note {}\n", 'a: "x\\qy {}"\n', "a: 2023-02-30\nb: {}\n", "a: 1\n  b: {}\n"],
)
def test_giving_up_keeps_nothing_alive(template: str) -> None:
    """Each give-up leaves no reference to the text behind. (Raising one shared
    exception instance again chains each traceback to the ones before: the frames given
    up in, with the text, its lines and the callers' locals, all stayed alive: 425 MB
    per worker process at 100,000 real headlines.)"""
    texts = [template.format(number) for number in range(3)]  # made here: not interned
    before = [sys.getrefcount(text) for text in texts]
    assert [fast_load_yaml(text) for text in texts] == [None, None, None]
    assert [sys.getrefcount(text) for text in texts] == before


def test_timestamps_are_not_remembered() -> None:
    """The caches of short scalars and their tags keep what repeats (keys, words,
    numbers), not timestamps, nearly each of which is new: 50,000 of them filled both,
    7 MB a process, to no use."""
    from newscli.article import yaml_fast, yaml_scalars

    assert fast_load_yaml("a: x\nb: y\n") is not None  # the keys are remembered
    before = len(yaml_fast._values), len(yaml_scalars._known)
    texts = [
        f"a: 2031-05-{day:02}T07:{minute:02}:00Z\nb: 2031-05-{day:02}\n"
        for day in range(1, 29)
        for minute in range(60)
    ]
    assert all(check(text) is not None for text in texts[:50])
    assert all(fast_load_yaml(text) is not None for text in texts)
    assert (len(yaml_fast._values), len(yaml_scalars._known)) == before
    assert load_yaml_full("a: 2031-05-01T07:00:01Z\n") is not None
    assert len(yaml_scalars._known) == before[1]


def test_errors_are_the_full_loaders_own() -> None:
    with pytest.raises(Exception, match="duplicate key"):
        load_yaml("a: 1\na: 2\n")
    with pytest.raises(ValueError):
        load_yaml("a: 2023-02-30\n")


def every_article_file() -> list[Path]:
    folders = [ROOT / "sample_feeds", ROOT / "tests" / "fixtures"]
    return sorted(p for folder in folders for p in folder.rglob("*.md"))


@pytest.mark.parametrize("path", every_article_file(), ids=lambda p: p.name)
def test_every_sample_and_fixture_agrees(path: Path) -> None:
    try:
        fm, _ = split_front_matter(path.read_text(encoding="utf-8-sig").strip())
    except (InvalidArticleError, UnicodeDecodeError):
        assert not path.is_relative_to(ROOT / "sample_feeds"), "every sample is readable"
        return
    result = check(fm)
    if path.is_relative_to(ROOT / "sample_feeds"):
        assert result is not None, "aggregator-style samples take the fast path"


# Random documents: a tree of keys and scalars written in block style, then (often)
# damaged one character or line at a time, so that near misses are tried too.
KEYS = st.sampled_from(
    ["title", "a", "b_c", "x-y", "k9", "_k", "yes", "No", "on", "null", "true", "<<", "=",
     "1", "0x1", "2020-01-01", "a b", "a:b", '"q"', "'s'", "é", "~", "-k"]
)  # fmt: skip
PLAIN = st.sampled_from(
    ["x", "KOTA TV", "[]", "[a, b]", "[a,b ]", "[a, [b]]", "[a,,b]", "[1, yes, ~]",
     "article", "54", "-1", "0", "007", "0x1F", "1_000", "1:30", "1.5",
     ".inf", "-.Inf", ".NaN", "1e3", "yes", "Off", "TRUE", "false", "~", "null", "",
     "2023-12-21T07:34:00Z", "2023-12-21", "2023-02-30", "2023-12-21 07:34:00 +01:00",
     "https://a.test/x?b=1&c=2#f", "a #b", "a: b", "a:", "-", "- a", "-a", "&a", "*a",
     "!t a", "|", ">", "[1]", "{a: 1}", "@x", "`x`", "%x", "?x", ":x", "a\tb", "é",
     "x  y", "---", "...", "=", "<<"]
)  # fmt: skip
TEXT = st.text(alphabet=st.sampled_from(list("ab :#-'\"\\&*!|>[]{},?.019eE+_xT\té\u2028\x85~")))
# Double-quoted text made of escapes, valid or not, and the characters around them.
ESCAPES = st.lists(
    st.sampled_from(
        ["a", " ", ":", "#", "[", "]", "'", '"', "\\", "é", '\\"', "\\\\", "\\/", "\\ ", "\\0",
         "\\a", "\\b", "\\t", "\\n", "\\v", "\\f", "\\r", "\\e", "\\N", "\\_", "\\L", "\\P",
         "\\'", "\\q", "\\x41", "\\xe9", "\\x4", "\\xg1", "\\u00e9", "\\u00E", "\\ud800",
         "\\uDFFF", "\\U0001F600", "\\U0000d800", "\\U00110000", "\\U0010ffff", "\\u0085"]
    ),
    max_size=6,
).map(lambda parts: '"' + "".join(parts) + '"')  # fmt: skip
SCALAR = st.one_of(
    PLAIN,
    TEXT,
    TEXT.map(lambda t: '"' + t + '"'),
    TEXT.map(lambda t: "'" + t + "'"),
    ESCAPES,
)


def tree(depth: int) -> st.SearchStrategy[Any]:
    if depth == 0:
        return SCALAR
    inner = tree(depth - 1)
    return st.one_of(
        SCALAR,
        st.lists(st.tuples(KEYS, inner), min_size=1, max_size=4).map(lambda kv: ("map", kv)),
        st.lists(inner, min_size=1, max_size=3).map(lambda items: ("seq", items)),
    )


def render(node: Any, indent: int, lines: list[str], prefix: str, step: int) -> None:
    """Append the lines of node; ``prefix`` is the text before it on its first line."""
    pad = " " * indent
    if isinstance(node, str):
        lines.append(prefix + (" " + node if node else ""))
        return
    kind, body = node
    if prefix:
        lines.append(prefix)
    if kind == "map":
        for key, value in body:
            render(value, indent + step, lines, f"{pad}{key}:", step)
    else:
        for item in body:
            render(item, indent + step, lines, f"{pad}-", step)


@st.composite
def documents(draw: st.DrawFn) -> str:
    body = draw(st.lists(st.tuples(KEYS, tree(3)), min_size=1, max_size=6))
    lines: list[str] = []
    render(("map", body), 0, lines, "", draw(st.sampled_from([2, 2, 4, 1])))
    lines = [line[2:] if line.startswith("  ") else line for line in lines]
    for _ in range(draw(st.integers(0, 3))):
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        edit = draw(st.sampled_from(["char", "indent", "dedent", "drop", "copy", "comment"]))
        line = lines[at]
        if edit == "char" and line:
            spot = draw(st.integers(0, len(line)))
            char = draw(st.sampled_from(list(" :#-'\"&*!\t\r\\[{é\x85\ufeff")))
            lines[at] = line[:spot] + char + line[spot:]
        elif edit == "indent":
            lines[at] = " " + line
        elif edit == "dedent":
            lines[at] = line[1:]
        elif edit == "drop":
            del lines[at]
        elif edit == "copy":
            lines.insert(at, line)
        else:
            lines.insert(at, " " * draw(st.integers(0, 4)) + "# note")
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    return ending.join(lines) + ending


# A modest count by default (the whole suite stays fast); NEWSCLI_YAML_EXAMPLES=5000 for more
# (or NEWSCLI_PROPERTY_SCALE, as for every property test).
EXAMPLES = int(os.environ.get("NEWSCLI_YAML_EXAMPLES", property_examples(150)))


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
@example("a:\n- b\n- c\nd: 1\n")
@example("a:\n  - b: 1\n    c:\n    - d\n")
def test_random_documents_match_the_full_loader(text: str) -> None:
    check(text)


@settings(max_examples=EXAMPLES, deadline=None)
@given(ESCAPES)
@example('"\\\\\\""')
def test_random_double_quoted_scalars_match_the_full_loader(scalar: str) -> None:
    check(f"a: {scalar}\n")
    check(f"a:\n  - {scalar}\n  - b: {scalar}\n")


def test_random_documents_often_take_the_fast_path() -> None:
    """The generator above is not vacuous: plain, valid documents are handled."""
    handled = [
        fast_load_yaml(f"k{i}: v{i}\nlist:\n  - {i}\n  - x: {i}\n    y: 'q'\n") for i in range(20)
    ]
    assert all(h is not None for h in handled)


def test_the_fast_path_is_not_fooled_by_yaml_1_1_words_as_keys() -> None:
    for word in ["yes", "no", "on", "off", "true", "False", "null", "NULL", "Null"]:
        assert fast_load_yaml(f"{word}: 1\n") is None
        assert yaml.safe_load(f"{word}: 1\n") != {word: 1}


# The split: the same pieces as python-frontmatter's handler, found without scanning.
SPLIT_TEXT = st.lists(
    st.sampled_from(
        ["---", "----", "--- ", "---x", "-- -", "a: 1", "", " ", "\t", "x---", "---\t"]
    ),
    max_size=8,
).map("\n".join)


@settings(max_examples=property_examples(250), deadline=None)
@given(SPLIT_TEXT)
@example("---\n\n---\nbody")
@example("---  \n\na: 1\n---")
def test_split_matches_python_frontmatter(text: str) -> None:
    text = text.strip()
    assume(text)
    if not HANDLER.detect(text):
        with pytest.raises(InvalidArticleError, match="no front matter"):
            split_front_matter(text)
        return
    try:
        expected = HANDLER.split(text)
    except ValueError:
        with pytest.raises(InvalidArticleError, match="not terminated"):
            split_front_matter(text)
        return
    assert split_front_matter(text) == expected


def test_dates_keep_their_kinds() -> None:
    fast = check("a: 2023-12-21\nb: 2023-12-21T07:34:00Z\n")
    assert fast is not None
    assert type(fast["a"]) is date and type(fast["b"]) is datetime


@pytest.mark.parametrize(
    "text",
    [
        "a: x" + " " * 200_000 + "y\n",
        "a: x" + " " * 200_000 + "\n",
        "a" * 200_000 + "\n",
        'a: "' + "x" * 200_000 + "\n",
        "- " * 100_000 + "\n",
        "a" + " " * 200_000 + ":\n",
        "a:" + " " * 200_000 + "\n",
        "- x" + " " * 200_000 + "y\n",
        "a:\n" + "  - x\n" * 50_000,
    ],
    ids=[
        "inner",
        "trailing",
        "no-colon",
        "open-quote",
        "dashes",
        "space-colon",
        "key-spaces",
        "item",
        "long-list",
    ],
)
def test_hostile_long_lines_agree_with_the_full_loader(text: str) -> None:
    """Long runs of one character: the line pattern backtracks at most linearly (a
    quadratic one would take minutes here), and agrees with the full loader."""
    check(text)
