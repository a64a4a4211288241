"""Every change to a programme's facts re-rates it in the same transaction: no scan needed for the page,
the dashboard or the list to show the rating the facts now give."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import delete, select

from tests.services.test_risk_scan import (
    add_full_programmes,
    add_milestone,
    add_programme,
    counting_queries,
    latest,
)
from tracker.extensions import db
from tracker.models import (
    Benefit,
    CostType,
    EntryKind,
    MilestoneStatus,
    Programme,
    ProgrammeFigures,
    Rag,
    Recurrence,
    Response,
    Role,
    Stage,
    TrajectoryPoint,
    Trend,
)
from tracker.services import benefits, imports, money, register
from tracker.services.milestones import rebaselines
from tracker.services.milestones import records as milestones
from tracker.services.programmes import records as programmes
from tracker.services.programmes import status_updates
from tracker.services.programmes.overview import programme_overview
from tracker.services.programmes.records import StageChange
from tracker.services.ratings.scan import scan_portfolio

SCAN_AT = datetime(2027, 3, 10, 6, 0, tzinfo=UTC)
NOW = datetime(2027, 3, 10, 14, 5, tzinfo=UTC)
TODAY = date(2027, 3, 10)


@pytest.fixture(autouse=True)
def afternoon(time_machine) -> None:
    """Edits happen at 2:05pm, after the morning's scan."""
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def pm(make_user):
    return make_user(Role.PROGRAMME_MANAGER, name="Pat Manager")


def scanned(programme: Programme) -> Programme:
    """The morning's scan has rated it; what follows happens with no scan."""
    db.session.commit()
    scan_portfolio(today=TODAY, now=SCAN_AT)
    assert latest(programme).trigger == "scan"
    return programme


def rules(programme: Programme) -> set[str]:
    return {flag["rule"] for flag in latest(programme).flags}


def assert_rerated(programme: Programme, *, trigger: str, user_id: int | None) -> None:
    row = latest(programme)
    assert (row.assessed_at, row.trigger, row.triggered_by_id) == (NOW, trigger, user_id)


def test_a_milestone_forecast_past_its_baseline_turns_the_rating_at_once(app, pm) -> None:
    programme = add_programme()
    milestone = add_milestone(programme, "Go-live", date(2027, 4, 1), critical=True)
    assert latest(scanned(programme)).rating == Rag.GREEN

    milestones.update_progress(
        programme,
        user=pm,
        updates=[
            milestones.Progress(
                milestone.id,
                milestone.version,
                date(2027, 7, 1),
                None,
                MilestoneStatus.IN_PROGRESS,
                "Supplier",
            )
        ],
        today=TODAY,
    )

    assert "forecast_slip" in rules(programme) and latest(programme).rating != Rag.GREEN
    assert_rerated(programme, trigger="milestone", user_id=pm.id)
    words = programme_overview(programme.code).rated
    assert words == "Rated on 10 March 2027 at 2:05pm, after a milestone change by Pat Manager."


def test_a_money_line_above_budget_flags_the_cost_at_once(app, pm) -> None:
    programme = scanned(add_programme())
    line = money.Line(
        "Licences", CostType.REVENUE, Recurrence.RECURRING, 2026, Decimal(100_000), Decimal(100_000),
        Decimal(150_000),
    )  # fmt: skip
    money.create_investment(programme, line, user=pm)
    assert "cost_overrun" in rules(programme)
    assert_rerated(programme, trigger="money", user_id=pm.id)
    # The dashboard's stored figures were written after the rating, so they count its flags.
    figures = db.session.get(ProgrammeFigures, programme.id)
    assert figures is not None and figures.as_of == TODAY


def test_a_measurement_behind_plan_flags_the_benefit_at_once(app, pm) -> None:
    programme = add_programme()
    benefit = db.session.scalars(select(Benefit).filter_by(programme_id=programme.id)).one()
    db.session.add(TrajectoryPoint(benefit_id=benefit.id, on_date=date(2027, 1, 1), value=Decimal(50)))
    scanned(programme)
    assert "benefits_behind_trajectory" not in rules(programme)

    benefits.record_measurement(
        programme, benefit_id=benefit.id, on_date=date(2027, 3, 1), value=Decimal(10), note="", user=pm
    )
    assert "benefits_behind_trajectory" in rules(programme)
    assert_rerated(programme, trigger="benefit", user_id=pm.id)


def test_a_high_risk_with_no_mitigation_is_flagged_at_once(app, pm) -> None:
    programme = scanned(add_programme())
    values = register.EntryValues(
        EntryKind.RISK, "Key supplier may fail", "", 5, 5, "", Response.TREAT, "", None
    )
    register.create_entry(programme, values=values, user=pm)
    assert "unmitigated_high_risks" in rules(programme)
    assert latest(programme).rating == Rag.AMBER
    assert_rerated(programme, trigger="register", user_id=pm.id)


