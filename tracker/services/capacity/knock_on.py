"""Capacity's knock-on: a change to one programme's landings, or to a team's capacity, changes other
programmes' over-capacity flags, so the committed programmes landing on the teams concerned are re-rated
in the same transaction."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select

from tracker.domain.calendar import london_today
from tracker.domain.capacity import months_ahead
from tracker.extensions import db
from tracker.models import Milestone, MilestoneTeamLoad
from tracker.models.types import utcnow
from tracker.services.capacity import reads
from tracker.services.portfolio.figures import refresh_programme_figures
from tracker.services.ratings.rerating import Trigger, rerate

LANDING_TRIGGERS = frozenset(
    {Trigger.MILESTONE, Trigger.REBASELINE, Trigger.STAGE, Trigger.CHANGE_REQUEST, Trigger.IMPORT}
)
"""Changes that can move when (or whether) a programme's milestones land on teams."""


def teams_of(programme_ids: Collection[int]) -> set[int]:
    """The teams these programmes' milestones land on, whenever they land (one query)."""
    if not programme_ids:
        return set()
    statement = (
        select(MilestoneTeamLoad.team_id)
        .join(Milestone, Milestone.id == MilestoneTeamLoad.milestone_id)
        .where(Milestone.programme_id.in_(sorted(set(programme_ids))))
        .distinct()
    )
    return set(db.session.scalars(statement))


def sharing_teams(team_ids: Collection[int]) -> set[int]:
    """The committed programmes landing work on any of these teams in the next 12 months (one query)."""
    if not team_ids:
        return set()
    months = months_ahead(london_today(utcnow()), 12)
    return {landing.programme_id for landing in reads.landings(months) if landing.team_id in set(team_ids)}


def rerate_sharers(
    team_ids: Collection[int], *, user_id: int | None, besides: Collection[int] = ()
) -> set[int]:
    """Re-rate the committed programmes landing on these teams (other than `besides`, rated by the
    caller) and refresh their figures; the caller commits. Returns who was re-rated."""
    others = sharing_teams(team_ids) - set(besides)
    if others:
        rerate(others, trigger=Trigger.CAPACITY, user_id=user_id)
        refresh_programme_figures(others)
    return others


def after_facts_changed(programme_ids: Collection[int], *, trigger: Trigger, user_id: int | None) -> None:
    """After these programmes were re-rated for `trigger`: when it may have moved their landings,
    re-rate the other programmes sharing their teams."""
    if trigger in LANDING_TRIGGERS:
        rerate_sharers(teams_of(programme_ids), user_id=user_id, besides=programme_ids)
