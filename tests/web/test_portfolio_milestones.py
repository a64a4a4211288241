"""The milestones page: overdue and upcoming milestones across the portfolio, filtered in the URL, paged,
downloadable as CSV, linked from the navigation, and a query count that does not grow with the portfolio."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import UTC, date, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import insert

from tests.factories import MilestoneFactory, ProgrammeFactory
from tests.web.pages import counting_queries, get, table_rows, words
from tracker.extensions import db
from tracker.models import (
    Milestone,
    MilestoneKind,
    MilestoneStatus,
    Programme,
    Rag,
    RiskAssessment,
    Role,
    Stage,
    Trend,
)

TODAY = date(2026, 12, 4)


@pytest.fixture(autouse=True)
def frozen(time_machine) -> None:
    time_machine.move_to(datetime(2026, 12, 4, 12, 0, tzinfo=UTC), tick=False)


def rate(programme: Programme, rating: Rag) -> None:
    db.session.add(
        RiskAssessment(
            programme_id=programme.id,
            assessed_at=datetime(2026, 12, 1, tzinfo=UTC),
            rating=rating,
            trend=Trend.SAME,
            flags=[],
            score=1,
            is_latest=True,
        )
    )
    db.session.commit()


@pytest.fixture
def portfolio(make_user) -> dict[str, int | str]:
    manager = make_user(Role.PROGRAMME_MANAGER, name="Priya Shah")
    digital = ProgrammeFactory(
        code="DIG-001", name="Digital front door", directorate="Resources", manager_id=manager.id
    )
    care = ProgrammeFactory(code="ADU-002", name="Care records", directorate="Adults")
    closed = ProgrammeFactory(code="OLD-003", name="Old intranet", stage=Stage.CLOSED)
    rate(digital, Rag.RED)
    go_live = MilestoneFactory(
        programme=digital,
        title="Go-live",
        baseline_date=date(2026, 11, 27),
        forecast_date=None,
        critical=True,
    )
    MilestoneFactory(
        programme=care,
        title="Data migrated",
        baseline_date=date(2026, 11, 4),
        forecast_date=date(2027, 1, 15),
    )
    MilestoneFactory(
        programme=care,
        title="Contract signed",
        baseline_date=date(2026, 10, 1),
        status=MilestoneStatus.COMPLETE,
        actual_date=date(2026, 10, 20),
    )
    MilestoneFactory(
        programme=care, title="Pilot", baseline_date=date(2026, 10, 1), status=MilestoneStatus.CANCELLED
    )
    MilestoneFactory(programme=closed, title="Switch off", baseline_date=date(2026, 10, 1))
    MilestoneFactory(programme=digital, title="Training", baseline_date=date(2026, 12, 17))
    MilestoneFactory(
        programme=care, title="Go-live for carers", baseline_date=date(2026, 12, 7), critical=True
    )
    return {"manager_id": manager.id, "manager_email": manager.email, "go_live_id": go_live.id}


def test_overdue_milestones_most_late_first_with_their_programme_and_rating(client, auth, portfolio) -> None:
    auth.sign_in_as(Role.VIEWER)
    page = get(client, "/milestones/")

    assert '<h1 class="govuk-heading-l">Milestones across the portfolio</h1>' in page
    assert "2 overdue milestones in 2 programmes" in words(page)
    assert table_rows(page) == [
        "ADU-002 Care records Data migrated 4 November 2026 15 January 2027 30 days Not yet rated",
        "DIG-001 Digital front door Go-live Critical 27 November 2026 Not known 7 days Red",
    ]
    go_live = portfolio["go_live_id"]
    assert f'href="/programmes/DIG-001/milestones/#milestone-{go_live}"' in page
    assert 'href="/programmes/DIG-001/"' in page
    for left_out in ("Contract signed", "Pilot", "Switch off", "Old intranet"):
        assert left_out not in page
    assert '<div class="app-table-scroll" role="region" aria-label="Overdue milestones" tabindex="0">' in page


def test_upcoming_milestones_soonest_first(client, auth, portfolio) -> None:
    auth.sign_in_as(Role.VIEWER)
    page = get(client, "/milestones/?when=2")

    assert "2 milestones due in the next 2 weeks in 2 programmes" in words(page)
    rows = table_rows(page)
    assert rows[0].startswith("ADU-002 Care records Go-live for carers Critical 7 December 2026")
    assert rows[0].endswith("3 days Not yet rated")
    assert rows[1].startswith("DIG-001 Digital front door Training 17 December 2026")
    assert "Due in" in page and "Days late" not in page
    checked = re.search(r'<input[^>]*value="2"[^>]*>', page).group(0)
    assert "checked" in checked


def test_filters_by_directorate_manager_and_critical(client, auth, portfolio) -> None:
    auth.sign_in_as(Role.VIEWER)
    manager_id = portfolio["manager_id"]

    assert "1 overdue milestone in 1 programme" in words(get(client, "/milestones/?directorate=Adults"))
    assert "Data migrated" in get(client, "/milestones/?directorate=Adults")
    by_manager = get(client, f"/milestones/?manager={manager_id}")
    assert "Go-live" in by_manager and "Data migrated" not in by_manager
    critical = get(client, "/milestones/?critical=1&when=12")
    assert "Go-live for carers" in critical and "Training" not in critical
    applied = get(client, f"/milestones/?directorate=Resources&manager={manager_id}&critical=1&when=8")
    assert '<option value="Resources" selected>Resources</option>' in applied
    assert f'<option value="{manager_id}" selected>Priya Shah</option>' in applied
    assert re.search(r'<input[^>]*id="critical"[^>]*checked>', applied)
    assert re.search(r'<input[^>]*value="8" checked>', applied)
    nobody = get(client, "/milestones/?directorate=Nowhere")
    assert "0 overdue milestones" in words(nobody)
    assert "No open milestone is past its baseline date with these filters." in words(nobody)


def test_the_form_asks_when_with_a_legend_and_offers_the_portfolios_choices(client, auth, portfolio) -> None:
    auth.sign_in_as(Role.VIEWER)
    page = get(client, "/milestones/")

    legend = re.search(r"<legend[^>]*>(.*?)</legend>", page, re.S).group(1)
    assert words(legend).strip() == "When"
    for choice in ("Overdue", "Due in the next 2 weeks", "Due in the next 4 weeks", "Due in the next 8 weeks",
                   "Due in the next 12 weeks"):  # fmt: skip
        assert choice in page
    assert '<option value="Adults">Adults</option>' in page
    assert f'<option value="{portfolio["manager_id"]}">Priya Shah</option>' in page
    assert "Critical milestones only" in page


@pytest.mark.parametrize(
    "query",
    ["when=3", "when=x", "manager=abc", "page=-1", "page=99999999999", "directorate=%00", "critical=yes"],
)
def test_odd_filter_values_are_ignored_not_errors(client, auth, portfolio, query: str) -> None:
    auth.sign_in_as(Role.VIEWER)
    assert client.get(f"/milestones/?{query}").status_code == 200


def test_a_programme_manager_may_see_their_own_milestones_only(client, auth, portfolio) -> None:
    auth.sign_in(portfolio["manager_email"])
    page = get(client, "/milestones/?scope=mine")

    assert "Go-live" in page and "Data migrated" not in page
    assert "1 overdue milestone in 1 programme" in words(page)
    assert '<input type="hidden" name="scope" value="mine">' in page


def bulk_milestones(count: int, *, first_id: int) -> None:
    """`count` overdue milestones spread over programmes of ten, written with bulk inserts."""
    programmes = [
        dict(id=first_id + n, code=f"BLK-{first_id + n}", name=f"Bulk {n}", directorate="Place",
             stage=Stage.DELIVERY, focus="both")
        for n in range(0, count, 10)
    ]  # fmt: skip
    milestones = [
        dict(id=first_id * 10 + n, programme_id=first_id + n - n % 10, title=f"Bulk milestone {n}",
             kind=MilestoneKind.IT_DELIVERY, original_baseline_date=date(2026, 1, 1 + n % 28),
             baseline_date=date(2026, 1, 1 + n % 28), status=MilestoneStatus.IN_PROGRESS)
        for n in range(count)
    ]  # fmt: skip
    db.session.execute(insert(Programme), programmes)
    db.session.execute(insert(Milestone), milestones)
    db.session.commit()


def test_pages_of_fifty_keep_the_filters_in_every_link(client, auth) -> None:
    auth.sign_in_as(Role.VIEWER)
    bulk_milestones(120, first_id=1_000)
    page = get(client, "/milestones/?directorate=Place&page=2")

    assert "120 overdue milestones in 12 programmes" in words(page)
    assert len(table_rows(page)) == 50
    pagination = page.split('<nav class="govuk-pagination"', 1)[1].split("</nav>", 1)[0]
    hrefs = [html.unescape(href) for href in re.findall(r'href="([^"]+)"', pagination)]
    assert hrefs and all(parse_qs(urlsplit(href).query)["directorate"] == ["Place"] for href in hrefs)
    assert {parse_qs(urlsplit(href).query)["page"][0] for href in hrefs} == {"1", "2", "3"}
    last = get(client, "/milestones/?directorate=Place&page=3")
    assert len(table_rows(last)) == 20


def download(client, path: str):
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response


def read_csv(response) -> list[dict[str, str]]:
    body = response.get_data()
    assert body.startswith("\ufeff".encode()), "Excel needs the byte-order mark to read £ as UTF-8"
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def test_the_csv_holds_every_page_of_the_filtered_rows(client, auth, portfolio) -> None:
    auth.sign_in_as(Role.VIEWER)
    bulk_milestones(70, first_id=1_000)
    response = download(client, "/milestones/export.csv?directorate=Place")

    assert "Content-Length" not in response.headers  # written as it is read, not built whole first
    assert response.headers["Content-Disposition"] == 'attachment; filename="milestones-2026-12-04.csv"'
    assert response.headers["Cache-Control"] == "no-store"
    rows = read_csv(response)
    assert len(rows) == 70 and {row["Directorate"] for row in rows} == {"Place"}

    overdue = read_csv(download(client, "/milestones/export.csv"))
    assert [row["Milestone"] for row in overdue[-2:]] == ["Data migrated", "Go-live"]
    go_live = overdue[-1]
    assert (go_live["Programme code"], go_live["Critical"], go_live["Latest approved baseline"]) == (
        "DIG-001", "Yes", "2026-11-27",
    )  # fmt: skip
    assert (go_live["Forecast"], go_live["Days late"], go_live["Programme rating"]) == ("", "7", "Red")
    assert go_live["Programme manager"] == "Priya Shah"
    upcoming = read_csv(download(client, "/milestones/export.csv?when=2&critical=1"))
    assert [(row["Milestone"], row["Due in (days)"], row["Days late"]) for row in upcoming] == [
        ("Go-live for carers", "3", "")
    ]


def test_the_csv_neutralises_formulas(client, auth) -> None:
    auth.sign_in_as(Role.VIEWER)
    programme = ProgrammeFactory(name='=HYPERLINK("http://evil.example","Click")', directorate="@Resources")
    MilestoneFactory(programme=programme, title="+SUM(A1:A9)", baseline_date=date(2026, 11, 1))

    row = read_csv(download(client, "/milestones/export.csv"))[0]

    assert row["Programme"] == '\'=HYPERLINK("http://evil.example","Click")'
    assert row["Directorate"] == "'@Resources" and row["Milestone"] == "'+SUM(A1:A9)"


def test_linked_from_the_navigation_and_the_programmes_list(client, auth, portfolio) -> None:
    auth.sign_in_as(Role.VIEWER)
    navigation = get(client, "/milestones/").split('aria-label="Main menu"', 1)[1].split("</nav>", 1)[0]
    item = (
        r'<li class="govuk-service-navigation__item([^"]*)"[^>]*>\s*'
        r'<a[^>]*href="([^"]+)"[^>]*>\s*(?:<strong[^>]*>)?([^<]+)'
    )
    items = re.findall(item, navigation)
    texts = [text.strip() for _, _, text in items]
    assert texts.index("Milestones") == texts.index("Portfolio") + 1
    active = [text.strip() for classes, _, text in items if "--active" in classes]
    assert active == ["Milestones"]
    assert 'href="/milestones/"' in get(client, "/programmes/")


def test_the_page_and_the_csv_cost_the_same_queries_at_10_and_300_milestones(client, auth) -> None:
    auth.sign_in_as(Role.VIEWER)
    bulk_milestones(10, first_id=1_000)
    client.get("/milestones/")  # warm up: first requests load things once
    with counting_queries() as page_at_10:
        assert "10 overdue milestones" in words(get(client, "/milestones/?directorate=Place"))
    with counting_queries() as csv_at_10:
        assert len(read_csv(download(client, "/milestones/export.csv"))) == 10
    bulk_milestones(290, first_id=2_000)
    with counting_queries() as page_at_300:
        assert "300 overdue milestones" in words(get(client, "/milestones/?directorate=Place&page=4"))
    with counting_queries() as csv_at_300:
        assert len(read_csv(download(client, "/milestones/export.csv"))) == 300

    assert len(page_at_10) == len(page_at_300) <= 8
    assert len(csv_at_10) == len(csv_at_300)
