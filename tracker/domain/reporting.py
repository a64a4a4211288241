"""When a highlight report's period may end: it reports what has happened, not months ahead."""

from __future__ import annotations

from datetime import date, timedelta

from tracker.domain.calendar import format_date

DAYS_AHEAD = 7
"""A report written on a Friday may cover the week to the coming Sunday, or a week ahead at most."""


def period_problem(start: date, end: date, *, today: date) -> tuple[str, str] | None:
    """The field at fault and what to say, or None when the period will do."""
    if end < start:
        return "period_end", "The end of the period must be on or after its start"
    latest = today + timedelta(days=DAYS_AHEAD)
    if end > latest:
        return (
            "period_end",
            f"The end of the period must be on or before {format_date(latest)}, a week from today",
        )
    return None
