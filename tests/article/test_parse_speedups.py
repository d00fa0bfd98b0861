"""The quick paths of a cold parse give what the general ones give (issue 15): the ASCII
safety table, the one-pass validity test of the model, the single read of a file."""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, property_examples
from hypothesis import given, settings
from hypothesis import strategies as st

import newscli.article.field_map as field_map_module
import newscli.article.reading as reading
from newscli.article import yaml_fast
from newscli.article.field_map import field_map
from newscli.article.frontmatter_yaml import (
    fast_load_yaml,
    load_yaml_full,
    parse_front_matter,
    split_front_matter,
)
from newscli.article.model import _plainly_valid, article_from_mapping, field_problems
from newscli.article.reading import read_bytes
from newscli.article.record import front_matter_json


def test_the_ascii_table_refuses_exactly_what_the_pattern_refuses() -> None:
    for code in range(128):
        char = chr(code)
        by_table = bool(char.encode("ascii").translate(None, yaml_fast._ASCII_SAFE))
        assert by_table == bool(yaml_fast._UNSAFE.search(char)), repr(char)
        text = f"a: 'x{char}y'\nb: x{char}y\n"
        fast = fast_load_yaml(text)
        if by_table:
            assert fast is None, repr(char)
        elif fast is not None:
            assert fast == load_yaml_full(text), repr(char)
    assert fast_load_yaml("a: 'x y'\nb: x~y\n") == {"a": "x y", "b": "x~y"}


def test_the_example_articles_take_the_fast_path_and_the_quick_validity_test() -> None:
    """The usual article: no fallback to libyaml, no check one by one."""
    for path in [REPO / "tests" / "fixtures" / "aggregator-article.md"]:
        text = path.read_text(encoding="utf-8")
        fm, _ = split_front_matter(text.strip())
        fast = fast_load_yaml(fm)
        assert fast is not None and fast == load_yaml_full(fm)
        data, _ = parse_front_matter(text)
        assert _plainly_valid(data)


UTC = timezone.utc
VALUES = st.sampled_from(
    [
        None, "", "text", 0, 1, 100, 101, -1, 2**63, -(2**63) - 1, 2**63 - 1, True, False,
        1.5, float("nan"), [], ["a"], ["a", 1], [1], [{}], [{"a": 1}], [{}, "x"], {},
        {"name": "N"}, {"name": 1}, {"domain": ["d"]}, {"name": None, "domain": "d"},
        datetime(2024, 1, 2, 3, 4, tzinfo=UTC), datetime(2024, 1, 2, 3, 4),
        datetime(2024, 1, 2, tzinfo=timezone(timedelta(hours=2))), date(2024, 1, 2),
        "2024-01-02T03:04:00Z", "not a date",
    ]
)  # fmt: skip
FIELDS = [
    "title", "excerpt", "originalUrl", "webUrl", "ampWebUrl", "cdnAmpWebUrl", "type",
    "category", "locale", "secured", "categories", "tags", "topics", "images", "related",
    "publishedDateTime", "updatedDateTime", "quality", "heat", "published", "provider",
    "other",
]  # fmt: skip
VALID = {
    "title": "T",
    "topics": ["AI"],
    "images": [{"url": "u"}],
    "publishedDateTime": datetime(2024, 1, 2, tzinfo=UTC),
    "quality": 50,
    "heat": 3,
    "published": True,
    "provider": {"name": "P", "domain": "p.example"},
}


@settings(max_examples=property_examples(300), deadline=None)
@given(st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=6), st.booleans())
def test_the_quick_validity_test_never_passes_what_a_check_refuses(
    changes: dict[str, Any], start_valid: bool
) -> None:
    data = {**(VALID if start_valid else {}), **changes}
    if _plainly_valid(data):
        assert field_problems(data) == []
    problems = field_problems(data)
    if problems:  # the first problem is raised, quick test or not
        with pytest.raises(type(problems[0])) as caught:
            article_from_mapping("a.md", data)
        assert (caught.value.reason, caught.value.field) == (problems[0].reason, problems[0].field)
    else:
        assert article_from_mapping("a.md", data).title == data["title"]


def test_the_quick_validity_test_takes_the_usual_article() -> None:
    assert _plainly_valid(dict(VALID))
    assert not _plainly_valid({**VALID, "quality": 101})
    assert not _plainly_valid({**VALID, "provider": {"name": 1}})


def test_an_ordinary_file_is_read_in_one_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"0123456789" * 300)
    calls: list[int] = []
    real = os.read

    def counted(fd: int, size: int) -> bytes:
        calls.append(size)
        return real(fd, size)

    monkeypatch.setattr(reading.os, "read", counted)
    assert read_bytes(str(path)) == b"0123456789" * 300
    assert calls == [3001]


def test_a_file_system_that_reads_short_is_still_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A short first read (some network or FUSE file systems) is not taken for the end:
    only a read of exactly the size fstat gave is."""
    path = tmp_path / "a.md"
    path.write_bytes(b"0123456789" * 300)
    real = os.read
    monkeypatch.setattr(reading.os, "read", lambda fd, size: real(fd, min(size, 700)))
    assert read_bytes(str(path)) == b"0123456789" * 300


FIELD_VALUES = st.sampled_from(
    [
        None, "s", 1, True, 1.5, float("nan"), [], [1.5], {}, {"name": "N"},
        {"name": "N", "domain": "d"}, {"name": 1.5}, {"name": {"x": 1}}, {"url": "u"},
        {1: "x"}, datetime(2024, 1, 2, tzinfo=UTC), date(2024, 1, 2),
    ]
)  # fmt: skip
FIELD_NAMES = st.sampled_from(["title", "provider", "heat", "images", "topics", "extra", "x.y"])


@settings(max_examples=property_examples(300), deadline=None)
@given(st.dictionaries(FIELD_NAMES, FIELD_VALUES, max_size=5))
def test_the_field_maps_quick_path_gives_what_the_walk_gives(data: dict[str, Any]) -> None:
    export = front_matter_json(data, None, None)
    quick = field_map(data, export)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(field_map_module, "_model_only", lambda data: False)
        assert field_map(data, export) == quick


def test_the_usual_article_has_no_field_map_without_a_walk() -> None:
    data = {**VALID, "provider": {"name": "P", "domain": "d"}, "related": [{"x": 1.5}]}
    assert field_map_module._model_only(data)
    assert field_map(data, front_matter_json(data, None, None)) is None
    assert not field_map_module._model_only({**VALID, "provider": {"name": "P", "url": "u"}})
