"""A programme's actions and decisions: listing, adding, changing, marking an action done, deleting.

Each change is audited and re-rates the programme (an open action past its due date is a risk flag).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import case, select

from tracker.domain.calendar import format_date, london_today
from tracker.domain.definitions import overdue_days
from tracker.domain.raid_values import (
    ActionValues,
    DecisionValues,
    action_problems,
    decision_problems,
    settled,
)
from tracker.extensions import db
from tracker.models import (
    ActionStatus,
    AuditAction,
    Decision,
    Programme,
    ProgrammeAction,
    RegisterEntry,
    User,
)
from tracker.models.types import utcnow
from tracker.services import audit
from tracker.services.editing import check_version, commit_or_conflict, mark_programme_updated
from tracker.services.errors import Invalid, NotFound
from tracker.services.ratings.rerating import Trigger


def list_actions(programme: Programme) -> list[ProgrammeAction]:
    """Open actions first, soonest due first (unknown due dates last), then those done, latest first."""
    done = ProgrammeAction.status == ActionStatus.DONE
    return list(
        db.session.scalars(
            select(ProgrammeAction)
            .where(ProgrammeAction.programme_id == programme.id)
            .order_by(
                case((done, 1), else_=0),
                case((done, None), else_=ProgrammeAction.due_date).is_(None),
                case((done, None), else_=ProgrammeAction.due_date),
                ProgrammeAction.done_on.desc(),
                ProgrammeAction.id,
            )
        )
    )


@dataclass(frozen=True)
class ActionRow:
    """An action as the register page shows it: how many days overdue, or None when it is not."""

    action: ProgrammeAction
    days_overdue: int | None


def action_rows(actions: list[ProgrammeAction], *, today: date | None = None) -> list[ActionRow]:
    """Each action with its days overdue, judged as the risk scan judges them."""
    today = today or london_today(utcnow())
    return [
        ActionRow(action, overdue_days(action.status is ActionStatus.OPEN, action.due_date, today))
        for action in actions
    ]


def list_decisions(programme: Programme) -> list[Decision]:
    """Latest decision first; one with no date after those with one."""
    return list(
        db.session.scalars(
            select(Decision)
            .where(Decision.programme_id == programme.id)
            .order_by(Decision.decided_on.is_(None), Decision.decided_on.desc(), Decision.id.desc())
        )
    )


def get_action(programme: Programme, action_id: int) -> ProgrammeAction:
    """An action of this programme, or NotFound."""
    action = db.session.scalar(
        select(ProgrammeAction).where(
            ProgrammeAction.id == action_id, ProgrammeAction.programme_id == programme.id
        )
    )
    if action is None:
        raise NotFound("There is no such action in this register")
    return action


def get_decision(programme: Programme, decision_id: int) -> Decision:
    """A decision of this programme, or NotFound."""
    decision = db.session.scalar(
        select(Decision).where(Decision.id == decision_id, Decision.programme_id == programme.id)
    )
    if decision is None:
        raise NotFound("There is no such decision in this register")
    return decision


def create_action(
    programme: Programme, *, values: ActionValues, user: User, today: date | None = None
) -> ProgrammeAction:
    """Add an action to a programme's register."""
    user_id = user.id
    values = _checked_action(programme, values, today)
    action = ProgrammeAction(programme_id=programme.id, updated_by_id=user_id, **asdict(values))
    _added(
        programme,
        action,
        values,
        user_id=user_id,
        summary=f"Added action '{values.title}' ({_due(values.due_date)})",
    )
    return action


def update_action(
    programme: Programme,
    *,
    action_id: int,
    values: ActionValues,
    expected_version: int | None,
    user: User,
    today: date | None = None,
) -> ProgrammeAction:
    """Change an action, refusing a save made from a stale copy."""
    user_id = user.id
    action = get_action(programme, action_id)
    check_version(action, expected_version, what="action")
    values = _checked_action(programme, values, today, done_before=action.done_on)
    summary = f"Changed action '{action.title}'"
    _changed(programme, action, asdict(values), user_id=user_id, summary=summary, what="action")
    return action


def mark_action_done(
    programme: Programme,
    *,
    action_id: int,
    expected_version: int | None,
    user: User,
    today: date | None = None,
) -> ProgrammeAction:
    """The action is done, today."""
    user_id = user.id
    action = get_action(programme, action_id)
    check_version(action, expected_version, what="action")
    if action.status is ActionStatus.DONE:
        when = f" on {format_date(action.done_on)}" if action.done_on else ""
        raise Invalid(f"This action was already done{when}")
    done = {"status": ActionStatus.DONE, "done_on": today or london_today(utcnow())}
    _changed(
        programme, action, done, user_id=user_id, summary=f"Action done: '{action.title}'", what="action"
    )
    return action


