"""Weights of benefit flags at, just past and far past each step, and the scores they give."""

import pytest

from tests.unit.weight_support import (
    A,
    D,
    R,
    T,
    flat_plan,
    measured,
    only_flag,
    programme,
)
from tracker.domain.flags import Severity, Subject
from tracker.domain.thresholds import Thresholds

# benefits_behind_trajectory: one point per 10 percentage points realised below the amber line

BEHIND_5_90 = Thresholds(benefits_behind_pct=5, benefits_behind_red_pct=90)


@pytest.mark.parametrize(
    ("actual", "thresholds", "severity", "weight"),
    [
        ("159.98", T, A, 0),
        ("140.02", T, A, 0),
        ("140", T, A, 1),
        ("100", T, A, 3),
        ("99.98", T, R, 3),
        ("20", T, R, 7),
        ("0", T, R, 8),
        ("-20", T, R, 9),
        ("-200", T, R, 9),
        ("170.02", BEHIND_5_90, A, 0),
        ("170", BEHIND_5_90, A, 1),
        ("10", BEHIND_5_90, R, 9),
    ],
)
def test_benefit_behind_weight(actual: str, thresholds: Thresholds, severity: Severity, weight: int) -> None:
    only_flag(
        programme(benefits=(measured(flat_plan("200"), actual),)),
        thresholds,
        rule="benefits_behind_trajectory",
        severity=severity,
        weight=weight,
        subject=Subject("benefit", 4),
    )


@pytest.mark.parametrize(
    ("actual", "severity", "weight"),
    [
        ("120.01", A, 0),
        ("129.99", A, 0),
        ("130", A, 1),
        ("150", A, 3),
        ("150.01", R, 3),
        ("199.99", R, 7),
        ("200", R, 8),
        ("210", R, 9),
        ("1000", R, 9),
    ],
)
def test_dis_benefit_weight(actual: str, severity: Severity, weight: int) -> None:
    training = flat_plan("100", type="dis_benefit", direction="higher", baseline_value=D(0))
    only_flag(
        programme(benefits=(measured(training, actual),)),
        T,
        rule="benefits_behind_trajectory",
        severity=severity,
        weight=weight,
        subject=Subject("benefit", 4),
    )
