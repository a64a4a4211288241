"""UK financial years, ISO weeks and London time."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.calendar import (
    LONDON,
    days_between,
    financial_year,
    financial_year_bounds,
    financial_year_label,
    format_date,
    iso_week_key,
    london_now,
    london_today,
    london_week_key,
    parse_financial_year,
    parse_iso_week,
    week_commencing,
    week_of,
)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 4, 1), 2026),
        (date(2026, 3, 31), 2025),
        (date(2027, 3, 31), 2026),
        (date(2026, 12, 31), 2026),
        (date(2027, 1, 1), 2026),
        (date(2027, 4, 1), 2027),
    ],
)
def test_financial_year_runs_april_to_march(day: date, expected: int) -> None:
    assert financial_year(day) == expected


@pytest.mark.parametrize(
    ("start", "label"), [(2026, "2026/27"), (1999, "1999/00"), (2009, "2009/10"), (2099, "2099/00")]
)
def test_financial_year_label(start: int, label: str) -> None:
    assert financial_year_label(start) == label


@pytest.mark.parametrize(
    "text",
    ["2026/27", "2026-27", "2026/2027", "2026-2027", "FY2026/27", "fy2026-27", "FY 2026/27", " 2026 / 27 "],
)
def test_parse_financial_year_accepts_common_forms(text: str) -> None:
    assert parse_financial_year(text) == 2026


def test_parse_financial_year_across_a_century() -> None:
    assert parse_financial_year("1999/00") == 1999
    assert parse_financial_year("1999/2000") == 1999


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026/28", "The second year must follow the first, as in 2026/27"),
        ("2026/2028", "The second year must follow the first, as in 2026/27"),
        ("2026/26", "The second year must follow the first, as in 2026/27"),
        ("2026/2026", "The second year must follow the first, as in 2026/27"),
        ("2026", "Enter a financial year like 2026/27, not '2026'"),
        ("26/27", "Enter a financial year like 2026/27, not '26/27'"),
        ("2026/7", "Enter a financial year like 2026/27, not '2026/7'"),
        ("2026/27x", "Enter a financial year like 2026/27, not '2026/27x'"),
        ("", "Enter a financial year like 2026/27, not ''"),
        ("0000/01", "Enter a financial year between 0001/02 and 9998/99"),
    ],
)
def test_parse_financial_year_rejects_the_rest(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_financial_year(text)
    assert str(caught.value) == message


def test_financial_year_bounds() -> None:
    assert financial_year_bounds(2026) == (date(2026, 4, 1), date(2027, 3, 31))
    assert financial_year_bounds(2027) == (date(2027, 4, 1), date(2028, 3, 31))


@pytest.mark.parametrize("start", [0, 9999, -1])
def test_financial_year_out_of_range(start: int) -> None:
    with pytest.raises(ValueError):
        financial_year_bounds(start)
    with pytest.raises(ValueError):
        financial_year_label(start)


@given(st.dates(min_value=date(1001, 4, 1), max_value=date(9998, 12, 31)))
def test_a_date_is_inside_its_financial_year_and_the_label_reads_back(day: date) -> None:
    start = financial_year(day)
    first, last = financial_year_bounds(start)
    assert first <= day <= last
    assert parse_financial_year(financial_year_label(start)) == start


@pytest.mark.parametrize(
    ("day", "key"),
    [
        (date(2026, 11, 30), "2026-W49"),
        (date(2026, 12, 6), "2026-W49"),
        (date(2026, 12, 7), "2026-W50"),
        (date(2027, 1, 1), "2026-W53"),
        (date(2024, 12, 30), "2025-W01"),
    ],
)
def test_iso_week_key(day: date, key: str) -> None:
    assert iso_week_key(day) == key


def test_week_of_names_the_monday_in_words() -> None:
    assert week_of("2026-W49") == "week of 30 November 2026"
    assert week_of("2026-W53") == "week of 28 December 2026"
    assert week_of("2025-W01") == "week of 30 December 2024"


def test_parse_iso_week_gives_the_monday() -> None:
    assert parse_iso_week("2026-W49") == date(2026, 11, 30)
    assert parse_iso_week("2026W49") == date(2026, 11, 30)
    assert parse_iso_week("2025-W01") == date(2024, 12, 30)
    assert parse_iso_week("2026-W53") == date(2026, 12, 28)


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("2025-W53", "2025 has no week 53"),
        ("2026-W00", "2026 has no week 0"),
        ("2026-49", "Enter a week like 2026-W49, not '2026-49'"),
        ("2026-W4", "Enter a week like 2026-W49, not '2026-W4'"),
        ("", "Enter a week like 2026-W49, not ''"),
    ],
)
def test_parse_iso_week_rejects_bad_keys(key: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_iso_week(key)
    assert str(caught.value) == message


@given(st.dates(min_value=date(1000, 1, 10), max_value=date(9999, 12, 20)))
def test_week_key_reads_back_to_week_commencing(day: date) -> None:
    monday = week_commencing(day)
    assert monday.weekday() == 0
    assert 0 <= (day - monday).days <= 6
    assert parse_iso_week(iso_week_key(day)) == monday


def test_week_commencing() -> None:
    assert week_commencing(date(2026, 11, 30)) == date(2026, 11, 30)
    assert week_commencing(date(2026, 12, 6)) == date(2026, 11, 30)
    assert week_commencing(date(2026, 12, 7)) == date(2026, 12, 7)


def test_london_now_follows_british_summer_time() -> None:
    summer = london_now(datetime(2026, 7, 1, 23, 30, tzinfo=UTC))
    assert (summer.date(), summer.hour, summer.tzinfo) == (date(2026, 7, 2), 0, LONDON)
    winter = london_now(datetime(2026, 12, 1, 23, 30, tzinfo=UTC))
    assert (winter.date(), winter.hour) == (date(2026, 12, 1), 23)


def test_london_now_accepts_any_aware_time() -> None:
    paris = timezone(timedelta(hours=1))
    assert london_now(datetime(2026, 12, 1, 9, 0, tzinfo=paris)).hour == 8


def test_london_now_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        london_now(datetime(2026, 7, 1, 12, 0))


def test_london_today_and_week_key_at_midnight_boundaries() -> None:
    sunday_night_utc = datetime(2026, 6, 28, 23, 30, tzinfo=UTC)
    assert london_today(sunday_night_utc) == date(2026, 6, 29)
    assert london_week_key(sunday_night_utc) == "2026-W27"
    assert iso_week_key(sunday_night_utc.date()) == "2026-W26"


def test_days_between() -> None:
    assert days_between(date(2026, 11, 4), date(2026, 11, 27)) == 23
    assert days_between(date(2026, 11, 27), date(2026, 11, 4)) == -23
    assert days_between(date(2026, 3, 1), date(2026, 3, 1)) == 0


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2026, 11, 4), "4 November 2026"),
        (date(2027, 3, 27), "27 March 2027"),
        (date(2026, 1, 31), "31 January 2026"),
    ],
)
def test_format_date_is_govuk_style(day: date, text: str) -> None:
    assert format_date(day) == text
