"""Reads the JSON API needs that no page makes: a programme's assessment history, and which programme
a milestone or benefit named only by its id belongs to (so the policy can be asked about that programme)."""

from __future__ import annotations

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Benefit, Milestone, Programme, RiskAssessment
from tracker.services.errors import NotFound

MAX_ID = 2**31 - 1  # ids are 32-bit integers; a larger one in a URL is simply not found
HISTORY_LIMIT = 200


def assessment_history(programme: Programme, *, limit: int = HISTORY_LIMIT) -> list[RiskAssessment]:
    """The scan's assessments of a programme, newest first: how its rating moved over time."""
    return list(
        db.session.scalars(
            select(RiskAssessment)
            .where(RiskAssessment.programme_id == programme.id)
            .order_by(RiskAssessment.assessed_at.desc(), RiskAssessment.id.desc())
            .limit(limit)
        )
    )


def programme_code_of(record: type[Milestone] | type[Benefit], record_id: int) -> str:
    """The code of the programme a milestone or benefit belongs to, or NotFound."""
    code = None
    if 0 < record_id <= MAX_ID:
        code = db.session.scalar(
            select(Programme.code)
            .join(record, record.programme_id == Programme.id)
            .where(record.id == record_id)
        )
    if code is None:
        raise NotFound(f"There is no {record.__tablename__} {record_id}")
    return code
