"""The load benchmark's parts: the form a simulated manager posts is the page's own, and the check
after the run notices a confirmed save that the database does not show."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from urllib.parse import parse_qsl

from flask.testing import FlaskClient
from sqlalchemy import select, update

from bench.load_check import lost_updates
from bench.load_drivers import move_one_forecast, read_form
from tests.web.programme_data import add_programme
from tracker.extensions import db
from tracker.models import Milestone, MilestoneKind, MilestoneStatus, Role

BASELINE = date(2027, 3, 1)


def test_a_forecast_moved_through_the_real_form_is_found_and_a_lost_one_is_not(
    client: FlaskClient, auth
) -> None:
    manager = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    programme = add_programme("DIG-001", manager_id=manager.id)
    for title in ("Go-live", "Training done"):
        db.session.add(
            Milestone(
                programme_id=programme.id, title=title, kind=MilestoneKind.IT_DELIVERY,
                original_baseline_date=BASELINE, baseline_date=BASELINE, forecast_date=BASELINE,
                status=MilestoneStatus.IN_PROGRESS,
            )
        )  # fmt: skip
    db.session.commit()
    path = "/programmes/DIG-001/milestones/update"

    fields = read_form(client.get(path).get_data(as_text=True))
    body, milestone_id, moved = move_one_forecast(fields, random.Random(1), "load 0-1")
    response = client.post(path, data=body, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 302, response.get_data(as_text=True)
    assert ("csrf_token", dict(fields)["csrf_token"]) in parse_qsl(
        body
    )  # the page's token, not the sign-out's
    moves = [(milestone_id, moved.isoformat(), "load 0-1", 1.0)]
    assert lost_updates(moves, []) == []

    # The app said "saved", but the value is not what was sent: a lost update.
    db.session.execute(update(Milestone).where(Milestone.id == milestone_id).values(forecast_date=BASELINE))
    db.session.commit()
    assert lost_updates(moves, []) == [
        f"milestone {milestone_id}: last confirmed forecast {moved.isoformat()}, stored {BASELINE}"
    ]
    # A confirmed save with no history row, and a measurement that was never stored.
    other = db.session.scalar(select(Milestone.id).where(Milestone.id != milestone_id))
    lost = lost_updates([(other, "2027-05-01", "load 0-2", 2.0)], [(1, str(Decimal("5.00")), "load 0-3")])
    assert any("no history row" in line for line in lost)
    assert any("measurement 5.00 (load 0-3) not stored" in line for line in lost)


def test_a_short_run_on_sqlite_ends_with_the_json_line(tmp_path, capsys) -> None:
    import json

    from bench import load

    load.main(["--seconds", "2", "--database", "sqlite", "--programmes", "12"])

    (run,) = json.loads(capsys.readouterr().out.strip().splitlines()[-1])["runs"]
    assert run["database"] == "sqlite" and run["requests"] > 0
    assert run["errors_5xx"] == 0 and run["lost_updates"] == 0 and run["refused"] == 0
    assert {"dashboard", "milestones save"} <= set(run["per_kind"])
