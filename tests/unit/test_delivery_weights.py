"""Weights of the delivery rules' flags at, just past and far past each step, and the scores they give.

Each table pins a rule's step, its threshold offset and the cap at 9: changing any of them fails a
row. Messages are left to `test_risk_rules`."""

from dataclasses import replace
from datetime import timedelta

import pytest

from tests.unit.weight_support import (
    OWNED,
    PROGRAMME,
    TODAY,
    A,
    R,
    T,
    milestone,
    money,
    only_flag,
    programme,
)
from tracker.domain.flags import MAX_WEIGHT, Severity, Subject, weight_for
from tracker.domain.rating import Rating
from tracker.domain.risk import Assessment, assess
from tracker.domain.snapshot import RegisterSnap
from tracker.domain.thresholds import Thresholds


def test_the_quiet_programme_has_no_flags() -> None:
    assert assess(programme(), TODAY, T) == Assessment(Rating.GREEN, 0, ())


@pytest.mark.parametrize(
    ("excess", "step", "weight"),
    [
        (-1, 30, 0),
        (0, 30, 0),
        (29.99, 30, 0),
        (30, 30, 1),
        (59, 30, 1),
        (60, 30, 2),
        (270, 30, 9),
        (271, 30, 9),
        (10**6, 30, 9),
        (5, 0, 0),
        (5, -1, 0),
    ],
)
def test_weight_for_steps_and_caps(excess: float, step: float, weight: int) -> None:
    assert weight_for(excess, step) == weight
    assert MAX_WEIGHT == 9


# overdue_milestone: one point per 30 days overdue


@pytest.mark.parametrize(
    ("days", "critical", "severity", "weight"),
    [
        (1, False, A, 0),
        (29, False, A, 0),
        (30, False, A, 1),
        (31, False, A, 1),
        (59, False, A, 1),
        (60, False, A, 2),
        (269, False, A, 8),
        (270, False, A, 9),
        (1000, False, A, 9),
        (29, True, R, 0),
        (30, True, R, 1),
        (270, True, R, 9),
    ],
)
def test_overdue_weight(days: int, critical: bool, severity: Severity, weight: int) -> None:
    late = milestone(9, critical=critical, baseline_date=TODAY - timedelta(days=days))
    only_flag(
        programme(milestones=(late,)),
        T,
        rule="overdue_milestone",
        severity=severity,
        weight=weight,
        subject=Subject("milestone", 9),
    )


# forecast_slip: one point per 30 days beyond the amber threshold

SLIP_10_200 = Thresholds(forecast_slip_days=10, forecast_slip_red_days=200)


@pytest.mark.parametrize(
    ("slip", "thresholds", "severity", "weight"),
    [
        (31, T, A, 0),
        (59, T, A, 0),
        (60, T, A, 1),
        (89, T, A, 1),
        (90, T, A, 2),
        (91, T, R, 2),
        (299, T, R, 8),
        (300, T, R, 9),
        (2000, T, R, 9),
        (39, SLIP_10_200, A, 0),
        (40, SLIP_10_200, A, 1),
        (200, SLIP_10_200, A, 6),
        (279, SLIP_10_200, R, 8),
        (280, SLIP_10_200, R, 9),
    ],
)
def test_forecast_slip_weight(slip: int, thresholds: Thresholds, severity: Severity, weight: int) -> None:
    due = milestone(9)
    assert due.baseline_date is not None
    slipping = replace(due, forecast_date=due.baseline_date + timedelta(days=slip))
    only_flag(
        programme(milestones=(slipping,)),
        thresholds,
        rule="forecast_slip",
        severity=severity,
        weight=weight,
        subject=Subject("milestone", 9),
    )


# repeated_rebaselining: one point per re-baseline beyond the count that flags


