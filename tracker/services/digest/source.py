"""What every weekly digest is built from, read once for all recipients in a fixed number of queries.

The weekly job loads this once and builds each recipient's digest from it, so sending to fifty people
costs the same reads as previewing one digest. The rows are plain values from `domain.digest.rows`.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import String, func, select, true, type_coerce
from sqlalchemy.orm import aliased, joinedload

from tracker.domain.digest.rows import (
    DUE_SOON_DAYS,
    AssessmentRow,
    ChangeRow,
    ClosedBenefitRow,
    DigestSource,
    MilestoneRow,
    ProgrammeRow,
    RequestRow,
)
from tracker.domain.flags import Flag
from tracker.domain.rating import Rating
from tracker.domain.vocabulary import label
from tracker.extensions import db
from tracker.models import (
    ChangeRequest,
    ChangeRequestStatus,
    Milestone,
    Programme,
    ProgrammeMember,
    RebaselineRequest,
    RequestStatus,
    RiskAssessment,
    Stage,
    User,
)
from tracker.services.changes.reads import moves_sentence
from tracker.services.portfolio.after_closure import after_closure
from tracker.services.portfolio.definitions import milestone_open

log = logging.getLogger(__name__)

# "Since last week" compares with the newest assessment a week before; one older than this
# window is too old to compare with, and the programme counts as newly rated.
COMPARE_WINDOW = timedelta(days=28)


def load_digest_source(*, now: datetime, today: date) -> DigestSource:
    """Read everything a digest shows, in seven queries whatever the size of the portfolio."""
    is_open = Programme.stage != Stage.CLOSED
    members: defaultdict[int, set[int]] = defaultdict(set)
    member_rows = db.session.execute(
        select(ProgrammeMember.programme_id, ProgrammeMember.user_id)
        .join(Programme, Programme.id == ProgrammeMember.programme_id)
        .where(is_open)
    )
    for programme_id, user_id in member_rows:
        members[programme_id].add(user_id)
    programmes = tuple(
        ProgrammeRow(
            pid,
            code,
            name,
            manager_id,
            manager_name or "",
            manager_email or "",
            frozenset(members[pid]),
            baseline,
            forecast,
        )
        for pid, code, name, manager_id, manager_name, manager_email, baseline, forecast in db.session.execute(  # noqa: E501
            select(
                Programme.id,
                Programme.code,
                Programme.name,
                Programme.manager_id,
                User.name,
                User.email,
                Programme.whole_life_baseline,
                Programme.whole_life_forecast,
            )
            .outerjoin(User, User.id == Programme.manager_id)
            .where(is_open)
            .order_by(Programme.code)
        )
    )
    return DigestSource(
        today=today,
        programmes=programmes,
        latest=_latest_assessments(),
        previous=_assessments_as_at(now - timedelta(days=7)),
        milestones=_dated_milestones(today + timedelta(days=DUE_SOON_DAYS)),
        requests=_pending_requests(),
        changes=_decided_changes(since=now - timedelta(days=7)),
        after_closure=tuple(
            ClosedBenefitRow(
                benefit.programme_code,
                benefit.programme_name,
                benefit.manager_id,
                benefit.title,
                benefit.owner,
                benefit.flag.message,
            )
            for benefit in after_closure([Programme.stage == Stage.CLOSED], today=today).behind
            if benefit.flag is not None
        ),
    )


def _read(rows: list[tuple[int, str, int, object]]) -> dict[int, AssessmentRow]:
    """Assessment rows keyed by programme; a malformed stored flag is skipped, not fatal."""
    assessments = {}
    for programme_id, rating, score, stored in rows:
        flags = []
        for item in stored if isinstance(stored, list) else []:
            try:
                flags.append(Flag.from_dict(item))
            except (KeyError, TypeError, ValueError):
                log.warning("Skipping a malformed stored flag of programme %s: %r", programme_id, item)
        assessments[programme_id] = AssessmentRow(Rating(rating), score, tuple(flags))
    return assessments


def _latest_assessments() -> dict[int, AssessmentRow]:
    statement = (
        select(
            RiskAssessment.programme_id,
            type_coerce(RiskAssessment.rating, String),
            RiskAssessment.score,
            RiskAssessment.flags,
        )
        .join(Programme, Programme.id == RiskAssessment.programme_id)
        .where(Programme.stage != Stage.CLOSED, RiskAssessment.is_latest == true())
    )
    return _read([tuple(row) for row in db.session.execute(statement)])


def _assessments_as_at(moment: datetime) -> dict[int, AssessmentRow]:
    """Each open programme's newest assessment made at or before `moment` (within the compare window)."""
    ranked = (
        select(
            RiskAssessment.programme_id,
            type_coerce(RiskAssessment.rating, String).label("rating"),
            RiskAssessment.score,
            RiskAssessment.flags,
            func.row_number()
            .over(
                partition_by=RiskAssessment.programme_id,
                order_by=(RiskAssessment.assessed_at.desc(), RiskAssessment.id.desc()),
            )
            .label("place"),
        )
        .join(Programme, Programme.id == RiskAssessment.programme_id)
        .where(
            Programme.stage != Stage.CLOSED,
            RiskAssessment.assessed_at <= moment,
            RiskAssessment.assessed_at > moment - COMPARE_WINDOW,
        )
        .subquery()
    )
    statement = select(ranked.c.programme_id, ranked.c.rating, ranked.c.score, ranked.c.flags).where(
        ranked.c.place == 1
    )
    return _read([tuple(row) for row in db.session.execute(statement)])


