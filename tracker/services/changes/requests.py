"""Raising, withdrawing and deciding change requests.

A programme manager proposes a change of scope, time, cost or benefits with its impact; a CIO approves
or rejects it. Approval moves the baselines the request names in the same transaction, re-rates the
programme and is recorded for History. What each baseline was when asked is kept, so approval refuses
a request whose baseline has moved since, rather than apply it over someone else's change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from tracker.domain.formatting import money, uk_date, uk_datetime
from tracker.domain.vocabulary import label
from tracker.extensions import db
from tracker.models import (
    AuditAction,
    Benefit,
    ChangeRequest,
    ChangeRequestKind,
    ChangeRequestStatus,
    Programme,
    User,
)
from tracker.models.types import utcnow
from tracker.services import audit
from tracker.services.changes.reads import ChangeItem, get_change, moves_sentence
from tracker.services.editing import check_version, commit_or_conflict
from tracker.services.errors import Conflict, Invalid, Problem
from tracker.services.milestones.rebaselines import already_decided
from tracker.services.ratings.rerating import Trigger

MAX_COST = Decimal("1000000000000")  # what the whole-life cost column holds
MAX_MEASURE = Decimal("100000000000000")


@dataclass(frozen=True)
class Proposal:
    """What a person asks for; only the fields of its kind count."""

    kind: ChangeRequestKind
    title: str
    impact: str
    description: str = ""
    proposed_end_date: date | None = None
    proposed_whole_life_baseline: Decimal | None = None
    benefit_id: int | None = None
    proposed_target_value: Decimal | None = None
    proposed_target_date: date | None = None


def proposal_problems(programme: Programme, proposal: Proposal) -> list[Problem]:
    """Every reason this request cannot be raised, each with the field it concerns."""
    problems: list[Problem] = []
    if programme.is_closed:
        problems.append(
            (None, "This programme is closed, so no change can be requested. An admin can reopen it.")
        )
    if not proposal.title.strip():
        problems.append(("title", "Enter a title for the change"))
    if not proposal.impact.strip():
        problems.append(("impact", "Describe the impact of the change on the programme and the service"))
    if proposal.kind is ChangeRequestKind.TIME:
        problems += _time_problems(programme, proposal.proposed_end_date)
    elif proposal.kind is ChangeRequestKind.COST:
        problems += _cost_problems(programme, proposal.proposed_whole_life_baseline)
    elif proposal.kind is ChangeRequestKind.BENEFITS:
        problems += _benefit_problems(programme, proposal)
    return problems


def _time_problems(programme: Programme, end: date | None) -> list[Problem]:
    if end is None:
        return [("proposed_end_date", "Enter the new baseline end date")]
    if programme.start_date and end < programme.start_date:
        start = uk_date(programme.start_date)
        return [
            ("proposed_end_date", f"The new baseline end date must be on or after the start date, {start}")
        ]
    if end == programme.baseline_end_date:
        return [
            ("proposed_end_date", f"The baseline end date is already {uk_date(end)}: choose another date")
        ]
    return []


def _cost_problems(programme: Programme, amount: Decimal | None) -> list[Problem]:
    field = "proposed_whole_life_baseline"
    if amount is None:
        return [(field, "Enter the new whole-life cost baseline, in pounds")]
    if amount < 0:
        return [(field, "The new whole-life cost baseline cannot be negative")]
    if amount >= MAX_COST:
        return [(field, "The new whole-life cost baseline must be less than £1,000,000,000,000")]
    if amount == programme.whole_life_baseline:
        return [(field, f"The whole-life cost baseline is already {money(amount)}: enter a different amount")]
    return []


def _benefit_problems(programme: Programme, proposal: Proposal) -> list[Problem]:
    if proposal.benefit_id is None:
        return [("benefit_id", "Choose the benefit whose target changes")]
    benefit = db.session.get(Benefit, proposal.benefit_id)
    if benefit is None or benefit.programme_id != programme.id:
        return [("benefit_id", "Choose one of this programme's benefits")]
    value, when = proposal.proposed_target_value, proposal.proposed_target_date
    if value is None and when is None:
        return [("proposed_target_value", "Enter a new target value, a new target date, or both")]
    problems: list[Problem] = []
    if value is not None and abs(value) >= MAX_MEASURE:
        problems.append(
            ("proposed_target_value", "The new target value must be less than 100,000,000,000,000")
        )
    if when is not None and benefit.baseline_date and when < benefit.baseline_date:
        since = uk_date(benefit.baseline_date)
        problems.append(
            ("proposed_target_date", f"The new target date must be on or after the baseline, {since}")
        )
    unchanged_value = value is None or value == benefit.target_value
    unchanged_date = when is None or when == benefit.target_date
    if unchanged_value and unchanged_date:
        problems.append(
            (None, "The new target is the benefit's current target: change the value or the date")
        )
    return problems


def raise_request(programme: Programme, proposal: Proposal, *, user: User) -> ChangeRequest:
    """Ask for a change; nothing moves until a CIO approves it."""
    problems = proposal_problems(programme, proposal)
    if problems:
        raise Invalid.every(problems)
    request = ChangeRequest(
        programme_id=programme.id,
        kind=proposal.kind,
        title=proposal.title.strip(),
        description=proposal.description.strip(),
        impact=proposal.impact.strip(),
        requested_by_id=user.id,
        updated_by_id=user.id,
    )
    kind = proposal.kind
    if kind is ChangeRequestKind.TIME:
        request.from_end_date, request.proposed_end_date = (
            programme.baseline_end_date,
            proposal.proposed_end_date,
        )
    elif kind is ChangeRequestKind.COST:
        request.from_whole_life_baseline = programme.whole_life_baseline
        request.proposed_whole_life_baseline = proposal.proposed_whole_life_baseline
    elif kind is ChangeRequestKind.BENEFITS:
        benefit = db.session.get(Benefit, proposal.benefit_id)
        assert benefit is not None  # checked above
        request.benefit_id = benefit.id
        if proposal.proposed_target_value is not None:
            request.from_target_value = benefit.target_value
            request.proposed_target_value = proposal.proposed_target_value
        if proposal.proposed_target_date is not None:
            request.from_target_date = benefit.target_date
            request.proposed_target_date = proposal.proposed_target_date
    db.session.add(request)
    db.session.flush()
    db.session.refresh(request, ["benefit"])
    audit.record(
        AuditAction.CREATE,
        request,
        user_id=user.id,
        programme_id=programme.id,
        summary=f"Raised a {label(kind).lower()} change request, '{request.title}' (nothing moves unless "
        f"a CIO approves it): {moves_sentence(request)}",
        changes={"status": (None, ChangeRequestStatus.PENDING), "impact": (None, request.impact)},
    )
    db.session.commit()
    return request


def withdraw(
    programme: Programme, request_id: int, *, user: User, expected_version: int | None
) -> ChangeItem:
    """The person who asked takes a waiting request back; nothing moves."""
    user_id = user.id
    item = get_change(request_id, programme_id=programme.id)
    request = item.request
    if request.requested_by_id != user_id:
        raise Invalid("Only the person who raised a change request can withdraw it")
    _refuse_unless_pending(request)
    check_version(request, expected_version, what="change request")
    request.status = ChangeRequestStatus.WITHDRAWN
    request.decided_at = utcnow()
    request.updated_by_id = user_id
    audit.record(
        AuditAction.UPDATE,
        request,
        user_id=user_id,
        programme_id=programme.id,
        summary=f"Withdrew the change request '{request.title}': nothing moved",
        changes={"status": (ChangeRequestStatus.PENDING, ChangeRequestStatus.WITHDRAWN)},
    )
    commit_or_conflict(what="change request")
    return item


def decide(
    request_id: int, *, user: User, approve: bool, note: str, expected_version: int | None
) -> ChangeItem:
    """Approve (moving the baselines the request names) or reject with a reason; once only."""
    user_id = user.id
    item = get_change(request_id)
    request, programme = item.request, item.programme
    _refuse_unless_pending(request)
    check_version(request, expected_version, what="change request")
    note = note.strip()
    if not approve and not note:
        raise Invalid("Say why the change request is rejected", field="note")
    changes: dict[str, tuple[Any, Any]] = {}
    if approve:
        changes = _apply(request, programme, user_id)
    status = ChangeRequestStatus.APPROVED if approve else ChangeRequestStatus.REJECTED
    request.status, request.decided_by_id, request.decided_at = status, user_id, utcnow()
    request.decision_note, request.updated_by_id = note, user_id
    noted = f" (decision note: {note})" if note else ""
    audit.record(
        AuditAction.UPDATE,
        request,
        user_id=user_id,
        programme_id=programme.id,
        summary=(
            f"Approved the change request '{request.title}': {moves_sentence(request)}{noted}"
            if approve
            else f"Rejected the change request '{request.title}'; nothing moved: {note}"
        ),
        changes={"status": (ChangeRequestStatus.PENDING, status), **changes},
    )
    commit_or_conflict(
        what="change request",
        refresh=[programme.id] if approve else [],
        trigger=Trigger.CHANGE_REQUEST,
        user_id=user_id,
    )
    return item


def _apply(request: ChangeRequest, programme: Programme, user_id: int) -> dict[str, tuple[Any, Any]]:
    """Move the named baselines, refusing any that moved since the request was raised."""
    if request.kind is ChangeRequestKind.TIME:
        _unmoved("baseline end date", request.from_end_date, programme.baseline_end_date, uk_date)
        before = programme.baseline_end_date
        programme.baseline_end_date, programme.updated_by_id = request.proposed_end_date, user_id
        return {"baseline_end_date": (before, request.proposed_end_date)}
    if request.kind is ChangeRequestKind.COST:
        _unmoved(
            "whole-life cost baseline", request.from_whole_life_baseline, programme.whole_life_baseline, money
        )
        before = programme.whole_life_baseline
        programme.whole_life_baseline = request.proposed_whole_life_baseline
        programme.updated_by_id = user_id
        return {"whole_life_baseline": (before, request.proposed_whole_life_baseline)}
    if request.kind is ChangeRequestKind.BENEFITS:
        return _apply_benefit(request, user_id)
    return {}


def _apply_benefit(request: ChangeRequest, user_id: int) -> dict[str, tuple[Any, Any]]:
    benefit = request.benefit
    if benefit is None:
        raise Conflict("The benefit this request would change has been deleted. Reject the request.")
    changes: dict[str, tuple[Any, Any]] = {}
    if request.proposed_target_value is not None:
        _unmoved(f"target value of '{benefit.title}'", request.from_target_value, benefit.target_value, str)
        changes["target_value"] = (benefit.target_value, request.proposed_target_value)
        benefit.target_value = request.proposed_target_value
    if request.proposed_target_date is not None:
        _unmoved(f"target date of '{benefit.title}'", request.from_target_date, benefit.target_date, uk_date)
        changes["target_date"] = (benefit.target_date, request.proposed_target_date)
        benefit.target_date = request.proposed_target_date
    benefit.updated_by_id = user_id
    return changes


def _unmoved(what: str, when_asked: Any, now: Any, shown: Any) -> None:
    """Refuse to apply a request over a baseline someone moved after it was raised."""
    if when_asked != now:
        was = shown(when_asked) if when_asked is not None else "not known"
        is_now = shown(now) if now is not None else "not known"
        db.session.rollback()
        raise Conflict(
            f"The {what} has moved since this request was raised: it was {was} and is now {is_now}. "
            "Approving would overwrite that change, so nothing was moved. Reject this request and ask for "
            "a new one from the current baseline."
        )


def _refuse_unless_pending(request: ChangeRequest) -> None:
    if request.status is ChangeRequestStatus.PENDING:
        return
    if request.status is ChangeRequestStatus.WITHDRAWN:
        raise Conflict(
            f"This request was withdrawn by the person who raised it on {uk_datetime(request.decided_at)}. "
            "It cannot be decided or withdrawn again."
        )
    raise Conflict(already_decided(request))
