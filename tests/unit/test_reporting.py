"""A highlight report's period: forwards, and ending no more than a week ahead."""

from __future__ import annotations

from datetime import date

from tracker.domain.reporting import period_problem

TODAY = date(2026, 12, 4)


def test_a_period_ending_up_to_a_week_ahead_will_do() -> None:
    assert period_problem(date(2026, 11, 30), date(2026, 12, 4), today=TODAY) is None
    assert period_problem(date(2026, 11, 30), date(2026, 12, 11), today=TODAY) is None
    assert period_problem(date(2026, 12, 11), date(2026, 12, 11), today=TODAY) is None


def test_a_period_ending_further_ahead_is_refused_with_the_latest_date() -> None:
    field, message = period_problem(date(2026, 11, 30), date(2027, 6, 4), today=TODAY)
    assert field == "period_end" and "on or before 11 December 2026" in message
    assert period_problem(date(2026, 12, 12), date(2026, 12, 12), today=TODAY) is not None


def test_a_period_must_not_end_before_it_starts() -> None:
    assert period_problem(date(2026, 12, 2), date(2026, 12, 1), today=TODAY) == (
        "period_end",
        "The end of the period must be on or after its start",
    )
