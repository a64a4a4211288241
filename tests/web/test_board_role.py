"""The board: a role the CIO delegates decisions to. A board member decides re-baselines, change
requests and the gates given to the board, reads everything else, and changes nothing else."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tests.factories import ProgrammeFactory
from tests.web.pages import error_summary, text
from tests.web.test_change_requests import add_change
from tests.web.test_gates import pending
from tracker.extensions import db
from tracker.models import ChangeRequestKind, GateRequest, GateStatus, Programme, Role, Stage
from tracker.services.digest.compose import Scope, digest_scope
from tracker.services.settings import current_stage_model


def test_an_admin_adds_a_board_member_who_decides_a_change_request_and_edits_nothing(
    client, auth, make_user
) -> None:
    auth.sign_in_as(Role.ADMIN)
    form = text(client.get("/admin/users/new"))
    assert "Board member" in form and "decides re-baselines, change requests" in form
    data = {
        "csrf_token": auth.csrf_token("/admin/users/new"),
        "name": "Sam Okafor",
        "email": "sam.okafor@testshire.gov.uk",
        "role": "board",
        "password": "a long board password 2026",
    }
    assert client.post("/admin/users/new", data=data).status_code == 302
    assert "Board member" in text(client.get("/admin/users"))
    auth.sign_out()

    pm = make_user(Role.PROGRAMME_MANAGER)
    programme_id = ProgrammeFactory(code="DIG-001", manager_id=pm.id, whole_life_baseline=Decimal(900_000)).id
    change_id = add_change(
        programme_id,
        by=pm.id,
        kind=ChangeRequestKind.COST,
        title="Add the housing system",
        from_whole_life_baseline=Decimal(900_000),
        proposed_whole_life_baseline=Decimal(1_100_000),
    ).id
    board = make_user(Role.BOARD, name="Sam Okafor")
    auth.sign_in(board.email)
    assert "1 request to decide" in text(client.get("/dashboard"))
    assert "Add the housing system" in text(client.get("/rebaselines/"))
    decide = f"/rebaselines/changes/{change_id}"
    token = auth.csrf_token(decide)
    approved = client.post(decide, data={"csrf_token": token, "decision": "approve", "version": "1"})
    assert approved.status_code == 302
    db.session.expire_all()
    assert db.session.get(Programme, programme_id).whole_life_baseline == Decimal(1_100_000)
    assert "Sam Okafor" in text(client.get("/programmes/DIG-001/history"))

    # Everything else is read-only to the board, as to a viewer.
    for path in ("/programmes/DIG-001/edit", "/programmes/DIG-001/milestones/new", "/programmes/new"):
        assert client.get(path).status_code == 403, path
    assert digest_scope(board) is Scope.PORTFOLIO  # the week's decisions reach the board


def test_a_board_member_decides_a_gate_given_to_the_board_but_not_one_kept_by_the_cio(client, auth) -> None:
    programme_id = ProgrammeFactory(code="DIG-001", stage=Stage.DELIVERY).id
    cio_gate = pending(programme_id).id
    auth.sign_in_as(Role.BOARD)
    path = f"/programmes/DIG-001/gates/{cio_gate}"
    page = text(client.get(path))
    assert "Decided by The CIO or an admin" in page and "Record the decision" not in page
    token = auth.csrf_token(path)
    assert client.post(path, data={"csrf_token": token, "outcome": "approved"}).status_code == 403

    db.session.delete(db.session.get(GateRequest, cio_gate))
    db.session.commit()
    board_gate = pending(programme_id, approver_role="board").id
    path = f"/programmes/DIG-001/gates/{board_gate}"
    assert "Decided by The board, the CIO or an admin" in text(client.get(path))
    refused = client.post(path, data={"csrf_token": token, "outcome": "deferred", "version": "1"})
    assert "Enter the reason for deferring" in error_summary(refused)
    data = {"csrf_token": token, "outcome": "approved", "conditions": "Report back in May", "version": "1"}
    assert client.post(path, data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(GateRequest, board_gate).status is GateStatus.APPROVED
    assert db.session.get(Programme, programme_id).stage is Stage.CLOSING


def test_the_cio_takes_back_a_gate_given_to_the_board(client, auth) -> None:
    programme_id = ProgrammeFactory(code="DIG-001", stage=Stage.DELIVERY).id
    board_gate = pending(programme_id, approver_role="board").id
    auth.sign_in_as(Role.CIO)
    path = f"/programmes/DIG-001/gates/{board_gate}"
    data = {"csrf_token": auth.csrf_token(path), "outcome": "rejected", "note": "Not yet", "version": "1"}
    assert client.post(path, data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(GateRequest, board_gate).status is GateStatus.REJECTED


def test_an_admin_gives_a_gate_to_the_board(client, auth) -> None:
    ProgrammeFactory(code="DIG-001", stage=Stage.DELIVERY, planned_gate_date=date(2027, 3, 1))
    auth.sign_in_as(Role.ADMIN)
    path = "/admin/settings/stage-model"
    assert "Board member" in text(client.get(path))
    data = {"csrf_token": auth.csrf_token(path), "model": "simple"}
    for gate in current_stage_model().gates:
        data |= {f"checklist_{gate.key}": "\n".join(gate.checklist), f"approver_{gate.key}": "cio"}
    data["approver_delivery"] = "board"
    assert client.post(path, data=data).status_code == 302
    assert current_stage_model().gates[2].approver is Role.BOARD
    shown = text(client.get("/programmes/DIG-001/gates/"))
    assert "Decided by the board, the CIO or an admin" in shown
