"""The reads behind capacity to change: each team's capacity, and the landings of committed programmes'
milestones (or of any programmes named) in a span of months, in one query each."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from tracker.domain.capacity import Landing, month_of
from tracker.domain.vocabulary import MilestoneStatus, Stage
from tracker.extensions import db
from tracker.models import Milestone, MilestoneTeamLoad, Programme, ServiceTeam

COMMITTED: tuple[Stage, ...] = (Stage.DELIVERY, Stage.CLOSING)
"""Programmes whose work is committed, and so loads teams: in delivery or closing. Ideas and business
cases are the pipeline: they load teams only in a pipeline scenario that ticks them in."""


def capacities() -> dict[int, Decimal | None]:
    """Every service team's monthly capacity in change days, by team id (None: not set)."""
    rows = db.session.execute(select(ServiceTeam.id, ServiceTeam.monthly_capacity))
    return {team_id: capacity for team_id, capacity in rows}


def landings(
    months: Sequence[date],
    *,
    programme_ids: Collection[int] | None = None,
    stages: Collection[Stage] = COMMITTED,
) -> list[Landing]:
    """The change days landing on each team in `months` (first days, in order) from the milestones of
    programmes in `stages` (or, if given, of just `programme_ids`, whatever their stage); cancelled
    milestones land nothing."""
    if not months:
        return []
    day = func.coalesce(Milestone.actual_date, Milestone.forecast_date, Milestone.baseline_date)
    last = months[-1]
    after_last = date(last.year + 1, 1, 1) if last.month == 12 else date(last.year, last.month + 1, 1)
    statement = (
        select(
            MilestoneTeamLoad.team_id,
            day,
            Milestone.programme_id,
            Milestone.id,
            MilestoneTeamLoad.change_days,
        )
        .join(Milestone, Milestone.id == MilestoneTeamLoad.milestone_id)
        .join(Programme, Programme.id == Milestone.programme_id)
        .where(Milestone.status != MilestoneStatus.CANCELLED, day >= months[0], day < after_last)
    )
    if programme_ids is not None:
        statement = statement.where(Milestone.programme_id.in_(list(programme_ids)))
    else:
        statement = statement.where(Programme.stage.in_(list(stages)))
    return [
        Landing(team_id, month_of(_as_date(on)), programme_id, milestone_id, days)
        for team_id, on, programme_id, milestone_id, days in db.session.execute(statement)
    ]


def _as_date(value: date | str) -> date:
    # SQLite returns COALESCE of date columns as text.
    return value if isinstance(value, date) else date.fromisoformat(value)
