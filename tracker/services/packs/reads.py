"""The reads a board pack adds to the dashboard's: each programme's rating at a few moments, the newest
submitted highlight reports, and the decisions waiting, each one query however many programmes."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, and_, func, or_, select, type_coerce
from sqlalchemy.orm import aliased

from tracker.extensions import db
from tracker.models import (
    ChangeRequest,
    ChangeRequestStatus,
    GateRequest,
    GateStatus,
    Milestone,
    Programme,
    Rag,
    RebaselineRequest,
    RequestStatus,
    RiskAssessment,
    Stage,
    StatusUpdate,
    User,
)


@dataclass(frozen=True)
class RatedProgramme:
    """A programme's names and people, its newest assessment by a moment, and its ratings at earlier ones."""

    id: int
    code: str
    name: str
    directorate: str
    stage: Stage
    sro: str
    manager: str | None
    rating: Rag | None
    score: int | None
    assessed_at: datetime | None
    flags: list[dict[str, Any]]
    earlier: tuple[Rag | None, ...]
    """The rating at each of the earlier moments asked for, in order (None: not rated by then)."""


def _newest_before(moment: datetime, *, column: Any = RiskAssessment.id) -> Any:
    """A column (the id, by default) of the programme's newest assessment from before `moment`."""
    return (
        select(column)
        .where(RiskAssessment.programme_id == Programme.id, RiskAssessment.assessed_at < moment)
        .order_by(RiskAssessment.assessed_at.desc(), RiskAssessment.id.desc())
        .limit(1)
        .correlate(Programme)
        .scalar_subquery()
    )


def rated_programmes(
    conditions: Sequence[Any], *, moment: datetime, earlier: Sequence[datetime] = ()
) -> list[RatedProgramme]:
    """Every programme the conditions select, by code, rated as at `moment` and at each earlier moment."""
    rating = aliased(RiskAssessment)
    rating_text = type_coerce(RiskAssessment.rating, String)
    then = [
        _newest_before(when, column=rating_text).label(f"rating_{index}")
        for index, when in enumerate(earlier)
    ]
    statement = (
        select(
            Programme.id,
            Programme.code,
            Programme.name,
            Programme.directorate,
            Programme.stage,
            Programme.sro_name,
            User.name,
            rating.rating,
            rating.score,
            rating.assessed_at,
            rating.flags,
            *then,
        )
        .outerjoin(User, User.id == Programme.manager_id)
        .outerjoin(rating, rating.id == _newest_before(moment))
        .where(*conditions)
        .order_by(Programme.code)
    )
    return [
        RatedProgramme(
            id=row[0],
            code=row[1],
            name=row[2],
            directorate=row[3],
            stage=row[4],
            sro=row[5] or "",
            manager=row[6],
            rating=row[7],
            score=row[8],
            assessed_at=row[9],
            flags=[flag for flag in row[10] or [] if isinstance(flag, dict)],
            earlier=tuple(Rag(value) if value else None for value in row[11:]),
        )
        for row in db.session.execute(statement)
    ]


def submitted_updates(
    programme_ids: Collection[int], *, before: datetime
) -> dict[int, tuple[StatusUpdate, str | None]]:
    """Each programme's newest highlight report submitted before the moment, with its author's name."""
    if not programme_ids:
        return {}
    newest = (
        select(
            StatusUpdate.id,
            func.row_number()
            .over(
                partition_by=StatusUpdate.programme_id,
                order_by=(StatusUpdate.period_end.desc(), StatusUpdate.submitted_at.desc()),
            )
            .label("place"),
        )
        .where(StatusUpdate.programme_id.in_(sorted(programme_ids)), StatusUpdate.submitted_at < before)
        .subquery("newest")
    )
    updates = db.session.execute(
        select(StatusUpdate, User.name)
        .join(newest, and_(newest.c.id == StatusUpdate.id, newest.c.place == 1))
        .outerjoin(User, User.id == StatusUpdate.author_id)
    ).all()
    return {update.programme_id: (update, author) for update, author in updates}


def decisions_waiting(programme_ids: Any, *, moment: datetime) -> int:
    """Re-baselines, change requests and gate decisions asked for on these programmes (a subquery of ids)
    before the moment and not decided by then. One query."""

    def waiting(model: Any, pending: Any, on_programme: Any) -> Any:
        open_then = or_(model.status == pending, model.decided_at >= moment)
        return (
            select(func.count(model.id))
            .where(on_programme, model.requested_at < moment, open_then)
            .scalar_subquery()
        )

    rebaselines = (
        select(func.count(RebaselineRequest.id))
        .join(Milestone, Milestone.id == RebaselineRequest.milestone_id)
        .where(
            Milestone.programme_id.in_(programme_ids),
            RebaselineRequest.requested_at < moment,
            or_(RebaselineRequest.status == RequestStatus.PENDING, RebaselineRequest.decided_at >= moment),
        )
        .scalar_subquery()
    )
    changes = waiting(
        ChangeRequest, ChangeRequestStatus.PENDING, ChangeRequest.programme_id.in_(programme_ids)
    )
    gates = waiting(GateRequest, GateStatus.PENDING, GateRequest.programme_id.in_(programme_ids))
    return int(db.session.scalar(select(rebaselines + changes + gates)) or 0)
