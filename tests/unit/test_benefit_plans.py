"""Benefit plans beyond the simple rising line: starting above zero, falling, two points on one date,
two measurements on one date, and dis-benefits measured from a non-zero baseline."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from tests.unit.weight_support import OWNED, TODAY, A, R, T, programme
from tracker.domain.flags import Severity
from tracker.domain.rules_benefits import benefits_behind_trajectory, planned_value_at, realisation_pct
from tracker.domain.snapshot import BenefitSnap, DatedValue

D = Decimal


def jan(day: int) -> date:
    return date(2026, 1, day)


def plan(*points: tuple[date, str]) -> tuple[DatedValue, ...]:
    return tuple((on, D(value)) for on, value in points)


def judged(benefit: BenefitSnap) -> list[tuple[Severity, int]]:
    """Severity and weight of each flag the rule makes for this one benefit."""
    flags = benefits_behind_trajectory(programme(benefits=(benefit,)), TODAY, T)
    return [(flag.severity, flag.weight) for flag in flags]


def measured(benefit: BenefitSnap, *points: tuple[date, str]) -> BenefitSnap:
    return replace(benefit, measurements=plan(*points))


# planned_value_at

RISING_FROM_100 = plan((jan(1), "100"), (jan(11), "300"))
FALLING_20_TO_5 = plan((jan(1), "20"), (jan(31), "5"))


@pytest.mark.parametrize(
    ("trajectory", "on", "planned"),
    [
        (RISING_FROM_100, date(2025, 12, 31), None),
        (RISING_FROM_100, jan(1), "100"),
        (RISING_FROM_100, jan(6), "200"),
        (RISING_FROM_100, jan(11), "300"),
        (RISING_FROM_100, jan(30), "300"),
        (FALLING_20_TO_5, date(2025, 12, 31), None),
        (FALLING_20_TO_5, jan(1), "20"),
        (FALLING_20_TO_5, jan(16), "12.5"),
        (FALLING_20_TO_5, jan(31), "5"),
        (FALLING_20_TO_5, date(2026, 6, 1), "5"),
    ],
)
def test_plans_that_start_above_zero_or_fall(
    trajectory: tuple[DatedValue, ...], on: date, planned: str | None
) -> None:
    assert planned_value_at(trajectory, on) == (None if planned is None else D(planned))


STEP = plan((jan(1), "0"), (jan(11), "100"), (jan(11), "150"), (jan(21), "250"))
"""Two points on 11 January: the plan heads for the first, then the last recorded holds from that day."""


@pytest.mark.parametrize(
    ("trajectory", "on", "planned"),
    [
        (STEP, jan(6), "50"),
        (STEP, jan(11), "150"),
        (STEP, jan(16), "200"),
        (STEP, jan(21), "250"),
        (plan((jan(1), "0"), (jan(11), "100"), (jan(11), "150")), jan(11), "150"),
        (plan((jan(1), "0"), (jan(11), "100"), (jan(11), "150")), jan(12), "150"),
        (plan((jan(1), "0"), (jan(1), "50"), (jan(11), "150")), jan(1), "50"),
        (plan((jan(1), "0"), (jan(1), "50"), (jan(11), "150")), jan(6), "100"),
        (plan((jan(1), "10"), (jan(1), "30"), (jan(1), "20")), jan(1), "20"),
        (plan((jan(1), "10"), (jan(1), "30"), (jan(1), "20")), jan(9), "20"),
        (plan((jan(11), "150"), (jan(1), "0"), (jan(11), "100")), jan(11), "100"),
    ],
)
def test_two_points_on_one_date_the_last_recorded_wins_from_that_date(
    trajectory: tuple[DatedValue, ...], on: date, planned: str
) -> None:
    assert planned_value_at(trajectory, on) == D(planned)


# realisation_pct


@pytest.mark.parametrize(
    ("actual", "planned", "baseline", "direction", "pct"),
    [
        ("150", "200", None, "higher", "75"),
        ("150", "200", "100", "higher", "50"),
        ("100", "200", "100", "higher", "0"),
        ("50", "200", "100", "higher", "-50"),
        ("10", "10", "20", "lower", "100"),
        ("15", "10", "20", "lower", "50"),
        ("5", "10", "20", "lower", "150"),
        ("25", "10", "20", "lower", "-50"),
        ("8", "10", None, "lower", "125"),
        ("20", "10", None, "lower", "50"),
    ],
)
def test_realisation_from_a_non_zero_start_either_way(
    actual: str, planned: str, baseline: str | None, direction: str, pct: str
) -> None:
    start = None if baseline is None else D(baseline)
    assert realisation_pct(D(actual), D(planned), start, direction) == D(pct)


# benefits_behind_trajectory: processing time falling from 20 to 5 days (planned 12.5 on 16 January)

PROCESSING = replace(
    OWNED, type="service_improvement", direction="lower", unit="days", trajectory=FALLING_20_TO_5
)


@pytest.mark.parametrize(
    ("actual", "baseline", "on", "expected"),
    [
        ("14", "20", jan(16), []),
        ("14.01", "20", jan(16), [(A, 0)]),
        ("16.25", "20", jan(16), [(A, 3)]),
        ("16.26", "20", jan(16), [(R, 3)]),
        ("20", "20", jan(16), [(R, 8)]),
        ("8", "20", date(2026, 3, 1), []),
        ("8.01", "20", date(2026, 3, 1), [(A, 0)]),
        ("15.625", None, jan(16), []),
        ("16", None, jan(16), [(A, 0)]),
        ("25", None, jan(16), [(A, 3)]),
        ("25.01", None, jan(16), [(R, 3)]),
        ("5", None, date(2026, 3, 1), []),
    ],
)
def test_falling_plan_with_and_without_a_baseline(
    actual: str, baseline: str | None, on: date, expected: list[tuple[Severity, int]]
) -> None:
    start = None if baseline is None else D(baseline)
    assert judged(measured(replace(PROCESSING, baseline_value=start), (on, actual))) == expected


# benefits_behind_trajectory: income rising from £100 to £300 (planned £200 on 6 January)

INCOME = replace(OWNED, trajectory=RISING_FROM_100)


@pytest.mark.parametrize(
    ("actual", "baseline", "expected"),
    [
        ("160", None, []),
        ("159", None, [(A, 0)]),
        ("100", None, [(A, 3)]),
        ("180", "100", []),
        ("179", "100", [(A, 0)]),
        ("100", "100", [(R, 8)]),
    ],
)
def test_plan_that_starts_above_zero(actual: str, baseline: str | None, expected: list[object]) -> None:
    start = None if baseline is None else D(baseline)
    assert judged(measured(replace(INCOME, baseline_value=start), (jan(6), actual))) == expected


def test_a_step_in_the_plan_is_judged_from_its_date() -> None:
    step = replace(OWNED, trajectory=plan((jan(1), "0"), (jan(11), "0"), (jan(11), "1000")))
    assert judged(measured(step, (jan(10), "0"))) == []
    assert judged(measured(step, (jan(11), "500"))) == [(A, 3)]
    assert judged(measured(step, (jan(11), "1000"))) == []


def test_two_measurements_on_the_latest_date_the_last_recorded_counts() -> None:
    flat = replace(OWNED, trajectory=plan((jan(1), "200")))
    assert judged(measured(flat, (jan(9), "200"), (jan(20), "100"), (jan(20), "200"))) == []
    assert judged(measured(flat, (jan(9), "200"), (jan(20), "200"), (jan(20), "100"))) == [(A, 3)]
    assert judged(measured(flat, (jan(20), "100"), (jan(20), "200"), (jan(9), "10"))) == []


# dis-benefits from a non-zero baseline: planned to grow by 60 either way by 31 January

MORE_STAFF_HOURS = replace(
    OWNED,
    type="dis_benefit",
    direction="higher",
    baseline_value=D(100),
    trajectory=plan((jan(1), "100"), (jan(31), "160")),
)
FEWER_PARKING_SPACES = replace(
    OWNED,
    type="dis_benefit",
    direction="lower",
    baseline_value=D(200),
    trajectory=plan((jan(1), "200"), (jan(31), "140")),
)


@pytest.mark.parametrize(
    ("benefit", "actual", "expected"),
    [
        (MORE_STAFF_HOURS, "150", []),
        (MORE_STAFF_HOURS, "172", []),
        (MORE_STAFF_HOURS, "172.01", [(A, 0)]),
        (MORE_STAFF_HOURS, "178", [(A, 1)]),
        (MORE_STAFF_HOURS, "190", [(A, 3)]),
        (MORE_STAFF_HOURS, "190.01", [(R, 3)]),
        (FEWER_PARKING_SPACES, "150", []),
        (FEWER_PARKING_SPACES, "128", []),
        (FEWER_PARKING_SPACES, "127.99", [(A, 0)]),
        (FEWER_PARKING_SPACES, "122", [(A, 1)]),
        (FEWER_PARKING_SPACES, "110", [(A, 3)]),
        (FEWER_PARKING_SPACES, "109.99", [(R, 3)]),
    ],
)
def test_dis_benefit_from_a_non_zero_baseline(
    benefit: BenefitSnap, actual: str, expected: list[tuple[Severity, int]]
) -> None:
    assert judged(measured(benefit, (jan(31), actual))) == expected


def test_dis_benefit_halfway_along_its_plan() -> None:
    assert judged(measured(MORE_STAFF_HOURS, (jan(16), "136"))) == []
    assert judged(measured(MORE_STAFF_HOURS, (jan(16), "139"))) == [(A, 1)]
    assert judged(measured(FEWER_PARKING_SPACES, (jan(16), "161"))) == [(A, 1)]
