"""Whole-life cost growth at and just past its thresholds, the five-point scale, and optimism on it."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from tracker.domain.confidence import CONFIDENCE_LABELS, describe, rank, three_colour
from tracker.domain.flags import Severity
from tracker.domain.rating import Rating
from tracker.domain.risk import assess, optimism
from tracker.domain.rules_whole_life import whole_life_cost_growth, whole_life_growth_pct
from tracker.domain.snapshot import CONFIDENCES, ProgrammeSnapshot
from tracker.domain.thresholds import ThresholdError, Thresholds

TODAY = date(2026, 11, 27)
T = Thresholds()
D = Decimal


def programme(**changes: object) -> ProgrammeSnapshot:
    return replace(ProgrammeSnapshot(7, "DIG-007", "Digital front door", "delivery"), **changes)


def grown(forecast: str | None, *, baseline: str | None = "1000000", first: str | None = "1000000"):
    snapshot = programme(
        whole_life_baseline=None if baseline is None else D(baseline),
        whole_life_forecast=None if forecast is None else D(forecast),
        first_whole_life_baseline=None if first is None else D(first),
    )
    return whole_life_cost_growth(snapshot, TODAY, T)


@pytest.mark.parametrize(
    ("forecast", "severity"),
    [
        ("1100000", None),  # exactly 10%: "more than" only
        ("1100000.01", Severity.AMBER),
        ("1250000", Severity.AMBER),  # exactly 25%
        ("1250000.01", Severity.RED),
        ("900000", None),  # a fall is not growth
    ],
)
def test_growth_at_and_just_past_the_thresholds(forecast: str, severity: Severity | None) -> None:
    flags = grown(forecast)
    assert [flag.severity for flag in flags] == ([severity] if severity else [])


def test_flag_says_the_figures_and_points_at_the_programme() -> None:
    (flag,) = grown("1300000")
    assert flag.message == (
        "Whole-life cost forecast £1,300,000 is 30% above the first approved baseline of £1,000,000"
    )
    assert flag.evidence == {
        "current": "1300000",
        "basis": "forecast",
        "first_baseline": "1000000",
        "growth_pct": "30.0",
    }
    assert (flag.subject.kind, flag.subject.id) == ("programme", 7)


def test_without_a_forecast_a_larger_current_baseline_is_growth() -> None:
    (flag,) = grown(None, baseline="1200000", first="1000000")
    assert flag.severity is Severity.AMBER
    assert flag.evidence["basis"] == "baseline"
    assert "baseline £1,200,000 is 20% above" in flag.message


@pytest.mark.parametrize(
    ("forecast", "baseline", "first"),
    [
        (None, None, "1000000"),  # nothing current known
        ("2000000", "1000000", None),  # no first baseline
        ("2000000", None, None),
        ("2000000", "0", "0"),  # a zero baseline gives no percentage
    ],
)
def test_unknown_figures_give_no_flag(forecast: str | None, baseline: str | None, first: str | None) -> None:
    assert grown(forecast, baseline=baseline, first=first) == []
    snapshot = programme(
        whole_life_forecast=None if forecast is None else D(forecast),
        whole_life_baseline=None if baseline is None else D(baseline),
        first_whole_life_baseline=None if first is None else D(first),
    )
    assert whole_life_growth_pct(snapshot) is None


@pytest.mark.parametrize(
    ("forecast", "weight"), [("1190000", 0), ("1200000.01", 1), ("1500000", 4), ("9000000", 9)]
)
def test_weight_is_a_point_per_ten_percent_past_amber(forecast: str, weight: int) -> None:
    assert [flag.weight for flag in grown(forecast)] == [weight]


def test_thresholds_move_the_flag() -> None:
    snapshot = programme(whole_life_forecast=D(1150000), first_whole_life_baseline=D(1000000))
    strict = Thresholds(whole_life_growth_pct=5, whole_life_growth_red_pct=12)
    assert [f.severity for f in whole_life_cost_growth(snapshot, TODAY, strict)] == [Severity.RED]
    loose = Thresholds(whole_life_growth_pct=20, whole_life_growth_red_pct=40)
    assert whole_life_cost_growth(snapshot, TODAY, loose) == []


def test_red_must_be_above_amber() -> None:
    with pytest.raises(ThresholdError) as error:
        Thresholds(whole_life_growth_pct=30, whole_life_growth_red_pct=30)
    assert error.value.field == "whole_life_growth_red_pct"
    with pytest.raises(ThresholdError) as error:
        Thresholds.from_mapping({"whole_life_growth_pct": "0"})
    assert error.value.field == "whole_life_growth_pct"


def test_growth_counts_in_the_rating() -> None:
    snapshot = programme(whole_life_forecast=D(1400000), first_whole_life_baseline=D(1000000))
    result = assess(snapshot, TODAY, T)
    assert result.rating is Rating.RED
    assert "whole_life_cost_growth" in result.rules


# the five-point scale


def test_five_points_in_order_with_published_labels() -> None:
    assert [CONFIDENCE_LABELS[c] for c in CONFIDENCES] == [
        "Green",
        "Amber/Green",
        "Amber",
        "Amber/Red",
        "Red",
    ]
    assert [rank(c) for c in CONFIDENCES] == [0, 1, 2, 3, 4]


def test_split_ratings_take_the_worse_colour_and_say_so() -> None:
    assert [three_colour(c) for c in CONFIDENCES] == ["green", "amber", "amber", "red", "red"]
    assert describe("amber_green") == "Amber/Green (shown as amber where three colours are used)"
    assert describe("amber_red") == "Amber/Red (shown as red where three colours are used)"
    assert describe("amber") == "Amber"


# optimism on five points

RED_PROGRAMME = programme(whole_life_forecast=D(2000000), first_whole_life_baseline=D(1000000))


@pytest.mark.parametrize(
    ("confidence", "flagged"),
    [
        ("green", True),
        ("amber_green", True),
        ("amber", False),
        ("amber_red", False),
        ("red", False),
        (None, False),
    ],
)
def test_optimism_on_a_red_programme(confidence: str | None, flagged: bool) -> None:
    result = assess(replace(RED_PROGRAMME, confidence=confidence), TODAY, T)
    assert ("optimism" in result.rules) is flagged


def test_optimism_message_uses_the_published_label() -> None:
    (flag,) = optimism(replace(RED_PROGRAMME, confidence="amber_green"), Rating.RED, 2)
    assert flag.message == "Reported confidence is Amber/Green, but 2 flags make the computed rating Red"
    assert flag.evidence["confidence"] == "amber_green"


@pytest.mark.parametrize("confidence", ["green", "amber_green"])
def test_no_optimism_when_the_computed_rating_is_amber(confidence: str) -> None:
    amber = programme(
        stage="business_case",
        last_update_on=TODAY,
        confidence=confidence,
        whole_life_forecast=D(1150000),
        first_whole_life_baseline=D(1000000),
    )
    result = assess(amber, TODAY, T)
    assert result.rating is Rating.AMBER
    assert "optimism" not in result.rules


def test_assess_without_optimism_scores_the_facts_only() -> None:
    optimistic = replace(RED_PROGRAMME, confidence="green")
    with_it = assess(optimistic, TODAY, T)
    facts_only = assess(optimistic, TODAY, T, include_optimism=False)
    assert "optimism" not in facts_only.rules
    assert facts_only.rating is with_it.rating is Rating.RED
    assert facts_only.score == with_it.score - 10
    assert facts_only == assess(replace(RED_PROGRAMME, confidence="red"), TODAY, T)


def test_every_threshold_problem_is_reported_at_once() -> None:
    with pytest.raises(ThresholdError) as error:
        Thresholds.from_mapping(
            {"whole_life_growth_pct": "30", "whole_life_growth_red_pct": "20", "stale_days": "x"}
        )
    assert [problem.field for problem in error.value.problems] == ["stale_days", "whole_life_growth_red_pct"]
