"""The programme pages' charts: SVG a screen reader can name and describe, a data table with the same
numbers as the drawing, and an overview whose query count does not grow with its milestones."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from tests.web.pages import counting_queries, text
from tests.web.programme_data import add_programme
from tracker.domain.money import parse_money
from tracker.extensions import db
from tracker.models import (
    Benefit,
    BenefitType,
    CostType,
    Direction,
    Investment,
    Measurement,
    Milestone,
    MilestoneKind,
    MilestoneStatus,
    Recurrence,
    Role,
    TrajectoryPoint,
)

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
SVG = "{http://www.w3.org/2000/svg}"
DRAWN_DATES = (
    ("rect", "app-timeline__baseline"),
    ("rect", "app-timeline__forecast"),
    ("path", "app-timeline__actual"),
)


@pytest.fixture(autouse=True)
def frozen_clock(time_machine) -> None:
    time_machine.move_to(NOW, tick=False)


def _words(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup)).strip()


class Figure:
    """One chart on a page: its markup, its SVG as XML, and its data table as rows of words."""

    def __init__(self, page: str, key: str) -> None:
        match = re.search(rf'<figure class="[^"]*" id="{key}">(.*?)</figure>', page, flags=re.S)
        assert match, f"no chart {key} on the page"
        self.markup = match.group(1)
        self.svg = ET.fromstring(re.search(r"<svg.*?</svg>", self.markup, flags=re.S).group(0))
        table = re.search(r"<table.*?</table>", self.markup, flags=re.S).group(0)
        self.table = [
            [_words(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S)
        ]
        self.heading = re.search(r"<h(\d)[^>]*>(.*?)</h\d>", self.markup, flags=re.S).groups()

    def assert_named_and_described(self, key: str, title: str) -> str:
        """The SVG is an image labelled by its own title and description; returns the description."""
        assert self.svg.get("role") == "img"
        assert self.svg.get("aria-labelledby") == f"{key}-title {key}-desc"
        assert self.svg.find(f"{SVG}title").get("id") == f"{key}-title"
        assert self.svg.find(f"{SVG}title").text == title
        description = self.svg.find(f"{SVG}desc")
        assert description.get("id") == f"{key}-desc" and description.text
        assert "Show data table" in self.markup and "style=" not in self.markup
        return description.text

    def elements(self, tag: str, css_class: str) -> list[ET.Element]:
        return [e for e in self.svg.iter(f"{SVG}{tag}") if css_class in (e.get("class") or "").split()]


def add_milestone(programme_id: int, title: str, baseline: date, **values: object) -> Milestone:
    milestone = Milestone(
        programme_id=programme_id,
        title=title,
        kind=MilestoneKind.IT_DELIVERY,
        original_baseline_date=baseline,
        baseline_date=baseline,
        **values,
    )
    db.session.add(milestone)
    return milestone


def programme_with_milestones() -> dict[str, int]:
    programme = add_programme()
    pid = programme.id
    late = date(2026, 10, 15)
    made = {
        "late": add_milestone(pid, "Go-live", date(2026, 9, 1), forecast_date=late, critical=True),
        "done": add_milestone(
            pid, "Contract signed", date(2026, 6, 1), forecast_date=date(2026, 5, 28),
            actual_date=date(2026, 5, 28), status=MilestoneStatus.COMPLETE,
        ),
        "unforecast": add_milestone(pid, "Old system off", date(2027, 2, 1)),
        "cancelled": add_milestone(pid, "Pilot", date(2026, 7, 1), status=MilestoneStatus.CANCELLED),
    }  # fmt: skip
    db.session.commit()
    return {name: milestone.id for name, milestone in made.items()}


def iso(words: str) -> str | None:
    return None if words == "None" else datetime.strptime(words, "%d %B %Y").date().isoformat()


def assert_timeline_matches_table(figure: Figure, ids: dict[str, int]) -> None:
    """Each row draws the dates its table row states, critical ones marked, cancelled ones left out."""
    header, *rows = figure.table
    assert header == ["Milestone", "Critical", "Status", "Latest approved baseline", "Forecast", "Actual"]
    drawn = figure.elements("g", "app-timeline__row")
    assert [int(row.get("data-milestone")) for row in drawn] == [ids["done"], ids["late"], ids["unforecast"]]
    assert [row[0] for row in rows] == ["Contract signed", "Go-live", "Old system off"]
    for row, cells in zip(drawn, rows, strict=True):
        dates = {}
        for tag, css_class in DRAWN_DATES:
            found = [e for e in row.iter(f"{SVG}{tag}") if e.get("class") == css_class]
            dates[css_class] = found[0].get("data-date") if found else None
        assert dates == {
            "app-timeline__baseline": iso(cells[3]),
            "app-timeline__forecast": iso(cells[4]),
            "app-timeline__actual": iso(cells[5]),
        }
        assert row.get("data-critical") == ("true" if cells[1] == "Yes" else "false")
        assert bool(list(row.iter(f"{SVG}circle"))) == (cells[1] == "Yes")  # the critical marker
    late = figure.elements("rect", "app-timeline__forecast")[1]
    assert late.get("data-late") == "true" and late.get("fill") == "#d4351c"


def test_overview_draws_the_milestone_timeline_with_its_data_table(client, auth) -> None:
    auth.sign_in_as(Role.VIEWER)
    ids = programme_with_milestones()
    page = client.get("/programmes/DIG-001/").get_data(as_text=True)
    figure = Figure(page, "milestone-timeline")
    assert figure.heading == ("2", "Milestone timeline")
    description = figure.assert_named_and_described("milestone-timeline", "Milestone timeline")
    assert "3 milestones, 1 critical" in description
    assert "furthest behind is Go-live, by 44 days" in description
    assert "1 cancelled milestone not shown. Today is 20 November 2026." in description
    assert_timeline_matches_table(figure, ids)
    today = figure.elements("g", "app-timeline__today")
    assert len(today) == 1 and "Today" in "".join(today[0].itertext())


def test_the_timeline_counts_overdue_and_done_as_the_rules_do(client, auth) -> None:
    auth.sign_in_as(Role.VIEWER)
    pid = add_programme().id
    # Happened (an actual date) though its status was never changed: done, not overdue.
    add_milestone(
        pid,
        "Data migrated",
        date(2026, 9, 1),
        actual_date=date(2026, 9, 10),
        status=MilestoneStatus.IN_PROGRESS,
    )
    add_milestone(pid, "Go-live", date(2026, 10, 1))
    db.session.commit()
    description = Figure(client.get("/programmes/DIG-001/").get_data(as_text=True), "milestone-timeline")
    words = description.assert_named_and_described("milestone-timeline", "Milestone timeline")
    assert "1 still open past its baseline. 1 complete." in words


def test_milestones_page_shows_the_timeline_below_the_table(client, auth) -> None:
    auth.sign_in_as(Role.VIEWER)
    ids = programme_with_milestones()
    page = client.get("/programmes/DIG-001/milestones/").get_data(as_text=True)
    figure = Figure(page, "milestone-timeline")
    assert figure.heading == ("3", "Milestone timeline")
    assert_timeline_matches_table(figure, ids)
    # Below: the table, which people edit from, comes first (and stays the first row to match a title).
    assert page.index('class="govuk-table govuk-table--small-text') < page.index('id="milestone-timeline"')


def test_programmes_without_milestones_say_there_is_nothing_to_chart(client, auth) -> None:
    auth.sign_in_as(Role.VIEWER)
    add_programme()
    overview = client.get("/programmes/DIG-001/")
    assert "Milestone timeline There are no milestones yet, so there is no timeline to show." in text(
        overview
    )
    assert "<svg" not in overview.get_data(as_text=True)
    milestones = client.get("/programmes/DIG-001/milestones/").get_data(as_text=True)
    assert 'id="milestone-timeline"' not in milestones and "No milestones yet." in milestones


def test_overview_queries_do_not_grow_with_milestones(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    pid = add_programme().id
    add_milestone(pid, "Milestone 0", date(2026, 5, 1))
    db.session.commit()
    client.get("/programmes/DIG-001/")
    with counting_queries() as one:
        client.get("/programmes/DIG-001/")
    for number in range(1, 40):
        add_milestone(pid, f"Milestone {number}", date(2026, 5, 1 + number % 28), critical=number % 3 == 0)
    db.session.commit()
    with counting_queries() as forty:
        page = client.get("/programmes/DIG-001/").get_data(as_text=True)
    assert len(Figure(page, "milestone-timeline").elements("g", "app-timeline__row")) == 40
    assert len(one) == len(forty) <= 8


def add_line(pid: int, year: int, approved: int, forecast: int, actual: int) -> None:
    db.session.add(
        Investment(
            programme_id=pid, title=f"Line {year} {approved}", cost_type=CostType.CAPITAL,
            recurrence=Recurrence.ONE_OFF, financial_year=year, requested=Decimal(approved),
            approved=Decimal(approved), forecast=Decimal(forecast), actual=Decimal(actual),
        )
    )  # fmt: skip


def test_money_page_charts_spend_by_year_with_the_same_numbers(client, auth) -> None:
    auth.sign_in_as(Role.VIEWER)
    pid = add_programme().id
    add_line(pid, 2026, 60_000, 70_000, 30_000)
    add_line(pid, 2026, 40_000, 60_000, 10_000)
    add_line(pid, 2027, 50_000, 50_000, 0)
    db.session.commit()
    page = client.get("/programmes/DIG-001/money/").get_data(as_text=True)
    figure = Figure(page, "spend-by-year")
    assert figure.heading == ("3", "Spend by financial year")
    description = figure.assert_named_and_described("spend-by-year", "Spend by financial year")
    assert (
        "This year, 2026/27: £130,000 forecast against £100,000 approved, £40,000 spent so far."
        in description
    )
    header, *rows = figure.table
    assert header == ["Financial year", "Approved", "Forecast", "Actual"]
    assert rows == [["2026/27", "£100,000", "£130,000", "£40,000"], ["2027/28", "£50,000", "£50,000", "£0"]]
    drawn = {
        (bar.find(f"{SVG}title").text.split(":")[0], bar.get("data-series")): Decimal(bar.get("data-value"))
        for bar in figure.elements("rect", "app-chart__bar")
    }
    columns = ("approved", "forecast", "actual")
    tabled = {
        (row[0], name): parse_money(cell) for row in rows for name, cell in zip(columns, row[1:], strict=True)
    }
    assert drawn == tabled


def test_money_page_without_lines_has_no_chart(client, auth) -> None:
    auth.sign_in_as(Role.VIEWER)
    add_programme()
    page = client.get("/programmes/DIG-001/money/").get_data(as_text=True)
    assert "No investment lines yet." in page and "spend-by-year" not in page


def add_benefit(pid: int, *, planned=(), measured=()) -> Benefit:
    benefit = Benefit(
        programme_id=pid,
        title="More contacts completed online",
        benefit_type=BenefitType.SERVICE_IMPROVEMENT,
        unit="%",
        direction=Direction.HIGHER,
        trajectory=[TrajectoryPoint(on_date=d, value=Decimal(v)) for d, v in planned],
        measurements=[Measurement(on_date=d, value=Decimal(v)) for d, v in measured],
    )
    db.session.add(benefit)
    db.session.commit()
    return benefit


def test_benefit_page_charts_trajectory_against_measurements(client, auth) -> None:
    auth.sign_in_as(Role.VIEWER)
    pid = add_programme().id
    benefit = add_benefit(
        pid,
        planned=[(date(2026, 4, 1), 20), (date(2026, 10, 1), 40), (date(2027, 4, 1), 60)],
        measured=[(date(2026, 7, 1), 28), (date(2026, 10, 1), 37.5)],
    )
    page = client.get(f"/programmes/DIG-001/benefits/{benefit.id}").get_data(as_text=True)
    figure = Figure(page, "benefit-trajectory")
    title = "More contacts completed online: planned and measured"
    assert figure.heading == ("3", title)
    description = figure.assert_named_and_described("benefit-trajectory", title)
    assert description.startswith("Higher is better.")
    assert "2 measurements, the latest 37.5% on 1 October 2026." in description
    header, *rows = figure.table
    assert header == ["Date", "Planned", "Measured"]
    assert rows == [
        ["1 April 2026", "20%", "None"],
        ["1 July 2026", "None", "28%"],
        ["1 October 2026", "40%", "37.5%"],
        ["1 April 2027", "60%", "None"],
    ]
    for column, series in enumerate(("planned", "measured"), start=1):
        group = next(g for g in figure.svg.iter(f"{SVG}g") if g.get("data-series") == series)
        drawn = {
            point.find(f"{SVG}title").text.split(", ", 1)[1].split(":")[0]: Decimal(point.get("data-value"))
            for point in group.iter(f"{SVG}circle")
        }
        tabled = {row[0]: Decimal(row[column].rstrip("%")) for row in rows if row[column] != "None"}
        assert drawn == tabled
    assert [e.text for e in figure.svg.iter(f"{SVG}text") if e.text == "Today"] == ["Today"]


def test_benefit_with_nothing_planned_or_measured_has_no_chart(client, auth) -> None:
    auth.sign_in_as(Role.VIEWER)
    benefit = add_benefit(add_programme().id)
    page = client.get(f"/programmes/DIG-001/benefits/{benefit.id}").get_data(as_text=True)
    assert "benefit-trajectory" not in page and "No measurements yet." in page
