"""A workbook exported from the tracker comes back in unchanged: the import reads what the export writes."""

from __future__ import annotations

from sqlalchemy import func, select

from tracker.domain.imports.fields import SheetKind
from tracker.domain.spreadsheet import xlsx_bytes
from tracker.extensions import db
from tracker.models import AuditEvent, Role, User
from tracker.services import imports
from tracker.services.demo import seed_demo
from tracker.services.exports import portfolio_sheets
from tracker.services.portfolio import PortfolioQuery


def test_the_exported_portfolio_imports_back_unchanged(app) -> None:
    seed_demo()
    admin = db.session.scalar(select(User).where(User.role == Role.ADMIN))
    data = xlsx_bytes(portfolio_sheets(admin, PortfolioQuery(include_closed=True)))
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    sources = imports.pick_sources(imports.read_file(data, "portfolio.xlsx"))
    mapping = imports.ImportMapping(columns={}).with_guesses(sources)
    assert sources.milestones is not None and sources.investments is not None
    assert {"code", "name", "manager", "confidence"} <= set(mapping.columns[SheetKind.PROGRAMMES].values())
    assert {"baseline_date", "forecast_date", "status"} <= set(mapping.columns[SheetKind.MILESTONES].values())
    assert {"title", "financial_year", "approved"} <= set(mapping.columns[SheetKind.INVESTMENTS].values())
    report = imports.run_import(sources, mapping, user=admin, source_name="portfolio.xlsx", dry_run=False)
    assert [imports.describe(p) for p in report.problems] == []
    assert report.rows >= 10 and (report.created, report.updated, report.unchanged) == (0, 0, report.rows)
    assert (report.milestones_created, report.milestones_updated) == (0, 0)
    assert (report.investments_created, report.investments_updated) == (0, 0)
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events
