"""Service teams and their monthly capacity for change: listed by directorate, added, changed and removed
by those the policy lets manage them, each change in the audit trail. A change of capacity re-rates the
programmes landing work on the team, whose over-capacity flags it may raise or clear."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tracker.extensions import db
from tracker.models import AuditAction, MilestoneTeamLoad, Programme, ServiceTeam, User
from tracker.services import audit
from tracker.services.capacity.knock_on import rerate_sharers, sharing_teams
from tracker.services.editing import check_version, commit_or_conflict
from tracker.services.errors import Invalid, NotFound, Problem
from tracker.services.milestones.records import MAX_ID
from tracker.services.ratings.rerating import Trigger

MAX_NAME = 120


@dataclass(frozen=True)
class TeamValues:
    """What a person enters for a team; capacity None: not set yet."""

    name: str
    directorate: str
    monthly_capacity: Decimal | None


@dataclass(frozen=True)
class TeamRow:
    """A team as the list shows it, with how many milestone loads it carries."""

    team: ServiceTeam
    loads: int


def list_teams() -> list[TeamRow]:
    """Every team by directorate then name, with its count of milestone loads: one query."""
    counts = (
        select(MilestoneTeamLoad.team_id, func.count(MilestoneTeamLoad.id).label("loads"))
        .group_by(MilestoneTeamLoad.team_id)
        .subquery()
    )
    rows = db.session.execute(
        select(ServiceTeam, func.coalesce(counts.c.loads, 0))
        .outerjoin(counts, counts.c.team_id == ServiceTeam.id)
        .order_by(ServiceTeam.directorate, ServiceTeam.name)
    ).all()
    return [TeamRow(team, loads) for team, loads in rows]


def directorate_choices() -> list[str]:
    """The directorates people have used already, programmes' and teams': one query."""
    union = select(Programme.directorate.label("name")).union(select(ServiceTeam.directorate))
    return sorted({name for name in db.session.scalars(select(union.subquery().c.name)) if name})


def get_team(team_id: int) -> ServiceTeam:
    """A team, or NotFound."""
    team = db.session.get(ServiceTeam, team_id) if 0 < team_id <= MAX_ID else None
    if team is None:
        raise NotFound("There is no such service team")
    return team


def load_count(team_id: int) -> int:
    """How many milestone loads go with a team if it is deleted."""
    statement = select(func.count(MilestoneTeamLoad.id)).where(MilestoneTeamLoad.team_id == team_id)
    return db.session.scalar(statement) or 0


def team_problems(*, name: str | None, directorate: str | None, team_id: int | None = None) -> list[Problem]:
    """Every rule a team breaks (None: not given, or already refused by the form)."""
    problems: list[Problem] = []
    if name is not None:
        if not name.strip():
            problems.append(("name", "Enter the team's name"))
        elif len(name) > MAX_NAME:
            problems.append(("name", f"The team's name must be {MAX_NAME} characters or fewer"))
        else:
            clash = select(ServiceTeam.id).where(func.lower(ServiceTeam.name) == name.strip().lower())
            if team_id is not None:
                clash = clash.where(ServiceTeam.id != team_id)
            if db.session.scalar(clash) is not None:
                problems.append(("name", f"There is already a team called {name.strip()}"))
    if directorate is not None:
        if not directorate.strip():
            problems.append(("directorate", "Choose the team's directorate or type a new one"))
        elif len(directorate) > MAX_NAME:
            problems.append(("directorate", f"The directorate must be {MAX_NAME} characters or fewer"))
    return problems


def create_team(*, values: TeamValues, user: User) -> ServiceTeam:
    """Add a team; it carries no load yet, so no programme's rating changes."""
    user_id = user.id
    _check(values)
    team = ServiceTeam(
        name=values.name.strip(),
        directorate=values.directorate.strip(),
        monthly_capacity=values.monthly_capacity,
        updated_by_id=user_id,
    )
    db.session.add(team)
    try:
        db.session.flush()
    except IntegrityError:  # the same name, saved by someone else a moment ago
        db.session.rollback()
        raise Invalid.every([("name", f"There is already a team called {values.name.strip()}")]) from None
    audit.record(
        AuditAction.CREATE,
        team,
        user_id=user_id,
        programme_id=None,
        summary=f"Added the service team '{team.name}' ({team.directorate})",
        changes={
            "name": (None, team.name),
            "directorate": (None, team.directorate),
            "monthly_capacity": (None, team.monthly_capacity),
        },
    )
    db.session.commit()
    return team


def update_team(*, team_id: int, values: TeamValues, expected_version: int | None, user: User) -> ServiceTeam:
    """Change a team; a new capacity re-rates the programmes landing work on it."""
    user_id = user.id
    team = get_team(team_id)
    check_version(team, expected_version, what="team")
    _check(values, team_id=team_id)
    changes = audit.apply_changes(
        team,
        {
            "name": values.name.strip(),
            "directorate": values.directorate.strip(),
            "monthly_capacity": values.monthly_capacity,
        },
    )
    if not changes:
        return team
    team.updated_by_id = user_id
    audit.record(
        AuditAction.UPDATE,
        team,
        user_id=user_id,
        programme_id=None,
        summary=f"Changed the service team '{team.name}'",
        changes=changes,
    )
    if "monthly_capacity" in changes or "name" in changes:
        db.session.flush()
        rerate_sharers({team.id}, user_id=user_id)
    commit_or_conflict(what="team")
    return team


def delete_team(*, team_id: int, expected_version: int | None, user: User) -> tuple[str, int]:
    """Remove a team and the milestone loads on it; the programmes that landed work on it are re-rated.
    Returns its name and how many loads went with it."""
    user_id = user.id
    team = get_team(team_id)
    check_version(team, expected_version, what="team")
    name, loads = team.name, load_count(team_id)
    sharers = sharing_teams({team_id})
    audit.record(
        AuditAction.DELETE,
        team,
        user_id=user_id,
        programme_id=None,
        summary=f"Deleted the service team '{name}' and its {loads} milestone load(s)",
        changes={
            "name": (name, None),
            "directorate": (team.directorate, None),
            "monthly_capacity": (team.monthly_capacity, None),
        },
    )
    db.session.execute(MilestoneTeamLoad.__table__.delete().where(MilestoneTeamLoad.team_id == team_id))
    db.session.delete(team)
    commit_or_conflict(what="team", refresh=sharers, trigger=Trigger.CAPACITY, user_id=user_id)
    return name, loads


def _check(values: TeamValues, *, team_id: int | None = None) -> None:
    problems = team_problems(name=values.name, directorate=values.directorate, team_id=team_id)
    if problems:
        raise Invalid.every(problems)
