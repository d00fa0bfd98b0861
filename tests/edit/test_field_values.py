"""FIELD=VALUE assignments: typed and checked against the known fields (usage errors)."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

import pytest

from newscli.edit.field_values import FieldValueError, parse_assignment
from newscli.errors import QueryError

UTC = timezone.utc


@pytest.mark.parametrize(
    ("argument", "path", "value"),
    [
        ("quality=85", ("quality",), 85),
        ("quality=0", ("quality",), 0),
        ("quality=null", ("quality",), None),
        ("heat=-1", ("heat",), -1),
        ("published=true", ("published",), True),
        ("published=No", ("published",), False),
        ("category=analysis", ("category",), "analysis"),
        ("note=check the figures", ("note",), "check the figures"),
        ("note=yes", ("note",), "yes"),
        ("note=123", ("note",), "123"),
        ("note=a: b", ("note",), "a: b"),
        ("note=", ("note",), ""),
        ("note=x=y", ("note",), "x=y"),
        ("provider.name=Harbor Ledger", ("provider", "name"), "Harbor Ledger"),
        ("sourceFeed.region=eu", ("sourceFeed", "region"), "eu"),
        (
            "updatedDateTime=2025-03-20T08:00:00Z",
            ("updatedDateTime",),
            datetime(2025, 3, 20, 8, tzinfo=UTC),
        ),
        (
            "publishedDateTime=2025-03-20T09:30:00+01:30",
            ("publishedDateTime",),
            datetime(2025, 3, 20, 8, tzinfo=UTC),
        ),
        ("publishedDateTime=2025-03-20", ("publishedDateTime",), datetime(2025, 3, 20, tzinfo=UTC)),
        ("rejected:=true", ("rejected",), True),
        ("score:=1.5", ("score",), 1.5),
        ("count:=12", ("count",), 12),
        ("flag:=null", ("flag",), None),
        ("word:=hello", ("word",), "hello"),
        ("day:=2025-03-20", ("day",), date(2025, 3, 20)),
        ("at:=2025-03-20 08:00:00", ("at",), datetime(2025, 3, 20, 8, tzinfo=UTC)),
        ("quality:=85", ("quality",), 85),
        ("rejected=yes", ("rejected",), True),  # (h36: was the text "yes")
        ("score:=0x1F", ("score",), 31),  # (one value in YAML 1.1 and 1.2)
        ("score:=-0", ("score",), 0),
        ("score:=0", ("score",), 0),
        ("score:=1.0e+5", ("score",), 100000.0),
        ("café=1", ("café",), "1"),
    ],
)
def test_values_get_the_field_type(argument: str, path: tuple[str, ...], value: Any) -> None:
    assignment = parse_assignment(argument)
    assert assignment.path == path
    assert assignment.value == value
    assert type(assignment.value) is type(value)


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ("quality=101", "quality=101: 101 is outside 0-100"),
        ("quality=-1", "outside 0-100"),
        ("quality=8.5", "expected an integer"),
        ("quality=high", "expected an integer"),
        ("quality=", "expected an integer"),
        ("heat=1e3", "expected an integer"),
        ("published=maybe", "expected true or false"),
        ("publishedDateTime=yesterday", "RFC 3339"),
        ("updatedDateTime=2025-02-30", "RFC 3339"),
        ("title=", "non-empty"),
        ("title=   ", "non-empty"),
        ("topics=AI", "tag add"),
        ("provider=x", "provider.name"),
        ("provider.country=x", "provider has no field country"),
        ("title.x=1", "title has no field x"),
        ("secured=x", "opaque"),
        ("related=x", "by hand"),
        ("quality", "expected FIELD=VALUE"),
        ("=1", "not a field name"),
        ("a..b=1", "not a field name"),
        ("x:=.nan", "finite"),
        ("x:=[1, 2]", "scalar"),
        ("x:= 1", "scalar"),
        ("x:='s'", "quoted text: FIELD=VALUE sets text"),  # (h36: "expected a scalar")
        ("x:=12:30:00", "YAML 1.1 and 1.2 read this as two different values"),  # h36
        ("x:=017", "two different values"),
        ("x:=0o17", "two different values"),
        ("x:=0b101", "two different values"),
        ("x:=1_000", "two different values"),
        ("x:=-1:30.5", "two different values"),
        ("rejected=maybe", "expected true or false"),
        ("n\x1b[2Jote=1", "a field name with a control character"),
        ("x\u202ey=1", "a field name with a control character"),
        ("n\udcff=1", "the field name is not valid text"),  # (h39: "a control character")
        ("note=\udcff", "not valid text"),
        ("heat=9223372036854775808", "heat=9223372036854775808: 9223372036854775808 is out of"),
        ("heat=-9223372036854775809", "is out of range"),
        ("quality=" + "9" * 30, "quality=9{30}: 9{24}\\.\\.\\. is outside 0-100"),
        ("heat=" + "9" * 5000, "^heat=9{55}\\.\\.\\.: 9{24}\\.\\.\\. is out of range"),
        # (h62: the text "null" was written, and shipped in newsletters)
        ("title:=null", "title is required text, never null"),  # (unset refuses it: h64)
        ("provider.name:=NULL", "provider.name is text, not null"),
        ("provider.domain:=~", "provider.domain is text, not null"),
    ],
)
def test_bad_values_are_usage_errors(argument: str, message: str) -> None:
    with pytest.raises(FieldValueError, match=message.replace("(", r"\(")) as caught:
        parse_assignment(argument)
    assert isinstance(caught.value, QueryError)  # the CLI maps it to exit 2
    assert "\n" not in str(caught.value) and len(str(caught.value)) < 200


def test_null_where_the_article_format_allows_it_and_text_as_typed_with_equals() -> None:
    """`:=null` is null in a text field that may be null (README's article format: the
    excerpt, URLs, type, category, locale); `=` sets text as typed, "null" included."""
    for name in ("excerpt", "webUrl", "ampWebUrl", "cdnAmpWebUrl", "type", "category", "locale"):
        assert parse_assignment(f"{name}:=null").value is None, name
    assert parse_assignment("originalUrl:=~").value is None
    assert parse_assignment("excerpt=null").value == "null"
    assert parse_assignment("excerpt:=nullish").value == "nullish"
