"""A closed programme's benefit still being measured and behind plan stays in the weekly digest until it is
realised or written off; a programme manager hears of those of the programmes they managed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tests.services.test_digest import BASE, digest_for, make_programme
from tracker.extensions import db
from tracker.models import (
    Benefit,
    BenefitStatus,
    BenefitType,
    Direction,
    Measurement,
    Role,
    Stage,
    TrajectoryPoint,
)
from tracker.services.digest.compose import Scope
from tracker.services.digest.render import render_digest


def behind_plan(programme_id: int, title: str) -> Benefit:
    """£40,000 a year planned by August; £10,000 measured in October."""
    benefit = Benefit(
        programme_id=programme_id, title=title, benefit_type=BenefitType.CASHABLE, direction=Direction.HIGHER,
        unit="£", baseline_value=Decimal(0), owner="Head of Care",
        trajectory=[TrajectoryPoint(on_date=date(2026, 4, 1), value=Decimal(0)),
                    TrajectoryPoint(on_date=date(2026, 8, 1), value=Decimal(40_000))],
        measurements=[Measurement(on_date=date(2026, 10, 1), value=Decimal(10_000))],
    )  # fmt: skip
    db.session.add(benefit)
    return benefit


def test_benefits_behind_plan_after_closure_stay_in_the_digest(app, make_user) -> None:
    cio = make_user(Role.CIO)
    pm = make_user(Role.PROGRAMME_MANAGER)
    closed = make_programme("ASC-013", "Telecare switchover", manager=pm, stage=Stage.CLOSED)
    other = make_programme("ICT-020", "Old network", stage=Stage.CLOSED)
    still = behind_plan(closed.id, "Lower agency spend")
    behind_plan(other.id, "Fewer engineers").status = BenefitStatus.REALISED
    db.session.commit()

    portfolio = digest_for(cio, Scope.PORTFOLIO)
    [line] = portfolio.after_closure.lines
    assert (line.code, line.title, line.owner) == ("ASC-013", "Lower agency spend", "Head of Care")
    assert line.url == f"{BASE}/programmes/ASC-013/benefits/"
    assert line.message == "Lower agency spend is £10,000 against a planned £40,000 by 1 October 2026 (25%)"
    assert not portfolio.quiet
    rendered = render_digest(portfolio)
    assert "BENEFITS BEHIND PLAN AFTER CLOSURE (1)" in rendered.text
    assert "Benefits behind plan after closure" in rendered.html
    assert [item.title for item in digest_for(pm, Scope.OWN).after_closure.lines] == ["Lower agency spend"]

    still.status = BenefitStatus.WRITTEN_OFF
    db.session.commit()
    assert not digest_for(cio, Scope.PORTFOLIO).after_closure
