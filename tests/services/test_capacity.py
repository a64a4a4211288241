"""Capacity to change, through the services: teams added, changed and removed (every change audited),
the teams a milestone lands on, and the over-capacity flag raised and cleared at once for every programme
sharing the team, with no scan."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.services.test_risk_scan import add_milestone, add_programme, counting_queries, latest
from tracker.extensions import db
from tracker.models import (
    AuditEvent,
    MilestoneKind,
    MilestoneStatus,
    MilestoneTeamLoad,
    Role,
    ServiceTeam,
    Stage,
)
from tracker.services.capacity import loads, teams
from tracker.services.capacity.heatmap import capacity_heatmap, cell_page
from tracker.services.errors import Invalid
from tracker.services.milestones import records as milestones
from tracker.services.ratings.scan import scan_portfolio
from tracker.services.ratings.snapshots import load_portfolio

SCAN_AT = datetime(2027, 1, 10, 6, 0, tzinfo=UTC)
NOW = datetime(2027, 1, 10, 14, 5, tzinfo=UTC)
TODAY = date(2027, 1, 10)
MARCH = date(2027, 3, 15)


@pytest.fixture(autouse=True)
def afternoon(time_machine) -> None:
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def cio(make_user):
    return make_user(Role.CIO, name="Chris Io")


def team(name: str = "Revenues and benefits", capacity: str | None = "30") -> ServiceTeam:
    row = ServiceTeam(
        name=name, directorate="Resources", monthly_capacity=None if capacity is None else Decimal(capacity)
    )
    db.session.add(row)
    db.session.flush()
    return row


def landing(programme, title: str, on: date, on_team: ServiceTeam, days: str):
    milestone = add_milestone(programme, title, on, kind=MilestoneKind.BUSINESS_CHANGE)
    db.session.add(
        MilestoneTeamLoad(milestone_id=milestone.id, team_id=on_team.id, change_days=Decimal(days))
    )
    db.session.flush()
    return milestone


def over(programme) -> list[str]:
    return [flag["message"] for flag in latest(programme).flags if flag["rule"] == "over_capacity"]


def shared_month():
    """Two committed programmes and an idea landing on one team in March 2027."""
    revenues = team()
    erp = add_programme(code="FIN-002", name="Finance and HR system replacement")
    automation = add_programme(code="REV-006", name="Revenues automation")
    idea = add_programme(code="IDE-001", name="Chatbot", stage=Stage.IDEA)
    erp_go_live = landing(erp, "Finance go-live", MARCH, revenues, "20")
    landing(automation, "Agency contracts ended", date(2027, 3, 2), revenues, "16")
    landing(idea, "Chatbot pilot", MARCH, revenues, "50")
    db.session.commit()
    scan_portfolio(today=TODAY, now=SCAN_AT)
    return revenues, erp, automation, idea, erp_go_live


def test_the_scan_flags_every_committed_programme_sharing_an_over_capacity_month(app) -> None:
    _, erp, automation, idea, go_live = shared_month()

    assert over(erp) == [
        "Revenues and benefits is over capacity in March 2027: 36 change days planned against 30, "
        "20 of them from this programme; shared with REV-006 Revenues automation"
    ]
    assert over(automation)[0].endswith(
        "16 of them from this programme; shared with FIN-002 Finance and HR system replacement"
    )
    assert over(idea) == []  # the pipeline neither loads teams nor is flagged
    (flag,) = [flag for flag in latest(erp).flags if flag["rule"] == "over_capacity"]
    assert flag["subject"] == {"kind": "milestone", "id": go_live.id}


def test_raising_a_teams_capacity_clears_the_flag_for_every_sharer_at_once(app, cio) -> None:
    revenues, erp, automation, _, _ = shared_month()

    teams.update_team(
        team_id=revenues.id,
        values=teams.TeamValues("Revenues and benefits", "Resources", Decimal("40")),
        expected_version=revenues.version,
        user=cio,
    )

    assert over(erp) == [] and over(automation) == []
    assert latest(erp).trigger == "capacity" and latest(automation).trigger == "capacity"
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "service_team")).one()
    assert (
        event.changes == {"monthly_capacity": ["30.0", "40"]} or event.changes["monthly_capacity"][1] == "40"
    )


def test_moving_one_programmes_milestone_out_of_the_month_re_rates_the_other(app, cio) -> None:
    _, erp, automation, _, go_live = shared_month()

    milestones.update_progress(
        erp,
        user=cio,
        updates=[
            milestones.Progress(
                go_live.id, go_live.version, date(2027, 5, 1), None, MilestoneStatus.IN_PROGRESS, "Supplier"
            )
        ],
        today=TODAY,
    )

    assert over(erp) == [] and over(automation) == []
    assert latest(automation).trigger == "capacity"


def test_changing_a_milestones_loads_re_rates_the_programmes_sharing_the_teams(app, cio) -> None:
    revenues, erp, automation, _, go_live = shared_month()
    contact = team("Customer contact centre", "40")
    db.session.commit()

    loads.set_loads(
        erp, go_live, rows=[(revenues.id, Decimal("10")), (contact.id, Decimal("12.5"))], user=cio
    )

    assert over(erp) == [] and over(automation) == []
    assert [(line.team, line.change_days, line.month) for line in loads.milestone_loads(go_live)] == [
        ("Customer contact centre", Decimal("12.5"), date(2027, 3, 1)),
        ("Revenues and benefits", Decimal("10.0"), date(2027, 3, 1)),
    ]
    with pytest.raises(Invalid) as refused:
        loads.set_loads(
            erp,
            go_live,
            rows=[(revenues.id, Decimal(3)), (revenues.id, Decimal(4)), (999, Decimal(1))],
            user=cio,
        )
    assert [message for _, message in refused.value.problems] == [
        "Choose each team only once",
        "Choose a team from the list",
    ]


def test_deleting_a_team_takes_its_loads_and_clears_the_flags(app, cio) -> None:
    revenues, erp, automation, _, _ = shared_month()
    assert teams.load_count(revenues.id) == 3

    name, gone = teams.delete_team(team_id=revenues.id, expected_version=revenues.version, user=cio)

    assert (name, gone) == ("Revenues and benefits", 3)
    assert db.session.scalars(select(MilestoneTeamLoad)).all() == []
    assert over(erp) == [] and over(automation) == []


def test_a_team_is_refused_with_every_problem_at_once(app, cio) -> None:
    team()
    db.session.commit()
    with pytest.raises(Invalid) as refused:
        teams.create_team(values=teams.TeamValues("revenues AND benefits", " ", None), user=cio)
    assert refused.value.problems == [
        ("name", "There is already a team called revenues AND benefits"),
        ("directorate", "Choose the team's directorate or type a new one"),
    ]
    created = teams.create_team(values=teams.TeamValues("Libraries", "Place", None), user=cio)
    assert created.monthly_capacity is None
    assert [row.team.name for row in teams.list_teams()] == ["Libraries", "Revenues and benefits"]


def test_the_heatmap_and_a_cell_sum_committed_programmes_only(app) -> None:
    revenues, *_ = shared_month()
    team("Libraries", None)
    db.session.commit()

    drawn = capacity_heatmap(TODAY)

    assert [group.directorate for group in drawn.groups] == ["Resources"]
    rows = {row.team: row for row in drawn.groups[0].teams}
    march = rows["Revenues and benefits"].cells[2]
    assert (march.month, march.text, march.status, march.shade) == (
        date(2027, 3, 1),
        "36 / 30",
        "Over capacity",
        "red-2",
    )
    assert rows["Libraries"].cells[0].text == "0 / not set"
    page = cell_page(revenues.id, date(2027, 3, 1))
    assert [(x.code, x.milestone, x.change_days) for x in page.landings] == [
        ("REV-006", "Agency contracts ended", Decimal("16.0")),
        ("FIN-002", "Finance go-live", Decimal("20.0")),
    ]
    assert page.load == Decimal(36) and page.over


def test_the_scan_reads_team_loads_in_a_fixed_number_of_queries(app) -> None:
    revenues = team()
    for number in range(3):
        landing(add_programme(code=f"LOW-{number}"), "Go-live", MARCH, revenues, "5")
    db.session.commit()
    with counting_queries() as few:
        load_portfolio(today=TODAY)
    for number in range(12):
        landing(add_programme(code=f"MANY-{number}"), "Go-live", MARCH, revenues, "5")
    db.session.commit()
    with counting_queries() as many:
        portfolio = load_portfolio(today=TODAY)
    assert len(many) == len(few)
    assert all(snapshot.team_loads for snapshot in portfolio.snapshots)


def test_the_calibration_report_says_why_over_capacity_never_fires_on_a_return() -> None:
    from bench.calibration import unreachable

    assert unreachable() == [
        "over_capacity cannot fire here: service teams' capacity and the change days milestones land on them "
        "are not in returns"
    ]


def test_an_idea_moving_into_delivery_starts_loading_the_team_and_flags_its_sharers(app, cio) -> None:
    from tracker.services.programmes import records as programmes
    from tracker.services.programmes.records import StageChange

    _, erp, automation, idea, _ = shared_month()
    teams_before = over(erp)

    programmes.change_stage(
        idea.code, change=StageChange.MOVE, user=cio, stage=Stage.BUSINESS_CASE, expected_version=None
    )
    programmes.change_stage(
        idea.code, change=StageChange.MOVE, user=cio, stage=Stage.DELIVERY, expected_version=None
    )

    assert len(teams_before) == 1
    assert over(erp)[0].startswith("Revenues and benefits is over capacity in March 2027: 86 change days")
    assert "IDE-001 Chatbot" in over(erp)[0] and "IDE-001 Chatbot" in over(automation)[0]
    assert over(idea)[0].endswith(
        "shared with FIN-002 Finance and HR system replacement and REV-006 Revenues automation"
    )
