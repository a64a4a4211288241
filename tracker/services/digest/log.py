"""The delivery log admins read: one ISO week's digest deliveries, failed ones first."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import load_only

from tracker.domain.calendar import iso_week_key, parse_iso_week
from tracker.extensions import db
from tracker.models import DeliveryStatus, DigestDelivery

WEEKS_LISTED = 52


@dataclass(frozen=True)
class DeliveryLog:
    """Weeks with deliveries (newest first), the week shown, its counts by status, and its rows."""

    weeks: tuple[str, ...]
    week: str | None
    status: DeliveryStatus | None
    counts: dict[DeliveryStatus, int]
    deliveries: tuple[DigestDelivery, ...]


def delivery_log(*, week: str | None = None, status: str | None = None) -> DeliveryLog:
    """Three queries whatever the number of rows; a week or status that does not parse is ignored."""
    weeks = tuple(
        db.session.scalars(
            select(DigestDelivery.iso_week)
            .distinct()
            .order_by(DigestDelivery.iso_week.desc())
            .limit(WEEKS_LISTED)
        )
    )
    shown = _week(week) or (weeks[0] if weeks else None)
    wanted = DeliveryStatus(status) if status in set(DeliveryStatus) else None
    if shown is None:
        return DeliveryLog(weeks, None, wanted, {}, ())
    counts = dict(
        db.session.execute(
            select(DigestDelivery.status, func.count())
            .where(DigestDelivery.iso_week == shown)
            .group_by(DigestDelivery.status)
        ).all()
    )
    statement = (
        select(DigestDelivery)
        .options(load_only(*_LISTED))
        .where(DigestDelivery.iso_week == shown)
        .order_by(_FAILED_FIRST, DigestDelivery.recipient, DigestDelivery.id)
    )
    if wanted is not None:
        statement = statement.where(DigestDelivery.status == wanted)
    return DeliveryLog(weeks, shown, wanted, counts, tuple(db.session.scalars(statement)))


def _week(value: str | None) -> str | None:
    try:
        return iso_week_key(parse_iso_week(value)) if value else None
    except ValueError:
        return None


# The page lists these; the stored message bodies stay in the database until a resend needs them.
_LISTED = (
    DigestDelivery.iso_week,
    DigestDelivery.recipient,
    DigestDelivery.status,
    DigestDelivery.attempts,
    DigestDelivery.subject,
    DigestDelivery.last_error,
    DigestDelivery.created_at,
    DigestDelivery.next_attempt_at,
    DigestDelivery.sent_at,
)
_FAILED_FIRST = case(
    (DigestDelivery.status == DeliveryStatus.FAILED, 0),
    (DigestDelivery.status == DeliveryStatus.PENDING, 1),
    else_=2,
)
