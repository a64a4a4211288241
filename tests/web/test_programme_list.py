"""The programmes list: what each row shows, filters, scope, sorting, paging, and its query count."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from tests.web.pages import counting_queries
from tracker.extensions import db
from tracker.models import (
    CostType,
    Focus,
    Investment,
    Milestone,
    MilestoneKind,
    MilestoneStatus,
    Programme,
    ProgrammeMember,
    Rag,
    Recurrence,
    RiskAssessment,
    Role,
    Stage,
    Trend,
)

ROW = re.compile(
    r'<tr class="govuk-table__row">\s*<td[^>]*><a class="govuk-link" href="/programmes/([A-Z0-9-]+)/"'
)


def codes(response) -> list[str]:
    """Programme codes in the table, in the order shown."""
    return ROW.findall(response.get_data(as_text=True))


def add(
    code: str,
    *,
    manager_id: int | None = None,
    stage: Stage = Stage.DELIVERY,
    directorate: str = "Resources",
    focus: Focus = Focus.BOTH,
    name: str | None = None,
    **values: object,
) -> Programme:
    programme = Programme(
        code=code,
        name=name or f"Programme {code}",
        directorate=directorate,
        focus=focus,
        stage=stage,
        manager_id=manager_id,
        **values,
    )
    db.session.add(programme)
    db.session.flush()
    return programme


def milestone(programme: Programme, title: str, baseline: date, **values: object) -> Milestone:
    row = Milestone(
        programme_id=programme.id,
        title=title,
        kind=MilestoneKind.IT_DELIVERY,
        original_baseline_date=baseline,
        baseline_date=baseline,
        **values,
    )
    db.session.add(row)
    return row


def money(programme: Programme, year: int, approved: str, forecast: str) -> None:
    db.session.add(
        Investment(
            programme_id=programme.id,
            title=f"Line {year}",
            cost_type=CostType.CAPITAL,
            recurrence=Recurrence.ONE_OFF,
            financial_year=year,
            approved=Decimal(approved),
            forecast=Decimal(forecast),
        )
    )


def assessment(programme: Programme, rating: Rag, score: int, *, latest: bool = True) -> None:
    db.session.add(
        RiskAssessment(
            programme_id=programme.id, rating=rating, score=score, trend=Trend.SAME, is_latest=latest
        )
    )


def fill(count: int, manager_id: int, member_id: int, *, start: int = 0) -> None:
    """`count` more programmes, each with milestones, money, a team member and two assessments."""
    for number in range(start, start + count):
        programme = add(f"PRG-{number:03d}", manager_id=manager_id if number % 2 else None)
        milestone(programme, "Go-live", date(2027, 1, 1 + number % 28))
        milestone(
            programme, "Done", date(2026, 6, 1), status=MilestoneStatus.COMPLETE, actual_date=date(2026, 6, 1)
        )
        money(programme, 2026, "1000", "1200")
        money(programme, 2027, "500", "500")
        db.session.add(ProgrammeMember(programme_id=programme.id, user_id=member_id))
        assessment(programme, Rag.AMBER, 10, latest=False)
        assessment(programme, Rag.RED, 100 + number)
    db.session.commit()


@pytest.fixture
def today(time_machine) -> date:
    time_machine.move_to(datetime(2026, 11, 20, 12, 0, tzinfo=UTC), tick=False)
    return date(2026, 11, 20)


def test_each_row_shows_rating_next_milestone_and_this_years_money(client, auth, make_user, today) -> None:
    auth.sign_in_as(Role.VIEWER)
    manager = make_user(Role.PROGRAMME_MANAGER, name="Priya Shah")
    rated = add("DIG-001", manager_id=manager.id, name="Digital front door", confidence=Rag.GREEN)
    milestone(rated, "Forms live", date(2027, 1, 10), forecast_date=date(2027, 2, 1))
    milestone(rated, "Discovery done", date(2026, 12, 1), forecast_date=date(2026, 12, 20))
    milestone(
        rated,
        "Already complete",
        date(2026, 5, 1),
        status=MilestoneStatus.COMPLETE,
        actual_date=date(2026, 5, 1),
    )
    money(rated, 2026, "250000", "275000.50")
    money(rated, 2026, "1000", "1000")
    money(rated, 2025, "999999", "999999")  # last year: not counted
    assessment(rated, Rag.GREEN, 0, latest=False)
    assessment(rated, Rag.RED, 130)
    add("NEW-002", name="Not yet scanned")
    db.session.commit()

    page = client.get("/programmes/").get_data(as_text=True)
    row = page[page.index("DIG-001") : page.index("NEW-002")]
    assert "Digital front door" in row and "Priya Shah" in row and "Resources" in row
    assert re.search(r"app-rag--green[^<]*>\s*Green", row)  # self-reported confidence
    assert re.search(r"app-rag--red[^<]*>\s*Red", row)  # the latest assessment, not the older Green one
    assert "Discovery done" in row and "20 December 2026" in row  # earliest by forecast, then baseline
    assert "£251,000" in row and "£276,000.50" in row
    assert "Budget 2026/27" in page and "Forecast 2026/27" in page
    assert "Not yet rated" in page[page.index("NEW-002") :]


def test_money_follows_the_london_financial_year(client, auth, time_machine) -> None:
    # 23:30 UTC on 31 March 2027 is already 1 April in London (BST): the new financial year.
    time_machine.move_to(datetime(2027, 3, 31, 23, 30, tzinfo=UTC), tick=False)
    auth.sign_in_as(Role.CIO)
    programme = add("FIN-002")
    money(programme, 2026, "100", "100")
    money(programme, 2027, "700", "800")
    db.session.commit()
    page = client.get("/programmes/").get_data(as_text=True)
    assert "Budget 2027/28" in page and "£700" in page and "£800" in page


def test_a_programme_from_a_return_shows_its_reference_under_its_code(client, auth, today) -> None:
    auth.sign_in_as(Role.VIEWER)
    add("IMP-0001", external_reference="MOD_0106_1617-Q1", name="Defence estates rationalisation")
    add("DIG-001")
    db.session.commit()
    page = client.get("/programmes/")
    assert codes(page) == ["DIG-001", "IMP-0001"]
    html = page.get_data(as_text=True)
    imported = html.split('href="/programmes/IMP-0001/"')[1].split("</td>")[0]
    assert ">External reference </span>MOD_0106_1617-Q1</span>" in imported
    assert "External reference" not in html.split('href="/programmes/DIG-001/"')[1].split("</td>")[0]


def test_filters_narrow_the_list_and_stay_in_the_url(client, auth, make_user) -> None:
    auth.sign_in_as(Role.CIO)
    priya = make_user(Role.PROGRAMME_MANAGER, name="Priya Shah")
    priya_id = priya.id
    add("ADU-001", directorate="Adults", manager_id=priya.id, focus=Focus.COST_REDUCTION)
    add("ADU-002", directorate="Adults", stage=Stage.IDEA)
    add("RES-001", directorate="Resources", manager_id=priya.id, stage=Stage.IDEA)
    db.session.commit()

    assert codes(client.get("/programmes/?directorate=Adults")) == ["ADU-001", "ADU-002"]
    assert codes(client.get("/programmes/?stage=idea")) == ["ADU-002", "RES-001"]
    assert codes(client.get(f"/programmes/?manager={priya_id}")) == ["ADU-001", "RES-001"]
    assert codes(client.get("/programmes/?manager=none")) == ["ADU-002"]
    assert codes(client.get("/programmes/?focus=cost_reduction")) == ["ADU-001"]
    page = client.get("/programmes/?directorate=Adults&stage=idea")
    assert codes(page) == ["ADU-002"]
    text = page.get_data(as_text=True)
    assert re.search(r'<option value="Adults" selected', text)  # the form shows the filter applied
    assert "No programmes match these filters" in client.get(
        "/programmes/?focus=service_improvement"
    ).get_data(as_text=True)
    # Values that are not choices are ignored, not errors.
    assert client.get("/programmes/?stage=bogus&manager=x&focus=1&sort=evil&page=-3").status_code == 200


def test_closed_programmes_are_hidden_unless_asked_for(client, auth) -> None:
    auth.sign_in_as(Role.VIEWER)
    add("OPN-001")
    add("CLS-001", stage=Stage.CLOSED)
    db.session.commit()
    assert codes(client.get("/programmes/")) == ["OPN-001"]
    assert codes(client.get("/programmes/?closed=1")) == ["CLS-001", "OPN-001"]


def test_mine_lists_what_a_manager_runs_or_is_on_the_team_of(client, auth, make_user) -> None:
    me = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    someone = make_user(Role.PROGRAMME_MANAGER)
    add("MAN-001", manager_id=me.id)
    on_team = add("TEA-001", manager_id=someone.id)
    add("OTH-001", manager_id=someone.id)
    db.session.add(ProgrammeMember(programme_id=on_team.id, user_id=me.id))
    db.session.commit()
    page = client.get("/programmes/?scope=mine")
    assert codes(page) == ["MAN-001", "TEA-001"]
    assert '<input type="hidden" name="scope" value="mine">' in page.get_data(as_text=True)
    assert codes(client.get("/programmes/")) == ["MAN-001", "OTH-001", "TEA-001"]


def test_server_side_sort_by_any_column(client, auth, make_user, today) -> None:
    auth.sign_in_as(Role.CIO)
    alice = make_user(Role.PROGRAMME_MANAGER, name="Alice")
    zed = make_user(Role.PROGRAMME_MANAGER, name="Zed")
    a = add("AAA-001", name="zebra", manager_id=zed.id, stage=Stage.CLOSING, confidence=Rag.RED)
    b = add("BBB-001", name="Apple", manager_id=alice.id, stage=Stage.IDEA, confidence=Rag.GREEN)
    add("CCC-001", name="mango", stage=Stage.DELIVERY)
    money(a, 2026, "10", "5000")
    money(b, 2026, "900", "900")
    assessment(a, Rag.AMBER, 20)
    assessment(b, Rag.RED, 120)
    milestone(a, "Soon", date(2026, 12, 1))
    milestone(b, "Later", date(2027, 6, 1))
    db.session.commit()

    def order(query: str) -> list[str]:
        return codes(client.get(f"/programmes/?{query}"))

    assert order("sort=name") == ["BBB-001", "CCC-001", "AAA-001"]
    assert order("sort=name&order=desc") == ["AAA-001", "CCC-001", "BBB-001"]
    assert order("sort=stage") == ["BBB-001", "CCC-001", "AAA-001"]  # lifecycle order
    assert order("sort=manager") == ["BBB-001", "AAA-001", "CCC-001"]  # unassigned last
    assert order("sort=confidence&order=desc") == ["AAA-001", "BBB-001", "CCC-001"]
    assert order("sort=rating&order=desc") == ["BBB-001", "AAA-001", "CCC-001"]  # unrated last
    assert order("sort=next_milestone") == ["AAA-001", "BBB-001", "CCC-001"]
    assert order("sort=budget&order=desc") == ["BBB-001", "AAA-001", "CCC-001"]
    assert order("sort=forecast&order=desc") == ["AAA-001", "BBB-001", "CCC-001"]
    page = client.get("/programmes/?sort=budget&order=desc").get_data(as_text=True)
    assert re.search(r'aria-sort="descending">Budget 2026/27', page)  # the sortable table starts as sorted
    assert 'data-module="moj-sortable-table"' in page


def test_fifty_a_page_with_links_that_keep_the_filters(client, auth, make_user) -> None:
    auth.sign_in_as(Role.CIO)
    for number in range(60):
        add(f"PRG-{number:03d}", directorate="Resources")
    add("ZZZ-001", directorate="Adults")
    db.session.commit()

    first = client.get("/programmes/?directorate=Resources&sort=code")
    assert codes(first) == [f"PRG-{n:03d}" for n in range(50)]
    text = first.get_data(as_text=True)
    assert "Page 1 of 2" in text and 'class="govuk-pagination' in text
    href = re.search(r'href="([^"]+)" rel="next"', text).group(1).replace("&amp;", "&")
    assert "directorate=Resources" in href and "page=2" in href
    assert codes(client.get(href)) == [f"PRG-{n:03d}" for n in range(50, 60)]
    assert codes(client.get("/programmes/?directorate=Resources&page=99")) == codes(client.get(href))


@pytest.mark.parametrize(
    ("role", "shown"),
    [(Role.ADMIN, True), (Role.CIO, True), (Role.PROGRAMME_MANAGER, False), (Role.VIEWER, False)],
)
def test_add_a_programme_is_offered_to_cio_and_admin_only(client, auth, role: Role, shown: bool) -> None:
    auth.sign_in_as(role)
    assert ("Add a programme" in client.get("/programmes/").get_data(as_text=True)) is shown


def test_the_list_costs_the_same_queries_at_10_and_500_programmes(client, auth, make_user, today) -> None:
    auth.sign_in_as(Role.CIO)
    # Requests end the test's session too (as in production), so keep ids rather than objects.
    manager_id, member_id = make_user(Role.PROGRAMME_MANAGER).id, make_user(Role.PROGRAMME_MANAGER).id
    fill(10, manager_id, member_id)
    client.get("/programmes/")  # warm up: first requests load things once
    with counting_queries() as at_10:
        assert client.get("/programmes/?closed=1&sort=rating").status_code == 200
    fill(490, manager_id, member_id, start=10)
    with counting_queries() as at_500:
        response = client.get("/programmes/?closed=1&sort=rating")
    assert len(codes(response)) == 50
    print(f"\nprogrammes list queries: {len(at_10)} at 10 programmes, {len(at_500)} at 500")
    assert len(at_10) == len(at_500) <= 6
