"""Dependencies through the API: read both ways, added and removed by the waiting programme's manager
through the same service as the web forms (refusals in `fields`), re-rating the waiting programme."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import MilestoneDependency, Programme, RiskAssessment, Role


def test_a_dependency_is_added_read_both_ways_and_removed(client: FlaskClient, world, bearer) -> None:
    manager = bearer(user_id=world.manager_id)
    sent = {
        "milestone_id": world.own_milestone,
        "depends_on": world.other,
        "depends_on_milestone_id": world.other_milestone,
        "needed_by": "2026-11-20",
        "note": "Needs the other's go-live",
    }

    added = client.post(f"/api/v1/programmes/{world.own}/dependencies", json=sent, headers=manager)

    assert added.status_code == 201, added.get_json()
    body = added.get_json()
    assert {key: body[key] for key in ("programme", "milestone", "depends_on", "depends_on_milestone")} == {
        "programme": "OWN-001",
        "milestone": "Go-live",
        "depends_on": "OTH-001",
        "depends_on_milestone": "Go-live",
    }
    assert (body["expected_date"], body["needed_by"], body["state"]) == (
        "2026-12-01",
        "2026-11-20",
        "overdue",
    )
    assert body["late"] is True and body["days_late"] > 0
    latest = db.session.scalar(
        select(RiskAssessment).join(Programme).where(Programme.code == world.own, RiskAssessment.is_latest)
    )
    assert latest.trigger == "dependency" and "dependency_late" in [flag["rule"] for flag in latest.flags]

    viewer = bearer(Role.VIEWER)
    theirs = client.get(f"/api/v1/programmes/{world.other}/dependencies", headers=viewer).get_json()
    assert theirs["waits_for"] == [] and [item["id"] for item in theirs["holding_up"]] == [body["id"]]
    mine = client.get(f"/api/v1/programmes/{world.own}/dependencies", headers=viewer).get_json()
    assert mine == {"waits_for": [body], "holding_up": []}

    gone = client.delete(f"/api/v1/programmes/{world.own}/dependencies/{body['id']}", headers=manager)
    assert gone.status_code == 204
    assert db.session.scalar(select(MilestoneDependency)) is None
    again = client.delete(f"/api/v1/programmes/{world.own}/dependencies/{body['id']}", headers=manager)
    assert again.status_code == 404


def test_a_refusal_names_each_field(client: FlaskClient, world, bearer) -> None:
    sent = {
        "milestone_id": world.other_milestone,
        "depends_on": world.own,
        "depends_on_milestone_id": world.own_milestone,
        "needed_by": "2026-11-20",
    }
    refused = client.post(f"/api/v1/programmes/{world.own}/dependencies", json=sent, headers=bearer())
    assert refused.status_code == 409
    assert refused.get_json()["fields"] == {
        "milestone_id": "There is no such milestone in this programme",
        "depends_on": "A milestone cannot depend on a milestone of its own programme: order them in the "
        "programme's own plan instead",
    }
    theirs = client.post(
        f"/api/v1/programmes/{world.other}/dependencies", json=sent, headers=bearer(user_id=world.manager_id)
    )
    assert theirs.status_code == 403
