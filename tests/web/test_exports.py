"""Portfolio downloads: the same programmes as the list with the same filters, typed cells, nine sheets,
formulas neutralised, and a query count that does not grow with the portfolio."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests.web.pages import counting_queries
from tests.web.test_programme_list import add, assessment, codes, fill, milestone, money
from tracker.extensions import db
from tracker.models import (
    Benefit,
    BenefitType,
    ChangeRequest,
    ChangeRequestKind,
    Confidence,
    ConfidenceSource,
    Decision,
    Direction,
    GateRequest,
    Lesson,
    LessonKind,
    Measurement,
    MilestoneStatus,
    Programme,
    ProgrammeAction,
    ProgrammeMember,
    Rag,
    RegisterEntry,
    RiskAssessment,
    Role,
    Stage,
    Trend,
)


@pytest.fixture
def today(time_machine) -> date:
    time_machine.move_to(datetime(2026, 11, 27, 12, 0, tzinfo=UTC), tick=False)
    return date(2026, 11, 27)


def read_csv(response) -> list[dict[str, str]]:
    body = response.get_data()
    assert body.startswith("\ufeff".encode()), "Excel needs the byte-order mark to read £ as UTF-8"
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def workbook(response):
    return load_workbook(io.BytesIO(response.get_data()))


def sheet_rows(sheet) -> list[dict[str, object]]:
    """A sheet's rows as dicts keyed by its header row."""
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def portfolio(make_user) -> dict[str, int]:
    """Four open programmes and a closed one across two directorates, with ratings, money and a team."""
    priya = make_user(Role.PROGRAMME_MANAGER, name="Priya Shah")
    dig = add(
        "DIG-001",
        manager_id=priya.id,
        name="Digital front door",
        directorate="Customer",
        confidence=Confidence.AMBER_GREEN,
        confidence_source=ConfidenceSource.GATEWAY_REVIEW,
        confidence_assessed_on=date(2026, 9, 30),
        whole_life_baseline=Decimal("1200000"),
        sro_name="Director of Customer",
        start_date=date(2026, 4, 1),
        baseline_end_date=date(2027, 3, 31),
        forecast_end_date=date(2027, 5, 31),
    )
    milestone(dig, "Forms live", date(2027, 1, 10), forecast_date=date(2027, 2, 1), critical=True)
    milestone(
        dig, "Discovery", date(2026, 6, 1), status=MilestoneStatus.COMPLETE, actual_date=date(2026, 6, 3)
    )
    money(dig, 2026, "250000", "275000.50")
    money(dig, 2025, "1000", "900")
    db.session.add(
        RiskAssessment(
            programme_id=dig.id,
            rating=Rag.RED,
            score=130,
            trend=Trend.WORSE,
            flags=[
                {"rule": "stale", "severity": "amber", "message": "No update for 40 days"},
                {"rule": "cost_overrun", "severity": "red", "message": "Forecast 10% over budget"},
            ],
        )
    )
    benefit = Benefit(
        programme_id=dig.id,
        title="Fewer phone calls",
        benefit_type=BenefitType.CASHABLE,
        measure="Calls a month",
        unit="calls",
        direction=Direction.LOWER,
        baseline_value=Decimal("12000"),
        target_value=Decimal("8000"),
        target_date=date(2027, 9, 30),
        owner="Head of Customer Services",
    )
    db.session.add(benefit)
    db.session.flush()
    db.session.add_all(
        [
            Measurement(benefit_id=benefit.id, on_date=date(2026, 9, 30), value=Decimal("11000")),
            Measurement(benefit_id=benefit.id, on_date=date(2026, 10, 31), value=Decimal("10500")),
        ]
    )
    adu = add("ADU-002", directorate="Adults", name="Care finance", stage=Stage.IDEA)
    money(adu, 2026, "90000", "80000")
    milestone(adu, "Business case", date(2026, 12, 15))
    assessment(adu, Rag.GREEN, 5)
    res = add("RES-003", directorate="Resources", name="Payroll")
    db.session.add(ProgrammeMember(programme_id=res.id, user_id=priya.id))
    add("RES-004", directorate="Resources", name="Estates", stage=Stage.CLOSED)
    db.session.commit()
    return {"priya": priya.id}


QUERIES = [
    "",
    "closed=1",
    "directorate=Resources&closed=1",
    "rating=red",
    "rating=none",
    "stage=idea",
    "sort=budget&order=desc",
    "sort=rating&order=desc&closed=1",
    "sort=name",
    "focus=cost_reduction",
]


