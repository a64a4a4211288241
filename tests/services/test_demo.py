"""The demo council loads once, covers every kind of thing, and trips exactly the flags it says it does."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tracker.domain.calendar import london_today
from tracker.domain.risk_rules import RULE_NAMES
from tracker.extensions import db
from tracker.models import (
    Benefit,
    BenefitStatus,
    Investment,
    Lesson,
    Milestone,
    Programme,
    RebaselineRequest,
    RegisterEntry,
    RequestStatus,
    RiskAssessment,
    Stage,
    StatusUpdate,
    User,
)
from tracker.services.accounts.users import find_by_email, password_matches
from tracker.services.demo.data import PROGRAMMES
from tracker.services.demo.seed import DEMO_PASSWORD, DEMO_SIGN_INS, seed_demo
from tracker.services.lessons import lessons_count
from tracker.services.ratings.scan import scan_portfolio


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def distinct(column) -> set:
    return set(db.session.scalars(select(column).distinct()))


def test_seed_loads_a_whole_portfolio(app) -> None:
    result = seed_demo()

    assert result.loaded
    assert 10 <= result.programmes == count(Programme) <= 14
    roles = {user.email: user.role.value for user in db.session.scalars(select(User))}
    assert roles == dict(DEMO_SIGN_INS)
    assert sorted(roles.values()) == [
        "admin",
        "board",
        "cio",
        "programme_manager",
        "programme_manager",
        "viewer",
    ]
    assert {kind.value for kind in distinct(Benefit.benefit_type)} == {
        "cashable", "non_cashable", "service_improvement", "dis_benefit"
    }  # fmt: skip
    assert {kind.value for kind in distinct(Milestone.kind)} == {
        "it_delivery", "business_change", "governance", "benefit"
    }  # fmt: skip
    assert RequestStatus.PENDING in distinct(RebaselineRequest.status)
    assert len(distinct(Investment.financial_year)) == 3  # last year, this year and the pipeline's next
    programmes = list(db.session.scalars(select(Programme)))
    assert any(p.is_closed for p in programmes) and any(p.paused for p in programmes)
    assert any(p.manager is None for p in programmes)
    assert db.session.scalar(select(func.count()).where(StatusUpdate.submitted_at.is_(None))) == 0
    assert "pm@demo.council.example (programme_manager)" in result.summary()


def test_seed_twice_changes_nothing(app) -> None:
    seed_demo()
    before = [count(model) for model in (User, Programme, Milestone, Investment, Benefit, RegisterEntry)]

    again = seed_demo()

    assert not again.loaded
    assert again.summary() == f"Database already has {before[1]} programmes; demo not loaded."
    assert [
        count(model) for model in (User, Programme, Milestone, Investment, Benefit, RegisterEntry)
    ] == before


def test_demo_users_sign_in_with_the_demo_password(app) -> None:
    seed_demo()

    assert len(DEMO_PASSWORD) >= 12
    for email, _ in DEMO_SIGN_INS:
        assert password_matches(find_by_email(email), DEMO_PASSWORD)


@pytest.mark.parametrize("today", [None, date(2027, 4, 2), date(2028, 3, 30)])
def test_each_programme_trips_the_flags_it_declares(app, today: date | None) -> None:
    seed_demo(today)
    day = today or date.today()

    scan_portfolio(today=day)
    found = {code: set() for code in db.session.scalars(select(Programme.code))}  # closed: not rated
    latest = select(Programme.code, RiskAssessment.flags).join(RiskAssessment).where(RiskAssessment.is_latest)
    for code, flags in db.session.execute(latest):
        found[code] = {flag["rule"] for flag in flags}

    assert found == {spec.code: set(spec.flags) for spec in PROGRAMMES}
    assert set().union(*found.values()) == set(RULE_NAMES)
    assert sum(1 for spec in PROGRAMMES if spec.stage == "delivery" and not found[spec.code]) >= 3


def test_seed_rates_the_last_twelve_weeks_so_trends_are_real(app) -> None:
    today = date(2027, 3, 10)  # a Wednesday: the weeks end on Sundays 7 March back to 20 December
    seed_demo(today)

    rows = db.session.execute(
        select(Programme.code, RiskAssessment.assessed_at, RiskAssessment.rating, RiskAssessment.is_latest)
        .join(RiskAssessment)
        .order_by(RiskAssessment.assessed_at)
    ).all()
    by_programme: dict[str, list] = {}
    for code, at, rating, latest in rows:
        by_programme.setdefault(code, []).append((london_today(at), rating, latest))
    sundays = {london_today(at) for _, at, _, _ in rows} - {today}
    assert sorted(sundays) == [date(2026, 12, 20) + timedelta(weeks=n) for n in range(12)]
    open_codes = {spec.code for spec in PROGRAMMES if spec.stage != "closed"}
    assert set(by_programme) == open_codes
    for history in by_programme.values():
        assert [latest for _, _, latest in history] == [False] * (len(history) - 1) + [True]
        assert history[-1][0] == today
    # Programmes that were on the books twelve weeks ago have a rating for every week since.
    assert sum(1 for history in by_programme.values() if len(history) == 13) >= 5
    assert any(len({rating for _, rating, _ in history}) > 1 for history in by_programme.values())


def test_the_demo_has_lessons_and_a_closed_programme_still_measuring_its_benefits(app) -> None:
    seed_demo()

    closed = db.session.scalar(select(Programme).where(Programme.stage == Stage.CLOSED))
    assert lessons_count(closed.id) >= 2
    statuses = {
        benefit.status
        for benefit in db.session.scalars(select(Benefit).where(Benefit.programme_id == closed.id))
    }
    assert statuses == {BenefitStatus.TRACKING, BenefitStatus.REALISED}
    measuring = db.session.scalar(
        select(Benefit).where(Benefit.programme_id == closed.id, Benefit.status == BenefitStatus.TRACKING)
    )
    assert measuring.handed_over_on is not None
    assert max(m.on_date for m in measuring.measurements) > date.today() - timedelta(days=91)
    assert count(Lesson) == sum(len(spec.lessons) for spec in PROGRAMMES) and count(Lesson) > lessons_count(
        closed.id
    )


def test_the_demo_pipeline_ranks_its_idea_and_business_case_against_an_envelope(app) -> None:
    from tracker.services.pipeline.reads import pipeline_view

    seed_demo(date(2026, 12, 5))
    view = pipeline_view(date(2026, 12, 5), [])
    assert [(row.code, str(row.ranked.score), row.cost) for row in view.rows] == [
        ("HSG-012", "3.5", Decimal("420000.00")),
        ("PLN-011", "3.1", Decimal("900000.00")),
    ]
    assert view.money.envelope == Decimal("2500000")
    # The committed programmes' subscriptions, licences and posts carry on into next year.
    assert view.money.committed == Decimal("1692000.00") and view.money.committed_unknown == 1
    assert view.money.left == Decimal("808000.00")


def test_ticking_the_demo_business_case_in_puts_its_team_over_capacity(app) -> None:
    from tracker.services.pipeline.reads import pipeline_view

    seed_demo(date(2026, 12, 5))
    housing = db.session.scalar(select(Programme.id).where(Programme.code == "HSG-012"))
    assert pipeline_view(date(2026, 12, 5), []).pushed == []
    pushed = pipeline_view(date(2026, 12, 5), [housing]).pushed
    over = [(item.team_name, str(item.overload.load_with), str(item.overload.capacity)) for item in pushed]
    assert over == [("Housing repairs", "30.0", "25.0")]
