"""The dashboard page: who sees what, filters in the URL, charts whose tables carry the drawn numbers,
and a query count that does not grow with the portfolio."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import event, insert, select

from tracker.domain.money import parse_money
from tracker.extensions import db
from tracker.models import (
    Benefit,
    BenefitType,
    CostType,
    Direction,
    Focus,
    Investment,
    Measurement,
    Milestone,
    MilestoneKind,
    MilestoneStatus,
    Programme,
    ProgrammeMember,
    Rag,
    RebaselineRequest,
    Recurrence,
    RiskAssessment,
    Role,
    Stage,
    TrajectoryPoint,
    Trend,
)
from tracker.services.portfolio.figures import refresh_programme_figures

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
SVG = "{http://www.w3.org/2000/svg}"
DIRECTORATES = ("Resources", "Adults' Social Care", "Place")
RATINGS = (Rag.RED, Rag.AMBER, Rag.GREEN)


@pytest.fixture(autouse=True)
def frozen(time_machine) -> None:
    time_machine.move_to(NOW, tick=False)


def flag(rule: str, severity: str, message: str, subject: dict | None, weight: int) -> dict:
    return dict(rule=rule, severity=severity, message=message, evidence={}, subject=subject, weight=weight)


def bulk_portfolio(
    count: int, *, first_id: int, manager_id: int | None, member_id: int | None = None
) -> None:
    """`count` programmes with money, milestones, a pending re-baseline, two benefits with plans and
    measurements, and three weeks of assessments, written with bulk inserts. Programme n is in
    directorate n % 3 and rated RATINGS[n % 3]; the odd ones are `manager_id`'s."""
    models = (Programme, ProgrammeMember, Investment, Milestone, RebaselineRequest, Benefit)
    rows: dict[type, list[dict]] = {
        model: [] for model in (*models, TrajectoryPoint, Measurement, RiskAssessment)
    }
    for n in range(count):
        pid, rating = first_id + n, RATINGS[n % 3]
        rows[Programme].append(
            dict(id=pid, code=f"BLK-{pid}", name=f"Bulk programme {pid}", directorate=DIRECTORATES[n % 3],
                 focus=list(Focus)[n % 3], stage=Stage.DELIVERY, manager_id=manager_id if n % 2 else None)
        )  # fmt: skip
        if member_id:
            rows[ProgrammeMember].append(dict(id=pid, programme_id=pid, user_id=member_id))
        for year, actual in ((2026, 400), (2027, 0)):
            rows[Investment].append(
                dict(id=pid * 10 + year % 10, programme_id=pid, title="Licences", cost_type=CostType.REVENUE,
                     recurrence=Recurrence.RECURRING, financial_year=year, requested=Decimal(1200),
                     approved=Decimal(1000), forecast=Decimal(1100), actual=Decimal(actual))
            )  # fmt: skip
        done = ((MilestoneStatus.IN_PROGRESS, None), (MilestoneStatus.COMPLETE, date(2026, 6, 1)))
        for k, (status, actual_date) in enumerate(done):
            rows[Milestone].append(
                dict(id=pid * 10 + k, programme_id=pid, title="Go-live", kind=MilestoneKind.IT_DELIVERY,
                     original_baseline_date=date(2026, 10, 1), baseline_date=date(2026, 10, 1), status=status,
                     actual_date=actual_date)
            )  # fmt: skip
        rows[RebaselineRequest].append(
            dict(id=pid, milestone_id=pid * 10, proposed_date=date(2027, 1, 1), reason="Supplier late")
        )
        kinds = (
            (BenefitType.CASHABLE, Direction.HIGHER, 0),
            (BenefitType.SERVICE_IMPROVEMENT, Direction.LOWER, 20),
        )
        for k, (kind, direction, baseline) in enumerate(kinds):
            bid = pid * 10 + k
            rows[Benefit].append(
                dict(id=bid, programme_id=pid, title="Saving", benefit_type=kind, direction=direction,
                     baseline_value=Decimal(baseline))
            )  # fmt: skip
            for j, (day, value) in enumerate(((date(2026, 6, 1), 100), (date(2027, 3, 1), 300))):
                point = dict(id=bid * 10 + j, benefit_id=bid)
                rows[TrajectoryPoint].append(dict(point, on_date=day, value=Decimal(value)))
                rows[Measurement].append(dict(point, on_date=day - timedelta(60), value=Decimal(value // 2)))
        flags = []
        if rating is not Rag.GREEN:
            flags = [
                flag("stale", "amber", f"No update for {40 + n} days", {"kind": "programme", "id": pid}, 1),
                flag("technology_only", rating.value, f"Technology only {pid}", None, 2),
                flag(
                    "benefits_behind_trajectory",
                    "amber",
                    "Behind",
                    {"kind": "benefit", "id": pid * 10 + 1},
                    0,
                ),
            ]
        for k, days_ago in enumerate((20, 9, 1)):
            rows[RiskAssessment].append(
                dict(id=pid * 10 + k, programme_id=pid, assessed_at=NOW - timedelta(days=days_ago),
                     rating=rating if k == 2 else RATINGS[(n + k + 1) % 3], trend=Trend.SAME, flags=flags,
                     score=0 if rating is Rag.GREEN else 100 + n, is_latest=k == 2)
            )  # fmt: skip
    for model, values in rows.items():
        if values:
            db.session.execute(insert(model), values)
    db.session.commit()


def get(client, path: str):
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def words(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


@contextmanager
def counting_queries() -> Iterator[list[str]]:
    statements: list[str] = []

    def record(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


class TableReader(HTMLParser):
    """The rows of the first table, as the text of each cell."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self._done = False

    def handle_starttag(self, tag: str, attrs) -> None:
        if self._done:
            return
        if tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._cell is not None and not self._done:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self._done = True

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def figures(page: str) -> dict[str, tuple[ET.Element, list[list[str]], str]]:
    """Each chart on the page: its SVG as XML, its data table's rows, and its visible title."""
    found = {}
    for match in re.finditer(r'<figure class="app-chart" id="([^"]+)">(.*?)</figure>', page, flags=re.S):
        body = match.group(2)
        svg = ET.fromstring(re.search(r"<svg.*?</svg>", body, flags=re.S).group(0))
        reader = TableReader()
        reader.feed(body[body.index("<details") :])
        heading = html.unescape(re.search(r"<h3[^>]*>(.*?)</h3>", body).group(1))
        assert "Show data table" in body[body.index("<details") :]
        found[match.group(1)] = (svg, reader.rows, heading)
    return found


def amount(text: str) -> Decimal:
    return parse_money(text)


def test_cio_sees_the_headline_figures(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    bulk_portfolio(6, first_id=100, manager_id=None)
    page = words(get(client, "/dashboard"))
    assert "Portfolio dashboard" in page
    assert "Financial year 2026/27" in page
    # A week ago (the assessments of nine days ago) programmes 1 and 4 were Red; now 0 and 3 are.
    assert "2 Red No change since last week" in page
    assert "2 Green No change since last week" in page
    assert "Approved budget £6,000" in page and "Actual spend to date £2,400" in page
    assert "6 overdue milestones" in page
    assert "6 requests to decide" in page
    assert "4 programmes with no recent update" in page
    assert "Service improvements off track 4" in page
    assert "4 programmes are technology only" in page


def test_every_card_at_the_top_links_to_the_list_behind_it(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    bulk_portfolio(6, first_id=100, manager_id=None)
    page = get(client, "/dashboard")
    top = page[page.index("At a glance") : page.index('id="attention-heading"')]
    links = {
        words(label).strip(): html.unescape(href)
        for href, label in re.findall(r'href="([^"]+)"[^>]*>(.*?)</a>', top, re.S)
    }
    stale = client.get(links["4 programmes with no recent update"]).get_data(as_text=True)
    assert "Only programmes whose latest rating has the flag No recent update" in words(stale)
    assert "4 programmes" in words(stale)
    overdue = client.get(links["6 overdue milestones"]).get_data(as_text=True)
    assert "6 overdue milestones in" in words(overdue)
    assert links["6 requests to decide"] == "/rebaselines/"
    red = client.get(links["2 Red No change since last week"]).get_data(as_text=True)
    assert "2 programmes" in words(red)
    # The filters are folded into a sentence: the form is one click away, not the first screen.
    assert "all directorates, all stages, any focus, any programme manager, any rating" in words(page)
    assert "Change filters" in words(page) and "Score" not in words(page)


def test_programme_managers_get_their_own_programmes_under_my_programmes(client, auth, make_user) -> None:
    manager = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    bulk_portfolio(4, first_id=100, manager_id=manager.id)
    bulk_portfolio(3, first_id=200, manager_id=make_user(Role.PROGRAMME_MANAGER).id)
    mine = get(client, "/dashboard?scope=mine")
    assert re.search(r'<h1 class="govuk-heading-l">My programmes</h1>', mine)
    assert "2 open programmes: all directorates" in words(mine)
    assert 'name="scope" value="mine"' in mine
    everything = words(get(client, "/dashboard"))
    assert "7 open programmes: all directorates" in everything and "View my programmes only" in everything


def test_viewers_read_the_dashboard_without_actions(client, auth) -> None:
    auth.sign_in_as(Role.VIEWER)
    bulk_portfolio(3, first_id=100, manager_id=None)
    page = get(client, "/dashboard")
    assert "3 requests waiting" in words(page)
    assert "to decide" not in page
    assert '<form method="post"' not in page.split('id="main-content"')[1]


def test_filters_stay_in_the_url_and_in_every_link(client, auth, make_user) -> None:
    auth.sign_in_as(Role.CIO)
    manager_id = make_user(Role.PROGRAMME_MANAGER).id
    bulk_portfolio(9, first_id=100, manager_id=manager_id)
    page = get(client, f"/dashboard?stage=delivery&focus=both&manager={manager_id}")
    assert re.search(r'<option value="delivery" selected>', page)
    assert re.search(r'<option value="both" selected>', page)
    assert re.search(rf'<option value="{manager_id}" selected>', page)
    links = [html.unescape(href) for href in re.findall(r'href="(/programmes/\?[^"]+)"', page)]
    heat = [parse_qs(urlsplit(link).query) for link in links if "rating=" in link and "directorate=" in link]
    assert heat, "the heatmap links to the list"
    for query in heat:
        assert query["stage"] == ["delivery"] and query["focus"] == ["both"]
        assert query["manager"] == [str(manager_id)]
        assert query["directorate"][0] in DIRECTORATES and query["rating"][0] in (
            "red",
            "amber",
            "green",
            "none",
        )
    assert "Clear filters" in page


def test_heatmap_cells_count_and_link_each_directorate_and_rating(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    bulk_portfolio(9, first_id=100, manager_id=None)
    page = get(client, "/dashboard")
    cells = re.findall(r'<a class="[^"]*app-heatmap__link" href="([^"]+)">(\d+)<span', page)
    found = {
        tuple(v[0] for v in parse_qs(urlsplit(html.unescape(href)).query).values()): int(n)
        for href, n in cells
    }
    # Programme n is in directorate n % 3 and rated n % 3: each directorate holds one rating, three times.
    assert found == {
        ("Resources", "red"): 3,
        ("Adults' Social Care", "amber"): 3,
        ("Place", "green"): 3,
    }


def test_a_heatmap_cell_opens_a_list_of_exactly_its_programmes(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    bulk_portfolio(9, first_id=100, manager_id=None)
    listed = get(client, "/programmes/?directorate=Resources&rating=red")
    assert len(re.findall(r'href="/programmes/BLK-\d+/"', listed)) == 3
    assert get(client, "/programmes/?directorate=Resources&rating=green").count('href="/programmes/BLK-') == 0


@pytest.mark.parametrize(
    "query",
    [
        "stage=closed",
        "stage=nonsense&focus=all",
        "manager=abc&rating=purple",
        "manager=-1",
        "manager=99999999999",
        "directorate=" + "x" * 500,
        "rating=none&scope=everything",
        "scope=mine&directorate=%00",
    ],
)
def test_odd_filter_values_are_ignored_not_errors(client, auth, query: str) -> None:
    auth.sign_in_as(Role.CIO)
    bulk_portfolio(3, first_id=100, manager_id=None)
    assert client.get(f"/dashboard?{query}").status_code == 200


def test_each_chart_is_an_accessible_svg_with_a_table_of_the_same_numbers(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    bulk_portfolio(9, first_id=100, manager_id=None)
    charts = figures(get(client, "/dashboard"))
    assert set(charts) == {"spend-burn-up", "cashable-savings", "ratings-history"}
    for key, (svg, _, heading) in charts.items():
        assert svg.get("role") == "img"
        title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
        assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        assert title.text == heading
        assert desc.text and len(desc.text) > 40, key

    svg, rows, _ = charts["spend-burn-up"]
    header, body = rows[0], rows[1:]
    assert header == ["Date", "Approved budget profile", "Actual spend"]
    for column, series in ((1, "profile"), (2, "actual")):
        drawn = [
            Decimal(c.get("data-value"))
            for c in svg.iterfind(f".//{SVG}g[@data-series='{series}']/{SVG}circle")
        ]
        tabled = [amount(row[column]) for row in body if row[column] != "Not yet"]
        assert drawn == tabled, series
    assert dict((row[0], row[2]) for row in body)["20 November 2026 (today)"] == "£3,600"
    assert body[-1] == ["31 March 2027", "£9,000", "Not yet"]

    svg, rows, _ = charts["cashable-savings"]
    for column, series in ((1, "planned"), (2, "realised")):
        drawn = [
            Decimal(c.get("data-value"))
            for c in svg.iterfind(f".//{SVG}g[@data-series='{series}']/{SVG}circle")
        ]
        assert drawn == [amount(row[column]) for row in rows[1:] if row[column] != "Not yet"], series
    assert dict((row[0], row[1:]) for row in rows[1:])["20 November 2026 (today)"] == ["£900", "£450"]

    svg, rows, _ = charts["ratings-history"]
    assert rows[0] == ["Week to", "Red", "Amber", "Green", "Rated programmes"]
    table = {row[0]: [int(cell) for cell in row[1:]] for row in rows[1:]}
    assert len(table) == 12
    bars: dict[str, dict[str, int]] = {}
    for rect in svg.iterfind(f".//{SVG}rect[@data-series]"):
        week = rect.find(f"{SVG}title").text.split(":")[0]
        bars.setdefault(week, {})[rect.get("data-series")] = int(Decimal(rect.get("data-value")))
    for week, (red, amber, green, total) in table.items():
        drawn = bars.get(week, {})
        assert (drawn.get("red", 0), drawn.get("amber", 0), drawn.get("green", 0)) == (red, amber, green), (
            week
        )
        assert sum(drawn.values()) == total
    assert table["20 November 2026"] == [3, 3, 3, 9]


def store_figures() -> None:
    """What the daily scan does for the dashboard: every programme's figures as of today."""
    refresh_programme_figures(list(db.session.scalars(select(Programme.id))))
    db.session.commit()


@pytest.mark.parametrize("stored", [False, True], ids=["computed", "stored"])
def test_the_dashboard_costs_the_same_queries_at_10_and_500_programmes(
    client, auth, make_user, stored: bool
) -> None:
    """With no stored figures (each programme's worked out from its rows) and with today's stored."""
    user = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    manager_id, member_id = user.id, make_user(Role.PROGRAMME_MANAGER).id
    bulk_portfolio(10, first_id=1_000, manager_id=manager_id, member_id=member_id)
    if stored:
        store_figures()
    client.get("/dashboard")  # warm up: first requests load things once
    counts = {}
    with counting_queries() as at_10:
        assert client.get("/dashboard?scope=mine&rating=red").status_code == 200
    with counting_queries() as at_10_all:
        assert client.get("/dashboard").status_code == 200
    bulk_portfolio(490, first_id=2_000, manager_id=manager_id, member_id=member_id)
    if stored:
        store_figures()
    with counting_queries() as at_500:
        response = client.get("/dashboard?scope=mine&rating=red")
    with counting_queries() as at_500_all:
        assert client.get("/dashboard").status_code == 200
    assert "500 open programmes:" in words(client.get("/dashboard").get_data(as_text=True))
    assert "84 open programmes" in words(response.get_data(as_text=True))  # odd-numbered, rated red
    counts = {"10": len(at_10_all), "500": len(at_500_all)}
    print(f"\ndashboard queries: {counts['10']} at 10 programmes, {counts['500']} at 500")
    assert len(at_10) == len(at_500)
    # Twelve, and one for the capacity heatmap's service teams (none here: see tests/web/test_capacity.py).
    assert len(at_10_all) == len(at_500_all) <= 13


def test_the_dashboard_lists_a_few_benefits_after_closure_and_links_to_them_all(client, auth) -> None:
    from tests.factories import BenefitFactory, ProgrammeFactory

    auth.sign_in_as(Role.CIO)
    closed = ProgrammeFactory(code="ASC-013", stage=Stage.CLOSED)
    for number in range(12):
        BenefitFactory(programme=closed, title=f"Closed benefit {number:02d}")
    db.session.commit()

    page = get(client, "/dashboard")

    table = re.search(r'<table[^>]*id="after-closure-table".*?</table>', page, re.S)
    assert table and table.group(0).count("#benefit-") == 10
    shown = words(page)
    assert "12 benefits of 1 closed programme are still being measured" in shown
    assert "Showing 10 of 12, those behind plan first." in shown
    assert 'href="/benefits/?status=after_closure"' in page
