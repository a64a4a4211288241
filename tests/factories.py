"""Factories for the domain objects, saved through `db.session` and committed, as services leave them.

Children take their programme as `programme=` (built when not given) or `programme_id=`:
`MilestoneFactory(programme=programme, forecast_date=date(2027, 1, 5))`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory
from factory.alchemy import SQLAlchemyModelFactory
from werkzeug.security import generate_password_hash

from tests.conftest import TEST_PASSWORD
from tracker.extensions import db
from tracker.models import (
    Benefit,
    BenefitType,
    CostType,
    Direction,
    EntryKind,
    Focus,
    Investment,
    Milestone,
    MilestoneKind,
    Programme,
    Rag,
    Recurrence,
    RegisterEntry,
    Role,
    Stage,
    StatusUpdate,
    User,
)


class SavedFactory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731 - the app context's session
        sqlalchemy_session_persistence = "commit"


class UserFactory(SavedFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person-{n}@testshire.gov.uk")
    name = factory.Sequence(lambda n: f"Test person {n}")
    role = Role.VIEWER
    # The fast method the test app uses; signing in checks whatever method the hash names.
    password_hash = factory.LazyFunction(lambda: generate_password_hash(TEST_PASSWORD, "pbkdf2:sha256:1000"))


class ProgrammeFactory(SavedFactory):
    class Meta:
        model = Programme

    code = factory.Sequence(lambda n: f"PRG-{n:03d}")
    name = factory.LazyAttribute(lambda programme: f"Programme {programme.code}")
    directorate = "Customer and Digital"
    focus = Focus.BOTH
    stage = Stage.DELIVERY
    start_date = date(2026, 4, 1)
    baseline_end_date = date(2027, 3, 31)


class ProgrammeChild(SavedFactory):
    """A row that belongs to a programme: pass `programme` or `programme_id`."""

    class Meta:
        abstract = True

    class Params:
        programme = factory.SubFactory(ProgrammeFactory)

    programme_id = factory.LazyAttribute(lambda row: row.programme.id)


class MilestoneFactory(ProgrammeChild):
    class Meta:
        model = Milestone

    title = factory.Sequence(lambda n: f"Milestone {n}")
    kind = MilestoneKind.IT_DELIVERY
    original_baseline_date = date(2026, 12, 1)
    baseline_date = factory.SelfAttribute("original_baseline_date")
    forecast_date = factory.SelfAttribute("baseline_date")


class InvestmentFactory(ProgrammeChild):
    class Meta:
        model = Investment

    title = factory.Sequence(lambda n: f"Cost line {n}")
    cost_type = CostType.CAPITAL
    recurrence = Recurrence.ONE_OFF
    financial_year = 2026
    requested = Decimal("100000")
    approved = Decimal("100000")
    forecast = Decimal("100000")
    actual = Decimal("0")


class BenefitFactory(ProgrammeChild):
    class Meta:
        model = Benefit

    title = factory.Sequence(lambda n: f"Benefit {n}")
    benefit_type = BenefitType.SERVICE_IMPROVEMENT
    direction = Direction.HIGHER


class RegisterEntryFactory(ProgrammeChild):
    class Meta:
        model = RegisterEntry

    kind = EntryKind.RISK
    title = factory.Sequence(lambda n: f"Risk {n}")
    likelihood = 3
    impact = 3


class StatusUpdateFactory(ProgrammeChild):
    class Meta:
        model = StatusUpdate

    period_start = date(2026, 3, 1)
    period_end = date(2026, 3, 31)
    overall = Rag.AMBER
    schedule = Rag.AMBER
    cost = Rag.GREEN
    benefits = Rag.GREEN
    resources = Rag.GREEN
