"""Changing milestones and recording measurements through the API: the same rules, history and audit
as the web forms, and the same policy (viewers never write, managers only their own programmes)."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import AuditEvent, Measurement, Milestone, MilestoneChange, Programme, Role


def _patch(client: FlaskClient, milestone_id: int, headers: dict[str, str], **body: object):
    return client.patch(f"/api/v1/milestones/{milestone_id}", json=body, headers=headers)


def test_a_forecast_move_shows_in_history_audit_and_pages(client: FlaskClient, auth, world, bearer) -> None:
    headers = bearer(user_id=world.manager_id)
    response = _patch(
        client, world.own_milestone, headers, forecast_date="2027-01-15", reason="Supplier late with the API"
    )
    assert response.status_code == 200, response.get_json()
    milestone = response.get_json()
    assert milestone["forecast_date"] == "2027-01-15" and milestone["variance_days"] == 45

    change = db.session.scalar(
        select(MilestoneChange).where(MilestoneChange.milestone_id == world.own_milestone)
    )
    assert (change.kind.value, change.to_value, change.reason) == (
        "forecast_moved",
        "2027-01-15",
        "Supplier late with the API",
    )
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity_type == "milestone"))
    assert "Supplier late with the API" in event.summary and event.user_id == world.manager_id
    assert db.session.scalar(select(Programme.last_update_at).where(Programme.code == "OWN-001")) is not None

    auth.sign_in_as(Role.VIEWER)
    history = client.get("/programmes/OWN-001/history").get_data(as_text=True)
    assert "Supplier late with the API" in history
    milestones_page = client.get("/programmes/OWN-001/milestones/").get_data(as_text=True)
    assert "15 January 2027" in milestones_page


def test_moving_a_forecast_needs_a_reason(client: FlaskClient, world, bearer) -> None:
    """Well formed, but refused by the milestone as it stands: 409, as the document says."""
    response = _patch(client, world.own_milestone, bearer(), forecast_date="2027-02-01")
    assert response.status_code == 409
    assert "Give a reason" in response.get_json()["fields"]["reason"]
    assert db.session.get(Milestone, world.own_milestone).forecast_date.isoformat() == "2026-12-01"


def test_an_actual_date_completes_the_milestone(client: FlaskClient, world, bearer) -> None:
    response = _patch(client, world.own_milestone, bearer(Role.CIO), actual_date="2026-11-20")
    assert response.status_code == 200
    assert (response.get_json()["status"], response.get_json()["actual_date"]) == ("complete", "2026-11-20")
    future = _patch(client, world.other_milestone, bearer(Role.CIO), actual_date="2027-11-20")
    assert future.status_code == 409 and "future" in future.get_json()["fields"]["actual_date"]


def test_an_actual_date_with_an_unfinished_status_is_refused_by_its_shape(client, world, bearer) -> None:
    """The document forbids this body whatever the milestone's state, so it is a 422, not a 409."""
    response = _patch(client, world.own_milestone, bearer(), actual_date="2026-11-20", status="in_progress")
    assert response.status_code == 422
    assert "Choose 'Complete'" in response.get_json()["fields"]["status"]
    assert db.session.get(Milestone, world.own_milestone).actual_date is None


def test_a_stale_version_is_a_conflict(client: FlaskClient, world, bearer) -> None:
    headers = bearer()
    read = client.get("/api/v1/programmes/OWN-001/milestones", headers=headers).get_json()["items"][0]
    first = _patch(client, world.own_milestone, headers, status="in_progress", version=read["version"])
    assert first.status_code == 200
    second = _patch(client, world.own_milestone, headers, status="not_started", version=read["version"])
    assert second.status_code == 409
    assert "changed by someone else" in second.get_json()["error"]
    assert db.session.get(Milestone, world.own_milestone).status.value == "in_progress"


def test_writes_follow_the_policy(client: FlaskClient, world, bearer) -> None:
    viewer = _patch(client, world.own_milestone, bearer(Role.VIEWER), status="in_progress")
    assert viewer.status_code == 403 and viewer.is_json
    not_theirs = _patch(client, world.other_milestone, bearer(user_id=world.manager_id), status="in_progress")
    assert not_theirs.status_code == 403
    body = {"on_date": "2026-11-01", "value": "1"}
    response = client.post(
        f"/api/v1/benefits/{world.own_benefit}/measurements", json=body, headers=bearer(Role.VIEWER)
    )
    assert response.status_code == 403


def test_recording_a_measurement(client: FlaskClient, world, bearer) -> None:
    body = {"on_date": "2026-11-01", "value": "52000.25", "note": "October return"}
    headers = bearer(user_id=world.manager_id)
    response = client.post(f"/api/v1/benefits/{world.own_benefit}/measurements", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    recorded = response.get_json()
    assert (
        recorded["measurement"]["value"].startswith("52000.25")
        and recorded["measurement"]["note"] == "October return"
    )
    assert recorded["realisation"]["measured_on"] == "2026-11-01" and recorded["realisation"]["status"]
    stored = db.session.scalars(select(Measurement).where(Measurement.benefit_id == world.own_benefit)).all()
    assert len(stored) == 2
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.entity_type == "measurement"))
    assert audit is not None and audit.user_id == world.manager_id


def test_measurement_problems_are_named(client: FlaskClient, world, bearer) -> None:
    url = f"/api/v1/benefits/{world.own_benefit}/measurements"
    headers = bearer()
    future = client.post(url, json={"on_date": "2030-01-01", "value": "1"}, headers=headers)
    assert future.status_code == 409 and "today or in the past" in future.get_json()["fields"]["on_date"]
    huge = client.post(url, json={"on_date": "2026-11-01", "value": "1e20"}, headers=headers)
    assert huge.status_code == 422 and "value" in huge.get_json()["fields"]
    missing = client.post(url, json={"note": "no value"}, headers=headers)
    assert missing.status_code == 422 and set(missing.get_json()["fields"]) == {"on_date", "value"}
