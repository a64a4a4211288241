"""Dependencies on the pages: added in two steps without JavaScript (find the programme by code or name,
then choose the milestones and the needed-by date), every problem named, removed after a confirmation; each
programme's milestones page says what it waits for and whom it holds up; the portfolio view draws them with
their table; all in a fixed number of queries."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests.helpers import csrf_token_from
from tests.web.pages import counting_queries, error_summary, get, text
from tracker.extensions import db
from tracker.models import (
    AuditEvent,
    Focus,
    Milestone,
    MilestoneDependency,
    MilestoneKind,
    Programme,
    RiskAssessment,
    Role,
    Stage,
    User,
)

TODAY = date.today()
NEW = "/programmes/DAT-005/dependencies/new"


@pytest.fixture(autouse=True)
def on_today(time_machine) -> None:
    time_machine.move_to(datetime.combine(TODAY, time(12), tzinfo=UTC), tick=True)


def parts(day: date | None) -> list[str]:
    return ["", "", ""] if day is None else [str(day.day), str(day.month), str(day.year)]


def programme(code: str, name: str, manager: User | None = None) -> Programme:
    row = Programme(
        code=code,
        name=name,
        directorate="Resources",
        focus=Focus.BOTH,
        stage=Stage.BUSINESS_CASE,
        manager_id=manager.id if manager else None,
        last_update_at=datetime.now(UTC),
    )
    db.session.add(row)
    db.session.flush()
    return row


def milestone(owner: Programme, title: str, days: int) -> Milestone:
    day = TODAY + timedelta(days=days)
    row = Milestone(
        programme_id=owner.id,
        title=title,
        kind=MilestoneKind.IT_DELIVERY,
        original_baseline_date=day,
        baseline_date=day,
        forecast_date=day,
    )
    db.session.add(row)
    db.session.flush()
    return row


@pytest.fixture
def manager(auth) -> User:
    return auth.sign_in_as(Role.PROGRAMME_MANAGER)


@pytest.fixture
def world(manager: User) -> dict[str, int]:
    """Priya's DAT-005 (dashboards in 90 days) and someone else's FIN-002 (finance go-live in 60)."""
    data = programme("DAT-005", "Data platform", manager)
    finance = programme("FIN-002", "Finance and HR system")
    ids = {
        "dashboards": milestone(data, "Dashboards live", 90).id,
        "go_live": milestone(finance, "Finance go-live", 60).id,
        "payroll": milestone(finance, "Payroll go-live", 120).id,
    }
    db.session.commit()
    return ids


def step_two(client, world, **changes: object):
    page = client.get(f"{NEW}?depends_on=FIN-002")
    form = {
        "csrf_token": csrf_token_from(page),
        "milestone_id": str(world["dashboards"]),
        "predecessor_milestone_id": str(world["go_live"]),
        "needed_by": parts(TODAY + timedelta(days=70)),
        "note": "The dashboards read the new ledger",
    }
    return client.post(f"{NEW}?depends_on=FIN-002", data={**form, **changes})


def test_the_programme_is_found_by_its_code_or_words_of_its_name(client, world) -> None:
    first = text(client.get(NEW))
    assert "step 1 of 2" in first and "Which programme does it wait for?" in first

    by_code = client.get(f"{NEW}?find=fin-002")
    assert by_code.status_code == 302 and by_code.headers["Location"].endswith("depends_on=FIN-002")

    by_name = text(client.get(f"{NEW}?find=HR+system"))
    assert "1 programme found for ‘HR system’" in by_name and "FIN-002 Finance and HR system" in by_name

    nothing = client.get(f"{NEW}?find=zebra")
    assert "No programme has the code zebra or a name containing it" in error_summary(nothing)
    own = client.get(f"{NEW}?find=DAT-005")
    assert "cannot depend on a milestone of its own programme" in error_summary(own)
    assert "step 1 of 2" in text(client.get(f"{NEW}?depends_on=DAT-005"))  # its own: back to step 1


def test_many_matches_are_listed_a_few_at_a_time(client, world) -> None:
    for number in range(25):
        programme(f"RPR-{number:03d}", f"Repairs wave {number}")
    db.session.commit()
    page = text(client.get(f"{NEW}?find=repairs"))
    assert "20 or more programmes found" in page and "type more of the code or name" in page
    assert "RPR-019" in page and "RPR-020" not in page


def test_a_dependency_is_added_and_shown_on_both_programmes(client, world) -> None:
    page = text(client.get(f"{NEW}?depends_on=FIN-002"))
    assert "Wait for a milestone of FIN-002 Finance and HR system" in page
    assert "Finance go-live (forecast" in page and "Dashboards live (due" in page

    response = step_two(client, world)

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/programmes/DAT-005/milestones/#dependencies")
    mine = text(client.get("/programmes/DAT-005/milestones/"))
    assert "Dependency added: Dashboards live waits for FIN-002 Finance go-live" in mine
    waits = mine[mine.index("Waits for") :]
    assert "Dashboards live The dashboards read the new ledger FIN-002 Finance go-live" in waits
    assert "On time" in waits
    theirs = text(client.get("/programmes/FIN-002/milestones/"))
    holding = theirs[theirs.index("Holding up") :]
    assert "DAT-005 Dashboards live Data platform Finance go-live" in holding
    assert "holding up" not in holding[len("Holding up") :]  # in time: no warning
    events = db.session.scalars(
        select(AuditEvent.summary).where(AuditEvent.entity_type == "milestone_dependency")
    )
    assert len(list(events)) == 2


def test_a_late_dependency_turns_the_waiting_programme_amber_and_warns_the_other(client, world) -> None:
    step_two(client, world, needed_by=parts(TODAY + timedelta(days=48)))

    overview = text(client.get("/programmes/DAT-005/"))
    assert "Waiting on a late dependency: Depends on FIN-002 Finance go-live" in overview
    assert "needed by" in overview and "for Dashboards live: 12 days late" in overview
    rating, flags = db.session.execute(
        select(RiskAssessment.rating, RiskAssessment.flags)
        .join(Programme)
        .where(Programme.code == "DAT-005", RiskAssessment.is_latest)
    ).one()
    assert (rating.value, [flag["rule"] for flag in flags]) == ("amber", ["dependency_late"])
    theirs = text(client.get("/programmes/FIN-002/"))
    assert "This programme is holding up DAT-005 by 12 days." in theirs
    milestones = text(client.get("/programmes/FIN-002/milestones/"))
    assert "This programme is holding up DAT-005 by 12 days." in milestones
    assert "Late by 12 days" in milestones


def test_every_problem_is_named_at_once(client, world) -> None:
    response = step_two(client, world, milestone_id="", predecessor_milestone_id="", needed_by=parts(None))
    summary = error_summary(response)
    assert "Choose the milestone that waits" in summary
    assert "Choose the milestone it waits for" in summary
    assert "Enter the date it is needed by" in summary

    impossible = step_two(client, world, needed_by=["31", "2", "2027"], milestone_id="")
    summary = error_summary(impossible)
    assert "Needed by must be a real date" in summary and "Choose the milestone that waits" in summary

    foreign = step_two(client, world, predecessor_milestone_id=str(world["dashboards"]))
    assert "FIN-002 has no such milestone" in error_summary(foreign)
    assert db.session.scalar(select(MilestoneDependency)) is None


def test_a_loop_is_refused_with_its_milestones_named(client, world, manager) -> None:
    db.session.add(
        MilestoneDependency(milestone_id=world["go_live"], depends_on_id=world["dashboards"], needed_by=TODAY)
    )
    db.session.commit()
    response = step_two(client, world)
    assert (
        "That would make a loop: DAT-005 Dashboards live would wait for FIN-002 Finance go-live, which waits "
        "for DAT-005 Dashboards live." in error_summary(response)
    )


def test_removing_asks_first_then_removes_and_says_so(client, world) -> None:
    step_two(client, world)
    dependency = db.session.scalar(select(MilestoneDependency))
    path = f"/programmes/DAT-005/dependencies/{dependency.id}/remove"
    confirm = client.get(path)
    assert "Are you sure Dashboards live no longer waits for FIN-002 Finance go-live?" in text(confirm)

    response = client.post(
        path, data={"csrf_token": csrf_token_from(confirm), "version": str(dependency.version)}
    )

    assert response.status_code == 302
    page = text(client.get("/programmes/DAT-005/milestones/"))
    assert "Dependency removed: Dashboards live no longer waits for FIN-002 Finance go-live" in page
    assert "None of this programme's milestones waits for another programme." in page
    history = text(client.get("/programmes/FIN-002/history"))
    assert "DAT-005 Dashboards live no longer waits for Finance go-live" in history


def test_someone_elses_programme_cannot_be_made_to_wait(client, world) -> None:
    assert client.get("/programmes/FIN-002/dependencies/new").status_code == 403


def add_pairs(count: int, offset: int) -> None:
    """Pairs of programmes, the second's milestone waiting for the first's, every other one late."""
    for number in range(offset, offset + count):
        first = programme(f"PRE-{number:03d}", f"Predecessor {number}")
        second = programme(f"WAI-{number:03d}", f"Waiting {number}")
        before = milestone(first, f"Ready {number}", 30 + number % 2 * 20)
        after = milestone(second, f"Start {number}", 60)
        db.session.add(
            MilestoneDependency(
                milestone_id=after.id, depends_on_id=before.id, needed_by=TODAY + timedelta(days=40)
            )
        )
    db.session.commit()


def test_the_portfolio_view_draws_each_dependency_with_its_table(client, world) -> None:
    add_pairs(4, 0)
    page = get(client, "/portfolio/dependencies")
    words = text(client.get("/portfolio/dependencies"))
    assert "4 dependencies, 2 late." in words
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' in svg
    late = re.findall(r'data-late="true"', svg)
    assert len(late) == 2
    assert svg.count('stroke-dasharray="6 3"') == 2 + 1  # the late lines, and the legend's key
    table = words[words.index("The dependencies drawn above") :]
    assert table.index("WAI-001") < table.index("WAI-000")  # late first
    assert "Late by 10 days" in table and "On time" in table
    only_late = text(client.get("/portfolio/dependencies?late=1"))
    assert "2 dependencies late." in only_late and "WAI-000" not in only_late.split("drawn above")[1]


def test_the_portfolio_view_with_nothing_to_draw_says_so(client, world) -> None:
    assert "nothing to draw" in text(client.get("/portfolio/dependencies"))


def test_pages_cost_the_same_queries_whatever_the_portfolio_size(client, world) -> None:
    step_two(client, world)
    add_pairs(3, 0)
    paths = (
        "/portfolio/dependencies",
        "/programmes/DAT-005/milestones/",
        "/programmes/FIN-002/",
        NEW,
        f"{NEW}?find=predecessor",
        f"{NEW}?depends_on=FIN-002",
    )
    for path in paths:
        client.get(path)

    def costs() -> list[int]:
        counts = []
        for path in paths:
            with counting_queries() as statements:
                get(client, path)
            counts.append(len(statements))
        return counts

    small = costs()
    add_pairs(60, 100)
    # Many more waiting on FIN-002's go-live too.
    for number in range(20):
        waiting = programme(f"EXT-{number:03d}", f"Extra {number}")
        db.session.add(
            MilestoneDependency(
                milestone_id=milestone(waiting, "Start", 90).id,
                depends_on_id=world["go_live"],
                needed_by=TODAY,
            )
        )
    db.session.commit()
    assert costs() == small
    assert "Page 1 of 2" in text(client.get("/portfolio/dependencies")) or "page 1 of 2" in text(
        client.get("/portfolio/dependencies")
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fields=st.fixed_dictionaries(
        {name: st.text(max_size=30) for name in ("milestone_id", "predecessor_milestone_id", "note")}
    ),
    needed_by=st.lists(st.text(max_size=12), max_size=4),
    depends_on=st.text(max_size=20),
)
def test_random_input_never_causes_a_server_error(client, world, fields, needed_by, depends_on) -> None:
    page = client.get(f"{NEW}?depends_on=FIN-002")
    data = {"csrf_token": csrf_token_from(page), **fields, "needed_by": needed_by}
    assert client.post(NEW, query_string={"depends_on": depends_on}, data=data).status_code in (200, 302)
    assert client.get(NEW, query_string={"find": depends_on}).status_code in (200, 302)