@pytest.mark.parametrize("query", QUERIES)
def test_csv_and_excel_hold_the_programmes_the_list_shows_in_its_order(
    client, auth, make_user, today, query: str
) -> None:
    auth.sign_in_as(Role.VIEWER)
    portfolio(make_user)
    listed = codes(client.get(f"/programmes/?{query}"))
    assert [row["Code"] for row in read_csv(client.get(f"/programmes/export.csv?{query}"))] == listed
    book = workbook(client.get(f"/programmes/export.xlsx?{query}"))
    assert [row["Code"] for row in sheet_rows(book["Programmes"])] == listed
    for name in ("Milestones", "Money", "Benefits"):
        assert {row["Programme code"] for row in sheet_rows(book[name])} <= set(listed)


def test_my_programmes_export_is_mine_only(client, auth, make_user, today) -> None:
    me = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    portfolio(make_user)
    add("OWN-001", manager_id=me.id)
    db.session.commit()
    rows = read_csv(client.get("/programmes/export.csv?scope=mine"))
    assert [row["Code"] for row in rows] == ["OWN-001"]


def test_csv_carries_key_figures_as_numbers_and_iso_dates(client, auth, make_user, today) -> None:
    auth.sign_in_as(Role.CIO)
    portfolio(make_user)
    response = client.get("/programmes/export.csv")
    assert response.status_code == 200
    assert response.content_type == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="portfolio-2026-11-27.csv"'
    assert b"\r\n" in response.get_data() and b"\n" not in response.get_data().replace(b"\r\n", b"")
    dig = read_csv(response)[1]  # codes sort ADU, DIG, RES
    assert dig["Code"] == "DIG-001" and dig["Name"] == "Digital front door"
    assert dig["Directorate"] == "Customer" and dig["Focus"] == "Both" and dig["Stage"] == "Delivery"
    assert dig["SRO"] == "Director of Customer" and dig["Programme manager"] == "Priya Shah"
    assert (dig["Start date"], dig["Baseline end date"], dig["Forecast end date"]) == (
        "2026-04-01",
        "2027-03-31",
        "2027-05-31",
    )
    assert dig["Next milestone"] == "Forms live" and dig["Next milestone date"] == "2027-02-01"
    assert Decimal(dig["Budget 2026/27"]) == Decimal("250000")
    assert Decimal(dig["Forecast 2026/27"]) == Decimal("275000.50")
    assert Decimal(dig["Total approved"]) == Decimal("251000")
    assert Decimal(dig["Total forecast"]) == Decimal("275900.50")
    assert (dig["Delivery confidence"], dig["Confidence assessed by"]) == ("Amber/Green", "Gateway review")
    assert dig["Confidence assessed on"] == "2026-09-30"
    assert (dig["Whole-life baseline"], dig["Whole-life forecast"]) == (
        "1200000.00",
        "",
    )  # unknown stays blank
    assert (dig["Computed rating"], dig["Risk score"]) == ("Red", "130")
    assert dig["Top flag"] == "Forecast 10% over budget"  # red before amber
    res = read_csv(response)[2]
    assert (
        res["Computed rating"] == ""
        and res["Programme manager"] == ""
        and Decimal(res["Budget 2026/27"]) == 0
    )


