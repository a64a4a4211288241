"""Money services: lines by financial year with totals, gap and variance; edits audited and versioned."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import (
    AuditAction,
    AuditEvent,
    CostType,
    Focus,
    Investment,
    Programme,
    Recurrence,
    Role,
    Stage,
)
from tracker.services import money
from tracker.services.errors import Conflict, Invalid

CAP, REV = CostType
ONE, REC = Recurrence


@pytest.fixture
def pm(make_user):
    return make_user(Role.PROGRAMME_MANAGER, name="Priya Shah")


@pytest.fixture
def programme(pm) -> Programme:
    programme = Programme(
        code="FIN-002",
        name="ERP",
        directorate="Resources",
        focus=Focus.BOTH,
        stage=Stage.DELIVERY,
        manager_id=pm.id,
    )
    db.session.add(programme)
    db.session.commit()
    return programme


def line(
    title: str, year: int, requested: str, approved: str, forecast: str, actual: str = "0", **kw
) -> money.Line:
    amounts = {"requested": requested, "approved": approved, "forecast": forecast, "actual": actual}
    return money.Line(
        title=title,
        cost_type=kw.get("cost_type", CAP),
        recurrence=kw.get("recurrence", ONE),
        financial_year=year,
        **{name: Decimal(value) for name, value in amounts.items()},
    )


def test_lines_are_grouped_by_year_with_totals_gap_and_variance(programme, pm) -> None:
    money.create_investment(
        programme, line("Integrator", 2026, "500000", "450000", "480000", "100000"), user=pm
    )
    money.create_investment(
        programme,
        line("Licences", 2026, "120000", "120000", "115000", cost_type=REV, recurrence=REC),
        user=pm,
    )
    money.create_investment(programme, line("Licences", 2027, "125000", "100000", "125000"), user=pm)

    summary = money.money_summary(programme.id)

    assert [(year.label, [item.title for item in year.lines]) for year in summary.years] == [
        ("2026/27", ["Integrator", "Licences"]),
        ("2027/28", ["Licences"]),
    ]
    first = summary.years[0].totals
    assert (first.requested, first.approved, first.forecast, first.actual) == (
        Decimal("620000"),
        Decimal("570000"),
        Decimal("595000"),
        Decimal("100000"),
    )
    assert (first.gap, first.variance_text) == (Decimal("50000"), "£25,000 over")
    whole = summary.whole_life
    assert (whole.requested, whole.gap, whole.variance) == (
        Decimal("745000"),
        Decimal("75000"),
        Decimal("50000"),
    )
    assert whole.variance_text == "£50,000 over"


def test_variance_wording() -> None:
    assert money.variance_wording(Decimal("30000")) == "£30,000 over"
    assert money.variance_wording(Decimal("-5000")) == "£5,000 under"
    assert money.variance_wording(Decimal("0.00")) == "On budget"


def test_blank_amounts_stay_unknown_and_the_rules_hold(programme, pm) -> None:
    created = money.create_investment(
        programme,
        money.Line("Training", CostType.REVENUE, Recurrence.ONE_OFF, 2026, requested=Decimal("5000")),
        user=pm,
    )
    assert (created.requested, created.approved, created.forecast, created.actual) == (
        Decimal("5000"),
        None,
        None,
        None,
    )
    with pytest.raises(Invalid, match="cannot be negative") as raised:
        money.create_investment(programme, line("Refund", 2026, "-1", "0", "0"), user=pm)
    assert raised.value.field == "requested"
    with pytest.raises(Invalid, match="from 1990/91 to 2100/01"):
        money.create_investment(programme, line("Old", 1989, "1", "0", "0"), user=pm)
    with pytest.raises(Invalid, match="title"):
        money.create_investment(programme, line("   ", 2026, "1", "0", "0"), user=pm)


def test_edits_are_audited_and_a_stale_copy_is_refused(programme, pm, make_user) -> None:
    other = make_user(Role.CIO, name="Helen Carter")
    created = money.create_investment(
        programme, line("Integrator", 2026, "500000", "450000", "480000"), user=pm
    )
    stale_version = created.version

    money.update_investment(
        programme,
        created.id,
        line("Integrator", 2026, "500000", "500000", "480000"),
        user=other,
        expected_version=stale_version,
    )
    with pytest.raises(Conflict, match="changed by Helen Carter"):
        money.update_investment(
            programme,
            created.id,
            line("Integrator", 2026, "1", "1", "1"),
            user=pm,
            expected_version=stale_version,
        )

    trail = db.session.scalars(
        select(AuditEvent).where(AuditEvent.programme_id == programme.id).order_by(AuditEvent.id)
    ).all()
    assert [event.action for event in trail] == [AuditAction.CREATE, AuditAction.UPDATE]
    assert trail[1].changes == {"approved": ["450000.00", "500000"]}
    assert db.session.get(Investment, created.id).approved == Decimal("500000")
    assert db.session.get(Programme, programme.id).last_update_at is not None


def test_deleting_is_recorded(programme, pm) -> None:
    created = money.create_investment(
        programme, line("Integrator", 2026, "500000", "450000", "480000"), user=pm
    )
    created_id = created.id
    assert (
        money.delete_investment(programme, created_id, user=pm, expected_version=created.version)
        == "Integrator"
    )
    assert db.session.get(Investment, created_id) is None
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == AuditAction.DELETE)).one()
    assert (event.entity_id, event.programme_id, event.changes["title"]) == (
        created_id,
        programme.id,
        ["Integrator", None],
    )
