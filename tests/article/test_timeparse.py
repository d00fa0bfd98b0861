from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newscli.article.timeparse import (
    format_rfc3339,
    parse_duration,
    parse_moment,
    parse_timestamp,
    to_utc,
)

UTC = timezone.utc


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-12-21T07:34:00Z", datetime(2023, 12, 21, 7, 34, tzinfo=UTC)),
        ("2023-12-21t07:34:00z", datetime(2023, 12, 21, 7, 34, tzinfo=UTC)),
        ("2023-12-21 07:34", datetime(2023, 12, 21, 7, 34, tzinfo=UTC)),
        ("2023-12-21T07:34:00+02:00", datetime(2023, 12, 21, 5, 34, tzinfo=UTC)),
        ("2023-12-21T07:34:00-0130", datetime(2023, 12, 21, 9, 4, tzinfo=UTC)),
        ("2023-12-21T07:34:00.5Z", datetime(2023, 12, 21, 7, 34, 0, 500000, tzinfo=UTC)),
        ("2023-12-21", datetime(2023, 12, 21, tzinfo=UTC)),
    ],
)
def test_parse_timestamp(text: str, expected: datetime) -> None:
    assert parse_timestamp(text) == expected
    assert parse_timestamp(text).tzinfo is UTC


@pytest.mark.parametrize(
    "text",
    # (h53: an offset of +24:00 accepted was caught only outside tests/article)
    ["yesterday", "2023-13-01", "2023-02-30", "21/12/2023", "", "2025-03-14T09:12:00+24:00"],
)
def test_parse_timestamp_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_timestamp(text)


def test_to_utc_naive_datetime_is_utc_and_date_is_midnight() -> None:
    assert to_utc(datetime(2024, 1, 1, 12)) == datetime(2024, 1, 1, 12, tzinfo=UTC)
    assert to_utc(date(2024, 1, 1)) == datetime(2024, 1, 1, tzinfo=UTC)
    offset = datetime(2024, 1, 1, 12, tzinfo=timezone(timedelta(hours=5)))
    assert to_utc(offset) == datetime(2024, 1, 1, 7, tzinfo=UTC)
    with pytest.raises(ValueError):
        to_utc(12)


def test_format_rfc3339() -> None:
    assert format_rfc3339(datetime(2023, 12, 21, 7, 34, tzinfo=UTC)) == "2023-12-21T07:34:00Z"
    assert format_rfc3339(datetime(2023, 1, 2, 3, 4, 5, 250000, tzinfo=UTC)) == (
        "2023-01-02T03:04:05.25Z"
    )


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@given(st.datetimes(datetime(2, 1, 1), datetime(9998, 12, 31), timezones=st.timezones()))
def test_format_rfc3339_is_the_strftime_form(value: datetime) -> None:
    utc = value.astimezone(UTC)
    year = f"{utc.year:04d}"  # strftime's %Y does not pad years before 1000 (issue 11)
    if utc.microsecond:
        expected = utc.strftime(f"{year}-%m-%dT%H:%M:%S.%f").rstrip("0") + "Z"
    else:
        expected = utc.strftime(f"{year}-%m-%dT%H:%M:%SZ")
    assert format_rfc3339(value) == expected


@pytest.mark.parametrize(
    "text", ["99999999999999999999d", "999999999d", "9999999w", "9" * 400 + "s"]
)
def test_an_age_out_of_range_is_a_value_error_never_an_overflow(text: str) -> None:
    now = parse_timestamp("2025-03-20T00:00:00Z")
    with pytest.raises(ValueError, match="out of range"):
        parse_moment(text, now)


def test_an_age_before_the_year_1_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="out of range"):
        parse_moment("1d", parse_timestamp("0001-01-01T00:00:00Z"))
    with pytest.raises(ValueError, match="out of range"):
        parse_duration("1" + "0" * 30 + "w")
