"""How a milestone's dates moved: its history as the milestones page shows it, and re-baselining.

A programme manager asks to move a milestone's approved baseline; a CIO decides. Approval moves
the latest approved baseline and keeps the original; both the request and the decision go into
the milestone's history and the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, select, update
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from tracker.domain.formatting import uk_date, uk_datetime
from tracker.domain.vocabulary import label
from tracker.domain.wording import plural
from tracker.extensions import db
from tracker.models import (
    AuditAction,
    ChangeKind,
    ChangeRequest,
    Milestone,
    MilestoneChange,
    MilestoneStatus,
    Programme,
    RebaselineRequest,
    RequestStatus,
    User,
)
from tracker.models.types import utcnow
from tracker.services import audit
from tracker.services.editing import commit_or_conflict, mark_programme_updated
from tracker.services.errors import Conflict, Invalid, NotFound, Problem
from tracker.services.milestones.changes import log_change
from tracker.services.milestones.records import (
    MAX_ID,
    OPEN_STATUSES,
    get_milestone,
    programme_milestones,
)
from tracker.services.portfolio.scope import managed_or_on_team
from tracker.services.ratings.rerating import Trigger

RECENT_DECISIONS = 20


@dataclass(frozen=True)
class HistoryLine:
    what: str
    who: str
    when: datetime
    from_text: str
    to_text: str
    reason: str


@dataclass(frozen=True)
class MilestoneRow:
    """A milestone with everything its row on the page shows, loaded in a fixed number of queries."""

    milestone: Milestone
    variance: str
    history: list[HistoryLine]
    pending: list[RebaselineRequest]

    @property
    def can_rebaseline(self) -> bool:
        """Only an open milestone with no request already waiting can be re-baselined."""
        return self.milestone.status in OPEN_STATUSES and not self.pending


def variance_wording(days: int | None) -> str:
    """People read '12 days late' faster than '+12'."""
    if days is None:
        return "No forecast"
    if days == 0:
        return "On time"
    return f"{plural(abs(days), 'day')} {'late' if days > 0 else 'early'}"


def describe_value(value: str | None) -> str:
    """History keeps ISO dates and status codes; show them as words."""
    if not value:
        return "None"
    try:
        return uk_date(date.fromisoformat(value))
    except ValueError:
        pass
    try:
        return label(MilestoneStatus(value))
    except ValueError:
        return value


def milestone_rows(programme_id: int) -> list[MilestoneRow]:
    """The programme's milestones with history and pending re-baselines: three queries, however many."""
    milestones = programme_milestones(
        programme_id, selectinload(Milestone.changes).joinedload(MilestoneChange.changed_by)
    )
    pending = db.session.scalars(
        select(RebaselineRequest)
        .join(Milestone, Milestone.id == RebaselineRequest.milestone_id)
        .where(Milestone.programme_id == programme_id, RebaselineRequest.status == RequestStatus.PENDING)
        .options(joinedload(RebaselineRequest.requested_by))
        .order_by(RebaselineRequest.requested_at)
    ).all()
    by_milestone: dict[int, list[RebaselineRequest]] = {}
    for item in pending:
        by_milestone.setdefault(item.milestone_id, []).append(item)
    return [
        MilestoneRow(
            milestone=milestone,
            variance=variance_wording(milestone.variance_days),
            history=[_history_line(change) for change in reversed(milestone.changes)],
            pending=by_milestone.get(milestone.id, []),
        )
        for milestone in milestones
    ]


# A request is not a change: the history says so, and what each decision did to the baseline.
REBASELINE_WORDING = {
    ChangeKind.REBASELINE_REQUESTED: "Re-baseline requested (the baseline moves only if the CIO approves)",
    ChangeKind.REBASELINE_APPROVED: "Re-baseline approved: the baseline moved",
    ChangeKind.REBASELINE_REJECTED: "Re-baseline rejected: the baseline did not move",
}


def _history_line(change: MilestoneChange) -> HistoryLine:
    return HistoryLine(
        what=REBASELINE_WORDING.get(change.kind) or label(change.kind),
        who=change.changed_by.name if change.changed_by else "A former user",
        when=change.changed_at,
        from_text=describe_value(change.from_value),
        to_text=describe_value(change.to_value),
        reason=change.reason,
    )


