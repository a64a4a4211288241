"""The board pack's content against a small portfolio worked out by hand, today and on a past day, and
the PDF read back: its text, page count, title, language and tagged structure."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from pypdf import PdfReader

from tests.web.pages import counting_queries
from tracker.extensions import db
from tracker.models import (
    CostType,
    Focus,
    Investment,
    Milestone,
    MilestoneKind,
    Programme,
    Rag,
    Recurrence,
    RiskAssessment,
    Role,
    Stage,
    StatusUpdate,
    Trend,
)
from tracker.services.packs.content import highlight_report, portfolio_pack
from tracker.services.packs.pdf import highlight_pdf, portfolio_pdf
from tracker.services.portfolio.scope import ProgrammeFilter

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
TODAY = date(2026, 11, 20)
PAST = date(2026, 10, 15)
LONG_AGO = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
FIXED_PAGES = 6
"""Cover, summary, heatmap and the three charts; then a page per Red or Amber programme, then the appendix."""


def programme(code: str, directorate: str, **values: object) -> Programme:
    row = Programme(
        code=code,
        name=f"Programme {code}",
        directorate=directorate,
        focus=Focus.BOTH,
        stage=Stage.DELIVERY,
        created_at=LONG_AGO,
        **values,
    )
    db.session.add(row)
    db.session.flush()
    return row


def assess(owner: Programme, rating: Rag, when: datetime, *, latest: bool, message: str = "") -> None:
    flags = [{"rule": "cost_overrun", "severity": rating.value, "message": message, "evidence": {}}]
    db.session.add(
        RiskAssessment(
            programme_id=owner.id,
            rating=rating,
            score={Rag.RED: 30, Rag.AMBER: 10, Rag.GREEN: 0}[rating],
            trend=Trend.WORSE,
            assessed_at=when,
            is_latest=latest,
            flags=flags if message else [],
        )
    )


def cost_line(owner: Programme, approved: str, forecast: str | None) -> None:
    db.session.add(
        Investment(
            programme_id=owner.id,
            title="Line",
            cost_type=CostType.CAPITAL,
            recurrence=Recurrence.ONE_OFF,
            financial_year=2026,
            approved=Decimal(approved),
            forecast=None if forecast is None else Decimal(forecast),
            actual=Decimal("0"),
            created_at=LONG_AGO,
        )
    )


def update(owner: Programme, submitted: datetime | None, narrative: str) -> StatusUpdate:
    row = StatusUpdate(
        programme_id=owner.id,
        period_start=submitted.date() - timedelta(days=27) if submitted else date(2026, 11, 1),
        period_end=submitted.date() if submitted else date(2026, 11, 19),
        overall=Rag.AMBER,
        schedule=Rag.RED,
        cost=Rag.AMBER,
        benefits=Rag.GREEN,
        resources=Rag.GREEN,
        narrative=narrative,
        submitted_at=submitted,
    )
    db.session.add(row)
    return row


@pytest.fixture
def portfolio(app, make_user) -> dict[str, object]:
    """Four programmes: A Red now but Amber in October, B Amber, C Green, D not rated yet."""
    manager = make_user(Role.PROGRAMME_MANAGER, name="Pat Manager")
    a = programme("RES-001", "Resources", manager_id=manager.id, sro_name="Sam Sponsor")
    b = programme("RES-002", "Resources", whole_life_baseline=Decimal("900000"))
    c = programme("CHI-003", "Children's Services")
    d = programme("CHI-004", "Children's Services")
    assess(a, Rag.AMBER, datetime(2026, 10, 1, 6, tzinfo=UTC), latest=False, message="Slipping in October")
    assess(
        a, Rag.RED, datetime(2026, 11, 19, 6, tzinfo=UTC), latest=True, message="Forecast well over budget"
    )
    assess(b, Rag.AMBER, datetime(2026, 10, 1, 6, tzinfo=UTC), latest=True, message="Benefits behind plan")
    assess(c, Rag.GREEN, datetime(2026, 10, 1, 6, tzinfo=UTC), latest=True)
    cost_line(a, "500000", "650000")
    cost_line(b, "250000", None)
    db.session.add(
        Milestone(
            programme_id=a.id,
            title="Go live",
            kind=MilestoneKind.IT_DELIVERY,
            critical=True,
            original_baseline_date=date(2027, 1, 31),
            baseline_date=date(2027, 1, 31),
            forecast_date=date(2027, 3, 15),
            created_at=LONG_AGO,
        )
    )
    update(a, datetime(2026, 10, 10, 9, tzinfo=UTC), "October: the supplier is late.")
    update(a, datetime(2026, 11, 12, 9, tzinfo=UTC), "November: go-live moves to March.")
    update(a, None, "A draft nobody has submitted.")
    db.session.commit()
    return {"cio": make_user(Role.CIO), "manager": manager, "a": a, "b": b, "c": c, "d": d}


def test_the_pack_of_today_counts_ratings_against_a_month_before(portfolio) -> None:
    pack = portfolio_pack(portfolio["cio"], ProgrammeFilter(), as_of=TODAY, now=NOW)

    summary = pack.summary
    assert {line.key: (line.count, line.last_month) for line in summary.ratings} == {
        "red": (1, 0),
        "amber": (1, 2),
        "green": (1, 1),
        "none": (1, 1),
    }
    assert summary.compared_with == date(2026, 10, 20)
    assert (summary.worse, summary.better, summary.new) == (1, 0, 0)
    assert summary.moves[0].code == "RES-001" and summary.moves[0].why == "Forecast well over budget"
    assert summary.approved == Decimal("750000.00")
    assert summary.lines_without_forecast == 1
    assert [page.status.code for page in pack.programme_pages] == ["RES-001", "RES-002"]
    red = pack.programme_pages[0]
    assert red.status.rating is Rag.RED and red.status.rating_last_month is Rag.AMBER
    assert red.status.manager == "Pat Manager" and red.status.sro == "Sam Sponsor"
    assert [flag.message for flag in red.status.flags] == ["Forecast well over budget"]
    assert red.status.milestones[0].variance_days == 43
    assert red.status.money.approved == Decimal("500000.00")
    assert red.update is not None and red.update.narrative == "November: go-live moves to March."
    amber = pack.programme_pages[1].status
    assert amber.money.forecast is None, "an unknown forecast stays unknown, never £0"
    assert amber.money.whole_life_baseline == Decimal("900000.00")
    assert [row.code for row in pack.appendix] == ["CHI-003", "CHI-004", "RES-001", "RES-002"]
    assert {row.directorate: [cell.count for cell in row.cells] for row in pack.heatmap} == {
        "Children's Services": [0, 0, 1, 1],
        "Resources": [1, 1, 0, 0],
    }


def test_a_pack_of_a_past_day_shows_that_days_ratings_and_reports(portfolio) -> None:
    pack = portfolio_pack(portfolio["cio"], ProgrammeFilter(), as_of=PAST, now=NOW)

    assert pack.as_of == PAST and pack.title == "Portfolio board pack, 15 October 2026"
    assert {line.key: line.count for line in pack.summary.ratings}["red"] == 0
    pages = {page.status.code: page for page in pack.programme_pages}
    assert pages["RES-001"].status.rating is Rag.AMBER
    assert pages["RES-001"].status.flags[0].message == "Slipping in October"
    assert pages["RES-001"].update.narrative == "October: the supplier is late."
    assert pack.charts[2].title.startswith("Ratings over the last")
    assert pack.summary.cost_lines_today  # amounts keep no history: the pack says so
    assert (
        "Cost lines' amounts keep no history"
        in PdfReader(BytesIO(portfolio_pdf(pack))).pages[1].extract_text()
    )
    today = portfolio_pack(portfolio["cio"], ProgrammeFilter(), as_of=NOW.date(), now=NOW)
    assert not today.summary.cost_lines_today


def test_the_pack_reads_a_fixed_number_of_queries_however_many_programmes(portfolio) -> None:
    user = portfolio["cio"]
    with counting_queries() as few:
        portfolio_pack(user, ProgrammeFilter(), as_of=TODAY, now=NOW)
    for n in range(5, 25):
        extra = programme(f"EXT-{n:03d}", "Resources")
        assess(extra, Rag.RED, datetime(2026, 11, 19, 6, tzinfo=UTC), latest=True, message="Late")
        cost_line(extra, "1000", "1000")
        update(extra, datetime(2026, 11, 12, 9, tzinfo=UTC), "Late.")
    db.session.commit()
    with counting_queries() as many:
        pack = portfolio_pack(user, ProgrammeFilter(), as_of=TODAY, now=NOW)
    assert len(pack.programme_pages) == 22
    assert len(many) == len(few)


def test_a_programme_managers_own_pack_holds_only_theirs(portfolio) -> None:
    pack = portfolio_pack(portfolio["manager"], ProgrammeFilter(mine=True), as_of=TODAY, now=NOW)

    assert [row.code for row in pack.appendix] == ["RES-001"]
    assert pack.scope == "My programmes"


def test_the_pdf_reads_back_with_the_figures_pages_title_language_and_tags(portfolio) -> None:
    pack = portfolio_pack(portfolio["cio"], ProgrammeFilter(directorate="Resources"), as_of=TODAY, now=NOW)
    reader = PdfReader(BytesIO(portfolio_pdf(pack)))

    assert len(reader.pages) == FIXED_PAGES + 2 + 1
    text = "\n".join(page.extract_text() for page in reader.pages)
    for words in ("RES-001", "Forecast well over budget", "£750,000", "£500,000", "Not known", "Pat Manager"):
        assert words in text
    assert "CHI-003" not in text
    assert "Go live" in reader.pages[FIXED_PAGES].extract_text()
    assert reader.metadata.title == "Portfolio board pack, 20 November 2026"
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"]
    tags = structure(catalog["/StructTreeRoot"])
    assert {"/H1", "/H2", "/Table", "/TH", "/Caption", "/Figure"} <= {tag for tag, _ in tags}
    charts = [alt for tag, alt in tags if tag == "/Figure"]
    assert len(charts) == 3 and charts[0].startswith(
        "Spend against budget profile. Actual spend to 20 November"
    )


def structure(node: object) -> list[tuple[str, str]]:
    """Every element of a PDF's structure tree, as (tag, alternative text), depth first."""
    node = node.get_object()
    if not isinstance(node, dict):
        return []
    found = [(str(node["/S"]), str(node.get("/Alt", "")))] if "/S" in node else []
    kids = node.get("/K")
    for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
        found += structure(kid)
    return found


