"""Add and remove dependencies: a milestone of one programme waiting for a milestone of another, needed by
a date. Every change is audited on both programmes and re-rates the waiting one at once.

Refused, every problem named at once: a waiting milestone not of this programme or already done; a
predecessor programme that does not exist or is this one; a milestone it does not have; no needed-by
date; a pair already recorded; and a dependency that would close a loop (`domain.dependencies`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from tracker.domain.calendar import format_date
from tracker.domain.definitions import milestone_open
from tracker.domain.dependencies import loop_message, loop_through
from tracker.extensions import db
from tracker.models import AuditAction, Milestone, MilestoneDependency, Programme, User
from tracker.services import audit
from tracker.services.dependencies.reads import MAX_ID, get_dependency
from tracker.services.dependencies.ripple import rerate_programmes
from tracker.services.editing import check_version, commit_or_conflict, facts_changed
from tracker.services.errors import Invalid, Problem
from tracker.services.ratings.rerating import Trigger

NOTE_LENGTH = 2000
OWN_PROGRAMME = (
    "A milestone cannot depend on a milestone of its own programme: order them in the programme's own plan "
    "instead"
)


@dataclass(frozen=True)
class NewDependency:
    """What a form or the API gives for a new dependency; None where it gave nothing usable."""

    milestone_id: int | None
    predecessor_code: str | None
    predecessor_milestone_id: int | None
    needed_by: date | None
    note: str = ""


@dataclass(frozen=True)
class Checked:
    """A new dependency that breaks no rule: the two milestones, with their programmes loaded."""

    waiting: Milestone
    predecessor: Milestone


def find_programme(code: str | None) -> Programme | None:
    """A programme by its code, ignoring case and spaces around it."""
    code = (code or "").strip().upper()
    return db.session.scalar(select(Programme).where(Programme.code == code)) if code else None


def predecessor_choices(programme: Programme) -> list[Milestone]:
    """The milestones another programme may wait for: all of this one's, in date order."""
    statement = (
        select(Milestone)
        .where(Milestone.programme_id == programme.id)
        .order_by(Milestone.baseline_date, Milestone.id)
    )
    return list(db.session.scalars(statement))


def dependency_problems(programme: Programme, values: NewDependency) -> tuple[list[Problem], Checked | None]:
    """Every rule the new dependency breaks, as (field, message); with none, the milestones it joins."""
    problems: list[Problem] = []
    waiting = _milestone(values.milestone_id, programme.id)
    if values.milestone_id is None:
        problems.append(("milestone_id", "Choose the milestone that waits"))
    elif waiting is None:
        problems.append(("milestone_id", "There is no such milestone in this programme"))
    elif not milestone_open(waiting.status, waiting.actual_date):
        problems.append(("milestone_id", f"{waiting.title} is done or cancelled: it waits for nothing now"))
    other = find_programme(values.predecessor_code)
    if not (values.predecessor_code or "").strip():
        problems.append(("predecessor_code", "Enter the code of the programme it waits for"))
    elif other is None:
        problems.append(("predecessor_code", f"There is no programme {values.predecessor_code.strip()}"))
    elif other.id == programme.id:
        problems.append(("predecessor_code", OWN_PROGRAMME))
    if other is not None and other.id == programme.id:
        other = None  # said above: its milestones are not offered
    predecessor = None if other is None else _milestone(values.predecessor_milestone_id, other.id)
    if values.predecessor_milestone_id is None:
        problems.append(("predecessor_milestone_id", "Choose the milestone it waits for"))
    elif other is not None and predecessor is None:
        problems.append(("predecessor_milestone_id", f"{other.code} has no such milestone"))
    if values.needed_by is None:
        problems.append(("needed_by", "Enter the date it is needed by"))
    if len(values.note) > NOTE_LENGTH:
        problems.append(("note", f"Note must be {NOTE_LENGTH:,} characters or fewer"))
    if problems or waiting is None or predecessor is None:
        return problems, None
    problems += _pair_problems(waiting, predecessor)
    return problems, None if problems else Checked(waiting, predecessor)


def _milestone(milestone_id: int | None, programme_id: int) -> Milestone | None:
    if milestone_id is None or not 0 < milestone_id <= MAX_ID:
        return None
    milestone = db.session.get(Milestone, milestone_id)
    return milestone if milestone is not None and milestone.programme_id == programme_id else None


def _pair_problems(waiting: Milestone, predecessor: Milestone) -> list[Problem]:
    """Already recorded, or closing a loop through the dependencies already recorded."""
    edges = db.session.execute(select(MilestoneDependency.milestone_id, MilestoneDependency.depends_on_id))
    edges = [(start, end) for start, end in edges]
    if (waiting.id, predecessor.id) in edges:
        name = _names([predecessor.id])[predecessor.id]
        return [("predecessor_milestone_id", f"{waiting.title} already waits for {name}")]
    loop = loop_through(edges, (waiting.id, predecessor.id))
    if loop is None:
        return []
    return [("predecessor_milestone_id", loop_message(loop, _names(set(loop))))]