@dataclass(frozen=True)
class QueueItem:
    """A request with the milestone and programme it concerns, for the CIO's queue."""

    request: RebaselineRequest
    milestone: Milestone
    programme: Programme

    @property
    def is_pending(self) -> bool:
        return self.request.status is RequestStatus.PENDING

    @property
    def from_date(self) -> date:
        return request_from_date(self.request, self.milestone)

    @property
    def shift(self) -> str:
        """How far the request moves the baseline, in words."""
        return shift_wording(self.from_date, self.request.proposed_date)

    @property
    def outcome(self) -> str:
        """What the decision did to the baseline, in a sentence: who decided, when and the result."""
        request = self.request
        who = request.decided_by.name if request.decided_by else "a former user"
        moved = f"from {uk_date(self.from_date)} to {uk_date(request.proposed_date)}"
        if request.status is RequestStatus.APPROVED:
            return f"Approved by {who} on {uk_date(request.decided_at)}: the baseline moved {moved}"
        if request.status is RequestStatus.REJECTED:
            return (
                f"Rejected by {who} on {uk_date(request.decided_at)}: the baseline stayed "
                f"{uk_date(self.from_date)} (the request was to move it {moved})"
            )
        return f"Waiting for a decision: asks to move the baseline {moved}"


def request_from_date(request: RebaselineRequest, milestone: Milestone) -> date:
    """The baseline a request moves from; requests made before this was kept fall back to today's."""
    return request.from_date or milestone.baseline_date


def shift_wording(from_date: date, to_date: date) -> str:
    """'75 days later' reads faster than two dates to subtract."""
    days = (to_date - from_date).days
    if days == 0:
        return "No change"
    return f"{plural(abs(days), 'day')} {'later' if days > 0 else 'earlier'}"


def rebaseline_problems(
    milestone: Milestone, *, proposed_date: date | None, reason: str | None
) -> list[Problem]:
    """Every reason this request cannot be sent (None: not given, or refused by the form)."""
    problems: list[Problem] = []
    if milestone.status not in OPEN_STATUSES:
        problems.append((None, "Only a milestone that is not complete or cancelled can be re-baselined"))
    if reason is not None and not reason.strip():
        problems.append(("reason", "Give a reason for the new baseline"))
    if proposed_date is not None and proposed_date == milestone.baseline_date:
        current = uk_date(proposed_date)
        message = f"The proposed date is the current baseline, {current}: choose a different date"
        problems.append(("proposed_date", message))
    waiting = db.session.scalar(
        select(RebaselineRequest.id).where(
            RebaselineRequest.milestone_id == milestone.id,
            RebaselineRequest.status == RequestStatus.PENDING,
        )
    )
    if waiting is not None:
        problems.append((None, "A re-baseline request for this milestone is already waiting for a decision"))
    return problems


def request_rebaseline(
    programme: Programme, milestone_id: int, *, user: User, proposed_date: date, reason: str
) -> RebaselineRequest:
    """Ask a CIO to move a milestone's approved baseline; one request per milestone at a time."""
    milestone = get_milestone(programme, milestone_id)
    reason = reason.strip()
    problems = rebaseline_problems(milestone, proposed_date=proposed_date, reason=reason)
    if problems:
        raise Invalid.every(problems)
    request = RebaselineRequest(
        milestone_id=milestone.id,
        from_date=milestone.baseline_date,
        proposed_date=proposed_date,
        reason=reason,
        requested_by_id=user.id,
    )
    db.session.add(request)
    db.session.flush()
    log_change(
        milestone, ChangeKind.REBASELINE_REQUESTED, milestone.baseline_date, proposed_date, reason, user
    )
    audit.record(
        AuditAction.CREATE,
        request,
        user_id=user.id,
        programme_id=programme.id,
        summary=f"Asked to move the baseline of {milestone.title} from {uk_date(milestone.baseline_date)} "
        f"to {uk_date(proposed_date)} (a request: the baseline moves only if a CIO approves): {reason}",
        changes={"proposed_baseline_date": (milestone.baseline_date, proposed_date)},
    )
    mark_programme_updated(programme.id, trigger=Trigger.REBASELINE, user_id=user.id)
    db.session.commit()
    return request


def pending_queue(*, of_user: int | None = None) -> list[QueueItem]:
    """Every request awaiting a decision, oldest first; with `of_user`, those on the programmes that
    person manages or is on the team of."""
    return _queue(
        _of(RebaselineRequest.status == RequestStatus.PENDING, of_user), RebaselineRequest.requested_at
    )


