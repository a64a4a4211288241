"""Status updates (highlight reports): drafted, changed while a draft, then submitted and frozen."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy import update as sa_update
from sqlalchemy.orm import joinedload

from tracker.domain.calendar import format_date, london_today
from tracker.domain.formatting import uk_datetime
from tracker.domain.reporting import period_problem
from tracker.extensions import db
from tracker.models import AuditAction, Programme, Rag, StatusUpdate, User
from tracker.models.types import utcnow
from tracker.services import audit
from tracker.services.editing import check_version, mark_programme_updated
from tracker.services.errors import Conflict, Invalid, NotFound, Problem
from tracker.services.ratings.rerating import Trigger

DIMENSIONS = ("schedule", "cost", "benefits", "resources")


@dataclass(frozen=True)
class UpdateValues:
    """What a person writes in a highlight report."""

    period_start: date
    period_end: date
    overall: Rag
    schedule: Rag
    cost: Rag
    benefits: Rag
    resources: Rag
    narrative: str


def list_updates(programme: Programme) -> list[StatusUpdate]:
    """A programme's updates, newest period first, authors loaded in the same query."""
    return list(
        db.session.scalars(
            select(StatusUpdate)
            .where(StatusUpdate.programme_id == programme.id)
            .options(joinedload(StatusUpdate.author))
            .order_by(StatusUpdate.period_end.desc(), StatusUpdate.created_at.desc(), StatusUpdate.id.desc())
        )
    )


def get_update(programme: Programme, update_id: int) -> StatusUpdate:
    """An update of this programme, or NotFound."""
    update = db.session.scalar(
        select(StatusUpdate)
        .where(StatusUpdate.id == update_id, StatusUpdate.programme_id == programme.id)
        .options(joinedload(StatusUpdate.author))
    )
    if update is None:
        raise NotFound("There is no such update for this programme")
    return update


def frozen_message(update: StatusUpdate) -> str:
    """Why a submitted update cannot change, in words a person can act on."""
    who = update.author.name if update.author else "someone"
    return (
        f"This update was submitted on {uk_datetime(update.submitted_at)} by {who} and can no longer be "
        "changed. Write a new update to report anything since."
    )


def create_draft(programme: Programme, *, values: UpdateValues, user: User) -> StatusUpdate:
    """Start a highlight report as a draft; nobody counts it as reported until it is submitted."""
    user_id = user.id
    _check(values)
    update = StatusUpdate(programme_id=programme.id, author_id=user_id, **asdict(values))
    db.session.add(update)
    db.session.flush()
    audit.record(
        AuditAction.CREATE,
        update,
        user_id=user_id,
        programme_id=programme.id,
        summary=f"Drafted the update for {_period(values.period_start, values.period_end)}",
        changes={name: (None, value) for name, value in asdict(values).items() if value not in (None, "")},
    )
    db.session.commit()
    return update


def update_draft(
    programme: Programme, *, update_id: int, values: UpdateValues, expected_version: int | None, user: User
) -> StatusUpdate:
    """Change a draft; a submitted update is frozen and stays exactly as it was."""
    user_id = user.id
    update = get_update(programme, update_id)
    if update.is_submitted:
        raise Conflict(frozen_message(update))
    check_version(update, expected_version, what="draft update")
    _check(values)
    changes = {
        name: (getattr(update, name), value)
        for name, value in asdict(values).items()
        if getattr(update, name) != value
    }
    if not changes:
        return update
    # Only while still a draft: a submit that lands between the read and this write wins.
    _write_if_draft(programme, update, {name: new for name, (_old, new) in changes.items()}, user_id=user_id)
    audit.record(
        AuditAction.UPDATE,
        update,
        user_id=user_id,
        programme_id=programme.id,
        summary=f"Changed the draft update for {_period(update.period_start, update.period_end)}",
        changes=changes,
    )
    db.session.commit()
    return update


def submit(programme: Programme, *, update_id: int, expected_version: int | None, user: User) -> StatusUpdate:
    """Submit a draft as last read: from now on it is the programme's word for that period and cannot
    change."""
    user_id = user.id
    update = get_update(programme, update_id)
    if update.is_submitted:
        raise Conflict(frozen_message(update))
    check_version(update, expected_version, what="draft update")
    now = utcnow()
    _write_if_draft(
        programme,
        update,
        {"submitted_at": now, "author_id": func.coalesce(StatusUpdate.author_id, user_id)},
        user_id=user_id,
    )
    audit.record(
        AuditAction.UPDATE,
        update,
        user_id=user_id,
        programme_id=programme.id,
        summary=f"Submitted the update for {_period(update.period_start, update.period_end)} "
        f"(overall {update.overall.value})",
        changes={"submitted_at": (None, now)},
    )
    mark_programme_updated(programme.id, trigger=Trigger.STATUS_UPDATE, user_id=user_id, at=now)
    db.session.commit()
    return update


def _write_if_draft(
    programme: Programme, update: StatusUpdate, values: dict[str, object], *, user_id: int
) -> None:
    """Write the values only if the update is still the draft that was read, else say who froze or
    changed it."""
    read = update.version
    result = db.session.execute(
        sa_update(StatusUpdate)
        .where(
            StatusUpdate.id == update.id, StatusUpdate.submitted_at.is_(None), StatusUpdate.version == read
        )
        .values(**values, version=StatusUpdate.version + 1, updated_by_id=user_id)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        latest = get_update(programme, update.id)
        if latest.is_submitted:
            raise Conflict(frozen_message(latest))
        check_version(latest, read, what="draft update")
        raise Conflict("This draft update could not be saved. Check the page, then make your change again.")
    db.session.expire(update)


def update_problems(
    *, period_start: date | None, period_end: date | None, narrative: str | None
) -> list[Problem]:
    """Every reason a draft cannot be saved (None: not given, or refused by the form)."""
    problems: list[Problem] = []
    if period_start is not None and period_end is not None:
        problem = period_problem(period_start, period_end, today=london_today(utcnow()))
        if problem is not None:
            problems.append(problem)
    if narrative is not None and not narrative.strip():
        problems.append(("narrative", "Enter the narrative"))
    return problems


def _check(values: UpdateValues) -> None:
    problems = update_problems(
        period_start=values.period_start, period_end=values.period_end, narrative=values.narrative
    )
    if problems:
        raise Invalid.every(problems)


def _period(start: date, end: date) -> str:
    return f"{format_date(start)} to {format_date(end)}"
