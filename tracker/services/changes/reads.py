"""Change requests as the pages show them: what each would move, from what to what, and what was decided;
read with their programme, benefit and people in one query, however many."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, select
from sqlalchemy.orm import contains_eager, joinedload

from tracker.domain.formatting import money, uk_date
from tracker.extensions import db
from tracker.models import Benefit, ChangeRequest, ChangeRequestKind, ChangeRequestStatus, Programme
from tracker.services.benefits import format_measure
from tracker.services.errors import NotFound
from tracker.services.milestones.records import MAX_ID
from tracker.services.portfolio.scope import managed_or_on_team

RECENT_DECISIONS = 20
NOT_KNOWN = "Not known"


@dataclass(frozen=True)
class Move:
    """One baseline a request would move: its name, and what it was and would become, in words."""

    what: str
    from_text: str
    to_text: str


def moves_of(request: ChangeRequest) -> list[Move]:
    """The baselines a request names, from what they were when it was raised to what it proposes."""
    if request.kind is ChangeRequestKind.TIME:
        return [
            Move(
                "Baseline end date",
                uk_date(request.from_end_date) or NOT_KNOWN,
                uk_date(request.proposed_end_date),
            )
        ]
    if request.kind is ChangeRequestKind.COST:
        return [
            Move(
                "Whole-life cost baseline",
                money(request.from_whole_life_baseline) or NOT_KNOWN,
                money(request.proposed_whole_life_baseline),
            )
        ]
    if request.kind is ChangeRequestKind.BENEFITS:
        benefit = request.benefit
        name = f"'{benefit.title}'" if benefit else "a benefit since deleted"
        moves = []
        if request.proposed_target_value is not None:
            shown = (
                (lambda value: format_measure(benefit, value)) if benefit else (lambda value: f"{value:,f}")
            )
            before = request.from_target_value
            moves.append(
                Move(
                    f"Target value of {name}",
                    NOT_KNOWN if before is None else shown(before),
                    shown(request.proposed_target_value),
                )
            )
        if request.proposed_target_date is not None:
            moves.append(
                Move(
                    f"Target date of {name}",
                    uk_date(request.from_target_date) or NOT_KNOWN,
                    uk_date(request.proposed_target_date),
                )
            )
        return moves
    return []


def moves_sentence(request: ChangeRequest) -> str:
    """'Whole-life cost baseline from £1,000,000 to £1,200,000'; a scope change names no baseline."""
    moves = moves_of(request)
    if not moves:
        return "No baseline (a change of scope)"
    return "; ".join(f"{move.what} from {move.from_text} to {move.to_text}" for move in moves)


def requester_name(request: ChangeRequest) -> str:
    return request.requested_by.name if request.requested_by else "a former user"


def outcome(request: ChangeRequest) -> str:
    """What became of a request, in a sentence: who decided, when, and what moved."""
    who = request.decided_by.name if request.decided_by else "a former user"
    when = uk_date(request.decided_at)
    if request.status is ChangeRequestStatus.APPROVED:
        moved = moves_sentence(request) if moves_of(request) else "the change of scope was agreed"
        return f"Approved by {who} on {when}: {moved[0].lower() + moved[1:]}"
    if request.status is ChangeRequestStatus.REJECTED:
        return f"Rejected by {who} on {when}: nothing moved"
    if request.status is ChangeRequestStatus.WITHDRAWN:
        return f"Withdrawn by {requester_name(request)} on {when}: nothing moved"
    return "Waiting for a decision"


@dataclass(frozen=True)
class ChangeItem:
    """A change request with what its pages show, its programme loaded."""

    request: ChangeRequest

    @property
    def programme(self) -> Programme:
        return self.request.programme

    @property
    def is_pending(self) -> bool:
        return self.request.status is ChangeRequestStatus.PENDING

    @property
    def moves(self) -> list[Move]:
        return moves_of(self.request)

    @property
    def moves_sentence(self) -> str:
        return moves_sentence(self.request)

    @property
    def outcome(self) -> str:
        return outcome(self.request)

    @property
    def asked_by(self) -> str:
        return requester_name(self.request)


def _items(condition: Any, *order: Any, limit: int | None = None) -> list[ChangeItem]:
    """Requests with their programme, benefit and people, in one query."""
    statement = (
        select(ChangeRequest)
        .join(Programme, Programme.id == ChangeRequest.programme_id)
        .where(condition)
        .options(
            contains_eager(ChangeRequest.programme),
            joinedload(ChangeRequest.benefit),
            joinedload(ChangeRequest.requested_by),
            joinedload(ChangeRequest.decided_by),
        )
        .order_by(*order)
    )
    if limit is not None:
        statement = statement.limit(limit)
    return [ChangeItem(request) for request in db.session.scalars(statement).unique()]


def _of(condition: Any, user_id: int | None) -> Any:
    return condition if user_id is None else and_(condition, managed_or_on_team(user_id))


def pending_changes(*, of_user: int | None = None) -> list[ChangeItem]:
    """Change requests waiting for a decision, oldest first; with `of_user`, those on that person's
    programmes."""
    return _items(
        _of(ChangeRequest.status == ChangeRequestStatus.PENDING, of_user),
        ChangeRequest.requested_at,
        ChangeRequest.id,
    )


def recent_change_decisions(limit: int = RECENT_DECISIONS, *, of_user: int | None = None) -> list[ChangeItem]:
    """The latest approvals and rejections, newest first (a withdrawn request was never decided)."""
    decided = ChangeRequest.status.in_([ChangeRequestStatus.APPROVED, ChangeRequestStatus.REJECTED])
    return _items(
        _of(decided, of_user), ChangeRequest.decided_at.desc(), ChangeRequest.id.desc(), limit=limit
    )


def programme_changes(programme_id: int) -> list[ChangeItem]:
    """Every change request of a programme: those waiting first, then the newest."""
    waiting_first = case((ChangeRequest.status == ChangeRequestStatus.PENDING, 0), else_=1)
    return _items(
        ChangeRequest.programme_id == programme_id,
        waiting_first,
        ChangeRequest.requested_at.desc(),
        ChangeRequest.id.desc(),
    )


def get_change(request_id: int, *, programme_id: int | None = None) -> ChangeItem:
    """One request (of that programme, when given), or NotFound."""
    condition = ChangeRequest.id == request_id
    if programme_id is not None:
        condition = and_(condition, ChangeRequest.programme_id == programme_id)
    items = _items(condition, ChangeRequest.id) if 0 < request_id <= MAX_ID else []
    if not items:
        raise NotFound("There is no such change request")
    return items[0]


def programme_benefits(programme_id: int) -> list[Benefit]:
    """The benefits a request may name: the programme's own, by title."""
    return list(
        db.session.scalars(
            select(Benefit).where(Benefit.programme_id == programme_id).order_by(Benefit.title)
        )
    )
