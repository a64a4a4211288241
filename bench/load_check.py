"""After `bench.load`: was every save the app confirmed really stored, with its history?"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import AuditEvent, ChangeKind, Measurement, Milestone, MilestoneChange


def lost_updates(
    moves: list[tuple[int, str, str, float]], measurements: list[tuple[int, str, str]]
) -> list[str]:
    """One line per confirmed save the database does not show; an empty list is the target."""
    lost: list[str] = []
    history = {
        (change.milestone_id, change.reason): change
        for change in db.session.scalars(
            select(MilestoneChange).where(MilestoneChange.kind == ChangeKind.FORECAST_MOVED)
        )
    }
    audited = set(
        db.session.execute(select(AuditEvent.entity_type, AuditEvent.entity_id, AuditEvent.summary)).all()
    )
    audited_ids = {(kind, entity) for kind, entity, _ in audited}
    latest: dict[int, tuple[float, str]] = {}
    for milestone_id, moved_to, reason, at in moves:
        change = history.get((milestone_id, reason))
        if change is None or change.to_value != moved_to:
            lost.append(f"milestone {milestone_id}: no history row for the move to {moved_to} ({reason})")
        if ("milestone", milestone_id) not in audited_ids:
            lost.append(f"milestone {milestone_id}: no audit event for the move to {moved_to}")
        if milestone_id not in latest or at > latest[milestone_id][0]:
            latest[milestone_id] = (at, moved_to)
    for milestone_id, (_, moved_to) in latest.items():
        stored = db.session.get(Milestone, milestone_id)
        if stored is None or stored.forecast_date is None or stored.forecast_date.isoformat() != moved_to:
            found = stored.forecast_date if stored else None
            lost.append(f"milestone {milestone_id}: last confirmed forecast {moved_to}, stored {found}")
    notes = {
        (row.benefit_id, row.note): row
        for row in db.session.scalars(select(Measurement).where(Measurement.note.like("load %")))
    }
    for benefit_id, value, note in measurements:
        row = notes.get((benefit_id, note))
        if row is None or row.value != Decimal(value):
            lost.append(f"benefit {benefit_id}: measurement {value} ({note}) not stored")
        elif ("measurement", row.id) not in audited_ids:
            lost.append(f"benefit {benefit_id}: measurement {value} ({note}) has no audit event")
    return lost