def _names(milestone_ids: set[int] | list[int]) -> dict[int, str]:
    """'DIG-001 Go-live' for each milestone, in one query."""
    rows = db.session.execute(
        select(Milestone.id, Programme.code, Milestone.title)
        .join(Programme, Programme.id == Milestone.programme_id)
        .where(Milestone.id.in_(sorted(milestone_ids)))
    )
    return {milestone_id: f"{code} {title}" for milestone_id, code, title in rows}


def add_dependency(programme: Programme, values: NewDependency, *, user: User) -> MilestoneDependency:
    """Record that one of the programme's milestones waits for another programme's, and re-rate it."""
    user_id = user.id
    problems, checked = dependency_problems(programme, values)
    if checked is None or values.needed_by is None:
        raise Invalid.every(problems)
    waiting, predecessor = checked.waiting, checked.predecessor
    dependency = MilestoneDependency(
        milestone_id=waiting.id,
        depends_on_id=predecessor.id,
        needed_by=values.needed_by,
        note=values.note.strip(),
        updated_by_id=user_id,
    )
    db.session.add(dependency)
    db.session.flush()
    _audit(dependency, AuditAction.CREATE, user_id=user_id)
    facts_changed([programme.id], trigger=Trigger.DEPENDENCY, user_id=user_id)
    commit_or_conflict(what="dependency")
    return dependency


def remove_dependency(
    programme: Programme, dependency_id: int, *, user: User, expected_version: int | None
) -> str:
    """Stop one of the programme's milestones waiting for another's; re-rate it. Returns what it waited for,
    as 'FIN-002 Finance go-live'."""
    user_id = user.id
    dependency = get_dependency(programme, dependency_id)
    check_version(dependency, expected_version, what="dependency")
    name = _audit(dependency, AuditAction.DELETE, user_id=user_id)
    db.session.delete(dependency)
    facts_changed([programme.id], trigger=Trigger.DEPENDENCY, user_id=user_id)
    commit_or_conflict(what="dependency")
    return name


def forget_milestone(milestone: Milestone, *, user_id: int | None) -> None:
    """A milestone is being deleted: remove the dependencies it takes part in, audited on both sides, and
    re-rate the other programmes that waited on it (its own is re-rated by the deletion). The caller
    commits."""
    involved = or_(
        MilestoneDependency.milestone_id == milestone.id, MilestoneDependency.depends_on_id == milestone.id
    )
    dependencies = db.session.scalars(
        select(MilestoneDependency)
        .where(involved)
        .options(joinedload(MilestoneDependency.milestone), joinedload(MilestoneDependency.depends_on))
    ).all()
    if not dependencies:
        return
    for dependency in dependencies:
        _audit(dependency, AuditAction.DELETE, user_id=user_id, why=f"{milestone.title} was deleted")
        db.session.delete(dependency)
    db.session.flush()
    waiting = {dependency.milestone.programme_id for dependency in dependencies}
    rerate_programmes(waiting - {milestone.programme_id}, user_id=user_id)


def _audit(
    dependency: MilestoneDependency, action: AuditAction, *, user_id: int | None, why: str = ""
) -> str:
    """One event on each programme's history, each worded from its side. Returns the predecessor's name."""
    waiting, predecessor = dependency.milestone, dependency.depends_on
    ours = db.session.get(Programme, waiting.programme_id)
    theirs = db.session.get(Programme, predecessor.programme_id)
    assert ours is not None and theirs is not None  # a milestone's programme is a foreign key
    needed = format_date(dependency.needed_by)
    verb = "now waits" if action is AuditAction.CREATE else "no longer waits"
    because = f" ({why})" if why else ""
    changes = {
        "waiting_milestone": _pair(action, f"{ours.code} {waiting.title}"),
        "depends_on": _pair(action, f"{theirs.code} {predecessor.title}"),
        "needed_by": _pair(action, dependency.needed_by),
    }
    if dependency.note:
        changes["note"] = _pair(action, dependency.note)
    for programme_id, summary in (
        (
            ours.id,
            f"{waiting.title} {verb} for {theirs.code} {predecessor.title}, needed by {needed}{because}",
        ),
        (
            theirs.id,
            f"{ours.code} {waiting.title} {verb} for {predecessor.title}, needed by {needed}{because}",
        ),
    ):
        audit.record(
            action, dependency, user_id=user_id, programme_id=programme_id, summary=summary, changes=changes
        )
    return f"{theirs.code} {predecessor.title}"


def _pair(action: AuditAction, value: object) -> tuple[object, object]:
    """Added: from nothing to the value; removed: from the value to nothing."""
    return (None, value) if action is AuditAction.CREATE else (value, None)