def test_a_status_update_clears_the_stale_flag_at_once(app, pm) -> None:
    programme = scanned(add_programme(updated_days_ago=120))
    assert "stale" in rules(programme)
    values = status_updates.UpdateValues(
        date(2027, 2, 1), date(2027, 2, 28), Rag.GREEN, Rag.GREEN, Rag.GREEN, Rag.GREEN, Rag.GREEN, "On track"
    )
    draft = status_updates.create_draft(programme, values=values, user=pm)
    assert "stale" in rules(programme)  # a draft is not a report
    status_updates.submit(programme, update_id=draft.id, expected_version=None, user=pm)
    assert "stale" not in rules(programme) and latest(programme).rating == Rag.GREEN
    assert_rerated(programme, trigger="status_update", user_id=pm.id)


def test_an_approved_rebaseline_clears_the_overdue_milestone_at_once(app, pm, make_user) -> None:
    cio = make_user(Role.CIO, name="Chris Officer")
    programme = add_programme()
    milestone = add_milestone(programme, "Go-live", date(2027, 1, 29), critical=True)
    assert latest(scanned(programme)).rating == Rag.RED
    asked = rebaselines.request_rebaseline(
        programme, milestone.id, user=pm, proposed_date=date(2027, 6, 1), reason="Supplier failed"
    )
    assert "overdue_milestone" in rules(programme)  # asking changes nothing yet

    rebaselines.decide(asked.id, user=cio, approve=True, note="Agreed at board")

    assert "overdue_milestone" not in rules(programme) and latest(programme).rating == Rag.GREEN
    assert latest(programme).trend == Trend.RESOLVED
    assert_rerated(programme, trigger="rebaseline", user_id=cio.id)
    words = programme_overview(programme.code).rated
    assert words.endswith("after a re-baseline request or decision by Chris Officer.")


def test_moving_into_delivery_with_no_benefit_flags_it_at_once(app, make_user) -> None:
    cio = make_user(Role.CIO)
    programme = add_programme(stage=Stage.BUSINESS_CASE)
    db.session.execute(delete(Benefit).where(Benefit.programme_id == programme.id))
    assert "no_benefits" not in rules(scanned(programme))

    programmes.change_stage(
        programme.code, change=StageChange.MOVE, user=cio, stage=Stage.DELIVERY, expected_version=None
    )
    assert "no_benefits" in rules(programme)
    assert_rerated(programme, trigger="stage", user_id=cio.id)


def test_an_import_rates_what_it_brought_in(app, make_user) -> None:
    admin = make_user(Role.ADMIN)
    data = (
        b"Code,Name,Directorate,Focus,Programme manager,Start date,Baseline end date,Forecast end date,"
        b"DCA,Budget,Forecast cost\n"
        b"IMP-001,Payments,Finance,cost_reduction,,2026-04-01,2027-01-31,2027-09-30,Amber,100000,180000\n"
    )
    sources = imports.pick_sources(imports.read_file(data, "returns.csv"))
    mapping = imports.ImportMapping(columns={}).with_guesses(sources)
    report = imports.run_import(sources, mapping, user=admin, source_name="returns.csv", dry_run=False)
    assert report.committed
    programme = db.session.scalars(select(Programme).filter_by(code="IMP-001")).one()
    assert_rerated(programme, trigger="import", user_id=admin.id)
    assert latest(programme).rating != Rag.GREEN


def test_a_days_edits_all_compare_with_the_rating_the_day_began_with(app, pm) -> None:
    programme = add_programme()
    milestone = add_milestone(programme, "Go-live", date(2027, 4, 1))
    db.session.commit()
    scan_portfolio(today=TODAY - timedelta(days=1), now=SCAN_AT - timedelta(days=1))
    assert latest(programme).rating == Rag.GREEN

    def forecast(on: date) -> None:
        current = db.session.get(type(milestone), milestone.id)
        row = milestones.Progress(current.id, current.version, on, None, MilestoneStatus.IN_PROGRESS, "Moved")
        milestones.update_progress(programme, user=pm, updates=[row], today=TODAY)

    forecast(date(2027, 7, 1))
    assert latest(programme).trend == Trend.NEW  # flags where yesterday there were none
    forecast(date(2027, 8, 1))
    assert latest(programme).trend == Trend.NEW  # still against yesterday, not "worse" than 2:05pm
    forecast(date(2027, 4, 1))
    assert latest(programme).trend == Trend.SAME  # back as the day began: not "resolved"
    history = db.session.scalars(select(type(latest(programme))).filter_by(programme_id=programme.id))
    assert sum(row.is_latest for row in history) == 1


def queries_in_a_milestone_save(pm) -> int:
    programme = db.session.scalars(select(Programme).order_by(Programme.id)).first()
    milestone = add_milestone(programme, "Training", date(2027, 6, 1))
    db.session.commit()
    row = milestones.Progress(
        milestone.id, milestone.version, date(2027, 6, 20), None, MilestoneStatus.IN_PROGRESS, "x"
    )
    with counting_queries() as statements:
        milestones.update_progress(programme, user=pm, updates=[row], today=TODAY)
    return len(statements)


def test_a_saves_rerating_costs_the_same_queries_whatever_the_portfolio_size(app, pm) -> None:
    add_full_programmes(3)
    scan_portfolio(today=TODAY, now=SCAN_AT)
    with_three = queries_in_a_milestone_save(pm)
    add_full_programmes(40)
    scan_portfolio(today=TODAY, now=SCAN_AT)
    assert queries_in_a_milestone_save(pm) == with_three
