"""Milestones: add, edit, delete, and the weekly update of forecasts, actuals and status.

The rules those changes keep are in `domain.milestones`; how each is recorded, in `changes`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm.interfaces import ORMOption

from tracker.domain.calendar import london_today
from tracker.domain.definitions import milestone_open, overdue_days
from tracker.domain.milestones import Progress, errors_for, progress_errors
from tracker.extensions import db
from tracker.models import (
    AuditAction,
    ChangeKind,
    Milestone,
    MilestoneKind,
    MilestoneStatus,
    Programme,
    User,
)
from tracker.models.types import utcnow
from tracker.services import audit
from tracker.services.dependencies.records import forget_milestone
from tracker.services.editing import check_version, commit_or_conflict, mark_programme_updated
from tracker.services.errors import Conflict, Invalid, NotFound
from tracker.services.milestones.changes import apply_progress, log_change, record_update
from tracker.services.ratings.rerating import Trigger

OPEN_STATUSES = (MilestoneStatus.NOT_STARTED, MilestoneStatus.IN_PROGRESS)
MAX_ID = 2**31 - 1  # ids are 32-bit integers; anything larger in a URL is simply not found
DELETED_FIELDS = ("title", "kind", "baseline_date", "forecast_date", "actual_date", "status")


class MilestoneInvalid(Invalid):
    """Rule breaks found in one or more milestones: {milestone id: {field: message}}."""

    def __init__(self, rows: dict[int, dict[str, str]]) -> None:
        super().__init__("Some milestones could not be saved")
        self.rows = rows


class MilestoneConflict(Conflict):
    """Milestones someone else changed since the page was read: {milestone id: message}."""

    def __init__(self, rows: dict[int, str]) -> None:
        super().__init__(" ".join(rows.values()))
        self.rows = rows


@dataclass(frozen=True)
class Details:
    """What describes a milestone, as opposed to its dates and progress."""

    title: str
    kind: MilestoneKind
    critical: bool
    owner: str


def programme_milestones(programme_id: int, *options: ORMOption) -> list[Milestone]:
    """A programme's milestones in date order, with any loader options the caller needs."""
    statement = (
        select(Milestone)
        .where(Milestone.programme_id == programme_id)
        .order_by(Milestone.baseline_date, Milestone.id)
        .options(*options)
    )
    return list(db.session.scalars(statement))


def days_overdue(milestone: Milestone, today: date | None = None) -> int | None:
    """Days past the latest approved baseline as the risk rules count them; None when not overdue."""
    is_open = milestone_open(milestone.status, milestone.actual_date)
    return overdue_days(is_open, milestone.baseline_date, today or london_today(utcnow()))


def get_milestone(programme: Programme, milestone_id: int) -> Milestone:
    """A milestone of this programme, or NotFound (an id from another programme is not found)."""
    milestone = db.session.get(Milestone, milestone_id) if 0 < milestone_id <= MAX_ID else None
    if milestone is None or milestone.programme_id != programme.id:
        raise NotFound("There is no such milestone in this programme")
    return milestone


def create_milestone(
    programme: Programme,
    *,
    user: User,
    details: Details,
    baseline_date: date,
    forecast_date: date | None,
    actual_date: date | None,
    status: MilestoneStatus,
    today: date | None = None,
) -> Milestone:
    """Add a milestone; its first baseline is both the original and the latest approved one."""
    errors = new_milestone_problems(
        baseline_date=baseline_date,
        forecast_date=forecast_date,
        actual_date=actual_date,
        status=status,
        today=today,
    )
    if errors:
        raise MilestoneInvalid({0: errors})
    milestone = Milestone(
        programme_id=programme.id,
        title=details.title.strip(),
        kind=details.kind,
        critical=details.critical,
        owner=details.owner.strip(),
        original_baseline_date=baseline_date,
        baseline_date=baseline_date,
        forecast_date=forecast_date or baseline_date,
        actual_date=actual_date,
        status=status,
        updated_by_id=user.id,
    )
    db.session.add(milestone)
    db.session.flush()
    log_change(milestone, ChangeKind.CREATED, None, baseline_date.isoformat(), "", user)
    audit.record(
        AuditAction.CREATE,
        milestone,
        user_id=user.id,
        programme_id=programme.id,
        summary=f"Added milestone {milestone.title}",
        changes={"baseline_date": (None, baseline_date), "status": (None, status)},
    )
    mark_programme_updated(programme.id, trigger=Trigger.MILESTONE, user_id=user.id)
    db.session.commit()
    return milestone


