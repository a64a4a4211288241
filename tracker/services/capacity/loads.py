"""The change days a milestone lands on service teams: read for the milestone's page and the programme's
milestones, and replaced as a whole by whoever may update the programme. A change re-rates the
programme and every committed programme sharing the teams concerned."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError

from tracker.domain.capacity import landing_day, month_of
from tracker.extensions import db
from tracker.models import AuditAction, Milestone, MilestoneTeamLoad, Programme, ServiceTeam, User
from tracker.services import audit
from tracker.services.capacity.knock_on import sharing_teams
from tracker.services.editing import commit_or_conflict
from tracker.services.errors import Conflict, Invalid, NotFound, Problem
from tracker.services.milestones.records import MAX_ID
from tracker.services.ratings.rerating import Trigger


@dataclass(frozen=True)
class LoadLine:
    """One team a milestone lands on, for display: 'lands 12 change days on Revenues and benefits in
    March 2027'."""

    team_id: int
    team: str
    change_days: Decimal
    month: date


def team_names() -> list[tuple[int, str]]:
    """Every team as (id, name), by name, for choosing."""
    return list(db.session.execute(select(ServiceTeam.id, ServiceTeam.name).order_by(ServiceTeam.name)))


def milestone_loads(milestone: Milestone) -> list[LoadLine]:
    """The teams a milestone lands on, by team name: one query."""
    return [line for _, line in _rows(_statement().where(MilestoneTeamLoad.milestone_id == milestone.id))]


def programme_loads(programme_id: int) -> dict[int, list[LoadLine]]:
    """Every milestone's team loads in a programme, by milestone id: one query."""
    grouped: defaultdict[int, list[LoadLine]] = defaultdict(list)
    statement = _statement().where(Milestone.programme_id == programme_id)
    for milestone_id, line in _rows(statement):
        grouped[milestone_id].append(line)
    return grouped


def load_problems(rows: list[tuple[int | None, Decimal | None]], known: set[int]) -> list[Problem]:
    """Every problem with the rows as a whole: a team chosen twice, or a team that is not there."""
    problems: list[Problem] = []
    seen: set[int] = set()
    for index, (team_id, _days) in enumerate(rows):
        if team_id is None:
            continue
        if team_id not in known:
            problems.append((f"rows-{index}-team", "Choose a team from the list"))
        elif team_id in seen:
            problems.append((f"rows-{index}-team", "Choose each team only once"))
        seen.add(team_id)
    return problems


def set_loads(
    programme: Programme, milestone: Milestone, *, rows: list[tuple[int, Decimal]], user: User
) -> list[LoadLine]:
    """Replace the milestone's team loads with `rows` (team id, change days), each team once, then re-rate
    the programmes concerned (the teams before and after)."""
    user_id = user.id
    known = {team_id for team_id, _ in team_names()}
    problems = load_problems([(team, days) for team, days in rows], known)
    if any(days <= 0 for _, days in rows):
        problems.append((None, "Change days must be more than 0"))
    if problems:
        raise Invalid.every(problems)
    existing = {
        load.team_id: load
        for load in db.session.scalars(
            select(MilestoneTeamLoad).where(MilestoneTeamLoad.milestone_id == milestone.id)
        )
    }
    wanted = dict(rows)
    before = {team_id: load.change_days for team_id, load in existing.items()}
    if before == wanted:
        return milestone_loads(milestone)
    teams = set(before) | set(wanted)
    sharers_before = sharing_teams(teams)
    for team_id, load in existing.items():
        if team_id not in wanted:
            db.session.delete(load)
        elif load.change_days != wanted[team_id]:
            load.change_days = wanted[team_id]
    for team_id, days in wanted.items():
        if team_id not in existing:
            db.session.add(MilestoneTeamLoad(milestone_id=milestone.id, team_id=team_id, change_days=days))
    names = dict(team_names())
    audit.record(
        AuditAction.UPDATE,
        milestone,
        user_id=user_id,
        programme_id=programme.id,
        summary=f"Changed the teams the milestone '{milestone.title}' lands on",
        changes={
            f"change days on {names.get(team_id, 'a deleted team')}": (
                before.get(team_id),
                wanted.get(team_id),
            )
            for team_id in sorted(teams, key=lambda team: names.get(team, ""))
            if before.get(team_id) != wanted.get(team_id)
        },
    )
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(
            "Someone else changed the teams this milestone lands on while you were saving. "
            "Check the page, then make your change again."
        ) from None
    affected = {programme.id} | sharers_before | sharing_teams(teams)
    commit_or_conflict(what="milestone", refresh=affected, trigger=Trigger.CAPACITY, user_id=user_id)
    return milestone_loads(milestone)


def get_load_milestone(programme: Programme, milestone_id: int) -> Milestone:
    """A milestone of this programme, or NotFound."""
    milestone = (
        db.session.scalar(
            select(Milestone).where(Milestone.id == milestone_id, Milestone.programme_id == programme.id)
        )
        if 0 < milestone_id <= MAX_ID
        else None
    )
    if milestone is None:
        raise NotFound("There is no such milestone in this programme")
    return milestone


def _statement() -> Select[Any]:
    """The columns `_rows` reads, team names in order."""
    return (
        select(
            MilestoneTeamLoad.milestone_id,
            MilestoneTeamLoad.team_id,
            ServiceTeam.name,
            MilestoneTeamLoad.change_days,
            Milestone.baseline_date,
            Milestone.forecast_date,
            Milestone.actual_date,
        )
        .join(ServiceTeam, ServiceTeam.id == MilestoneTeamLoad.team_id)
        .join(Milestone, Milestone.id == MilestoneTeamLoad.milestone_id)
        .order_by(ServiceTeam.name)
    )


def _rows(statement: Select[Any]) -> Iterator[tuple[int, LoadLine]]:
    for milestone_id, team_id, name, days, baseline, forecast, actual in db.session.execute(statement):
        yield milestone_id, LoadLine(team_id, name, days, month_of(landing_day(baseline, forecast, actual)))