def recent_decisions(limit: int = RECENT_DECISIONS, *, of_user: int | None = None) -> list[QueueItem]:
    """The latest decisions, newest first, so a CIO can see what was agreed (and a programme manager,
    with `of_user`, what was decided on their programmes)."""
    return _queue(
        _of(RebaselineRequest.status != RequestStatus.PENDING, of_user),
        RebaselineRequest.decided_at.desc(),
        limit,
    )


def _of(condition: Any, user_id: int | None) -> Any:
    return condition if user_id is None else and_(condition, managed_or_on_team(user_id))


def get_request(request_id: int) -> QueueItem:
    """One request with its milestone and programme, or NotFound."""
    items = (
        _queue(RebaselineRequest.id == request_id, RebaselineRequest.id) if 0 < request_id <= MAX_ID else []
    )
    if not items:
        raise NotFound("There is no such re-baseline request")
    return items[0]


def decide(request_id: int, *, user: User, approve: bool, note: str) -> QueueItem:
    """Approve (moving the latest approved baseline) or reject; a decided request stays decided."""
    item = get_request(request_id)
    if item.request.status is not RequestStatus.PENDING:
        raise Conflict(already_decided(item.request))
    note = note.strip()
    if not approve and not note:
        raise Invalid("Say why the request is rejected", field="note")
    status = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
    # Claim the decision atomically: of two CIOs deciding at once, only one changes the row.
    claimed = db.session.execute(
        update(RebaselineRequest)
        .where(RebaselineRequest.id == request_id, RebaselineRequest.status == RequestStatus.PENDING)
        .values(status=status, decided_by_id=user.id, decided_at=utcnow(), decision_note=note)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        raise Conflict(already_decided(get_request(request_id).request))
    request, milestone = item.request, item.milestone
    old_baseline = milestone.baseline_date
    changes: dict[str, tuple[object, object]] = {"status": (RequestStatus.PENDING, status)}
    if approve:
        milestone.baseline_date = request.proposed_date
        milestone.updated_by_id = user.id
        changes["baseline_date"] = (old_baseline, request.proposed_date)
    moved = f"{uk_date(old_baseline)} to {uk_date(request.proposed_date)}"
    kind = ChangeKind.REBASELINE_APPROVED if approve else ChangeKind.REBASELINE_REJECTED
    reason = request.reason + (f" (decision note: {note})" if note else "")
    log_change(milestone, kind, old_baseline, request.proposed_date, reason, user)
    audit.record(
        AuditAction.UPDATE,
        request,
        user_id=user.id,
        programme_id=item.programme.id,
        summary=f"Approved moving the baseline of {milestone.title} from {moved}"
        if approve
        else f"Rejected moving the baseline of {milestone.title} from {moved}; it stays "
        f"{uk_date(old_baseline)}: {note}",
        changes=changes,
    )
    commit_or_conflict(
        what="re-baseline request", refresh=[item.programme.id], trigger=Trigger.REBASELINE, user_id=user.id
    )
    return item


def already_decided(request: RebaselineRequest | ChangeRequest) -> str:
    """Who decided a request and when, for whoever tries to decide it again."""
    who = request.decided_by.name if request.decided_by else "someone"
    return (
        f"This request was already {request.status.value} by {who} on {uk_datetime(request.decided_at)}. "
        "A decided request cannot be decided again."
    )


def _queue(condition: object, order: object, limit: int | None = None) -> list[QueueItem]:
    """Requests joined to their milestone and programme in one query, people joined in too."""
    statement = (
        select(RebaselineRequest, Programme)
        .join(Milestone, Milestone.id == RebaselineRequest.milestone_id)
        .join(Programme, Programme.id == Milestone.programme_id)
        .where(condition)  # type: ignore[arg-type]
        .options(
            contains_eager(RebaselineRequest.milestone),
            joinedload(RebaselineRequest.requested_by),
            joinedload(RebaselineRequest.decided_by),
        )
        .order_by(order)  # type: ignore[arg-type]
    )
    if limit is not None:
        statement = statement.limit(limit)
    return [
        QueueItem(request, request.milestone, programme)
        for request, programme in db.session.execute(statement)
    ]
