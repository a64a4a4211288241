"""Each programme's dashboard figures for one London day, so the dashboard sums narrow rows, not child tables.

A row is a cache: the risk scan writes every open programme's, and each service that changes a
programme's numbers rewrites that programme's in the same transaction. A row is only used on the day
in `as_of`; the dashboard works out any other programme's figures from the child tables.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, ForeignKey, Integer, String, Table

from tracker.extensions import db
from tracker.models.types import Measure, Money, UTCDateTime

SAVINGS_BUCKETS = 14
"""Changes in cashable savings by month of the financial year: 0 before 1 April, 1-12 the months, 13 after."""
PAST_WEEKS = 11
"""The ratings chart's weeks before this one: the rating at the end of the day 7, 14 ... 77 days ago."""


def planned_column(bucket: int) -> str:
    return f"planned_{bucket}"


def realised_column(bucket: int) -> str:
    return f"realised_{bucket}"


def rating_column(weeks_ago: int) -> str:
    return f"rating_week_{weeks_ago}"


def _zero(name: str, kind: object) -> Column:
    return Column(name, kind, nullable=False, default=0, server_default="0")


class ProgrammeFigures(db.Model):
    """One programme's figures as at a day: money of that day's financial year, counts, savings, ratings."""

    __table__ = Table(
        "programme_figures",
        db.metadata,
        Column("programme_id", Integer, ForeignKey("programme.id", ondelete="CASCADE"), primary_key=True),
        Column("as_of", Date, nullable=False),
        Column("updated_at", UTCDateTime, nullable=False),
        # The financial year that contains as_of; whole-life is every year's approved amount.
        _zero("approved", Money),
        _zero("forecast", Money),
        _zero("actual", Money),
        _zero("whole_life_approved", Money),
        _zero("overdue_milestones", Integer),
        Column("stale", Boolean, nullable=False, default=False, server_default="0"),
        Column("technology_only", Boolean, nullable=False, default=False, server_default="0"),
        _zero("service_total", Integer),
        _zero("service_off_track", Integer),
        _zero("service_on_track", Integer),
        _zero("service_not_measured", Integer),
        *(_zero(planned_column(bucket), Measure) for bucket in range(SAVINGS_BUCKETS)),
        _zero("planned_to_date", Measure),
        *(_zero(realised_column(bucket), Measure) for bucket in range(SAVINGS_BUCKETS)),
        _zero("realised_to_date", Measure),
        # The rating ("red", "amber", "green") at the end of the day `n` weeks before as_of; NULL: not rated.
        *(Column(rating_column(weeks), String(16)) for weeks in range(1, PAST_WEEKS + 1)),
    )