def test_a_highlight_report_is_one_page_with_the_figures_as_submitted(portfolio) -> None:
    a = portfolio["a"]
    submitted = db.session.scalars(
        db.select(StatusUpdate)
        .where(StatusUpdate.programme_id == a.id, StatusUpdate.submitted_at.is_not(None))
        .order_by(StatusUpdate.submitted_at)
    ).first()
    report = highlight_report(a, submitted)

    assert report.status.as_of == date(2026, 10, 10)
    assert report.status.rating is Rag.AMBER, "rated Red later, but Amber when this was submitted"
    reader = PdfReader(BytesIO(highlight_pdf(report)))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "October: the supplier is late." in text and "Amber" in text
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"


def test_a_closed_programmes_highlight_report_keeps_its_figures(portfolio) -> None:
    a = portfolio["a"]
    submitted = db.session.scalars(
        db.select(StatusUpdate)
        .where(StatusUpdate.programme_id == a.id, StatusUpdate.submitted_at.is_not(None))
        .order_by(StatusUpdate.submitted_at)
    ).first()
    a.stage = Stage.CLOSED
    db.session.commit()

    report = highlight_report(a, submitted)

    assert [line.title for line in report.status.milestones] == ["Go live"]
    assert report.status.rating is Rag.AMBER
    assert "Go live" in PdfReader(BytesIO(highlight_pdf(report))).pages[0].extract_text()
