"""Dashboard money with unknown amounts and categories: a missing forecast never hides an overspend."""

from __future__ import annotations

from decimal import Decimal

from tests.services.test_dashboard import assess, dashboard, flag, programme
from tracker.extensions import db
from tracker.models import (
    CostType,
    Focus,
    Investment,
    InvestmentCategory,
    Rag,
    Recurrence,
    Role,
    Stage,
)


def line(owner, title: str, category: InvestmentCategory, **amounts: int) -> None:
    db.session.add(
        Investment(
            programme_id=owner.id,
            title=title,
            category=category,
            cost_type=CostType.CAPITAL,
            recurrence=Recurrence.ONE_OFF,
            financial_year=2026,
            **{name: Decimal(value) for name, value in amounts.items()},
        )
    )


def test_the_issue_row_counts_its_spend_as_the_forecast_and_only_it_lines_as_technology(
    app, make_user
) -> None:
    pm = make_user(Role.PROGRAMME_MANAGER, name="Rail manager")
    rail = programme("RAIL-01", "Place", Focus.BOTH, stage=Stage.DELIVERY, manager_id=pm.id)
    line(rail, "Viaduct", InvestmentCategory.OTHER, approved=250_000, actual=1_200_000)
    line(rail, "Signalling software", InvestmentCategory.TECHNOLOGY, approved=40_000, forecast=30_000)
    assess(rail, Rag.AMBER, 20, 1, latest=True, flags=[flag("technology_only", "amber", "Technology only")])
    db.session.commit()
    found = dashboard(pm.id)
    assert (found.counts.approved, found.counts.forecast, found.counts.actual) == (
        Decimal("290000.00"),
        Decimal("1230000.00"),
        Decimal("1200000.00"),
    )
    assert found.technology_only.investment == Decimal("40000.00")
    assert found.technology_only.largest == [("RAIL-01", "Programme RAIL-01", Decimal("40000.00"))]


def test_a_line_with_no_forecast_is_counted_so_the_page_never_says_under_budget(app, client, auth) -> None:
    manager = auth.sign_in_as(Role.CIO)
    council = programme("ERP-01", "Resources", Focus.BOTH, stage=Stage.DELIVERY, manager_id=manager.id)
    line(council, "Integrator", InvestmentCategory.TECHNOLOGY, approved=500_000, forecast=400_000)
    line(council, "Backfill", InvestmentCategory.BUSINESS_CHANGE, approved=100_000)
    assess(council, Rag.AMBER, 20, 1, latest=True)
    db.session.commit()
    found = dashboard(manager.id)
    assert (found.counts.forecast, found.counts.forecast_unknown) == (Decimal("400000.00"), 1)
    page = " ".join(client.get("/dashboard").get_data(as_text=True).split())
    assert "under budget" not in page
    assert "Not known: 1 line with no forecast (their spend so far is counted)" in page
