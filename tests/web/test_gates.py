"""The gate pages as people use them: who sees the button, who decides, the closure gate's checks, the
admin's stage model form, and a fixed number of queries however many requests a programme has."""

from __future__ import annotations

from datetime import date

from tests.factories import BenefitFactory, ProgrammeFactory
from tests.web.pages import counting_queries, error_summary, get, text, words
from tracker.extensions import db
from tracker.models import GateRequest, GateStatus, Programme, Role, Stage
from tracker.services.settings import current_stage_model

ASK = "/programmes/DIG-001/gates/ask"


def pending(programme_id: int, **values: object) -> GateRequest:
    request = GateRequest(**{
        "programme_id": programme_id, "gate_key": "delivery", "gate_name": "Ready to close",
        "from_stage": "delivery", "from_stage_name": "Delivery", "to_stage": "closing",
        "to_stage_name": "Closing", "approver_role": "cio", "summary": "Nearly there.",
        "checklist": [{"item": "Milestones delivered or cancelled", "met": False, "note": "Two left"}],
        **values,
    })  # fmt: skip
    db.session.add(request)
    db.session.commit()
    return request


def test_a_programme_manager_asks_and_every_problem_shows_at_once(client, auth) -> None:
    pm = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    ProgrammeFactory(code="DIG-001", stage=Stage.DELIVERY, manager_id=pm.id)
    page = get(client, "/programmes/DIG-001/gates/")
    assert "Ask for the “Ready to close” decision" in words(page)
    token = auth.csrf_token(ASK)

    refused = client.post(ASK, data={"version": "1", "csrf_token": token, "note_1": "Typed note"})
    summary = error_summary(refused)
    assert "Say why “Milestones delivered or cancelled” is not met, or tick it" in summary
    assert "Enter the case for passing the gate" in summary
    assert ">Typed note</textarea>" in refused.get_data(as_text=True)

    data = {"version": "1", "csrf_token": token, "met_0": "y", "met_1": "y", "summary": "All delivered."}
    assert client.post(ASK, data=data).status_code == 302
    shown = text(client.get("/programmes/DIG-001/gates/"))
    assert "The “Ready to close” gate is waiting for a decision" in shown
    assert "Read the request" in shown  # a programme manager cannot decide it


def test_a_viewer_reads_but_cannot_ask_and_a_manager_cannot_ask_for_anothers_programme(
    client, auth, make_user
) -> None:
    other = make_user(Role.PROGRAMME_MANAGER)
    ProgrammeFactory(code="DIG-001", stage=Stage.DELIVERY, manager_id=other.id)
    auth.sign_in_as(Role.PROGRAMME_MANAGER)
    assert "Ask for the" not in text(client.get("/programmes/DIG-001/gates/"))
    assert client.get(ASK).status_code == 403
    auth.sign_out()
    auth.sign_in_as(Role.VIEWER)
    assert client.get("/programmes/DIG-001/gates/").status_code == 200
    assert client.get(ASK).status_code == 403


