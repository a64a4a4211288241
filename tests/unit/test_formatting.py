"""Dates, times and money as council officers read them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from tracker.domain.formatting import money, uk_date, uk_datetime


def test_dates_are_written_out() -> None:
    assert uk_date(date(2027, 3, 27)) == "27 March 2027"
    assert uk_date(date(2026, 10, 1)) == "1 October 2026"
    assert uk_date(None) == ""


def test_a_moment_shows_the_date_it_was_in_london() -> None:
    # 23:30 UTC on 30 June is already 1 July in British Summer Time.
    assert uk_date(datetime(2026, 6, 30, 23, 30, tzinfo=UTC)) == "1 July 2026"
    assert uk_datetime(datetime(2026, 6, 30, 23, 30, tzinfo=UTC)) == "1 July 2026 at 12:30am"


@pytest.mark.parametrize(
    ("utc", "shown"),
    [
        (datetime(2027, 3, 27, 14, 5, tzinfo=UTC), "27 March 2027 at 2:05pm"),  # GMT: same as UTC
        (datetime(2026, 10, 24, 12, 0, tzinfo=UTC), "24 October 2026 at 1pm"),  # last day of BST
        (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), "25 October 2026 at 1:30am"),  # 1:30am BST
        (datetime(2026, 10, 25, 1, 30, tzinfo=UTC), "25 October 2026 at 1:30am"),  # clocks went back: GMT
        (datetime(2026, 10, 25, 12, 0, tzinfo=UTC), "25 October 2026 at midday"),  # GMT again
        (datetime(2026, 10, 26, 0, 0, tzinfo=UTC), "26 October 2026 at midnight"),
    ],
)
def test_times_are_london_time_across_the_october_clock_change(utc: datetime, shown: str) -> None:
    assert uk_datetime(utc) == shown


def test_missing_or_naive_times() -> None:
    assert uk_datetime(None) == ""
    with pytest.raises(ValueError, match="aware"):
        uk_datetime(datetime(2026, 10, 25, 1, 30))


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (Decimal("1250000"), "£1,250,000"),
        (Decimal("1250000.00"), "£1,250,000"),
        (Decimal("1250000.50"), "£1,250,000.50"),
        (Decimal("999.005"), "£999.01"),
        (Decimal("-1500.5"), "-£1,500.50"),
        (0, "£0"),
        (None, ""),
    ],
)
def test_money_shows_pence_only_when_there_are_some(amount: Decimal | int | None, shown: str) -> None:
    assert money(amount) == shown


def test_money_refuses_floats() -> None:
    with pytest.raises(TypeError):
        money(0.1)  # type: ignore[arg-type]
