"""Reading a programme's actions and decisions through the API, as its RAID page shows them."""

from __future__ import annotations

from datetime import date, timedelta

from flask.testing import FlaskClient
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import (
    ActionStatus,
    Decision,
    DecisionStatus,
    Programme,
    ProgrammeAction,
    RegisterEntry,
    Role,
)

TODAY = date.today()


def test_actions_soonest_due_first_with_days_overdue(client: FlaskClient, world, bearer) -> None:
    own = db.session.scalar(select(Programme).where(Programme.code == world.own))
    risk = RegisterEntry(programme_id=own.id, title="Staff", likelihood=3, impact=3)
    db.session.add(risk)
    db.session.flush()
    late = ProgrammeAction(
        programme_id=own.id, title="Hire", owner="Jo", due_date=TODAY - timedelta(days=4), entry_id=risk.id
    )
    db.session.add_all(
        [
            ProgrammeAction(programme_id=own.id, title="Someday", owner="", due_date=None),
            late,
            ProgrammeAction(
                programme_id=own.id, title="Done", due_date=TODAY - timedelta(days=40),
                status=ActionStatus.DONE, done_on=TODAY - timedelta(days=41),
            ),
        ]
    )  # fmt: skip
    db.session.commit()
    late_id, risk_id = late.id, risk.id

    body = client.get(f"/api/v1/programmes/{world.own}/actions", headers=bearer(Role.VIEWER)).get_json()

    assert [item["title"] for item in body["items"]] == ["Hire", "Someday", "Done"]
    assert body["items"][0] == {
        "id": late_id,
        "title": "Hire",
        "description": "",
        "owner": "Jo",
        "due_date": (TODAY - timedelta(days=4)).isoformat(),
        "status": "open",
        "done_on": None,
        "days_overdue": 4,
        "entry_id": risk_id,
        "version": 1,
    }
    assert body["items"][1]["due_date"] is None and body["items"][1]["days_overdue"] is None
    assert body["items"][2]["days_overdue"] is None and body["items"][2]["status"] == "done"


def test_decisions_latest_first(client: FlaskClient, world, bearer) -> None:
    own = db.session.scalar(select(Programme).where(Programme.code == world.own))
    db.session.add_all(
        [
            Decision(programme_id=own.id, title="Old", decided_by="Board", decided_on=date(2026, 1, 5),
                     status=DecisionStatus.SUPERSEDED),
            Decision(programme_id=own.id, title="New", detail="Why", decided_by="Board",
                     decided_on=date(2026, 9, 1)),
        ]
    )  # fmt: skip
    db.session.commit()

    body = client.get(f"/api/v1/programmes/{world.own}/decisions", headers=bearer()).get_json()

    assert [(d["title"], d["decided_on"], d["status"]) for d in body["items"]] == [
        ("New", "2026-09-01", "made"),
        ("Old", "2026-01-05", "superseded"),
    ]
    assert set(body["items"][0]) == {"id", "title", "detail", "decided_by", "decided_on", "status", "version"}


def test_an_unknown_programme_is_404(client: FlaskClient, world, bearer) -> None:
    response = client.get("/api/v1/programmes/NOPE-999/actions", headers=bearer())
    assert response.status_code == 404 and response.is_json