def test_the_cio_approves_with_a_condition_and_the_stage_moves(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    programme_id = ProgrammeFactory(code="DIG-001", stage=Stage.DELIVERY).id
    request = pending(programme_id)
    path = f"/programmes/DIG-001/gates/{request.id}"
    assert "Decide it" in text(client.get("/programmes/DIG-001/gates/"))
    token = auth.csrf_token(path)
    refused = client.post(path, data={"version": "1", "csrf_token": token, "outcome": "rejected"})
    assert "Enter the reason for rejecting" in error_summary(refused)
    data = {"version": "1", "csrf_token": token, "outcome": "approved", "conditions": "Finish the last two"}
    assert client.post(path, data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(Programme, programme_id).stage is Stage.CLOSING
    decided = text(client.get(path))
    assert "Approved by" in decided and "Conditions: Finish the last two" in decided
    history = text(client.get("/programmes/DIG-001/history"))
    assert "Approved the “Ready to close” gate with conditions: moved to Closing" in history
    assert "Not met: Milestones delivered or cancelled (Two left)" in history


def test_a_gate_for_admins_is_refused_to_the_cio(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    request = pending(ProgrammeFactory(code="DIG-001", stage=Stage.DELIVERY).id, approver_role="admin")
    path = f"/programmes/DIG-001/gates/{request.id}"
    assert "Record the decision" not in text(client.get(path))
    token = auth.csrf_token(path)
    assert client.post(path, data={"csrf_token": token, "outcome": "approved"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(GateRequest, request.id).status is GateStatus.PENDING


def test_the_closure_gate_lists_what_is_missing_instead_of_the_button(client, auth) -> None:
    pm = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    programme = ProgrammeFactory(code="DIG-001", stage=Stage.CLOSING, manager_id=pm.id)
    BenefitFactory(
        programme_id=programme.id, title="Fewer calls", owner="Sam Head", handed_over_on=date(2027, 1, 5)
    )
    shown = text(client.get("/programmes/DIG-001/gates/"))
    assert "Before the closure gate can be asked for: Record at least one lesson learned" in shown
    assert "Ask for the “Closure” decision" not in shown


def test_the_gates_page_costs_the_same_queries_for_one_request_or_twenty(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    programme_id = ProgrammeFactory(code="DIG-001", stage=Stage.DELIVERY).id
    costs = []
    for _ in range(2):
        with counting_queries() as statements:
            get(client, "/programmes/DIG-001/gates/")
        costs.append(len(statements))
        for _ in range(19):
            pending(programme_id, status=GateStatus.REJECTED, decision_note="No")
    assert costs[0] == costs[1]


def test_an_admin_edits_the_checklists_and_chooses_another_model(client, auth) -> None:
    auth.sign_in_as(Role.ADMIN)
    path = "/admin/settings/stage-model"
    assert "Gates of the Simple model" in text(client.get(path))
    token = auth.csrf_token(path)
    data = {"csrf_token": token, "model": "simple"}
    for gate in current_stage_model().gates:
        data |= {f"checklist_{gate.key}": "\n".join(gate.checklist), f"approver_{gate.key}": "cio"}
    data |= {"checklist_idea": "  \n ", "approver_delivery": "viewer"}
    summary = error_summary(client.post(path, data=data))
    assert "Enter at least one checklist item, one a line" in summary
    assert "Choose who approves “Ready to close”" in summary

    data |= {
        "checklist_idea": "Problem described\nSponsor named\nCouncillor briefed",
        "approver_delivery": "admin",
    }
    assert client.post(path, data=data).status_code == 302
    model = current_stage_model()
    assert model.gates[0].checklist == ("Problem described", "Sponsor named", "Councillor briefed")
    assert model.gates[2].approver is Role.ADMIN

    assert client.post(path, data={"csrf_token": token, "model": "green_book"}).status_code == 302
    assert "Gates of the Green Book business cases model" in text(client.get(path))


def test_waiting_gates_are_in_the_queue_and_the_dashboards_count(client, auth, make_user) -> None:
    pm = make_user(Role.PROGRAMME_MANAGER)
    email = pm.email
    mine = ProgrammeFactory(code="DIG-001", stage=Stage.DELIVERY, manager_id=pm.id).id
    theirs = ProgrammeFactory(code="OTH-001", stage=Stage.DELIVERY).id
    pending(mine)
    pending(theirs, gate_name="Not yours")
    auth.sign_in_as(Role.CIO)
    queue = text(client.get("/rebaselines/"))
    assert "2 gate decisions waiting" in queue and "From Delivery to Closing" in queue
    assert "2 requests to decide" in text(client.get("/dashboard"))
    auth.sign_out()
    auth.sign_in(email)
    queue = text(client.get("/rebaselines/"))
    assert "1 gate decision waiting" in queue and "Not yours" not in queue
