"""Capacity to change through the API: the service teams with their capacity (unknown is null, never 0),
and the change days a milestone lands on each team, as decimal strings."""

from __future__ import annotations

from decimal import Decimal

from flask.testing import FlaskClient

from tracker.extensions import db
from tracker.models import Milestone, MilestoneTeamLoad, Programme, Role, ServiceTeam


def test_teams_and_a_milestones_loads_read_as_the_pages_show_them(client: FlaskClient, world, bearer) -> None:
    revenues = ServiceTeam(
        name="Revenues and benefits", directorate="Resources", monthly_capacity=Decimal(30)
    )
    libraries = ServiceTeam(name="Libraries", directorate="Place", monthly_capacity=None)
    db.session.add_all([revenues, libraries])
    db.session.flush()
    programme = db.session.scalar(db.select(Programme).where(Programme.code == "OWN-001"))
    milestone = db.session.scalars(db.select(Milestone).where(Milestone.programme_id == programme.id)).first()
    db.session.add(
        MilestoneTeamLoad(milestone_id=milestone.id, team_id=revenues.id, change_days=Decimal("12.5"))
    )
    db.session.commit()
    month = (milestone.actual_date or milestone.forecast_date or milestone.baseline_date).replace(day=1)
    milestone_id, revenues_id = milestone.id, revenues.id

    teams = client.get("/api/v1/teams", headers=bearer(Role.VIEWER)).get_json()["items"]
    loads = client.get(
        f"/api/v1/programmes/OWN-001/milestones/{milestone_id}/teams", headers=bearer(Role.VIEWER)
    )

    assert [(t["name"], t["directorate"], t["monthly_capacity"], t["milestone_loads"]) for t in teams] == [
        ("Libraries", "Place", None, 0),
        ("Revenues and benefits", "Resources", "30.0", 1),
    ]
    assert loads.get_json() == {
        "items": [
            {
                "team_id": revenues_id,
                "team": "Revenues and benefits",
                "change_days": "12.5",
                "month": month.isoformat(),
            }
        ]
    }
    missing = client.get(f"/api/v1/programmes/OTH-001/milestones/{milestone_id}/teams", headers=bearer())
    assert missing.status_code == 404 and missing.is_json
