"""Builders for the rule weight tests: a quiet programme that no rule flags, and one-flag checks."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from tracker.domain.flags import Severity, Subject
from tracker.domain.rating import Rating
from tracker.domain.risk import Assessment, assess
from tracker.domain.snapshot import (
    BenefitSnap,
    InvestmentSnap,
    MilestoneSnap,
    ProgrammeSnapshot,
)
from tracker.domain.thresholds import Thresholds

TODAY = date(2026, 11, 27)
T = Thresholds()
D = Decimal
A, R = Severity.AMBER, Severity.RED
POINTS = {A: 10, R: 100}
PROGRAMME = Subject("programme", 7)
OWNED = BenefitSnap(3, "Cashable saving", "cashable", "Head of Revenues")


def programme(**changes: object) -> ProgrammeSnapshot:
    """A programme in delivery, updated today, with one owned benefit not yet measured: no flags."""
    quiet = ProgrammeSnapshot(7, "DIG-007", "Digital front door", "delivery", last_update_on=TODAY)
    return replace(quiet, **{"benefits": (OWNED,), **changes})


def milestone(id: int = 1, *, critical: bool = False, **changes: object) -> MilestoneSnap:
    """A milestone due in a month, so it is neither overdue nor slipping unless told."""
    return replace(
        MilestoneSnap(id, "Go-live", "it_delivery", critical, TODAY + timedelta(days=30)), **changes
    )


def money(
    requested: str = "0", approved: str = "0", forecast: str = "0", actual: str = "0"
) -> InvestmentSnap:
    """A non-IT cost line, so `technology_only` stays quiet."""
    return InvestmentSnap(
        1, "Change team", D(requested), D(approved), D(forecast), D(actual), category="other"
    )


def flat_plan(planned: str, **changes: object) -> BenefitSnap:
    """A benefit planned at one value since the spring and measured last week."""
    plan = ((TODAY - timedelta(days=200), D(planned)),)
    return replace(OWNED, id=4, trajectory=plan, **changes)


def measured(benefit: BenefitSnap, actual: str) -> BenefitSnap:
    return replace(benefit, measurements=((TODAY - timedelta(days=7), D(actual)),))


def only_flag(
    snapshot: ProgrammeSnapshot,
    thresholds: Thresholds,
    *,
    rule: str,
    severity: Severity,
    weight: int,
    subject: Subject,
) -> Assessment:
    """Assess and check the single flag and the score it gives: its severity's points plus its weight."""
    result = assess(snapshot, TODAY, thresholds)
    assert [(f.rule, f.severity, f.weight, f.subject) for f in result.flags] == [
        (rule, severity, weight, subject)
    ]
    assert (result.rating, result.score) == (Rating(severity.value), POINTS[severity] + weight)
    return result
