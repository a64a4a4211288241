"""Importing a programme's registers: risks and issues, actions, decisions and lessons, by sheet name."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from openpyxl import Workbook as XlsxBook
from sqlalchemy import func, select

from tracker.domain.calendar import london_today
from tracker.domain.imports.fields import SheetKind
from tracker.extensions import db
from tracker.models import (
    ActionStatus,
    AuditEvent,
    Decision,
    DecisionStatus,
    EntryKind,
    EntryStatus,
    Lesson,
    LessonKind,
    Milestone,
    Programme,
    ProgrammeAction,
    RegisterEntry,
    Response,
    Role,
    User,
)
from tracker.models.types import utcnow
from tracker.services import imports

PROGRAMMES = [["Code", "Name", "Directorate", "Focus"], ["DIG-001", "Front door", "Customer", "Both"]]
RISKS = ["Project", "Risk", "Type", "Probability", "Severity", "Risk owner", "Response", "Mitigation"]


def workbook(**sheets: list[list[object]]) -> bytes:
    book = XlsxBook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name.replace("_", " "))
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run(data: bytes, *, user: User | None = None, dry_run: bool = False) -> imports.Report:
    sources = imports.pick_sources(imports.read_file(data, "raid.xlsx"))
    mapping = imports.ImportMapping(columns={}).with_guesses(sources)
    return imports.run_import(sources, mapping, user=user, source_name="raid.xlsx", dry_run=dry_run)


def problems(report: imports.Report) -> list[str]:
    return [imports.describe(p) for p in report.problems]


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def close_programme() -> None:
    db.session.execute(Programme.__table__.update().values(stage="closed"))
    db.session.commit()


def test_a_workbooks_raid_sheets_are_recognised_by_name_and_imported(app) -> None:
    data = workbook(
        Programmes=PROGRAMMES,
        Risks=[
            RISKS,
            ["DIG-001", "Supplier fails", "Risk", "High", "Very high", "Sam", "Transfer", "Escrow"],
            ["DIG-001", "Staff resist the change", None, 3, 4, None, None, None],
        ],
        Issues=[["Programme code", "Issue", "Impact", "Owner"], ["DIG-001", "Data centre flood", 5, "Kim"]],
        Actions=[
            ["Programme code", "Action", "Action owner", "Due", "Status", "Date done"],
            ["DIG-001", "Sign escrow deal", "Sam", "31/01/2027", "Open", None],
            ["DIG-001", "Brief the union", None, None, None, "02/03/2026"],
        ],
        Decisions=[
            ["Programme code", "Decision", "Rationale", "Decided by", "Decision date"],
            ["DIG-001", "Go with the cloud", "Cheaper to run", "Digital board", "15 March 2026"],
        ],
        Lessons_learned=[
            ["Programme code", "Lesson", "Type", "What happened", "Recommendation"],
            ["DIG-001", "Involve staff early", "Went well", "Drop-ins worked", "Do it again"],
        ],
    )
    report = run(data)
    assert problems(report) == [] and report.committed
    assert (report.risks_created, report.actions_created, report.decisions_created) == (3, 2, 1)
    assert report.lessons_created == 1
    assert "risks and issues 3 new, 0 updated; actions 2 new" in report.summary()
    entries = {e.title: e for e in db.session.scalars(select(RegisterEntry))}
    supplier = entries["Supplier fails"]
    assert (supplier.kind, supplier.likelihood, supplier.impact) == (EntryKind.RISK, 4, 5)
    assert (supplier.owner, supplier.response, supplier.mitigation) == ("Sam", Response.TRANSFER, "Escrow")
    assert (entries["Staff resist the change"].likelihood, entries["Staff resist the change"].impact) == (
        3,
        4,
    )
    flood = entries["Data centre flood"]
    assert (flood.kind, flood.likelihood, flood.impact, flood.status) == (
        EntryKind.ISSUE,
        5,
        5,
        EntryStatus.OPEN,
    )
    actions = {a.title: a for a in db.session.scalars(select(ProgrammeAction))}
    assert (actions["Sign escrow deal"].due_date, actions["Sign escrow deal"].status) == (
        date(2027, 1, 31),
        ActionStatus.OPEN,
    )
    briefed = actions["Brief the union"]
    assert (briefed.status, briefed.done_on, briefed.due_date) == (ActionStatus.DONE, date(2026, 3, 2), None)
    decision = db.session.scalar(select(Decision))
    assert (decision.detail, decision.decided_by, decision.decided_on, decision.status) == (
        "Cheaper to run",
        "Digital board",
        date(2026, 3, 15),
        DecisionStatus.MADE,
    )
    lesson = db.session.scalar(select(Lesson))
    assert (lesson.kind, lesson.what_happened, lesson.recommendation) == (
        LessonKind.WENT_WELL,
        "Drop-ins worked",
        "Do it again",
    )
    summaries = set(db.session.scalars(select(AuditEvent.summary)))
    assert "Added risk 'Supplier fails' (score 20) by import of raid.xlsx" in summaries
    assert "Added issue 'Data centre flood' (score 25) by import of raid.xlsx" in summaries
    assert "Added action 'Sign escrow deal' (due 31 January 2027) by import of raid.xlsx" in summaries
    assert "Recorded decision 'Go with the cloud' by import of raid.xlsx" in summaries
    assert "Recorded a lesson (went well): 'Involve staff early' by import of raid.xlsx" in summaries


def test_reimporting_matches_by_title_changes_only_what_differs_and_audits_it(app) -> None:
    first = workbook(
        Programmes=PROGRAMMES,
        Risks=[RISKS, ["DIG-001", "Supplier fails", "Risk", 4, 5, "Sam", "Treat", "Escrow"]],
        Actions=[["Programme code", "Action", "Due date"], ["DIG-001", "Sign escrow deal", "31/01/2027"]],
    )
    assert run(first).committed
    again = run(first)
    assert (again.risks_created, again.risks_updated, again.actions_created, again.actions_updated) == (
        0,
        0,
        0,
        0,
    )
    changed = workbook(
        Programmes=PROGRAMMES,
        Risks=[RISKS, ["DIG-001", "SUPPLIER FAILS", None, 2, None, None, None, None]],
        Actions=[["Programme code", "Action", "Status"], ["DIG-001", "sign escrow deal", "Done"]],
    )
    report = run(changed)
    assert problems(report) == []
    assert (report.risks_created, report.risks_updated, report.actions_updated) == (0, 1, 1)
    entry = db.session.scalar(select(RegisterEntry))
    assert (entry.title, entry.likelihood, entry.impact, entry.owner) == ("Supplier fails", 2, 5, "Sam")
    action = db.session.scalar(select(ProgrammeAction))
    assert action.status is ActionStatus.DONE and action.due_date == date(2027, 1, 31)
    assert action.done_on is None  # the file does not say when: unknown, not today
    update = db.session.scalar(
        select(AuditEvent).where(AuditEvent.entity_type == "register_entry", AuditEvent.action == "update")
    )
    assert update.changes == {"likelihood": [4, 2]}
    assert update.summary == "Changed risk 'Supplier fails' by import of raid.xlsx"


def test_bad_cells_are_problems_naming_sheet_row_and_column_and_nothing_is_written(app) -> None:
    tomorrow = london_today(utcnow()) + timedelta(days=1)
    data = workbook(
        Programmes=PROGRAMMES,
        Risks=[
            RISKS,
            ["DIG-001", "Supplier fails", "Threat", 7, "High", None, None, None],
            ["DIG-001", None, "Risk", 1, 1, None, None, None],
            ["DIG-001", "No impact given", "Risk", 2, None, None, None, None],
        ],
        Actions=[
            ["Programme code", "Action", "Due date", "Status"],
            ["DIG-001", "Sign escrow deal", "31/02/2027", "Open"],
            ["DIG-001", "Brief the union", None, "Parked"],
        ],
        Decisions=[
            ["Programme code", "Decision", "Decision date"],
            ["DIG-001", "Go with the cloud", tomorrow],
        ],
        Lessons=[["Programme code", "Lesson", "What happened"], ["DIG-001", "Involve staff early", None]],
    )
    report = run(data)
    assert not report.committed
    assert problems(report) == [
        "Actions row 2, Due date (C): '31/02/2027' is not a date we recognise: "
        "write it like 31/05/2010, 31 May 2010 or 2010-05-31",
        "Actions row 3, Status (D): 'Parked' is not a status: use one of open, done",
        "Decisions row 2, Decision date (C): The date decided must be today or in the past",
        "Lessons row 2, Kind: Say whether the lesson went well or is one to do differently",
        "Lessons row 2, What happened (C): Enter what happened",
        "Risks row 2, Probability (D): '7' is not a likelihood: use one of 1, 2, 3, 4, 5",
        "Risks row 3, Risk (B): Give this row a title",
        "Risks row 4, Severity (E): A new risk needs an impact from 1 to 5",
    ]
    assert count(Programme) == count(RegisterEntry) == count(ProgrammeAction) == count(Decision) == 0


def test_a_record_listed_twice_is_refused(app) -> None:
    data = workbook(
        Programmes=PROGRAMMES,
        Decisions=[
            ["Programme code", "Decision", "Decided by"],
            ["DIG-001", "Go with the cloud", "Board"],
            ["dig-001", "GO WITH THE CLOUD", "Cabinet"],
        ],
    )
    assert problems(run(data)) == [
        "Decisions row 3, Decision (B): Row 2 has the same decision for DIG-001: list each one once"
    ]


def test_a_closed_programme_refuses_risks_actions_and_decisions_but_takes_its_lessons(app) -> None:
    assert run(workbook(Programmes=PROGRAMMES)).committed
    close_programme()
    data = workbook(
        Risks=[RISKS, ["DIG-001", "Supplier fails", "Risk", 4, 5, None, None, None]],
        Actions=[["Programme code", "Action"], ["DIG-001", "Sign escrow deal"]],
        Lessons=[
            ["Programme code", "Lesson", "Kind", "What happened"],
            ["DIG-001", "Start benefits tracking early", "Do differently", "Baseline was lost"],
        ],
        Programmes=PROGRAMMES,
    )
    assert problems(run(data)) == [
        "Actions row 2: DIG-001 is closed, so its register cannot change: reopen it first",
        "Risks row 2: DIG-001 is closed, so its register cannot change: reopen it first",
    ]
    lessons_only = workbook(
        Programmes=PROGRAMMES,
        Lessons=[
            ["Programme code", "Lesson", "Kind", "What happened"],
            ["DIG-001", "Start benefits tracking early", "Do differently", "Baseline was lost"],
        ],
    )
    report = run(lessons_only)
    assert problems(report) == [] and report.lessons_created == 1
    assert db.session.scalar(select(Lesson.kind)) is LessonKind.DO_DIFFERENTLY


def test_programme_managers_import_registers_only_into_programmes_they_manage(app, make_user) -> None:
    mine, theirs = make_user(Role.PROGRAMME_MANAGER), make_user(Role.PROGRAMME_MANAGER)
    programmes = [
        ["Code", "Name", "Directorate", "Focus", "Programme manager"],
        ["DIG-001", "Front door", "Customer", "Both", mine.email],
        ["DIG-002", "Waste app", "Place", "Both", theirs.email],
    ]
    assert run(workbook(Programmes=programmes)).committed
    data = workbook(
        Programmes=[programmes[0][:4], programmes[1][:4]],
        Risks=[
            RISKS,
            ["DIG-001", "Supplier fails", "Risk", 4, 5, None, None, None],
            ["DIG-002", "Bins late", "Risk", 2, 2, None, None, None],
        ],
    )
    assert problems(run(data, user=mine)) == [
        "Risks row 3, Project (A): DIG-002 is managed by someone else: "
        "you can only import into programmes you manage"
    ]
    assert count(RegisterEntry) == 0


@pytest.mark.parametrize("dry_run", [True, False])
def test_the_check_counts_what_the_import_writes(app, dry_run: bool) -> None:
    data = workbook(
        Programmes=PROGRAMMES,
        Decisions=[["Programme code", "Decision"], ["DIG-001", "Go with the cloud"]],
    )
    report = run(data, dry_run=dry_run)
    assert report.decisions_created == 1 and report.committed is not dry_run
    assert ("decisions", 1, 0) in report.register_counts()
    assert count(Decision) == (0 if dry_run else 1)


def test_a_raid_log_alone_names_programmes_already_in_the_tracker_and_never_renames_them(app) -> None:
    assert run(workbook(Programmes=PROGRAMMES)).committed
    raid_log = workbook(
        RAID_log=[
            ["Programme code", "Type", "Title", "Likelihood", "Impact", "Owner", "Review date"],
            ["DIG-001", "Issue", "Supplier went bust", None, "Very high", "Sam", "01/06/2026"],
            ["DIG-404", "Risk", "Not ours", 1, 1, None, None],
        ]
    )
    sources = imports.pick_sources(imports.read_file(raid_log, "raid.xlsx"))
    assert sources.programmes is None and set(sources.registers) == {SheetKind.RISKS}
    assert problems(run(raid_log)) == [
        "RAID log row 3, Programme code (A): "
        "No programme has the code DIG-404, in the tracker or in this file"
    ]
    report = run(
        workbook(
            RAID_log=[
                ["Programme code", "Type", "Title", "Impact"],
                ["DIG-001", "Issue", "Supplier went bust", 5],
            ]
        )
    )
    assert problems(report) == [] and report.committed and not report.has_programmes
    assert report.summary() == "Imported 1 rows; risks and issues 1 new, 0 updated."
    assert db.session.scalar(select(Programme.name)) == "Front door"
    issue = db.session.scalar(select(RegisterEntry))
    assert (issue.kind, issue.likelihood, issue.impact) == (EntryKind.ISSUE, 5, 5)
    csv = b"Programme code,Decision,Decided by\nDIG-001,Go with the cloud,Cabinet\n"
    sources = imports.pick_sources(imports.read_file(csv, "Decision log.csv"))
    mapping = imports.ImportMapping(columns={}).with_guesses(sources)
    report = imports.run_import(sources, mapping, user=None, source_name="Decision log.csv", dry_run=False)
    assert problems(report) == [] and report.decisions_created == 1
    assert db.session.scalar(select(Programme.name)) == "Front door"


def test_milestones_beside_a_register_update_an_existing_programmes_plan_in_place(app) -> None:
    first = workbook(
        Programmes=PROGRAMMES,
        Milestones=[
            ["Programme code", "Milestone", "Baseline date"],
            ["DIG-001", "Go live", date(2027, 1, 31)],
        ],
    )
    assert run(first).milestones_created == 1
    later = workbook(
        Milestones=[
            ["Programme code", "Milestone", "Forecast date"],
            ["DIG-001", "Go live", date(2027, 2, 28)],
        ],
        Actions=[["Programme code", "Action"], ["DIG-001", "Chase the supplier"]],
    )
    report = run(later)
    assert problems(report) == []
    assert (report.milestones_created, report.milestones_updated, report.actions_created) == (0, 1, 1)
    assert db.session.scalar(select(func.count()).select_from(Milestone)) == 1
    assert db.session.scalar(select(Milestone.forecast_date)) == date(2027, 2, 28)


def test_the_cli_imports_a_raid_log_and_says_what_it_added(app, tmp_path) -> None:
    assert run(workbook(Programmes=PROGRAMMES)).committed
    raid = tmp_path / "raid.xlsx"
    raid.write_bytes(
        workbook(Risks=[RISKS, ["DIG-001", "Supplier fails", "Risk", "Low", "High", "Sam", None, None]])
    )
    result = app.test_cli_runner().invoke(args=["import", "programmes", str(raid)])
    assert result.exit_code == 0, result.output
    assert "Imported 1 rows; risks and issues 1 new, 0 updated." in result.output
    assert db.session.scalar(select(RegisterEntry)).score == 8
