"""Gate decisions: a programme asks with the gate's checklist answered, the approver decides, approval
moves the stage; the closure gate checks the records; the council's stage model is chosen and edited."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.factories import BenefitFactory, ProgrammeFactory
from tests.services.test_risk_scan import latest
from tracker.domain.calendar import format_date, london_today
from tracker.extensions import db
from tracker.models import AuditEvent, GateStatus, Lesson, LessonKind, Programme, Role, Stage
from tracker.models.types import utcnow
from tracker.services.errors import Conflict, Invalid
from tracker.services.programmes import gates
from tracker.services.programmes.gates import Answer
from tracker.services.settings import current_stage_model, update_stage_model


@pytest.fixture
def people(make_user):
    return {
        "pm": make_user(Role.PROGRAMME_MANAGER, name="Pat Manager"),
        "cio": make_user(Role.CIO, name="Chris Ofori"),
        "admin": make_user(Role.ADMIN, name="Ada Min"),
    }


def answered(code: str, *, met: bool = True, note: str = "") -> list[Answer]:
    gate = gates.gates_page(code).gate
    assert gate is not None
    return [Answer(item, met, note) for item in gate.checklist]


def ask(code: str, user, **kwargs) -> object:
    return gates.ask_for_gate(
        code,
        answers=kwargs.pop("answers", None) or answered(code),
        summary=kwargs.pop("summary", "All done; see the papers."),
        user=user,
        expected_version=None,
    )


def decide(request_id: int, user, outcome=GateStatus.APPROVED, **kwargs):
    return gates.decide_gate(
        request_id,
        outcome=outcome,
        conditions=kwargs.get("conditions", ""),
        note=kwargs.get("note", ""),
        user=user,
        expected_version=None,
    )


def test_green_book_outline_business_case_approved_with_a_condition_moves_to_the_full_case(
    app, people
) -> None:
    update_stage_model("green_book", {}, user_id=people["admin"].id)
    programme = ProgrammeFactory(code="HSG-012", stage=Stage.BUSINESS_CASE, manager_id=people["pm"].id)
    page = gates.gates_page("HSG-012")
    assert (page.stage_name, page.gate.name, page.next_stage_name) == (
        "Outline business case",
        "Outline business case",
        "Full business case",
    )
    items = page.gate.checklist
    answers = [Answer(item, True) for item in items[:-1]] + [Answer(items[-1], False, "Owners named in May")]
    request = ask("HSG-012", people["pm"], answers=answers)
    assert gates.gates_page("HSG-012").pending.id == request.id

    decide(request.id, people["cio"], conditions="Name the benefit owners before the full case")

    db.session.expire_all()
    programme = db.session.get(Programme, programme.id)
    assert (programme.stage, programme.model_stage) == (Stage.BUSINESS_CASE, "full_business_case")
    assert gates.gates_page("HSG-012").stage_name == "Full business case"
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.programme_id == programme.id).order_by(AuditEvent.id)
    ).all()
    asked, approved = events[-2], events[-1]
    assert (
        asked.summary == "Asked for the “Outline business case” gate decision (to move to Full business case)"
    )
    assert approved.summary == (
        "Approved the “Outline business case” gate with conditions: moved to Full business case"
    )
    assert approved.changes["stage"] == ["Outline business case", "Full business case"]
    assert approved.changes["conditions"][1] == "Name the benefit owners before the full case"
    checklist = approved.changes["checklist"][1]
    assert f"Not met: {items[-1]} (Owners named in May)" in checklist
    assert f"Met: {items[0]}" in checklist

    # The full business case gate leads into delivery, which the rules and filters read.
    decide(ask("HSG-012", people["pm"]).id, people["cio"])
    db.session.expire_all()
    assert db.session.get(Programme, programme.id).stage is Stage.DELIVERY


def test_every_problem_with_an_answer_is_named_at_once(app, people) -> None:
    ProgrammeFactory(code="DIG-001", stage=Stage.DELIVERY, manager_id=people["pm"].id)
    with pytest.raises(Invalid) as refused:
        ask("DIG-001", people["pm"], answers=answered("DIG-001", met=False), summary=" ")
    fields = [field for field, _ in refused.value.problems]
    assert fields == ["note_0", "note_1", "summary"]
    assert "Say why “Milestones delivered or cancelled” is not met, or tick it" in refused.value.message
    assert gates.gates_page("DIG-001").pending is None


def test_one_request_at_a_time_and_each_decided_once(app, people) -> None:
    ProgrammeFactory(code="DIG-001", stage=Stage.DELIVERY, manager_id=people["pm"].id)
    request = ask("DIG-001", people["pm"])
    with pytest.raises(Invalid, match="already waiting for a decision"):
        ask("DIG-001", people["pm"])
    with pytest.raises(Invalid, match="Enter the reason for rejecting"):
        decide(request.id, people["cio"], GateStatus.REJECTED)
    decide(request.id, people["cio"], GateStatus.DEFERRED, note="Wait for the service's sign-off")
    with pytest.raises(Conflict, match="already deferred"):
        decide(request.id, people["cio"])
    db.session.expire_all()
    assert db.session.scalar(select(Programme.stage)) is Stage.DELIVERY
    # Deferred: the programme may ask again.
    again = ask("DIG-001", people["pm"])
    gates.withdraw_gate(again.id, user=people["pm"])
    assert gates.gates_page("DIG-001").pending is None


def test_a_gate_the_council_gives_to_admins_is_not_the_cios_to_decide(app, people) -> None:
    edits = {gate.key: (list(gate.checklist), "cio") for gate in current_stage_model().gates}
    edits["delivery"] = (["Service accepted"], "admin")
    update_stage_model("simple", edits, user_id=people["admin"].id)
    ProgrammeFactory(code="DIG-001", stage=Stage.DELIVERY)
    request = ask("DIG-001", people["cio"])
    assert request.checklist == [{"item": "Service accepted", "met": True, "note": ""}]
    with pytest.raises(Invalid, match="Only an admin can decide this gate"):
        decide(request.id, people["cio"])
    decide(request.id, people["admin"])


def test_the_closure_gate_needs_benefits_handed_over_and_a_lesson(app, people) -> None:
    programme = ProgrammeFactory(code="CCT-009", stage=Stage.CLOSING, manager_id=people["pm"].id)
    unowned = BenefitFactory(programme_id=programme.id, title="Fewer calls", owner="")
    owned = BenefitFactory(programme_id=programme.id, title="Lower line rental", owner="Sam Head")
    page = gates.gates_page("CCT-009")
    assert page.gate.name == "Closure"
    assert page.closure_problems == [
        "Name the owner in the service of the benefit “Fewer calls”",
        "Record when the benefit “Lower line rental” was handed to Sam Head",
        "Record at least one lesson learned",
    ]
    with pytest.raises(Invalid, match="Name the owner in the service"):
        ask("CCT-009", people["pm"])

    unowned.owner, unowned.handed_over_on = "Kim Lead", date(2027, 1, 5)
    owned.handed_over_on = date(2027, 1, 6)
    db.session.add(Lesson(programme_id=programme.id, kind=LessonKind.WENT_WELL, title="Pilot first"))
    db.session.commit()
    assert gates.gates_page("CCT-009").closure_problems == []
    decide(ask("CCT-009", people["pm"]).id, people["cio"])
    db.session.expire_all()
    closed = db.session.get(Programme, programme.id)
    assert (closed.stage, closed.is_closed) == (Stage.CLOSED, True)
    assert gates.gates_page("CCT-009").gate is None


def test_a_programme_still_in_its_stage_after_its_planned_gate_date_is_flagged(app, people) -> None:
    programme = ProgrammeFactory(code="DIG-001", stage=Stage.DELIVERY, manager_id=people["pm"].id)
    planned = london_today(utcnow()) - timedelta(days=20)
    gates.set_planned_gate_date("DIG-001", planned=planned, user=people["pm"], expected_version=None)
    flag = next(flag for flag in latest(programme).flags if flag["rule"] == "gate_overdue")
    assert flag["message"] == f"Gate planned for {format_date(planned)} not passed: 20 days late"
    # Passing the gate spends the plan date, and the flag goes.
    decide(ask("DIG-001", people["pm"]).id, people["cio"])
    db.session.expire_all()
    assert db.session.get(Programme, programme.id).planned_gate_date is None
    assert "gate_overdue" not in {flag["rule"] for flag in latest(programme).flags}


def test_a_stage_model_edit_is_checked_as_a_whole(app, people) -> None:
    bad = {"idea": ([" "], "cio"), "business_case": ([f"Item {n}" for n in range(13)], "viewer")}
    with pytest.raises(Invalid) as refused:
        update_stage_model("simple", bad, user_id=people["admin"].id)
    assert [field for field, _ in refused.value.problems] == [
        "checklist_idea",
        "checklist_business_case",
        "approver_business_case",
    ]
    with pytest.raises(Invalid, match="Choose a stage model"):
        update_stage_model("prince9", {}, user_id=people["admin"].id)
    assert current_stage_model().key == "simple"
    update_stage_model("gds", {}, user_id=people["admin"].id)
    assert [stage.name for stage in current_stage_model().stages] == [
        "Discovery",
        "Alpha",
        "Beta",
        "Live",
        "Closing",
        "Closed",
    ]
