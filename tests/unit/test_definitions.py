"""The shared definitions of done, open, overdue, stale and in-year, with plain values."""

from datetime import date

import pytest

from tracker.domain.definitions import (
    expects_updates,
    in_year,
    is_stale,
    milestone_done,
    milestone_in_plan,
    milestone_open,
    overdue_days,
)
from tracker.domain.snapshot import MilestoneSnap

TODAY = date(2027, 3, 10)
ACTUAL = date(2027, 3, 1)


@pytest.mark.parametrize(
    ("status", "actual", "done", "is_open", "in_plan"),
    [
        ("not_started", None, False, True, True),
        ("in_progress", None, False, True, True),
        ("complete", None, True, False, True),
        ("in_progress", ACTUAL, True, False, True),  # an actual date means it happened
        ("cancelled", None, False, False, False),
        ("cancelled", ACTUAL, True, False, True),
    ],
)
def test_milestone_states(status: str, actual: date | None, done: bool, is_open: bool, in_plan: bool) -> None:
    assert (milestone_done(status, actual), milestone_open(status, actual)) == (done, is_open)
    assert milestone_in_plan(status, actual) is in_plan


def test_the_snapshot_reads_the_same_definitions() -> None:
    happened = MilestoneSnap(1, "Go-live", "it_delivery", False, date(2027, 1, 1), actual_date=ACTUAL)
    cancelled = MilestoneSnap(2, "Pilot", "it_delivery", True, date(2027, 1, 1), cancelled=True)
    assert (happened.done, happened.open, cancelled.done, cancelled.open) == (True, False, False, False)


@pytest.mark.parametrize(
    ("is_open", "baseline", "days"),
    [
        (True, date(2027, 3, 9), 1),
        (True, TODAY, None),  # due today is not yet overdue
        (True, date(2027, 4, 1), None),
        (True, None, None),
        (False, date(2026, 3, 9), None),
    ],
)
def test_overdue_days(is_open: bool, baseline: date | None, days: int | None) -> None:
    assert overdue_days(is_open, baseline, TODAY) == days


@pytest.mark.parametrize(
    ("stage", "paused", "last", "stale"),
    [
        ("delivery", False, date(2027, 2, 8), False),  # 30 days: on the threshold
        ("delivery", False, date(2027, 2, 7), True),  # 31 days
        ("delivery", False, None, True),  # never reported
        ("business_case", False, None, True),
        ("delivery", True, None, False),  # paused
        ("idea", False, None, False),
        ("closed", False, date(2020, 1, 1), False),
    ],
)
def test_stale(stage: str, paused: bool, last: date | None, stale: bool) -> None:
    assert is_stale(stage, paused, last, TODAY, 30) is stale
    assert expects_updates(stage, paused) is (stage not in ("idea", "closed") and not paused)


def test_in_year_is_the_uk_financial_year_containing_the_day() -> None:
    assert in_year(2026, TODAY) and not in_year(2027, TODAY)
    assert in_year(2027, date(2027, 4, 1)) and in_year(2026, date(2027, 3, 31))
