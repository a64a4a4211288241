"""Each programme's stored row of dashboard figures: written by the scan and by every edit, used only on its
own day, and giving exactly the figures the dashboard works out from the child tables."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import delete, func, select, update

from tests.services import test_dashboard as by_hand
from tests.services.test_programmes import FACTS
from tracker.extensions import db
from tracker.jobs import run_job
from tracker.models import (
    Benefit,
    BenefitType,
    CostType,
    Investment,
    Programme,
    ProgrammeFigures,
    Recurrence,
    Stage,
    User,
)
from tracker.services import benefits, money
from tracker.services.dashboard.page import portfolio_dashboard
from tracker.services.portfolio.figures import refresh_programme_figures
from tracker.services.portfolio.scope import ProgrammeFilter
from tracker.services.programmes import records as programmes
from tracker.services.ratings.scan import daily_scan

NOW, TODAY, dashboard = by_hand.NOW, date(2026, 11, 20), by_hand.dashboard
people, portfolio = by_hand.people, by_hand.portfolio  # the hand-worked portfolio's fixtures


@pytest.fixture(autouse=True)
def frozen(time_machine) -> None:
    """Edits stamp their rows with today: the same day the dashboard is asked about."""
    time_machine.move_to(NOW, tick=False)


def open_ids() -> list[int]:
    return list(db.session.scalars(select(Programme.id).where(Programme.stage != Stage.CLOSED)))


def stored() -> dict[int, ProgrammeFigures]:
    return {row.programme_id: row for row in db.session.scalars(select(ProgrammeFigures))}


def same_figures(found, expected) -> None:
    """Everything on the page but the moment it was worked out."""
    assert replace(found, as_at=expected.as_at) == expected


def test_stored_rows_give_the_same_dashboard_as_the_child_tables(portfolio) -> None:
    computed = dashboard(portfolio["pm"])
    assert stored() == {}
    refresh_programme_figures(open_ids(), now=NOW)
    db.session.commit()
    assert set(stored()) == set(open_ids())
    assert {row.as_of for row in stored().values()} == {TODAY}
    same_figures(dashboard(portfolio["pm"]), computed)
    for filters in ({"mine": True}, {"rating": "amber"}, {"focus": computed.focus[0].focus}):
        with_rows = dashboard(portfolio["pm"], **filters)
        db.session.execute(delete(ProgrammeFigures))
        same_figures(with_rows, dashboard(portfolio["pm"], **filters))
        db.session.rollback()


def test_the_dashboard_reads_todays_rows_and_ignores_other_days(portfolio) -> None:
    refresh_programme_figures(open_ids(), now=NOW)
    res1 = db.session.scalar(select(Programme.id).where(Programme.code == "RES-001"))
    marker = update(ProgrammeFigures).where(ProgrammeFigures.programme_id == res1)
    db.session.execute(marker.values(approved=Decimal("7000000")))
    assert dashboard(portfolio["pm"]).counts.approved == Decimal("7500000.00")  # read from the row
    # The same row dated yesterday, or last financial year, is recomputed: 1,000,000 of the 1,500,000.
    for day in (TODAY - timedelta(days=1), date(2026, 3, 31)):
        db.session.execute(marker.values(as_of=day))
        assert dashboard(portfolio["pm"]).counts.approved == Decimal("1500000.00")


def test_a_row_of_another_day_is_not_used_for_dated_figures(portfolio) -> None:
    """A week later the overdue count and the weeks of the ratings chart move, with no edit and no scan."""
    refresh_programme_figures(open_ids(), now=NOW)
    db.session.commit()
    later = NOW + timedelta(weeks=7)
    found = portfolio_dashboard(db.session.get(User, portfolio["pm"]), ProgrammeFilter(), now=later)
    # 1 January 2027 has passed by 8 January: RES-001's future milestone is overdue too.
    assert found.counts.overdue_milestones == 2
    assert found.financial_year == 2026


def test_a_measurement_shows_on_the_dashboard_at_once(portfolio) -> None:
    daily_scan()
    before = dashboard(portfolio["pm"])
    programme = db.session.scalar(select(Programme).where(Programme.code == "RES-001"))
    saving = db.session.scalar(
        select(Benefit).where(Benefit.programme_id == programme.id, Benefit.baseline_value.is_(None),
                              Benefit.benefit_type == BenefitType.CASHABLE)
        .order_by(Benefit.id)
    )  # fmt: skip
    benefits.record_measurement(
        programme,
        benefit_id=saving.id,
        on_date=date(2026, 11, 19),
        value=Decimal("95000"),
        note="",
        user=db.session.get(User, portfolio["pm"]),
    )
    assert stored()[programme.id].as_of == TODAY
    after = dashboard(portfolio["pm"])
    # Higher from nothing: 60,000 measured in September, now 95,000.
    assert after.cashable_realised_to_date == before.cashable_realised_to_date + 35_000


def test_a_changed_investment_shows_on_the_dashboard_at_once(portfolio) -> None:
    daily_scan()
    programme = db.session.scalar(select(Programme).where(Programme.code == "RES-002"))
    line = db.session.scalar(select(Investment).where(Investment.programme_id == programme.id))
    user = db.session.get(User, portfolio["other"])
    before = dashboard(portfolio["pm"]).counts
    money.update_investment(
        programme,
        line.id,
        money.Line("Line 2026", CostType.CAPITAL, Recurrence.ONE_OFF, 2026, approved=Decimal(450_000),
                   forecast=Decimal(300_000), actual=Decimal(250_000)),
        user=user,
        expected_version=line.version,
    )  # fmt: skip
    after = dashboard(portfolio["pm"]).counts
    assert after.approved == before.approved + 150_000
    assert after.actual == before.actual + 150_000


def test_the_daily_scan_writes_a_row_for_every_open_programme(portfolio) -> None:
    result = daily_scan()
    rows = stored()
    assert set(rows) == set(open_ids()) and result.scanned == len(rows)
    assert db.session.scalar(select(func.count()).select_from(ProgrammeFigures)) == 4
    res1 = db.session.scalar(select(Programme.id).where(Programme.code == "RES-001"))
    assert rows[res1].approved == Decimal("1000000.00")
    assert rows[res1].overdue_milestones == 1
    assert rows[res1].rating_week_1 == "amber"  # assessed 10 days ago


def test_a_new_programme_has_its_row_at_once(portfolio) -> None:
    created = programmes.create_programme("new-001", facts=FACTS, user=db.session.get(User, portfolio["pm"]))
    row = stored()[created.id]
    assert (row.as_of, row.approved, row.overdue_milestones, row.rating_week_1) == (TODAY, 0, 0, None)
    assert dashboard(portfolio["pm"]).programmes == 5


def test_just_after_midnight_the_job_stores_the_new_days_rows(portfolio, time_machine) -> None:
    daily_scan()
    assert {row.as_of for row in stored().values()} == {TODAY}
    # 00:05 in London on the next day (GMT in November): yesterday's rows would no longer be used.
    time_machine.move_to("2026-11-21 00:05:00+00:00", tick=False)
    outcome = run_job("dashboard_figures")
    db.session.expire_all()
    rows = stored()
    assert set(rows) == set(open_ids())
    assert {row.as_of for row in rows.values()} == {TODAY + timedelta(days=1)}
    assert "4 programmes" in outcome.describe()