def test_excel_has_nine_sheets_with_pounds_and_real_dates(client, auth, make_user, today) -> None:
    auth.sign_in_as(Role.ADMIN)
    people = portfolio(make_user)
    dig_id = db.session.scalar(select(Programme.id).where(Programme.code == "DIG-001"))
    db.session.add(
        ChangeRequest(
            programme_id=dig_id, kind=ChangeRequestKind.COST, title="Extra integration", impact="Months",
            from_whole_life_baseline=Decimal(1_200_000), proposed_whole_life_baseline=Decimal(1_250_000),
            requested_by_id=people["priya"],
        )
    )  # fmt: skip
    db.session.add(
        GateRequest(
            programme_id=dig_id, gate_key="delivery", gate_name="Ready to close", from_stage="delivery",
            from_stage_name="Delivery", to_stage="closing", to_stage_name="Closing", approver_role="cio",
            checklist=[{"item": "Service ready to run it", "met": False, "note": "Training in May"}],
            summary="Nearly there.", requested_by_id=people["priya"],
            requested_at=datetime(2026, 11, 20, 10, tzinfo=UTC),
        )
    )  # fmt: skip
    db.session.commit()
    lesson(make_user)
    response = client.get("/programmes/export.xlsx")
    assert response.headers["Content-Disposition"] == 'attachment; filename="portfolio-2026-11-27.xlsx"'
    book = workbook(response)
    assert book.sheetnames == [
        "Programmes",
        "Milestones",
        "Money",
        "Benefits",
        "Change requests",
        "Lessons",
        "Gate decisions",
        "Risks and issues",
        "Actions",
        "Decisions",
    ]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
    programmes = book["Programmes"]
    header = [cell.value for cell in programmes[1]]
    dig = programmes[3]
    budget = dig[header.index("Budget 2026/27")]
    assert budget.value == 250000 and budget.data_type == "n" and "£" in budget.number_format
    start = dig[header.index("Start date")]
    assert start.is_date and start.value == datetime(2026, 4, 1)

    milestones = sheet_rows(book["Milestones"])
    forms = next(row for row in milestones if row["Milestone"] == "Forms live")
    assert forms["Programme code"] == "DIG-001" and forms["Critical"] == "Yes"
    assert forms["Forecast"] == datetime(2027, 2, 1) and forms["Variance (days)"] == 22
    assert [row["Milestone"] for row in milestones] == ["Business case", "Discovery", "Forms live"]

    lines = sheet_rows(book["Money"])
    assert [(row["Programme code"], row["Financial year"]) for row in lines] == [
        ("ADU-002", "2026/27"),
        ("DIG-001", "2025/26"),
        ("DIG-001", "2026/27"),
    ]
    assert lines[2]["Forecast"] == 275000.5

    (benefit,) = sheet_rows(book["Benefits"])
    assert benefit["Benefit"] == "Fewer phone calls" and benefit["Type"] == "Cashable"
    assert (benefit["Baseline value"], benefit["Target value"]) == (12000, 8000)
    assert benefit["Latest measured value"] == 10500 and benefit["Latest measured on"] == datetime(
        2026, 10, 31
    )
    assert benefit["Owner in the service"] == "Head of Customer Services"
    assert benefit["Status"] == "Being measured" and benefit["Handed over on"] is None

    (learned,) = sheet_rows(book["Lessons"])
    assert (learned["Programme code"], learned["Kind"], learned["Lesson"]) == (
        "DIG-001",
        "Do differently",
        "Test the forms with residents first",
    )
    assert learned["Recorded by"] == "Lena Hart" and learned["Recorded on"] == datetime(2026, 11, 2)
    (gate,) = sheet_rows(book["Gate decisions"])
    assert (gate["Programme code"], gate["Gate"], gate["Status"]) == (
        "DIG-001",
        "Ready to close",
        "Waiting for a decision",
    )
    assert gate["Checklist as answered"] == "Not met: Service ready to run it (Training in May)"
    assert gate["Asked by"] == "Priya Shah" and gate["Asked on"] == datetime(2026, 11, 20)
    (change,) = sheet_rows(book["Change requests"])
    assert (change["Programme code"], change["Kind"], change["Status"]) == (
        "DIG-001",
        "Cost",
        "Waiting for a decision",
    )
    assert (change["Whole-life baseline from"], change["Whole-life baseline to"]) == (1200000, 1250000)
    assert change["Asked by"] == "Priya Shah" and change["Decided on"] is None


def lesson(make_user) -> None:
    """A lesson of DIG-001, recorded by Lena Hart on 2 November 2026."""
    programme = db.session.scalar(select(Programme).where(Programme.code == "DIG-001"))
    db.session.add(
        Lesson(
            programme_id=programme.id,
            kind=LessonKind.DO_DIFFERENTLY,
            title="Test the forms with residents first",
            what_happened="Residents gave up on page three.",
            recorded_by_id=make_user(Role.VIEWER, name="Lena Hart").id,
            recorded_at=datetime(2026, 11, 2, 10, tzinfo=UTC),
        )
    )
    db.session.commit()


def test_excel_has_the_actions_and_decisions_of_the_same_programmes(client, auth, make_user, today) -> None:
    auth.sign_in_as(Role.CIO)
    portfolio(make_user)
    dig = db.session.scalar(db.select(Programme).where(Programme.code == "DIG-001"))
    risk = RegisterEntry(programme_id=dig.id, title="Call volumes", likelihood=3, impact=3)
    db.session.add(risk)
    db.session.flush()
    db.session.add_all(
        [
            ProgrammeAction(programme_id=dig.id, title="Unknown due", owner="Jo"),
            ProgrammeAction(programme_id=dig.id, title="Script the IVR", owner="Jo",
                            due_date=date(2026, 11, 17), entry_id=risk.id),
            Decision(programme_id=dig.id, title="Use the framework", decided_by="Board",
                     decided_on=date(2026, 10, 2)),
        ]
    )  # fmt: skip
    db.session.commit()

    book = workbook(client.get("/programmes/export.xlsx"))

    actions = sheet_rows(book["Actions"])
    assert [(row["Action"], row["Days overdue"], row["Status"]) for row in actions] == [
        ("Script the IVR", 10, "Open"),
        ("Unknown due", None, "Open"),
    ]
    assert actions[0]["Due date"] == datetime(2026, 11, 17) and actions[0]["Responds to"] == "Call volumes"
    (entry,) = sheet_rows(book["Risks and issues"])
    assert (entry["Type"], entry["Title"], entry["Score"], entry["Response"], entry["Status"]) == (
        "Risk", "Call volumes", 9, "Treat", "Open",
    )  # fmt: skip
    (decision,) = sheet_rows(book["Decisions"])
    assert (decision["Decision"], decision["Decided by"], decision["Date decided"]) == (
        "Use the framework", "Board", datetime(2026, 10, 2),
    )  # fmt: skip