def delete_action(programme: Programme, *, action_id: int, expected_version: int | None, user: User) -> str:
    """Remove an action; History keeps the record of it."""
    action = get_action(programme, action_id)
    check_version(action, expected_version, what="action")
    kept = {"owner": action.owner or None, "due_date": action.due_date}
    return _deleted(programme, action, kept, user_id=user.id, what="action")


def create_decision(
    programme: Programme, *, values: DecisionValues, user: User, today: date | None = None
) -> Decision:
    """Record a decision in a programme's register."""
    user_id = user.id
    _check_decision(values, today)
    decision = Decision(programme_id=programme.id, updated_by_id=user_id, **asdict(values))
    _added(programme, decision, values, user_id=user_id, summary=f"Recorded decision '{values.title}'")
    return decision


def update_decision(
    programme: Programme,
    *,
    decision_id: int,
    values: DecisionValues,
    expected_version: int | None,
    user: User,
    today: date | None = None,
) -> Decision:
    """Change a decision (say, superseded), refusing a save made from a stale copy."""
    user_id = user.id
    decision = get_decision(programme, decision_id)
    check_version(decision, expected_version, what="decision")
    _check_decision(values, today)
    summary = f"Changed decision '{decision.title}'"
    _changed(programme, decision, asdict(values), user_id=user_id, summary=summary, what="decision")
    return decision


def delete_decision(
    programme: Programme, *, decision_id: int, expected_version: int | None, user: User
) -> str:
    """Remove a decision recorded in error; History keeps the record of it."""
    decision = get_decision(programme, decision_id)
    check_version(decision, expected_version, what="decision")
    kept = {"decided_by": decision.decided_by or None, "decided_on": decision.decided_on}
    return _deleted(programme, decision, kept, user_id=user.id, what="decision")


def _added(
    programme: Programme,
    record: ProgrammeAction | Decision,
    values: ActionValues | DecisionValues,
    *,
    user_id: int,
    summary: str,
) -> None:
    """Save a new action or decision with its audit event, and re-rate the programme."""
    db.session.add(record)
    db.session.flush()
    given = {name: (None, value) for name, value in asdict(values).items() if value not in (None, "")}
    audit.record(
        AuditAction.CREATE, record, user_id=user_id, programme_id=programme.id, summary=summary, changes=given
    )
    mark_programme_updated(programme.id, trigger=Trigger.REGISTER, user_id=user_id)
    db.session.commit()


def _changed(
    programme: Programme,
    record: ProgrammeAction | Decision,
    values: dict[str, object],
    *,
    user_id: int,
    summary: str,
    what: str,
) -> None:
    """Apply what changed, audit it and re-rate the programme; a save that changes nothing does nothing."""
    changes = audit.apply_changes(record, values)
    if not changes:
        return
    record.updated_by_id = user_id
    audit.record(
        AuditAction.UPDATE,
        record,
        user_id=user_id,
        programme_id=programme.id,
        summary=summary,
        changes=changes,
    )
    mark_programme_updated(programme.id, trigger=Trigger.REGISTER, user_id=user_id)
    commit_or_conflict(what=what)


def _deleted(
    programme: Programme,
    record: ProgrammeAction | Decision,
    kept: dict[str, object],
    *,
    user_id: int,
    what: str,
) -> str:
    """Delete an action or decision, keeping its title and `kept` in the audit event; returns the title."""
    title = record.title
    audit.record(
        AuditAction.DELETE,
        record,
        user_id=user_id,
        programme_id=programme.id,
        summary=f"Deleted {what} '{title}'",
        changes={"title": (title, None), **{name: (value, None) for name, value in kept.items()}},
    )
    db.session.delete(record)
    mark_programme_updated(programme.id, trigger=Trigger.REGISTER, user_id=user_id)
    commit_or_conflict(what=what)
    return title


def _due(due_date: date | None) -> str:
    return f"due {format_date(due_date)}" if due_date else "due date not known"


def _checked_action(
    programme: Programme, values: ActionValues, today: date | None, *, done_before: date | None = None
) -> ActionValues:
    """Every problem at once; a done action keeps its date, or takes today's; an open one has none."""
    today = today or london_today(utcnow())
    problems = action_problems(values, today)
    if values.entry_id is not None and not db.session.scalar(
        select(RegisterEntry.id).where(
            RegisterEntry.id == values.entry_id, RegisterEntry.programme_id == programme.id
        )
    ):
        problems.append(("entry_id", "Select a risk or issue of this programme, or none"))
    if problems:
        raise Invalid.every(problems)
    return settled(values, today, done_before=done_before)


def _check_decision(values: DecisionValues, today: date | None) -> None:
    """Every problem at once."""
    problems = decision_problems(values, today or london_today(utcnow()))
    if problems:
        raise Invalid.every(problems)
