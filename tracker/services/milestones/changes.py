"""How a milestone's dates and status may change, and how each change is recorded.

Every change to a date or status goes into the milestone's own history (MilestoneChange)
and the programme's audit trail; a moved forecast needs a reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tracker.domain.calendar import london_today
from tracker.domain.formatting import uk_date
from tracker.extensions import db
from tracker.models import (
    AuditAction,
    ChangeKind,
    Milestone,
    MilestoneChange,
    MilestoneStatus,
    Programme,
    User,
)
from tracker.models.types import utcnow
from tracker.services import audit


@dataclass(frozen=True)
class Progress:
    """One milestone's dates and status as submitted, with the version the form was built from."""

    milestone_id: int
    expected_version: int | None
    forecast_date: date | None
    actual_date: date | None
    status: MilestoneStatus
    reason: str = ""


def errors_for(milestone: Milestone, progress: Progress, today: date | None) -> dict[str, str]:
    """The rules for a saved milestone's new progress; moving its current forecast needs a reason."""
    return progress_errors(
        progress.forecast_date,
        progress.actual_date,
        progress.status,
        today,
        moved_from=milestone.forecast_date or milestone.baseline_date,
        reason=progress.reason,
    )


def progress_errors(
    forecast: date | None,
    actual: date | None,
    status: MilestoneStatus,
    today: date | None,
    *,
    moved_from: date | None = None,
    reason: str = "",
) -> dict[str, str]:
    """The rules a milestone's dates and status must keep, as {field: message}."""
    today = today or london_today(utcnow())
    errors: dict[str, str] = {}
    if forecast is None:
        errors["forecast_date"] = "Enter the forecast date"
    elif moved_from is not None and forecast != moved_from and not reason.strip():
        errors["reason"] = (
            f"Give a reason for moving the forecast from {uk_date(moved_from)} to {uk_date(forecast)}"
        )
    if actual is not None and actual > today:
        errors["actual_date"] = "The actual date cannot be in the future"
    elif status is MilestoneStatus.COMPLETE and actual is None:
        errors["actual_date"] = "Enter the actual date the milestone was completed"
    if actual is not None and status is not MilestoneStatus.COMPLETE:
        errors["status"] = "Choose 'Complete' when you record an actual date, or remove the actual date"
    return errors


def apply_progress(milestone: Milestone, progress: Progress, user: User) -> dict[str, tuple[object, object]]:
    """Set forecast, actual and status; write one history line per thing that moved."""
    reason = progress.reason.strip()
    old_forecast = milestone.forecast_date or milestone.baseline_date
    old_actual, old_status = milestone.actual_date, milestone.status
    changed = audit.apply_changes(
        milestone,
        {
            "forecast_date": progress.forecast_date,
            "actual_date": progress.actual_date,
            "status": progress.status,
        },
    )
    if progress.forecast_date is not None and progress.forecast_date != old_forecast:
        log_change(milestone, ChangeKind.FORECAST_MOVED, old_forecast, progress.forecast_date, reason, user)
    if "actual_date" in changed:
        log_change(milestone, ChangeKind.ACTUAL_RECORDED, old_actual, progress.actual_date, reason, user)
    if "status" in changed:
        log_change(milestone, ChangeKind.STATUS_CHANGED, old_status, progress.status, reason, user)
    if changed and reason:
        changed["reason"] = (None, reason)
    return changed


def log_change(
    milestone: Milestone, kind: ChangeKind, old: object, new: object, reason: str, user: User
) -> None:
    """Add one line to the milestone's own history (the caller commits)."""
    db.session.add(
        MilestoneChange(
            milestone_id=milestone.id,
            kind=kind,
            from_value=_stored(old),
            to_value=_stored(new),
            reason=reason,
            changed_by_id=user.id,
        )
    )


def _stored(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(getattr(value, "value", value))


def record_update(
    programme: Programme,
    milestone: Milestone,
    changed: dict[str, tuple[object, object]],
    reason: str,
    user: User,
) -> None:
    """Audit a milestone's changes, if there were any, with the reason given."""
    if not changed:
        return
    milestone.updated_by_id = user.id
    reason = reason.strip()
    audit.record(
        AuditAction.UPDATE,
        milestone,
        user_id=user.id,
        programme_id=programme.id,
        summary=f"Updated milestone {milestone.title}" + (f": {reason}" if reason else ""),
        changes=changed,
    )
