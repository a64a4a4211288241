"""The domain's definitions of done, open, overdue and in-year as SQL conditions, for every read model.

Built from the constants in `domain/definitions.py`, so the dashboard figures, the portfolio list, the
digest and the exports count exactly the milestones and money the risk rules do.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, or_

from tracker.domain.calendar import financial_year
from tracker.domain.definitions import CLOSED_STATUSES, DONE_STATUSES
from tracker.models import Investment, Milestone, MilestoneStatus

_DONE = tuple(MilestoneStatus(status) for status in DONE_STATUSES)
_CLOSED = tuple(MilestoneStatus(status) for status in CLOSED_STATUSES)


def milestone_done() -> Any:
    """Marked complete, or with an actual date recorded."""
    return or_(Milestone.status.in_(_DONE), Milestone.actual_date.is_not(None))


def milestone_open() -> Any:
    """Neither done nor cancelled; written without NOT so SQLite's planner keeps its automatic indexes."""
    return and_(Milestone.status.not_in(_DONE + _CLOSED), Milestone.actual_date.is_(None))


def milestone_overdue(today: date | Any) -> Any:
    """Open, with its latest approved baseline before today."""
    return and_(milestone_open(), Milestone.baseline_date < today)


def in_year(year: int | Any) -> Any:
    """Investment lines of financial year `year`: pass `calendar.financial_year(today)` for this year's."""
    return Investment.financial_year == year


def this_year(today: date) -> Any:
    """Investment lines of the UK financial year containing today."""
    return in_year(financial_year(today))