def new_milestone_problems(
    *,
    baseline_date: date | None,
    forecast_date: date | None,
    actual_date: date | None,
    status: str | None,
    today: date | None = None,
) -> dict[str, str]:
    """Every rule a new milestone's dates and status break, as {field: message}. None means not given
    or refused by the form; without a status there is nothing to check against."""
    if status is None:
        return {}
    forecast = forecast_date or baseline_date
    errors = progress_errors(forecast, actual_date, status, today or london_today(utcnow()))
    if forecast is None:  # no baseline either: that is the problem to fix first
        errors.pop("forecast_date", None)
    return errors


def progress_problems(
    milestone: Milestone,
    *,
    forecast_date: date | None,
    actual_date: date | None,
    status: str | None,
    reason: str | None,
    today: date | None = None,
) -> dict[str, str]:
    """Every rule a saved milestone's new dates and status break, as {field: message} (None: not given or
    refused by the form), without saving: so a page can show them with its own errors."""
    if status is None:
        return {}
    progress = Progress(milestone.id, None, forecast_date, actual_date, status, reason or "")
    return errors_for(milestone, progress, today or london_today(utcnow()))


def edit_milestone(
    programme: Programme, progress: Progress, *, user: User, details: Details, today: date | None = None
) -> Milestone:
    """Change a milestone's details and progress together, from the edit page."""
    milestone = get_milestone(programme, progress.milestone_id)
    check_version(milestone, progress.expected_version, what="milestone")
    today = today or london_today(utcnow())
    errors = errors_for(milestone, progress, today)
    if errors:
        raise MilestoneInvalid({milestone.id: errors})
    changed = audit.apply_changes(
        milestone,
        {
            "title": details.title.strip(),
            "kind": details.kind,
            "critical": details.critical,
            "owner": details.owner.strip(),
        },
    )
    changed.update(apply_progress(milestone, progress, user))
    record_update(programme, milestone, changed, progress.reason, user)
    if changed:
        mark_programme_updated(programme.id, trigger=Trigger.MILESTONE, user_id=user.id)
    commit_or_conflict(what="milestone")
    return milestone


def update_progress(
    programme: Programme, *, user: User, updates: Sequence[Progress], today: date | None = None
) -> int:
    """Save the 'Update milestones' page in one go: all rows or none. Returns how many changed."""
    if not updates:
        raise Invalid("There are no milestones to update")
    wanted = {update.milestone_id for update in updates}
    found = {
        milestone.id: milestone
        for milestone in db.session.scalars(
            select(Milestone).where(Milestone.id.in_(wanted), Milestone.programme_id == programme.id)
        )
    }
    if wanted - found.keys():
        raise Invalid("Some of these milestones are no longer part of this programme. Reload the page.")
    conflicts: dict[int, str] = {}
    for update in updates:
        milestone = found[update.milestone_id]
        try:
            check_version(milestone, update.expected_version, what="milestone")
        except Conflict as error:
            conflicts[milestone.id] = f"{milestone.title}: {error.message}"
    if conflicts:
        raise MilestoneConflict(conflicts)
    today = today or london_today(utcnow())
    errors = {u.milestone_id: e for u in updates if (e := errors_for(found[u.milestone_id], u, today))}
    if errors:
        raise MilestoneInvalid(errors)
    changed_count = 0
    for update in updates:
        milestone = found[update.milestone_id]
        changed = apply_progress(milestone, update, user)
        record_update(programme, milestone, changed, update.reason, user)
        changed_count += bool(changed)
    # Confirming that forecasts still hold is news too: the programme has reported.
    mark_programme_updated(programme.id, trigger=Trigger.MILESTONE, user_id=user.id)
    commit_or_conflict(what="milestone")
    return changed_count


def delete_milestone(
    programme: Programme, milestone_id: int, *, user: User, expected_version: int | None
) -> str:
    """Remove a milestone (its history goes with it; the audit trail keeps the record). Returns its title."""
    milestone = get_milestone(programme, milestone_id)
    check_version(milestone, expected_version, what="milestone")
    title = milestone.title
    audit.record(
        AuditAction.DELETE,
        milestone,
        user_id=user.id,
        programme_id=programme.id,
        summary=f"Deleted milestone {title}",
        changes={field: (getattr(milestone, field), None) for field in DELETED_FIELDS},
    )
    forget_milestone(milestone, user_id=user.id)
    db.session.delete(milestone)
    mark_programme_updated(programme.id, trigger=Trigger.MILESTONE, user_id=user.id)
    commit_or_conflict(what="milestone")
    return title
