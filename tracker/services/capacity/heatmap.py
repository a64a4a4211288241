"""The capacity heatmap and its cells: every service team by the next 12 months, load against capacity,
from committed programmes' milestones; and the milestones landing in one team-month. A fixed number of
queries, whatever the portfolio's size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from tracker.domain.calendar import london_today
from tracker.domain.capacity import landing_day, months_ahead, team_months
from tracker.domain.capacity_heatmap import Heatmap, heatmap
from tracker.domain.vocabulary import MilestoneStatus
from tracker.extensions import db
from tracker.models import Milestone, MilestoneTeamLoad, Programme, ServiceTeam
from tracker.models.types import utcnow
from tracker.services.capacity import reads
from tracker.services.errors import NotFound
from tracker.services.milestones.records import MAX_ID
from tracker.services.settings import current_thresholds


def capacity_heatmap(today: date | None = None) -> Heatmap:
    """Every team by this month and the 11 after it (three queries: the teams with their capacities, the
    landings, and the thresholds; one when there are no teams)."""
    months = months_ahead(today or london_today(utcnow()), 12)
    rows = db.session.execute(
        select(ServiceTeam.id, ServiceTeam.name, ServiceTeam.directorate, ServiceTeam.monthly_capacity)
    ).all()
    if not rows:
        return Heatmap(months, ())
    capacities = {team_id: capacity for team_id, _, _, capacity in rows}
    sums = team_months(reads.landings(months), capacities, months)
    teams = [(team_id, name, directorate) for team_id, name, directorate, _ in rows]
    return heatmap(teams, sums, months, red_pct=current_thresholds().over_capacity_red_pct)


@dataclass(frozen=True)
class CellLanding:
    """A milestone landing change on the team in the month."""

    code: str
    programme: str
    milestone_id: int
    milestone: str
    on: date
    change_days: Decimal


@dataclass(frozen=True)
class CellPage:
    team: ServiceTeam
    month: date
    landings: list[CellLanding]

    @property
    def load(self) -> Decimal:
        return sum((landing.change_days for landing in self.landings), Decimal("0.0"))

    @property
    def over(self) -> bool:
        capacity = self.team.monthly_capacity
        return capacity is not None and self.load > capacity


def cell_page(team_id: int, month: date) -> CellPage:
    """The committed programmes' milestones landing on a team in a month, by date then programme: two
    queries."""
    team = db.session.get(ServiceTeam, team_id) if 0 < team_id <= MAX_ID else None
    if team is None:
        raise NotFound("There is no such service team")
    day = func.coalesce(Milestone.actual_date, Milestone.forecast_date, Milestone.baseline_date)
    after = date(month.year + 1, 1, 1) if month.month == 12 else date(month.year, month.month + 1, 1)
    statement = (
        select(
            Programme.code,
            Programme.name,
            Milestone.id,
            Milestone.title,
            Milestone.baseline_date,
            Milestone.forecast_date,
            Milestone.actual_date,
            MilestoneTeamLoad.change_days,
        )
        .join(Milestone, Milestone.id == MilestoneTeamLoad.milestone_id)
        .join(Programme, Programme.id == Milestone.programme_id)
        .where(
            MilestoneTeamLoad.team_id == team_id,
            Milestone.status != MilestoneStatus.CANCELLED,
            Programme.stage.in_(list(reads.COMMITTED)),
            day >= month,
            day < after,
        )
    )
    landings = [
        CellLanding(code, name, mid, title, landing_day(baseline, forecast, actual), days)
        for code, name, mid, title, baseline, forecast, actual, days in db.session.execute(statement)
    ]
    landings.sort(key=lambda landing: (landing.on, landing.code, landing.milestone))
    return CellPage(team, month, landings)