@pytest.mark.parametrize(
    ("count", "threshold", "weight"),
    [
        (2, 2, 0),
        (3, 2, 1),
        (4, 2, 2),
        (10, 2, 8),
        (11, 2, 9),
        (12, 2, 9),
        (1, 1, 0),
        (2, 1, 1),
        (10, 1, 9),
        (5, 5, 0),
        (6, 5, 1),
    ],
)
def test_rebaselining_weight(count: int, threshold: int, weight: int) -> None:
    dates = tuple(TODAY - timedelta(days=5 * n) for n in range(count))
    only_flag(
        programme(rebaseline_dates=dates),
        Thresholds(rebaseline_count=threshold),
        rule="repeated_rebaselining",
        severity=A,
        weight=weight,
        subject=PROGRAMME,
    )


# stale: one point per 15 days beyond the amber threshold

STALE_10_20 = Thresholds(stale_days=10, stale_red_days=20)


@pytest.mark.parametrize(
    ("days", "thresholds", "severity", "weight"),
    [
        (31, T, A, 0),
        (44, T, A, 0),
        (45, T, A, 1),
        (59, T, A, 1),
        (60, T, A, 2),
        (61, T, R, 2),
        (164, T, R, 8),
        (165, T, R, 9),
        (1000, T, R, 9),
        (24, STALE_10_20, R, 0),
        (25, STALE_10_20, R, 1),
        (145, STALE_10_20, R, 9),
    ],
)
def test_stale_weight(days: int, thresholds: Thresholds, severity: Severity, weight: int) -> None:
    only_flag(
        programme(last_update_on=TODAY - timedelta(days=days)),
        thresholds,
        rule="stale",
        severity=severity,
        weight=weight,
        subject=PROGRAMME,
    )


def test_never_updated_weighs_nothing() -> None:
    only_flag(programme(last_update_on=None), T, rule="stale", severity=A, weight=0, subject=PROGRAMME)


# unmitigated_high_risks: one point per score point above the high-risk score


@pytest.mark.parametrize(
    ("likelihood", "impact", "threshold", "weight"),
    [
        (3, 5, 15, 0),
        (4, 4, 15, 1),
        (4, 5, 15, 5),
        (5, 5, 15, 9),
        (2, 5, 10, 0),
        (3, 4, 10, 2),
        (4, 5, 10, 9),
        (3, 4, 12, 0),
        (4, 4, 12, 4),
        (5, 5, 16, 9),
    ],
)
def test_unmitigated_risk_weight(likelihood: int, impact: int, threshold: int, weight: int) -> None:
    risk = RegisterSnap(5, "Supplier goes bust", "risk", likelihood, impact, owner="Jo")
    only_flag(
        programme(register=(risk,)),
        Thresholds(high_risk_score=threshold),
        rule="unmitigated_high_risks",
        severity=A,
        weight=weight,
        subject=Subject("register_entry", 5),
    )


# rules without a magnitude


def test_yes_or_no_rules_weigh_nothing() -> None:
    only_flag(programme(benefits=()), T, rule="no_benefits", severity=A, weight=0, subject=PROGRAMME)
    unowned = replace(OWNED, owner=" ")
    only_flag(
        programme(benefits=(unowned,)),
        T,
        rule="no_benefits",
        severity=A,
        weight=0,
        subject=Subject("benefit", 3),
    )
    it_only = replace(money(approved="100", forecast="100", requested="100"), category="technology")
    only_flag(
        programme(investments=(it_only,)), T, rule="technology_only", severity=A, weight=0, subject=PROGRAMME
    )


def test_optimism_weighs_nothing() -> None:
    late = milestone(9, critical=True, baseline_date=TODAY - timedelta(days=1))
    result = assess(programme(milestones=(late,), confidence="green"), TODAY, T)
    assert [(f.rule, f.severity, f.weight) for f in result.flags] == [
        ("overdue_milestone", R, 0),
        ("optimism", A, 0),
    ]
    assert (result.rating, result.score) == (Rating.RED, 110)
