"""Capacity to change through the pages: the service teams (read by everyone, changed by admins and CIOs),
the teams a milestone lands on (changed by whoever may update the programme), the heatmap with its
cells, and the dashboard's: every problem at once, nothing typed lost, fixed query counts."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.web.pages import counting_queries, error_summary, get, text
from tracker.domain.capacity import month_of
from tracker.extensions import db
from tracker.models import (
    AuditEvent,
    Focus,
    Milestone,
    MilestoneKind,
    MilestoneTeamLoad,
    Programme,
    Role,
    ServiceTeam,
    Stage,
)
from tracker.services.ratings.scan import scan_portfolio

SOON = date.today() + timedelta(days=45)


def team(name: str, directorate: str = "Resources", capacity: str | None = "30") -> ServiceTeam:
    row = ServiceTeam(
        name=name, directorate=directorate, monthly_capacity=None if capacity is None else Decimal(capacity)
    )
    db.session.add(row)
    db.session.flush()
    return row


def programme(code: str, *, manager_id: int | None = None, stage: Stage = Stage.DELIVERY) -> Programme:
    row = Programme(
        code=code,
        name=f"Programme {code}",
        directorate="Resources",
        focus=Focus.BOTH,
        stage=stage,
        manager_id=manager_id,
    )
    db.session.add(row)
    db.session.flush()
    return row


def milestone(owner: Programme, title: str = "Staff trained", on: date = SOON) -> Milestone:
    row = Milestone(
        programme_id=owner.id,
        title=title,
        kind=MilestoneKind.BUSINESS_CHANGE,
        original_baseline_date=on,
        baseline_date=on,
    )
    db.session.add(row)
    db.session.flush()
    return row


def lands(on: Milestone, on_team: ServiceTeam, days: str) -> None:
    db.session.add(MilestoneTeamLoad(milestone_id=on.id, team_id=on_team.id, change_days=Decimal(days)))
    db.session.flush()


def test_teams_are_listed_by_directorate_with_unknown_capacity_not_set(client, auth) -> None:
    auth.sign_in_as(Role.VIEWER)
    team("Revenues and benefits", capacity="30")
    team("Libraries", "Place and Environment", capacity=None)
    db.session.commit()

    shown = text(client.get("/capacity/teams"))

    assert "A change day is one member of a service team's staff spending one working day" in shown
    assert shown.index("Place and Environment") < shown.index("Libraries Not set") < shown.index("Resources")
    assert "Revenues and benefits 30 0" in shown
    assert "Add a team" not in shown and "Change Libraries" not in shown


def test_a_cio_adds_a_team_seeing_every_problem_at_once_and_keeping_what_was_typed(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    team("Revenues and benefits")
    db.session.commit()
    token = auth.csrf_token("/capacity/teams/new")

    refused = client.post(
        "/capacity/teams/new",
        data={
            "csrf_token": token,
            "name": "Revenues and Benefits",
            "directorate": "",
            "monthly_capacity": "2.25",
        },
    )

    summary = error_summary(refused)
    assert "There is already a team called Revenues and Benefits" in summary
    assert "Choose the team's directorate or type a new one" in summary
    assert "Monthly capacity can have at most one decimal place, like 2.5" in summary
    assert 'value="2.25"' in refused.get_data(as_text=True)
    assert "<title>Error:" in refused.get_data(as_text=True)

    saved = client.post(
        "/capacity/teams/new",
        data={
            "csrf_token": token,
            "name": "Housing repairs",
            "directorate": "Housing",
            "monthly_capacity": "",
        },
        follow_redirects=True,
    )
    assert "Team added: Housing repairs" in text(saved) and "Housing repairs Not set" in text(saved)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "service_team")).one()
    assert event.summary == "Added the service team 'Housing repairs' (Housing)"


def test_the_directorate_offers_the_programmes_directorates(client, auth) -> None:
    auth.sign_in_as(Role.ADMIN)
    programme("ASC-004").directorate = "Adults' Social Care"
    db.session.commit()
    page = get(client, "/capacity/teams/new")
    assert 'list="directorates"' in page and '<option value="Adults&#39; Social Care">' in page


def test_deleting_a_team_says_how_many_milestone_loads_go_with_it(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    revenues = team("Revenues and benefits")
    lands(milestone(programme("REV-006")), revenues, "12")
    lands(milestone(programme("FIN-002")), revenues, "4")
    db.session.commit()
    path = f"/capacity/teams/{revenues.id}/delete"

    assert "2 milestone loads on this team go with it" in text(client.get(path))
    page = get(client, path)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    version = page.split('name="version" type="hidden" value="')[1].split('"')[0]
    done = client.post(path, data={"csrf_token": token, "version": version}, follow_redirects=True)

    assert "Team deleted: Revenues and benefits and its 2 milestone loads" in text(done)
    assert db.session.scalars(select(MilestoneTeamLoad)).all() == []


def test_a_programme_manager_sets_the_teams_their_milestone_lands_on(client, auth) -> None:
    manager = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    revenues, contact = team("Revenues and benefits"), team("Customer contact centre", capacity="40")
    own = programme("REV-006", manager_id=manager.id)
    go_live = milestone(own, "Agency contracts ended")
    db.session.commit()
    revenues_id, contact_id = str(revenues.id), str(contact.id)
    path = f"/programmes/REV-006/milestones/{go_live.id}/teams/"
    token = auth.csrf_token(path)

    refused = client.post(
        path,
        data={
            "csrf_token": token,
            "rows-0-team": revenues_id,
            "rows-0-change_days": "0",
            "rows-1-team": revenues_id,
            "rows-1-change_days": "1.25",
            "rows-2-team": "",
            "rows-2-change_days": "3",
            "rows-3-team": contact_id,
            "rows-3-change_days": "",
        },
    )
    summary = error_summary(refused)
    assert "Change days for Revenues and benefits must be more than 0" in summary
    assert "Revenues and benefits is chosen more than once: choose each team only once" in summary
    assert "Change days for Revenues and benefits can have at most one decimal place, like 2.5" in summary
    assert "Choose the team for row 3" in summary
    assert "Enter the change days for Customer contact centre" in summary
    assert 'value="1.25"' in refused.get_data(as_text=True)

    saved = client.post(
        path,
        data={
            "csrf_token": token,
            "rows-0-team": revenues_id,
            "rows-0-change_days": "12",
            "rows-1-team": contact_id,
            "rows-1-change_days": "2.5",
        },
        follow_redirects=True,
    )
    month = month_of(SOON).strftime("%B %Y")
    assert f"Lands 12 change days on Revenues and benefits in {month}" in text(saved)
    assert f"Lands 2.5 change days on Customer contact centre in {month}" in text(saved)


def test_only_those_who_may_update_the_programme_save_its_milestones_teams(client, auth) -> None:
    auth.sign_in_as(Role.VIEWER)
    revenues = team("Revenues and benefits")
    go_live = milestone(programme("REV-006"))
    lands(go_live, revenues, "12")
    db.session.commit()
    path = f"/programmes/REV-006/milestones/{go_live.id}/teams/"

    shown = text(client.get(path))
    assert f"Lands 12 change days on Revenues and benefits in {month_of(SOON).strftime('%B %Y')}" in shown
    assert "Save teams" not in shown
    token = auth.csrf_token(path)
    assert client.post(path, data={"csrf_token": token, "rows-0-team": ""}).status_code == 403


def test_the_heatmap_shows_load_against_capacity_and_links_each_cell_to_its_milestones(client, auth) -> None:
    auth.sign_in_as(Role.VIEWER)
    revenues = team("Revenues and benefits")
    lands(milestone(programme("REV-006"), "Agency contracts ended"), revenues, "20")
    lands(milestone(programme("FIN-002"), "Finance go-live"), revenues, "16")
    lands(milestone(programme("IDE-001", stage=Stage.IDEA), "Chatbot pilot"), revenues, "50")
    db.session.commit()
    month = month_of(SOON)
    cell = f"/capacity/teams/{revenues.id}/{month:%Y-%m}"
    missing = [
        f"/capacity/teams/{revenues.id}/2027-13",
        f"/capacity/teams/{revenues.id + 99}/2027-01",
        f"/capacity/teams/{10**20}/2027-01",
        f"/capacity/teams/{10**20}/edit",
    ]

    page = get(client, "/capacity/")
    assert "36 / 30" in text(client.get("/capacity/")) and "Over" in page
    assert f'href="{cell}"' in page
    shown = text(client.get(cell))
    assert f"Revenues and benefits in {month:%B %Y}" in shown
    assert "36 change days planned against a capacity of 30" in shown and "Over capacity" in shown
    assert "FIN-002 Programme FIN-002 Finance go-live" in shown and "Chatbot" not in shown
    assert [client.get(path).status_code for path in missing] == [404, 404, 404, 403]


def test_the_dashboard_shows_the_heatmap_and_names_the_team_in_the_attention_list(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    revenues = team("Revenues and benefits")
    lands(milestone(programme("REV-006")), revenues, "20")
    lands(milestone(programme("FIN-002")), revenues, "16")
    db.session.commit()
    scan_portfolio()

    shown = text(client.get("/dashboard"))

    assert "Capacity to change, next 12 months" in shown and "36 / 30" in shown
    assert f"Revenues and benefits is over capacity in {month_of(SOON):%B %Y}" in shown


def portfolio(count: int, first: int, team_ids: list[int]) -> None:
    teams = [db.session.get(ServiceTeam, team_id) for team_id in team_ids]
    for number in range(first, first + count):
        owner = programme(f"BLK-{number}")
        for offset, on_team in enumerate(teams):
            lands(milestone(owner, on=SOON + timedelta(days=30 * offset)), on_team, "3")
    db.session.commit()


@pytest.mark.parametrize("path", ["/capacity/", "/capacity/teams", "/dashboard", "CELL", "LOADS"])
def test_capacity_pages_cost_the_same_queries_at_5_and_60_programmes(client, auth, path: str) -> None:
    auth.sign_in_as(Role.CIO)
    teams = [team(f"Team {n}").id for n in range(4)]
    portfolio(5, 1, teams)
    if path == "CELL":
        path = f"/capacity/teams/{teams[0]}/{month_of(SOON):%Y-%m}"
    elif path == "LOADS":
        first = db.session.scalar(select(Milestone.id).order_by(Milestone.id))
        path = f"/programmes/BLK-1/milestones/{first}/teams/"
    get(client, path)  # warm up
    with counting_queries() as few:
        get(client, path)
    portfolio(55, 100, [*teams, team("Team late").id])
    with counting_queries() as many:
        get(client, path)
    assert len(many) == len(few)


def test_help_explains_change_days_and_the_thresholds_page_offers_the_red_threshold(client, auth) -> None:
    assert "A change day is one member of a service team's staff" in text(client.get("/help"))
    auth.sign_in_as(Role.ADMIN)
    thresholds = text(client.get("/admin/settings/risk-thresholds"))
    assert "Team over capacity, red (% above its capacity)" in thresholds
