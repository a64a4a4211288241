"""Change requests: raised with their impact, decided once by a CIO; approval moves the named baselines
and is recorded, and a baseline moved since the request was raised is never overwritten."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.factories import BenefitFactory, ProgrammeFactory
from tracker.domain.formatting import uk_date
from tracker.extensions import db
from tracker.models import (
    AuditEvent,
    Benefit,
    ChangeRequest,
    ChangeRequestKind,
    ChangeRequestStatus,
    Programme,
    RiskAssessment,
    Role,
    Stage,
    User,
)
from tracker.models.types import utcnow
from tracker.services.changes import reads
from tracker.services.changes.requests import Proposal, decide, raise_request, withdraw
from tracker.services.errors import Conflict, Invalid
from tracker.services.programmes.history import programme_history


@pytest.fixture
def people(make_user) -> dict[str, User]:
    return {
        "pm": make_user(Role.PROGRAMME_MANAGER, name="Priya Shah"),
        "cio": make_user(Role.CIO, name="Helen Carter"),
        "other": make_user(Role.CIO, name="Tom Barker"),
    }


@pytest.fixture
def programme(people) -> Programme:
    return ProgrammeFactory(
        code="DIG-001", manager_id=people["pm"].id, whole_life_baseline=Decimal("1000000")
    )


def cost(amount: str | None = "1250000", **values) -> Proposal:
    return Proposal(
        kind=ChangeRequestKind.COST,
        title="Extra integration",
        impact="Three more months of supplier time",
        proposed_whole_life_baseline=None if amount is None else Decimal(amount),
        **values,
    )


def problems_of(programme: Programme, proposal: Proposal, user: User) -> list[tuple[str | None, str]]:
    with pytest.raises(Invalid) as refused:
        raise_request(programme, proposal, user=user)
    return refused.value.problems


def test_an_approved_cost_request_moves_the_whole_life_baseline_and_history_says_so(
    programme, people
) -> None:
    request = raise_request(programme, cost(), user=people["pm"])
    assert request.status is ChangeRequestStatus.PENDING
    assert request.from_whole_life_baseline == Decimal("1000000")
    assert db.session.get(Programme, programme.id).whole_life_baseline == Decimal("1000000")

    decide(request.id, user=people["cio"], approve=True, note="", expected_version=request.version)

    db.session.expire_all()
    assert db.session.get(Programme, programme.id).whole_life_baseline == Decimal("1250000")
    decided = db.session.get(ChangeRequest, request.id)
    assert decided.status is ChangeRequestStatus.APPROVED and decided.decided_by_id == people["cio"].id
    assert reads.get_change(request.id).outcome == (
        f"Approved by Helen Carter on {_today()}: whole-life cost baseline from £1,000,000 to £1,250,000"
    )
    # Re-rated in the same transaction, after the change request.
    assessment = db.session.scalars(
        select(RiskAssessment).where(RiskAssessment.programme_id == programme.id, RiskAssessment.is_latest)
    ).one()
    assert assessment.trigger == "change_request"
    entries = programme_history("DIG-001").entries
    approval = next(entry for entry in entries if entry.kind == "Approved change")
    assert "Approved the change request 'Extra integration'" in approval.summary
    moved = {change.field: (change.before, change.after) for change in approval.changes}
    assert moved["Whole-life cost baseline"] == ("1000000.00", "1250000.00") or moved[
        "Whole-life cost baseline"
    ] == ("1000000", "1250000")
    assert next(entry for entry in entries if entry.kind == "Request").who == "Priya Shah"


def _today() -> str:
    return uk_date(utcnow())


def test_a_time_request_moves_the_baseline_end_date(programme, people) -> None:
    proposal = Proposal(
        kind=ChangeRequestKind.TIME,
        title="Later go-live",
        impact="Service waits",
        proposed_end_date=date(2027, 9, 30),
    )
    request = raise_request(programme, proposal, user=people["pm"])
    assert request.from_end_date == date(2027, 3, 31)
    decide(request.id, user=people["cio"], approve=True, note="Agreed at board", expected_version=None)
    db.session.expire_all()
    assert db.session.get(Programme, programme.id).baseline_end_date == date(2027, 9, 30)


def test_a_benefits_request_moves_the_target_it_names(programme, people) -> None:
    benefit = BenefitFactory(
        programme_id=programme.id, target_value=Decimal(10), target_date=date(2027, 6, 1)
    )
    proposal = Proposal(
        kind=ChangeRequestKind.BENEFITS,
        title="Lower target",
        impact="Fewer days saved",
        benefit_id=benefit.id,
        proposed_target_value=Decimal(8),
    )
    request = raise_request(programme, proposal, user=people["pm"])
    decide(request.id, user=people["cio"], approve=True, note="", expected_version=None)
    db.session.expire_all()
    saved = db.session.get(Benefit, benefit.id)
    assert saved.target_value == Decimal(8) and saved.target_date == date(2027, 6, 1)


def test_a_rejection_needs_a_reason_and_moves_nothing(programme, people) -> None:
    request = raise_request(programme, cost(), user=people["pm"])
    with pytest.raises(Invalid, match="Say why"):
        decide(request.id, user=people["cio"], approve=False, note=" ", expected_version=None)
    decide(request.id, user=people["cio"], approve=False, note="Not affordable", expected_version=None)
    db.session.expire_all()
    assert db.session.get(Programme, programme.id).whole_life_baseline == Decimal("1000000")
    assert db.session.get(ChangeRequest, request.id).decision_note == "Not affordable"
    assert any(entry.kind == "Rejected request" for entry in programme_history("DIG-001").entries)


def test_a_decided_request_cannot_be_decided_again(programme, people) -> None:
    request = raise_request(programme, cost(), user=people["pm"])
    decide(request.id, user=people["cio"], approve=True, note="", expected_version=None)
    with pytest.raises(Conflict, match="already approved by Helen Carter"):
        decide(request.id, user=people["other"], approve=True, note="", expected_version=None)
    db.session.expire_all()
    assert db.session.get(Programme, programme.id).whole_life_baseline == Decimal("1250000")
    audits = db.session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "change_request")).all()
    assert len(audits) == 2


def test_a_stale_copy_is_refused(programme, people) -> None:
    request = raise_request(programme, cost(), user=people["pm"])
    with pytest.raises(Conflict, match="changed by"):
        decide(request.id, user=people["cio"], approve=True, note="", expected_version=request.version + 1)


def test_a_baseline_moved_since_the_request_is_not_overwritten(programme, people) -> None:
    request = raise_request(programme, cost(), user=people["pm"])
    db.session.get(Programme, programme.id).whole_life_baseline = Decimal("1100000")
    db.session.commit()
    with pytest.raises(Conflict, match="it was £1,000,000 and is now £1,100,000"):
        decide(request.id, user=people["cio"], approve=True, note="", expected_version=None)
    db.session.expire_all()
    assert db.session.get(Programme, programme.id).whole_life_baseline == Decimal("1100000")
    assert db.session.get(ChangeRequest, request.id).status is ChangeRequestStatus.PENDING
    # It can still be rejected: nothing moves.
    decide(request.id, user=people["cio"], approve=False, note="Superseded", expected_version=None)


def test_only_the_person_who_asked_withdraws_and_only_while_pending(programme, people) -> None:
    request = raise_request(programme, cost(), user=people["pm"])
    with pytest.raises(Invalid, match="Only the person who raised"):
        withdraw(programme, request.id, user=people["cio"], expected_version=None)
    withdraw(programme, request.id, user=people["pm"], expected_version=request.version)
    db.session.expire_all()
    assert db.session.get(ChangeRequest, request.id).status is ChangeRequestStatus.WITHDRAWN
    with pytest.raises(Conflict, match="withdrawn"):
        decide(request.id, user=people["cio"], approve=True, note="", expected_version=None)
    assert reads.pending_changes() == []


@pytest.mark.parametrize(
    ("proposal", "expected"),
    [
        (cost(None), ("proposed_whole_life_baseline", "Enter the new whole-life cost baseline, in pounds")),
        (cost("-5"), ("proposed_whole_life_baseline", "The new whole-life cost baseline cannot be negative")),
        (cost("1000000"), ("proposed_whole_life_baseline", "already £1,000,000")),
        (
            Proposal(kind=ChangeRequestKind.TIME, title="T", impact="I", proposed_end_date=date(2026, 1, 1)),
            ("proposed_end_date", "on or after the start date, 1 April 2026"),
        ),
        (
            Proposal(kind=ChangeRequestKind.TIME, title="T", impact="I"),
            ("proposed_end_date", "Enter the new"),
        ),
        (Proposal(kind=ChangeRequestKind.SCOPE, title=" ", impact=""), ("title", "Enter a title")),
        (
            Proposal(kind=ChangeRequestKind.BENEFITS, title="T", impact="I"),
            ("benefit_id", "Choose the benefit"),
        ),
    ],
)
def test_what_cannot_be_asked_is_refused_with_a_clear_message(programme, people, proposal, expected) -> None:
    problems = problems_of(programme, proposal, people["pm"])
    field, words = expected
    assert any(found == field and words in message for found, message in problems), problems


def test_a_scope_request_needs_its_impact(programme, people) -> None:
    problems = problems_of(
        programme, Proposal(kind=ChangeRequestKind.SCOPE, title="T", impact=" "), people["pm"]
    )
    assert problems == [("impact", "Describe the impact of the change on the programme and the service")]


def test_a_benefit_of_another_programme_is_refused(programme, people) -> None:
    elsewhere = BenefitFactory(programme=ProgrammeFactory(code="OTH-001"))
    proposal = Proposal(
        kind=ChangeRequestKind.BENEFITS,
        title="T",
        impact="I",
        benefit_id=elsewhere.id,
        proposed_target_value=Decimal(1),
    )
    assert problems_of(programme, proposal, people["pm"]) == [
        ("benefit_id", "Choose one of this programme's benefits")
    ]


def test_a_closed_programme_takes_no_requests(programme, people) -> None:
    programme.stage = Stage.CLOSED
    db.session.commit()
    assert any("closed" in message for _, message in problems_of(programme, cost(), people["pm"]))
