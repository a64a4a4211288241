"""A benefit's status (being measured, realised, written off) and handover, and the benefits register
across the portfolio: which benefits it holds, their latest measurement, and the cashable savings they
add up to, counted as the dashboard counts them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.factories import BenefitFactory, ProgrammeFactory
from tracker.extensions import db
from tracker.models import (
    AuditEvent,
    Benefit,
    BenefitStatus,
    BenefitType,
    Direction,
    Measurement,
    Programme,
    Role,
    Stage,
    User,
)
from tracker.services import benefits
from tracker.services.benefits import StatusValues
from tracker.services.errors import Conflict, Invalid
from tracker.services.portfolio.benefits import ALL, BenefitsQuery, benefits_page, benefits_sheet

TODAY = date(2026, 12, 4)


@pytest.fixture
def user(app, make_user) -> User:
    return make_user(Role.PROGRAMME_MANAGER, name="Priya Shah")


@pytest.fixture
def programme(user: User) -> Programme:
    return ProgrammeFactory(code="ASC-013", stage=Stage.CLOSED, manager_id=user.id)


def test_a_benefit_is_written_off_with_its_reason_and_audited(programme: Programme, user: User) -> None:
    benefit = BenefitFactory(programme=programme, title="Fewer failed alarm calls")

    benefits.change_status(
        programme,
        benefit_id=benefit.id,
        values=StatusValues(BenefitStatus.WRITTEN_OFF, "The switch-off was delayed", date(2026, 11, 30)),
        expected_version=benefit.version,
        user=user,
        today=TODAY,
    )

    db.session.expire_all()
    saved = db.session.get(Benefit, benefit.id)
    assert saved.status is BenefitStatus.WRITTEN_OFF and saved.handed_over_on == date(2026, 11, 30)
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.summary == "Changed the status of 'Fewer failed alarm calls' to written off"
    assert event.changes["status"] == ["tracking", "written_off"]
    assert event.changes["handed_over_on"] == [None, "2026-11-30"]


def test_writing_off_needs_a_reason_and_a_handover_is_not_in_the_future(
    programme: Programme, user: User
) -> None:
    benefit = BenefitFactory(programme=programme)

    with pytest.raises(Invalid) as refused:
        benefits.change_status(
            programme,
            benefit_id=benefit.id,
            values=StatusValues(BenefitStatus.WRITTEN_OFF, " ", date(2026, 12, 5)),
            expected_version=benefit.version,
            user=user,
            today=TODAY,
        )

    assert [field for field, _ in refused.value.problems] == ["status_reason", "handed_over_on"]
    realised = StatusValues(BenefitStatus.REALISED, "", TODAY)
    benefits.change_status(
        programme, benefit_id=benefit.id, values=realised, expected_version=None, user=user, today=TODAY
    )
    with pytest.raises(Conflict, match="This benefit was changed by Priya Shah"):
        benefits.change_status(
            programme,
            benefit_id=benefit.id,
            values=StatusValues(BenefitStatus.TRACKING),
            expected_version=benefit.version - 1,
            user=user,
        )


@pytest.fixture
def portfolio(user: User) -> dict[str, Programme]:
    """Two open programmes and a closed one, with cashable savings to add up."""
    digital = ProgrammeFactory(code="DIG-001", directorate="Resources", manager_id=user.id)
    care = ProgrammeFactory(code="ADU-002", directorate="Adults")
    closed = ProgrammeFactory(code="OLD-003", directorate="Adults", stage=Stage.CLOSED)
    cash, lower = BenefitType.CASHABLE, Direction.LOWER
    saved = BenefitFactory(
        programme=digital, title="Lower print costs", benefit_type=cash, direction=lower, unit="£",
        baseline_value=Decimal(100_000), target_value=Decimal(40_000), owner="Karen Lowe",
    )  # fmt: skip
    db.session.add_all(
        [
            Measurement(benefit_id=saved.id, on_date=date(2026, 6, 1), value=Decimal(90_000)),
            Measurement(benefit_id=saved.id, on_date=date(2026, 9, 1), value=Decimal(75_000)),
        ]
    )
    more_income = BenefitFactory(
        programme=care, title="More income collected", benefit_type=cash, target_value=Decimal(20_000),
        owner="Amina Yusuf",
    )  # fmt: skip
    db.session.add(Measurement(benefit_id=more_income.id, on_date=date(2026, 10, 1), value=Decimal(5_000)))
    # Lower is better with no baseline: nothing to count a saving from.
    BenefitFactory(programme=care, title="Fewer agency staff", benefit_type=cash, direction=lower,
                   target_value=Decimal(10))  # fmt: skip
    BenefitFactory(programme=care, title="Happier residents", owner="Amina Yusuf")
    BenefitFactory(programme=closed, title="Fewer failed alarm calls", owner="Jo Pearce")
    BenefitFactory(programme=closed, title="Alarm units sold", status=BenefitStatus.REALISED,
                   benefit_type=cash, target_value=Decimal(1_000))  # fmt: skip
    db.session.commit()
    return {"digital": digital, "care": care, "closed": closed}


def titles(user: User, **query: object) -> list[str]:
    return [row.title for row in benefits_page(user, BenefitsQuery(**query)).rows]  # type: ignore[arg-type]


def test_closed_programmes_benefits_show_while_they_are_measured(portfolio, user: User) -> None:
    assert titles(user) == [
        "More income collected",
        "Fewer agency staff",
        "Happier residents",
        "Lower print costs",
        "Fewer failed alarm calls",
    ]
    assert titles(user, status=BenefitStatus.REALISED) == ["Alarm units sold"]
    assert len(titles(user, status=ALL)) == 6
    assert titles(user, benefit_type=BenefitType.CASHABLE, directorate="Adults") == [
        "More income collected",
        "Fewer agency staff",
    ]
    assert titles(user, owner="AMINA") == ["More income collected", "Happier residents"]
    assert titles(user, mine=True) == ["Lower print costs"]


def test_each_row_has_its_latest_measurement(portfolio, user: User) -> None:
    rows = {row.title: row for row in benefits_page(user, BenefitsQuery()).rows}

    assert (rows["Lower print costs"].latest_value, rows["Lower print costs"].latest_on) == (
        Decimal(75_000),
        date(2026, 9, 1),
    )
    assert rows["Happier residents"].latest_value is None and rows["Happier residents"].latest_on is None
    assert rows["Fewer failed alarm calls"].stage is Stage.CLOSED


def test_savings_are_counted_from_the_baseline_in_the_better_direction(portfolio, user: User) -> None:
    savings = benefits_page(user, BenefitsQuery()).savings

    # Print: 100,000 down to 40,000 planned, to 75,000 measured. Income: up from nothing.
    assert savings.cashable == 3
    assert (savings.planned, savings.planned_from) == (Decimal(80_000), 2)
    assert (savings.measured, savings.measured_from) == (Decimal(30_000), 2)
    assert benefits_page(user, BenefitsQuery(status=BenefitStatus.WRITTEN_OFF)).savings.cashable == 0


def test_the_sheet_has_every_benefit_with_its_status(portfolio, user: User) -> None:
    rows = list(benefits_sheet(user, BenefitsQuery(status=ALL)).rows)

    by_title = {row[4]: row for row in rows}
    assert len(rows) == 6
    sold = by_title["Alarm units sold"]
    assert (sold[0], sold[3], sold[5], sold[16]) == ("OLD-003", "Closed", "Cashable", "Realised")
    print_costs = by_title["Lower print costs"]
    assert (print_costs[14], print_costs[15].isoformat()) == (Decimal(75_000), "2026-09-01")
