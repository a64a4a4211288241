"""The shared factories build rows the schema accepts, linked to a programme built or given."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.conftest import TEST_PASSWORD
from tests.factories import (
    BenefitFactory,
    InvestmentFactory,
    MilestoneFactory,
    ProgrammeFactory,
    RegisterEntryFactory,
    StatusUpdateFactory,
    UserFactory,
)
from tracker.extensions import db
from tracker.models import Programme, Role
from tracker.services.accounts.users import find_by_email, password_matches


def test_each_child_belongs_to_the_programme_it_is_given(app) -> None:
    programme = ProgrammeFactory(code="DIG-001")
    rows = [
        factory(programme=programme)
        for factory in (
            MilestoneFactory,
            InvestmentFactory,
            BenefitFactory,
            RegisterEntryFactory,
            StatusUpdateFactory,
        )
    ]

    db.session.expire_all()
    assert {row.programme_id for row in rows} == {programme.id}
    assert db.session.scalar(select(func.count(Programme.id))) == 1


def test_a_child_without_a_programme_gets_its_own(app) -> None:
    first, second = MilestoneFactory(), MilestoneFactory()

    assert first.programme_id != second.programme_id
    assert first.forecast_date == first.baseline_date == first.original_baseline_date


def test_users_sign_in_with_the_test_password(app) -> None:
    user = UserFactory(role=Role.CIO)

    assert password_matches(find_by_email(user.email), TEST_PASSWORD)
