"""Writes audit events; called by other services inside their own transaction."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from tracker.extensions import db
from tracker.models import AuditAction, AuditEvent


def display(value: Any) -> Any:
    """A JSON-safe, human-readable form of a value for the audit trail."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def record(
    action: AuditAction,
    entity: Any,
    *,
    user_id: int | None,
    programme_id: int | None,
    summary: str,
    changes: dict[str, tuple[Any, Any]] | None = None,
) -> AuditEvent:
    """Add an audit event to the session (the calling service commits)."""
    event = AuditEvent(
        action=action,
        entity_type=type(entity).__tablename__,
        entity_id=getattr(entity, "id", None),
        user_id=user_id,
        programme_id=programme_id,
        summary=summary[:300],
        changes={field: [display(old), display(new)] for field, (old, new) in (changes or {}).items()},
    )
    db.session.add(event)
    return event


def apply_changes(entity: Any, values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Set attributes on `entity` and return only those that really changed, as (before, after)."""
    changed: dict[str, tuple[Any, Any]] = {}
    for field, new in values.items():
        old = getattr(entity, field)
        if old != new:
            changed[field] = (old, new)
            setattr(entity, field, new)
    return changed
