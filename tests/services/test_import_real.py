"""A real government IT portfolio through `flask import programmes`, then the real risk scan.

The file (../shared/data/real/gc-it-projects-combined.csv) has 1,126 projects with original and
latest budgets and completion dates. The mapping in tests/import_gc_mapping.json turns the original
budget into the approved amount and the latest into the forecast of a budget line, and the completion
dates into a critical milestone's baseline and forecast, so slipped and overspent projects are flagged.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import AuditEvent, Investment, Milestone, Programme, RiskAssessment, Stage
from tracker.services.ratings.scan import scan_portfolio

REAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "real" / "gc-it-projects-combined.csv"
MAPPING = Path(__file__).resolve().parents[1] / "import_gc_mapping.json"


def run(app: Flask, *extra: str):
    # Never skipped: the suite runs with ../shared beside the checkout, as CI does.
    assert REAL.exists(), f"{REAL} is missing: put the shared folder beside the checkout"
    return app.test_cli_runner().invoke(
        args=["import", "programmes", str(REAL), "--mapping", str(MAPPING), *extra]
    )


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_a_dry_run_checks_every_row_and_writes_nothing(app: Flask) -> None:
    result = run(app, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Would import 1126 rows: 1126 new, 0 updated, 0 unchanged programmes" in result.output
    assert count(Programme) == 0 and count(AuditEvent) == 0


def test_the_real_portfolio_imports_and_the_scan_flags_slips_and_overruns(app: Flask) -> None:
    result = run(app)
    assert result.exit_code == 0, result.output
    assert "Imported 1126 rows: 1126 new" in result.output
    assert count(Programme) == 1126
    # Projects with a completion date get a completion milestone; those with a budget, a budget line.
    assert count(Milestone) == 1066 and count(Investment) == 1108
    assert db.session.scalar(select(func.count()).where(Programme.stage == Stage.CLOSED)) == 565

    crm = db.session.scalar(select(Programme).where(Programme.name.like("%(aafc-gcdp-crm)")))
    assert crm is not None and crm.code.startswith("GC-")
    assert crm.directorate == "Agriculture and Agri-Food Canada"
    assert (crm.baseline_end_date, crm.forecast_end_date) == (date(2021, 7, 27), date(2022, 9, 30))
    line = db.session.scalar(select(Investment).where(Investment.programme_id == crm.id))
    assert (line.approved, line.forecast) == (Decimal("11195560.00"), Decimal("21289200.00"))
    milestone = db.session.scalar(select(Milestone).where(Milestone.programme_id == crm.id))
    assert (milestone.original_baseline_date, milestone.forecast_date) == (
        date(2021, 7, 27),
        date(2022, 9, 30),
    )
    assert milestone.critical
    assert count(AuditEvent) == 1126 + 1066 + 1108

    summary = scan_portfolio()
    assert summary.summary().startswith("Scanned 561 programmes")
    latest = db.session.scalars(select(RiskAssessment).where(RiskAssessment.is_latest.is_(True))).all()
    rules = {a.programme_id: {flag["rule"] for flag in a.flags} for a in latest}
    # A slip on a milestone already overdue is said in its overdue flag rather than in a second flag.
    slipped = {
        a.programme_id
        for a in latest
        for flag in a.flags
        if flag["rule"] == "forecast_slip" or "slip_days" in flag["evidence"]
    }
    assert {"overdue_milestone", "cost_overrun"} <= rules[crm.id] and crm.id in slipped
    # Open projects whose latest date is more than 30 days after the original, and whose latest budget
    # is more than 10% over the original (the default thresholds), counted from the file by hand.
    assert len(slipped) == 113
    assert sum("cost_overrun" in r for r in rules.values()) == 84


def test_importing_the_same_file_again_changes_nothing(app: Flask) -> None:
    assert run(app).exit_code == 0
    events = count(AuditEvent)
    again = run(app)
    assert again.exit_code == 0, again.output
    assert "0 new, 0 updated, 1126 unchanged programmes" in again.output
    assert (count(Programme), count(Milestone), count(Investment), count(AuditEvent)) == (
        1126,
        1066,
        1108,
        events,
    )
