"""The import service: matching, all or nothing, audit, permissions, milestones and investment lines."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook as XlsxBook
from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import (
    AuditEvent,
    ChangeKind,
    Investment,
    Milestone,
    MilestoneChange,
    Programme,
    Role,
    Stage,
    User,
)
from tracker.services import imports
from tracker.services.errors import Invalid

HEADER = (
    "Code,Name,Directorate,Focus,Programme manager,Start date,Baseline end date,Forecast end date,"
    "DCA,Budget,Forecast cost"
)


def csv_rows(*rows: str) -> bytes:
    return "\n".join((HEADER, *rows)).encode()


def run(
    data: bytes, *, user: User | None = None, dry_run: bool = False, name: str = "file.csv", mapping=None
):
    sources = imports.pick_sources(imports.read_file(data, name))
    chosen = (mapping or imports.ImportMapping(columns={})).with_guesses(sources)
    return imports.run_import(sources, chosen, user=user, source_name=name, dry_run=dry_run)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def by_code(code: str) -> Programme:
    programme = db.session.scalar(select(Programme).where(Programme.code == code))
    assert programme is not None
    return programme


@pytest.fixture
def pm(make_user) -> User:
    return make_user(Role.PROGRAMME_MANAGER, email="pat.manager@testshire.gov.uk", name="Pat Manager")


def test_new_programmes_are_created_with_budget_and_completion_milestone(app, pm) -> None:
    report = run(
        csv_rows(
            "dig-001,Digital front door,Customer,Service improvement,pat.manager@testshire.gov.uk,01/04/2026,"
            '31/03/2027,30 June 2027,Amber/Green,£1.2m,"£1,500,000"'
        )
    )
    assert report.committed and not report.problems
    assert (report.created, report.milestones_created, report.investments_created) == (1, 1, 1)
    programme = by_code("DIG-001")
    assert programme.manager_id == pm.id and programme.confidence == "amber_green"
    assert (programme.start_date, programme.forecast_end_date) == (date(2026, 4, 1), date(2027, 6, 30))
    line = db.session.scalar(select(Investment))
    assert (line.title, line.financial_year, line.approved, line.forecast) == (
        "Budget",
        2026,
        Decimal("1200000.00"),
        Decimal("1500000.00"),
    )
    milestone = db.session.scalar(select(Milestone))
    assert (milestone.title, milestone.baseline_date, milestone.forecast_date) == (
        "Programme completion",
        date(2027, 3, 31),
        date(2027, 6, 30),
    )
    query = select(AuditEvent).where(AuditEvent.programme_id.is_not(None)).order_by(AuditEvent.id)
    summaries = [e.summary for e in db.session.scalars(query)]
    assert summaries[0] == "Created programme DIG-001 Digital front door by import of file.csv"
    assert len(summaries) == 3
    assert programme.last_update_at is not None


def test_reimport_updates_by_code_then_by_name_and_audits_the_changes(app) -> None:
    run(csv_rows("DIG-001,Front door,Customer,Both,,,,,Green,,", ",Waste app,Place,Both,,,,,Red,,"))
    # A new programme without a code takes its prefix from its directorate.
    assert {p.code for p in db.session.scalars(select(Programme))} == {"DIG-001", "PLACE-0001"}
    report = run(csv_rows("dig-001,Front door,Customer,Both,,,,,Red,,", ",  WASTE APP ,Place,Both,,,,,Red,,"))
    assert (report.created, report.updated, report.unchanged) == (0, 2, 0)
    assert count(Programme) == 2 and by_code("PLACE-0001").name == "WASTE APP"
    updates = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "update").order_by(AuditEvent.id)
    )
    assert [e.changes for e in updates] == [
        {"confidence": ["green", "red"]},
        {"name": ["Waste app", "WASTE APP"]},
    ]
    assert run(csv_rows("DIG-001,Front door,Customer,Both,,,,,Red,,")).unchanged == 1


def test_one_bad_row_rejects_the_whole_file(app) -> None:
    report = run(
        csv_rows(
            "DIG-001,Front door,Customer,Both,,,,,Green,,",
            "DIG-002,Waste app,Place,Both,nobody@example.com,31/13/2026,,,Purple,lots,",
            "DIG-001,Again,Place,Both,,,,,,,",
        )
    )
    assert not report.committed and count(Programme) == 0 and count(Milestone) == 0
    described = [imports.describe(p) for p in report.problems]
    assert (
        "file row 3, Start date (F): '31/13/2026' is not a date we recognise: "
        "write it like 31/05/2010, 31 May 2010 or 2010-05-31" in described
    )
    assert any(d.startswith("file row 3, DCA (I): 'Purple' is not a delivery confidence") for d in described)
    assert any(d.startswith("file row 3, Budget (J): 'lots' is not an amount of money") for d in described)
    assert "file row 4, Code (A): Row 2 has the same code DIG-001: list each programme once" in described
    assert report.rejected_rows == 2


def test_unknown_manager_and_missing_fields_are_explained(app) -> None:
    report = run(csv_rows(",Front door,,,Nobody Here,,,,,,", "DIGITAL-1,Waste,Place,Both,,,,,,,"))
    messages = [imports.describe(p) for p in report.problems]
    assert messages == [
        "file row 2, Programme manager (E): No programme manager, CIO or admin is called 'Nobody Here': "
        "use their email address",
    ]
    report = run(csv_rows(",Front door,,,,,,,,,"))
    assert [p.message for p in report.problems] == [
        "A new programme needs a directorate and a focus: fill in the cell or choose a default"
    ]
    mapping = imports.ImportMapping(
        columns={}, defaults={"directorate": "Resources", "focus": "both", "stage": "delivery"}
    )
    assert run(csv_rows(",Front door,,,,,,,,,"), mapping=mapping).created == 1
    assert by_code("RES-0001").stage is Stage.DELIVERY


def test_a_dry_run_counts_but_writes_nothing(app) -> None:
    report = run(csv_rows("DIG-001,Front door,Customer,Both,,,,,,,"), dry_run=True)
    assert report.created == 1 and not report.committed and count(Programme) == 0


def test_programme_managers_import_only_their_own_programmes(app, pm, make_user) -> None:
    other = make_user(Role.PROGRAMME_MANAGER, email="other@testshire.gov.uk", name="Other Manager")
    run(
        csv_rows(
            "OTH-001,Theirs,Place,Both,other@testshire.gov.uk,,,,,,",
            "OWN-001,Mine,Place,Both,pat.manager@testshire.gov.uk,,,,,,",
        )
    )
    report = run(
        csv_rows(
            "OWN-001,Mine renamed,Place,Both,,,,,,,",
            "NEW-001,Brand new,Place,Both,,,,,,,",
            "OTH-001,Theirs renamed,Place,Both,,,,,,,",
            "NEW-002,For someone else,Place,Both,other@testshire.gov.uk,,,,,,",
        ),
        user=pm,
    )
    assert [(p.row, p.message) for p in report.problems] == [
        (4, "OTH-001 Theirs is managed by someone else: you can only update programmes you manage"),
        (5, "You can only import programmes you manage: leave the manager blank or put yourself"),
    ]
    report = run(
        csv_rows("OWN-001,Mine renamed,Place,Both,,,,,,,", "NEW-001,Brand new,Place,Both,,,,,,,"), user=pm
    )
    assert report.committed and by_code("NEW-001").manager_id == pm.id
    assert by_code("OTH-001").manager_id == other.id
    with pytest.raises(Invalid, match="permission"):
        run(csv_rows("NEW-003,X,Place,Both,,,,,,,"), user=make_user(Role.VIEWER))


def workbook(**sheets: list[list[object]]) -> bytes:
    book = XlsxBook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


PROGRAMMES = [["Code", "Name", "Directorate", "Focus"], ["DIG-001", "Front door", "Customer", "Both"]]


def test_milestones_and_investments_sheets_are_matched_by_programme_code(app, make_user) -> None:
    data = workbook(
        Programmes=PROGRAMMES,
        Milestones=[
            ["Programme code", "Milestone", "Kind", "Critical", "Baseline date", "Forecast date"],
            ["DIG-001", "Go live", "IT", "Y", date(2027, 1, 31), "28/02/2027"],
            ["XYZ-009", "Orphan", "IT", "N", date(2027, 1, 31), None],
        ],
        Investments=[
            ["Programme code", "Investment line", "Financial year", "Capital or revenue", "Approved"],
            ["DIG-001", "Licences", "2026/27", "revenue", "£250k"],
        ],
    )
    report = run(data, name="book.xlsx")
    assert [imports.describe(p) for p in report.problems] == [
        "Milestones row 3, Programme code (A): "
        "No programme has the code XYZ-009, in the tracker or in this file"
    ]
    data = workbook(
        Programmes=PROGRAMMES,
        Milestones=[
            ["Programme code", "Milestone", "Kind", "Critical", "Baseline date", "Forecast date"],
            ["DIG-001", "Go live", "IT", "Y", date(2027, 1, 31), "28/02/2027"],
        ],
        Investments=[
            ["Programme code", "Investment line", "Financial year", "Capital or revenue", "Approved"],
            ["DIG-001", "Licences", "2026/27", "revenue", "£250k"],
        ],
    )
    report = run(data, name="book.xlsx")
    assert (report.created, report.milestones_created, report.investments_created) == (1, 1, 1)
    milestone = db.session.scalar(select(Milestone))
    assert milestone.critical and milestone.forecast_date == date(2027, 2, 28)
    assert db.session.scalar(select(Investment.approved)) == Decimal("250000.00")

    moved = workbook(
        Programmes=PROGRAMMES,
        Milestones=[
            ["Programme code", "Milestone", "Baseline date", "Forecast date"],
            ["DIG-001", "go live", date(2027, 3, 31), "30/04/2027"],
        ],
    )
    pm = make_user(Role.PROGRAMME_MANAGER)
    db.session.execute(Programme.__table__.update().values(manager_id=pm.id))
    db.session.commit()
    refused = run(moved, user=pm, name="book.xlsx")
    assert "only a CIO can move it" in refused.problems[0].message
    report = run(moved, user=make_user(Role.CIO), name="book.xlsx")
    assert report.milestones_updated == 1
    kinds = [c.kind for c in db.session.scalars(select(MilestoneChange).order_by(MilestoneChange.id))]
    assert kinds == [ChangeKind.CREATED, ChangeKind.REBASELINE_APPROVED, ChangeKind.FORECAST_MOVED]


def test_mapping_files_are_checked(app, tmp_path: Path) -> None:
    with pytest.raises(Invalid, match="unit must be"):
        imports.ImportMapping.from_json({"unit": "furlongs"})
    with pytest.raises(Invalid, match="default for 'name'"):
        imports.ImportMapping.from_json({"defaults": {"name": "x"}})
    mapping = imports.ImportMapping.from_json({"programmes": {"columns": {"Nope": "name"}}})
    with pytest.raises(Invalid, match="no column called 'Nope'"):
        run(csv_rows("DIG-001,Front door,Customer,Both,,,,,,,"), mapping=mapping)


def test_the_cli_reports_rejected_rows_and_exits_non_zero(app, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_rows("DIG-001,Front door,Customer,Both,,,,,Purple,,"))
    result = app.test_cli_runner().invoke(args=["import", "programmes", str(bad)])
    assert result.exit_code == 1
    assert "bad row 2, DCA (I): 'Purple' is not a delivery confidence" in result.output
    assert "1 rows rejected, nothing written" in result.output and count(Programme) == 0
    good = tmp_path / "good.csv"
    good.write_bytes(csv_rows("DIG-001,Front door,Customer,Both,,,,,,450,"))
    mapping = tmp_path / "mapping.json"
    mapping.write_text(
        json.dumps(
            {
                "unit": "thousands",
                "programmes": {
                    "columns": {
                        "Code": "code",
                        "Name": "name",
                        "Directorate": "directorate",
                        "Focus": "focus",
                        "Budget": "budget_approved",
                    }
                },
            }
        )
    )
    result = app.test_cli_runner().invoke(args=["import", "programmes", str(good), "--mapping", str(mapping)])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(Investment.approved)) == Decimal("450000.00")
    result = app.test_cli_runner().invoke(
        args=["import", "programmes", str(good), "--as", "nobody@example.com"]
    )
    assert result.exit_code == 1 and "No user has the email nobody@example.com" in result.output


def test_a_milestone_listed_twice_is_refused(app) -> None:
    data = workbook(
        Programmes=PROGRAMMES,
        Milestones=[
            ["Programme code", "Milestone", "Baseline date"],
            ["DIG-001", "Go live", date(2027, 1, 31)],
            ["dig-001", "GO LIVE", date(2027, 2, 28)],
        ],
    )
    report = run(data, name="book.xlsx")
    assert [imports.describe(p) for p in report.problems] == [
        "Milestones row 3, Milestone (B): Row 2 has the same milestone for DIG-001: list each one once"
    ]


def test_a_closed_programmes_plan_cannot_change_by_import(app) -> None:
    data = workbook(Programmes=[*PROGRAMMES[:1], ["DIG-001", "Front door", "Customer", "Both"]])
    run(data, name="book.xlsx")
    db.session.execute(Programme.__table__.update().values(stage="closed"))
    db.session.commit()
    assert run(data, name="book.xlsx").unchanged == 1
    milestone = workbook(
        Programmes=PROGRAMMES,
        Milestones=[
            ["Programme code", "Milestone", "Baseline date"],
            ["DIG-001", "Go live", date(2027, 1, 31)],
        ],
    )
    report = run(milestone, name="book.xlsx")
    assert [imports.describe(p) for p in report.problems] == [
        "Milestones row 2: DIG-001 is closed, so its plan cannot change: reopen it first"
    ]
    renamed = workbook(Programmes=[*PROGRAMMES[:1], ["DIG-001", "New name", "Customer", "Both"]])
    assert "is closed, so its details cannot change" in run(renamed, name="book.xlsx").problems[0].message


def test_the_cli_takes_milestones_from_a_separate_file(app, tmp_path: Path) -> None:
    programmes = tmp_path / "programmes.csv"
    programmes.write_bytes(csv_rows("DIG-001,Front door,Customer,Both,,,,,,,"))
    milestones = tmp_path / "milestones.csv"
    milestones.write_text(
        "Programme code;Milestone;Baseline date;Critical\nDIG-001;Go live;31 Jan 2027;yes\n"
    )
    args = ["import", "programmes", str(programmes), "--milestones", str(milestones)]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "milestones 1 new" in result.output
    assert db.session.scalar(select(Milestone.baseline_date)) == date(2027, 1, 31)
    empty = tmp_path / "empty.csv"
    empty.write_text(HEADER + "\n")
    result = app.test_cli_runner().invoke(args=["import", "programmes", str(empty)])
    assert result.exit_code == 1 and "headings but no rows" in result.output


def test_budget_columns_never_count_a_programmes_money_twice(app) -> None:
    lines = workbook(
        Programmes=PROGRAMMES,
        Investments=[
            ["Programme code", "Investment line", "Financial year", "Approved"],
            ["DIG-001", "Licences", "2026/27", "£250k"],
        ],
    )
    assert run(lines, name="book.xlsx").committed
    report = run(csv_rows("DIG-001,Front door,Customer,Both,,,,,,£1m,"))
    assert [p.message for p in report.problems] == [
        "DIG-001 already has its own investment lines, so a budget column would count its money twice: "
        "ignore the budget columns, or bring the lines in on an Investments sheet"
    ]
    assert run(csv_rows("DIG-002,Waste app,Place,Both,,,,,,£1m,")).investments_created == 1
    assert run(csv_rows("DIG-002,Waste app,Place,Both,,,,,,£2m,")).investments_updated == 1
