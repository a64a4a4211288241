"""A programme's stage gates through the API: its stage in the council's model, its next gate, and each
request with the checklist as answered and the decision."""

from __future__ import annotations

from datetime import date

from flask.testing import FlaskClient

from tracker.extensions import db
from tracker.models import GateRequest, GateStatus, Programme


def test_a_programmes_stage_and_gate_decisions(client: FlaskClient, world, bearer) -> None:
    programme = db.session.scalar(db.select(Programme).where(Programme.code == "OWN-001"))
    programme.planned_gate_date = date(2027, 2, 1)
    db.session.add(
        GateRequest(
            programme_id=programme.id, gate_key="business_case", gate_name="Business case approved",
            from_stage="business_case", from_stage_name="Business case", to_stage="delivery",
            to_stage_name="Delivery", approver_role="cio", status=GateStatus.APPROVED,
            checklist=[{"item": "Options appraised", "met": False, "note": "Two of three"}],
            summary="Cabinet agreed.", conditions="Appraise the third option by March",
        )
    )  # fmt: skip
    db.session.commit()

    response = client.get("/api/v1/programmes/OWN-001/gates", headers=bearer())

    assert response.status_code == 200
    found = response.get_json()
    assert (found["model"], found["stage"], found["next_gate"]) == ("Simple", "Delivery", "Ready to close")
    assert found["planned_gate_date"] == "2027-02-01"
    approved = next(item for item in found["items"] if item["status"] == "approved")
    assert approved["checklist"] == [{"item": "Options appraised", "met": False, "note": "Two of three"}]
    assert approved["conditions"] == "Appraise the third option by March"
    assert client.get("/api/v1/programmes/NOPE-001/gates", headers=bearer()).status_code == 404