def test_text_excel_would_run_as_a_formula_is_written_as_text(client, auth, make_user, today) -> None:
    auth.sign_in_as(Role.CIO)
    programme = add("INJ-001", name='=HYPERLINK("http://evil.example","Click")', directorate="@Resources")
    milestone(programme, "+cmd|' /C calc'!A0", date(2027, 1, 1), owner="-2+3")
    db.session.commit()
    (row,) = read_csv(client.get("/programmes/export.csv"))
    assert row["Name"] == '\'=HYPERLINK("http://evil.example","Click")'
    assert row["Directorate"] == "'@Resources"
    book = workbook(client.get("/programmes/export.xlsx"))
    name = book["Programmes"]["B2"]
    assert name.value == '\'=HYPERLINK("http://evil.example","Click")' and name.data_type == "s"
    (line,) = sheet_rows(book["Milestones"])
    assert line["Milestone"] == "'+cmd|' /C calc'!A0" and line["Owner"] == "'-2+3"


def test_the_external_reference_is_the_last_column_of_the_csv_and_the_programmes_sheet(
    client, auth, make_user, today
) -> None:
    auth.sign_in_as(Role.VIEWER)
    add("IMP-0001", external_reference="MOD_0106_1617-Q1")
    add("DIG-001")
    db.session.commit()
    rows = read_csv(client.get("/programmes/export.csv"))
    assert list(rows[0])[-1] == "External reference"
    assert [(row["Code"], row["External reference"]) for row in rows] == [
        ("DIG-001", ""),
        ("IMP-0001", "MOD_0106_1617-Q1"),
    ]
    sheet = workbook(client.get("/programmes/export.xlsx"))["Programmes"]
    assert [(row["Code"], row["External reference"]) for row in sheet_rows(sheet)] == [
        ("DIG-001", None),
        ("IMP-0001", "MOD_0106_1617-Q1"),
    ]


def test_the_list_offers_downloads_that_keep_its_filters(client, auth, make_user, today) -> None:
    auth.sign_in_as(Role.VIEWER)
    portfolio(make_user)
    page = client.get("/programmes/?directorate=Resources&closed=1&sort=name&page=1").get_data(as_text=True)
    links = dict(re.findall(r'href="(/programmes/export\.\w+\?[^"]*)"[^>]*>(Download \w+)<', page))
    assert set(links.values()) == {"Download CSV", "Download Excel"}
    for link in links:
        assert "directorate=Resources" in link and "closed=1" in link and "sort=name" in link
        assert "page=" not in link  # a download is every page
    csv_link = next(link for link, text in links.items() if text == "Download CSV")
    rows = read_csv(client.get(csv_link.replace("&amp;", "&")))
    assert [row["Code"] for row in rows] == ["RES-004", "RES-003"]  # Estates, Payroll by name


def test_exports_cost_the_same_queries_at_10_and_500_programmes(client, auth, make_user, today) -> None:
    auth.sign_in_as(Role.CIO)
    manager_id, member_id = make_user(Role.PROGRAMME_MANAGER).id, make_user(Role.PROGRAMME_MANAGER).id
    fill(10, manager_id, member_id)
    client.get("/programmes/export.xlsx")  # warm up: first requests load things once
    with counting_queries() as csv_10:
        assert client.get("/programmes/export.csv?closed=1&sort=rating").status_code == 200
    with counting_queries() as xlsx_10:
        assert client.get("/programmes/export.xlsx?closed=1&sort=rating").status_code == 200
    fill(490, manager_id, member_id, start=10)
    with counting_queries() as csv_500:
        rows = read_csv(client.get("/programmes/export.csv?closed=1&sort=rating"))
    with counting_queries() as xlsx_500:
        book = workbook(client.get("/programmes/export.xlsx?closed=1&sort=rating"))
    assert len(rows) == 500  # every page, not the list's fifty
    assert len(sheet_rows(book["Milestones"])) == 1000 and len(sheet_rows(book["Money"])) == 1000
    print(
        f"\nexport queries: CSV {len(csv_10)} at 10 programmes, {len(csv_500)} at 500; "
        f"Excel {len(xlsx_10)} at 10, {len(xlsx_500)} at 500"
    )
    assert len(csv_10) == len(csv_500) <= 3
    assert len(xlsx_10) == len(xlsx_500) <= 12  # one a sheet (nine), and signing in
