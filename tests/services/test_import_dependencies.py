"""Importing a Dependencies sheet: each row's milestone waits for another programme's, both named by code
and title (in the tracker or in the same file), checked as the forms check them, every bad cell named by
sheet, row and column, and nothing written until every row is clean."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from tests.services.test_import_registers import count, problems, run, workbook
from tests.services.test_risk_scan import add_milestone, add_programme, latest
from tracker.extensions import db
from tracker.models import AuditEvent, MilestoneDependency, MilestoneStatus, Role
from tracker.services.imports.model import Report

HEADERS = ["Programme code", "Milestone", "Depends on programme", "Depends on milestone", "Needed by", "Note"]
NOW = datetime(2027, 3, 10, 12, tzinfo=UTC)


@pytest.fixture(autouse=True)
def midday(time_machine) -> None:
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def portfolio(app):
    """FIN-002's go-live (forecast 20 April 2027) and DAT-005's dashboards, in the tracker."""
    finance = add_programme(code="FIN-002", name="Finance system")
    add_milestone(finance, "Finance go-live", date(2027, 4, 20), forecast_date=date(2027, 4, 20))
    data = add_programme(code="DAT-005", name="Data platform")
    add_milestone(data, "Dashboards live", date(2027, 6, 1), forecast_date=date(2027, 6, 1))
    done = add_milestone(data, "Discovery", date(2026, 9, 1), actual_date=date(2026, 9, 1))
    done.status = MilestoneStatus.COMPLETE
    db.session.commit()
    return data, finance


def dependencies(*rows: list[object]) -> bytes:
    return workbook(Dependencies=[HEADERS, *rows])


def pairs() -> list[tuple[str, str, date, str]]:
    return [
        (d.milestone.title, d.depends_on.title, d.needed_by, d.note)
        for d in db.session.scalars(select(MilestoneDependency).order_by(MilestoneDependency.id))
    ]


def test_a_dependency_sheet_is_recognised_by_name_imported_audited_and_rated(portfolio) -> None:
    data, _ = portfolio
    report = run(
        dependencies(["dat-005", "Dashboards live", "FIN-002", "finance go-live", date(2027, 4, 1), "Ledger"])
    )

    assert problems(report) == []
    assert report.committed and (report.dependencies_created, report.dependencies_updated) == (1, 0)
    assert "dependencies 1 new, 0 updated" in report.summary()
    assert pairs() == [("Dashboards live", "Finance go-live", date(2027, 4, 1), "Ledger")]
    summaries = set(
        db.session.scalars(select(AuditEvent.summary).where(AuditEvent.entity_type == "milestone_dependency"))
    )
    by = "needed by 1 April 2027 by import of raid.xlsx"
    assert summaries == {
        f"Dashboards live now waits for FIN-002 Finance go-live, {by}",
        f"DAT-005 Dashboards live now waits for Finance go-live, {by}",
    }
    assert [flag["rule"] for flag in latest(data).flags] == ["dependency_late"]
    assert latest(data).trigger == "import"


def test_importing_it_again_changes_nothing_and_a_new_date_updates_it(portfolio) -> None:
    row = ["DAT-005", "Dashboards live", "FIN-002", "Finance go-live", date(2027, 4, 1), ""]
    run(dependencies(row))
    again = run(dependencies(row))
    assert (again.dependencies_created, again.dependencies_updated) == (0, 0)
    moved = run(dependencies([*row[:4], date(2027, 5, 1), "Moved at the board"]))
    assert (moved.dependencies_created, moved.dependencies_updated) == (0, 1)
    assert pairs() == [("Dashboards live", "Finance go-live", date(2027, 5, 1), "Moved at the board")]


def test_milestones_added_by_the_same_file_can_wait_and_be_waited_for(app) -> None:
    june, may = date(2027, 6, 1), date(2027, 5, 1)
    book = workbook(
        Programmes=[["Code", "Name", "Directorate", "Focus"], ["ADU-001", "Adults", "Care", "Both"],
                    ["ICT-003", "Laptops", "Resources", "Both"]],
        Milestones=[["Programme code", "Milestone", "Baseline date"], ["ADU-001", "Training", june],
                    ["ICT-003", "Laptops issued", may]],
        Dependencies=[HEADERS, ["ADU-001", "Training", "ICT-003", "Laptops issued", date(2027, 5, 15), None]],
    )  # fmt: skip
    report = run(book)
    assert problems(report) == [] and report.dependencies_created == 1
    assert pairs() == [("Training", "Laptops issued", date(2027, 5, 15), "")]


def test_every_bad_cell_is_named_by_sheet_row_and_column_and_nothing_is_written(portfolio) -> None:
    report = run(
        dependencies(
            ["DAT-005", "Dashboards live", "DAT-005", "Discovery", date(2027, 4, 1), None],
            ["DAT-005", "", "NOPE-9", "", None, None],
            ["DAT-005", "Nowhere", "FIN-002", "Finance go-live", "31/02/2027", None],
            ["DAT-005", "Discovery", "FIN-002", "Finance go-live", date(2027, 4, 1), None],
            ["DAT-005", "Dashboards live", "FIN-002", "Missing", date(2027, 4, 1), None],
            ["XXX-001", "Dashboards live", "FIN-002", "Finance go-live", date(2027, 4, 1), None],
        )
    )
    assert not report.committed and count(MilestoneDependency) == 0
    found = problems(report)
    assert (
        "Dependencies row 2, Depends on programme (C): A milestone cannot depend on a milestone of its own "
        "programme: order them in the programme's own plan instead" in found
    )
    assert "Dependencies row 3, Milestone (B): Give the title of the milestone that waits" in found
    assert (
        "Dependencies row 3, Depends on programme (C): No programme has the code NOPE-9, in the tracker "
        "or in this file" in found
    )
    assert (
        "Dependencies row 3, Depends on milestone (D): Give the title of the milestone it waits for" in found
    )
    assert "Dependencies row 3, Needed by (E): Give the date it is needed by" in found
    assert any(line.startswith("Dependencies row 4, Needed by (E):") for line in found)
    assert (
        "Dependencies row 5, Milestone (B): Discovery is done or cancelled: it waits for nothing now" in found
    )
    assert (
        "Dependencies row 6, Depends on milestone (D): FIN-002 has no milestone called 'Missing', in the "
        "tracker or in this file" in found
    )
    assert (
        "Dependencies row 7, Programme code (A): No programme has the code XXX-001, in the tracker or in "
        "this file" in found
    )


def test_a_loop_across_the_files_rows_and_the_tracker_is_refused(portfolio) -> None:
    care = add_programme(code="ASC-004", name="Care")
    add_milestone(care, "Social workers trained", date(2027, 5, 1))
    db.session.commit()
    run(dependencies(["DAT-005", "Dashboards live", "FIN-002", "Finance go-live", date(2027, 5, 1), None]))
    report = run(
        dependencies(
            ["ASC-004", "Social workers trained", "DAT-005", "Dashboards live", date(2027, 7, 1), None],
            ["FIN-002", "Finance go-live", "ASC-004", "Social workers trained", date(2027, 4, 1), None],
            ["FIN-002", "Finance go-live", "ASC-004", "Social workers trained", date(2027, 4, 1), None],
        )
    )
    found = problems(report)
    assert (
        "Dependencies row 3, Depends on milestone (D): That would make a loop: FIN-002 Finance go-live would "
        "wait for ASC-004 Social workers trained, which waits for DAT-005 Dashboards live, which waits for "
        "FIN-002 Finance go-live. A milestone cannot wait, even through others, for itself." in found
    )
    assert (
        "Dependencies row 4, Depends on milestone (D): Row 3 has the same dependency: list each one once"
        in found
    )
    assert count(MilestoneDependency) == 1


def test_a_programme_manager_imports_only_into_programmes_they_manage(portfolio, make_user) -> None:
    pm = make_user(Role.PROGRAMME_MANAGER)
    report: Report = run(
        dependencies(["DAT-005", "Dashboards live", "FIN-002", "Finance go-live", date(2027, 4, 1), None]),
        user=pm,
    )
    assert problems(report) == [
        "Dependencies row 2, Programme code (A): DAT-005 is managed by someone else: you can only import "
        "into programmes you manage"
    ]
