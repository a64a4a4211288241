"""The one definition of done, open, overdue, stale and in-year, which the rules and every read model share.

A milestone is done when marked complete or when it has an actual date (it happened, whatever the status
says); closed to further work when cancelled; open when neither. It is overdue when open and its latest
approved baseline is before the day. A programme is expected to report unless it is an idea, closed or
paused, and is stale when it is expected to and has been silent longer than the threshold (or has never
reported). Money is in-year when its financial year is the UK financial year containing the day.
The SQL read models build their expressions from these constants (`services/definitions_sql.py`).
"""

from datetime import date

from tracker.domain.calendar import financial_year
from tracker.domain.vocabulary import MilestoneStatus, Stage

DONE_STATUSES: tuple[str, ...] = (MilestoneStatus.COMPLETE,)
"""Statuses that mean the milestone happened (as does any actual date)."""
CLOSED_STATUSES: tuple[str, ...] = (MilestoneStatus.CANCELLED,)
"""Statuses that close a milestone to further work without it happening."""
NOT_REPORTING_STAGES: frozenset[str] = frozenset({Stage.IDEA, Stage.CLOSED})
"""Stages not expected to send status updates (nor is a paused programme)."""


def milestone_done(status: str, actual_date: date | None) -> bool:
    """An actual date means it happened, so a forgotten status change cannot make it look late."""
    return status in DONE_STATUSES or actual_date is not None


def milestone_open(status: str, actual_date: date | None) -> bool:
    """Still to happen: neither done nor cancelled."""
    return not milestone_done(status, actual_date) and status not in CLOSED_STATUSES


def milestone_in_plan(status: str, actual_date: date | None) -> bool:
    """Counts towards progress: a milestone cancelled without happening is no longer part of the plan."""
    return milestone_done(status, actual_date) or status not in CLOSED_STATUSES


def overdue_days(is_open: bool, baseline_date: date | None, today: date) -> int | None:
    """Days an open milestone is past its latest approved baseline, or None when it is not overdue."""
    if not is_open or baseline_date is None or baseline_date >= today:
        return None
    return (today - baseline_date).days


def expects_updates(stage: str, paused: bool) -> bool:
    """Ideas, closed and paused programmes have nothing to report, so silence is not a warning sign."""
    return not paused and stage not in NOT_REPORTING_STAGES


def days_silent(last_update_on: date | None, today: date) -> int | None:
    """Days since the latest submitted update; None when there has never been one."""
    return None if last_update_on is None else (today - last_update_on).days


def is_stale(stage: str, paused: bool, last_update_on: date | None, today: date, stale_days: int) -> bool:
    """Expected to report and silent for more than `stale_days`, or never heard from at all."""
    if not expects_updates(stage, paused):
        return False
    silent = days_silent(last_update_on, today)
    return silent is None or silent > stale_days


def in_year(year_start: int, today: date) -> bool:
    """Whether money for the financial year starting `year_start` is this year's money on `today`."""
    return year_start == financial_year(today)
