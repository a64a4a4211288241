"""Weights of the money rules' flags at, just past and far past each step, and the scores they give."""

import pytest

from tests.unit.weight_support import (
    PROGRAMME,
    A,
    R,
    T,
    milestone,
    money,
    only_flag,
    programme,
)
from tracker.domain.flags import Severity
from tracker.domain.thresholds import Thresholds

# cost_overrun: one point per 10 percentage points beyond the amber threshold (approved £100)

OVERRUN_5_50 = Thresholds(cost_overrun_pct=5, cost_overrun_red_pct=50)


@pytest.mark.parametrize(
    ("forecast", "thresholds", "severity", "weight"),
    [
        ("110.01", T, A, 0),
        ("119.99", T, A, 0),
        ("120", T, A, 1),
        ("125", T, A, 1),
        ("125.01", T, R, 1),
        ("130", T, R, 2),
        ("199.99", T, R, 8),
        ("200", T, R, 9),
        ("1000", T, R, 9),
        ("114.99", OVERRUN_5_50, A, 0),
        ("115", OVERRUN_5_50, A, 1),
        ("150.01", OVERRUN_5_50, R, 4),
    ],
)
def test_cost_overrun_weight(forecast: str, thresholds: Thresholds, severity: Severity, weight: int) -> None:
    only_flag(
        programme(investments=(money(approved="100", forecast=forecast),)),
        thresholds,
        rule="cost_overrun",
        severity=severity,
        weight=weight,
        subject=PROGRAMME,
    )


# burn_ahead_of_progress: one point per 10 points of spend beyond the allowed lead (approved £100)


@pytest.mark.parametrize(
    ("actual", "done", "lead", "weight"),
    [
        ("25.01", 0, 25, 0),
        ("34.99", 0, 25, 0),
        ("35", 0, 25, 1),
        ("45", 0, 25, 2),
        ("114.99", 0, 25, 8),
        ("115", 0, 25, 9),
        ("300", 0, 25, 9),
        ("84.99", 2, 25, 0),
        ("85", 2, 25, 1),
        ("14.99", 0, 5, 0),
        ("15", 0, 5, 1),
    ],
)
def test_burn_ahead_weight(actual: str, done: int, lead: int, weight: int) -> None:
    four = tuple(milestone(n, complete=n <= done) for n in range(1, 5))
    only_flag(
        programme(milestones=four, investments=(money(approved="100", actual=actual),)),
        # Spending past the budget is also an overrun: lift that threshold to see this rule alone.
        Thresholds(burn_ahead_pct_points=lead, cost_overrun_pct=200, cost_overrun_red_pct=300),
        rule="burn_ahead_of_progress",
        severity=A,
        weight=weight,
        subject=PROGRAMME,
    )


# investment_gap: one point per 10 percentage points short beyond the threshold (requested £100)


@pytest.mark.parametrize(
    ("approved", "threshold", "weight"),
    [
        ("79.99", 20, 0),
        ("70.01", 20, 0),
        ("70", 20, 1),
        ("60", 20, 2),
        ("10", 20, 7),
        ("0", 20, 8),
        ("89.01", 1, 0),
        ("89", 1, 1),
        ("0", 1, 9),
    ],
)
def test_investment_gap_weight(approved: str, threshold: int, weight: int) -> None:
    only_flag(
        programme(investments=(money(requested="100", approved=approved),)),
        Thresholds(investment_gap_pct=threshold),
        rule="investment_gap",
        severity=A,
        weight=weight,
        subject=PROGRAMME,
    )