def _dated_milestones(horizon: date) -> tuple[MilestoneRow, ...]:
    """Open milestones (as the domain defines them) of open programmes due, baseline or forecast, by the
    horizon."""
    statement = (
        select(
            Milestone.programme_id,
            Milestone.id,
            Milestone.title,
            Milestone.critical,
            Milestone.baseline_date,
            Milestone.forecast_date,
        )
        .join(Programme, Programme.id == Milestone.programme_id)
        .where(
            Programme.stage != Stage.CLOSED,
            milestone_open(),
            (Milestone.baseline_date <= horizon) | (Milestone.forecast_date <= horizon),
        )
        .order_by(Milestone.baseline_date, Milestone.id)
    )
    return tuple(MilestoneRow(*row) for row in db.session.execute(statement))


def _pending_requests() -> tuple[RequestRow, ...]:
    requester = aliased(User)
    statement = (
        select(
            Milestone.programme_id,
            Milestone.title,
            Milestone.baseline_date,
            RebaselineRequest.proposed_date,
            RebaselineRequest.reason,
            requester.name,
            RebaselineRequest.requested_at,
        )
        .join(Milestone, Milestone.id == RebaselineRequest.milestone_id)
        .join(Programme, Programme.id == Milestone.programme_id)
        .outerjoin(requester, requester.id == RebaselineRequest.requested_by_id)
        .where(Programme.stage != Stage.CLOSED, RebaselineRequest.status == RequestStatus.PENDING)
        .order_by(RebaselineRequest.requested_at, RebaselineRequest.id)
    )
    return tuple(
        RequestRow(pid, title, baseline, proposed, reason, by or "", at)
        for pid, title, baseline, proposed, reason, by, at in db.session.execute(statement)
    )


def _decided_changes(*, since: datetime) -> tuple[ChangeRow, ...]:
    """Change requests of open programmes approved or rejected since `since`, newest first, in one query."""
    decided = db.session.scalars(
        select(ChangeRequest)
        .join(Programme, Programme.id == ChangeRequest.programme_id)
        .where(
            Programme.stage != Stage.CLOSED,
            ChangeRequest.status.in_([ChangeRequestStatus.APPROVED, ChangeRequestStatus.REJECTED]),
            ChangeRequest.decided_at >= since,
        )
        .options(joinedload(ChangeRequest.benefit), joinedload(ChangeRequest.decided_by))
        .order_by(ChangeRequest.decided_at.desc(), ChangeRequest.id.desc())
    ).unique()
    return tuple(
        ChangeRow(
            request.programme_id,
            request.id,
            label(request.kind),
            request.title,
            request.status is ChangeRequestStatus.APPROVED,
            moves_sentence(request),
            request.decided_by.name if request.decided_by else "",
            request.decided_at,
            request.decision_note,
        )
        for request in decided
        if request.decided_at is not None
    )
