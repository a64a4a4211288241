"""Reading a programme's change requests through the API: what each moves, from what to what, and the
decision; money and values as decimal strings, unknowns as null."""

from __future__ import annotations

from decimal import Decimal

from flask.testing import FlaskClient
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import ChangeRequest, ChangeRequestKind, ChangeRequestStatus, Programme, Role, User
from tracker.services.changes.requests import Proposal, decide, raise_request


def test_change_requests_with_what_they_moved(client: FlaskClient, world, bearer, make_user) -> None:
    programme = db.session.scalars(select(Programme).where(Programme.code == "OWN-001")).one()
    manager = db.session.get(User, world.manager_id)
    cost = Proposal(
        kind=ChangeRequestKind.COST,
        title="Extra integration",
        impact="Three more months",
        proposed_whole_life_baseline=Decimal("1250000"),
    )
    raised = raise_request(programme, cost, user=manager).id
    decide(
        raised, user=make_user(Role.CIO, name="Helen Carter"), approve=True, note="", expected_version=None
    )
    scope = Proposal(kind=ChangeRequestKind.SCOPE, title="Add libraries", impact="More users")
    raise_request(db.session.get(Programme, programme.id), scope, user=manager)

    items = client.get("/api/v1/programmes/OWN-001/change-requests", headers=bearer(Role.VIEWER)).get_json()[
        "items"
    ]
    assert [item["title"] for item in items] == ["Add libraries", "Extra integration"]
    waiting, approved = items
    assert (
        waiting["status"] == "pending"
        and waiting["decided_by"] is None
        and waiting["moves"].startswith("No baseline")
    )
    assert approved["status"] == "approved" and approved["kind"] == "cost"
    assert (approved["from_whole_life_baseline"], approved["proposed_whole_life_baseline"]) == (
        None,
        "1250000.00",
    )
    assert approved["decided_by"] == "Helen Carter" and approved["requested_by"] == "Priya Manager"
    assert approved["moves"] == "Whole-life cost baseline from Not known to £1,250,000"
    assert db.session.get(ChangeRequest, raised).status is ChangeRequestStatus.APPROVED

    assert client.get("/api/v1/programmes/NOPE-1/change-requests", headers=bearer()).status_code == 404
