"""Money rules with unknown amounts: an amount not known is never read as zero."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.flags import Severity
from tracker.domain.risk_rules import RULES
from tracker.domain.rules_money import (
    burn_ahead_of_progress,
    cost_overrun,
    floored_forecast,
    investment_gap,
    no_forecast,
    technology_only,
)
from tracker.domain.snapshot import InvestmentSnap, MilestoneSnap, ProgrammeSnapshot
from tracker.domain.thresholds import Thresholds

TODAY = date(2026, 11, 27)
T = Thresholds()
D = Decimal


def line(id: int = 1, **amounts: object) -> InvestmentSnap:
    """A line with only the amounts given known."""
    values = {k: D(str(v)) if v is not None and k != "category" else v for k, v in amounts.items()}
    return InvestmentSnap(id, f"Line {id}", **values)  # type: ignore[arg-type]


def programme(*lines: InvestmentSnap, stage: str = "delivery", **changes: object) -> ProgrammeSnapshot:
    return ProgrammeSnapshot(
        9,
        "INF-009",
        "Rail signalling",
        stage,  # type: ignore[arg-type]
        last_update_on=TODAY,
        investments=lines,
        **changes,  # type: ignore[arg-type]
    )


def test_the_issue_example_is_a_red_overrun_of_at_least_the_actual() -> None:
    snapshot = programme(line(approved=250_000, actual=1_200_000))
    (flag,) = cost_overrun(snapshot, TODAY, T)
    assert flag.severity is Severity.RED
    assert flag.message == (
        "Forecast spend is at least £1,200,000, £950,000 (380%) or more over approved £250,000 "
        "(1 line has no forecast, so its actual spend is counted)"
    )
    assert flag.evidence["forecast_at_least"] is True


def test_a_forecast_below_the_actual_counts_as_the_actual() -> None:
    snapshot = programme(line(approved=100_000, forecast=90_000, actual=130_000))
    (flag,) = cost_overrun(snapshot, TODAY, T)
    assert flag.message.startswith("Forecast spend is £130,000, £30,000 (30%) over")
    assert floored_forecast(line(forecast=5, actual=3)) == D(5)


def test_lines_with_no_approved_amount_are_left_out_and_said_so() -> None:
    snapshot = programme(line(1, approved=100_000, forecast=150_000), line(2, forecast=900_000))
    (flag,) = cost_overrun(snapshot, TODAY, T)
    assert flag.message == (
        "Forecast spend is £150,000, £50,000 (50%) over approved £100,000 "
        "(1 line has no approved amount and is left out)"
    )


def test_nothing_known_but_approved_is_not_an_overrun_or_an_underspend() -> None:
    assert cost_overrun(programme(line(approved=250_000)), TODAY, T) == []


def test_no_forecast_flags_approved_delivery_lines_without_one() -> None:
    snapshot = programme(
        line(1, approved=250_000, actual=1_200_000), line(2, approved=50_000, forecast=50_000)
    )
    (flag,) = no_forecast(snapshot, TODAY, T)
    assert flag.severity is Severity.AMBER
    assert flag.message == "1 line has no forecast against £250,000 approved, of which £1,200,000 is spent"
    assert flag.subject is not None and (flag.subject.kind, flag.subject.id) == ("investment", 1)


@pytest.mark.parametrize("stage", ["idea", "business_case", "closing", "closed"])
def test_no_forecast_is_only_expected_in_delivery(stage: str) -> None:
    assert no_forecast(programme(line(approved=250_000), stage=stage), TODAY, T) == []


def test_no_forecast_ignores_lines_with_nothing_approved() -> None:
    assert no_forecast(programme(line(requested=10_000), line(2, approved=0)), TODAY, T) == []


def test_two_lines_without_forecast_point_at_the_programme() -> None:
    (flag,) = no_forecast(programme(line(1, approved=1_000), line(2, approved=2_000)), TODAY, T)
    assert flag.message == "2 lines have no forecast against £3,000 approved"
    assert flag.subject is not None and flag.subject.kind == "programme"


def test_burn_ahead_uses_known_actuals_and_says_how_many_are_unknown() -> None:
    milestones = tuple(MilestoneSnap(i, f"M{i}", "it_delivery", False, TODAY) for i in range(4))
    snapshot = programme(
        line(1, approved=100_000, actual=90_000), line(2, approved=100_000), milestones=milestones
    )
    (flag,) = burn_ahead_of_progress(snapshot, TODAY, T)
    assert flag.message.startswith("45% of the approved budget is spent (£90,000 of £200,000)")
    assert flag.message.endswith("(1 line has no actual spend recorded)")


def test_investment_gap_compares_lines_with_both_amounts_known() -> None:
    snapshot = programme(line(1, requested=1_000_000, approved=500_000), line(2, requested=4_000_000))
    (flag,) = investment_gap(snapshot, TODAY, T)
    assert flag.message == (
        "Approved funding £500,000 is £500,000 (50%) short of the £1,000,000 requested "
        "(1 line has no requested or approved amount and is left out)"
    )


def test_an_unknown_approval_is_not_a_funding_gap() -> None:
    assert investment_gap(programme(line(requested=4_000_000)), TODAY, T) == []


def test_technology_only_counts_technology_lines_only() -> None:
    snapshot = programme(
        line(1, approved=3_000_000_000, category="other"),
        line(2, approved=400_000, category="business_change"),
        line(3, approved=250_000, category="technology"),
    )
    (flag,) = technology_only(snapshot, TODAY, T)
    assert flag.message.startswith("IT investment of £250,000 has")
    assert technology_only(programme(line(approved=3_000_000_000, category="other")), TODAY, T) == []


AMOUNT = st.one_of(st.none(), st.decimals(min_value=0, max_value=10**9, places=2))


@given(st.lists(st.tuples(AMOUNT, AMOUNT, AMOUNT, AMOUNT), max_size=5))
def test_every_rule_takes_any_mix_of_unknown_amounts(amounts: list[tuple[Decimal | None, ...]]) -> None:
    lines = tuple(
        InvestmentSnap(i, f"Line {i}", requested=r, approved=a, forecast=f, actual=x)
        for i, (r, a, f, x) in enumerate(amounts)
    )
    snapshot = programme(*lines)
    for _, rule in RULES:
        for flag in rule(snapshot, TODAY, T):
            assert "None" not in flag.message
    overrun = cost_overrun(snapshot, TODAY, T)
    known_forecasts = [floored_forecast(i) for i in lines if i.approved is not None]
    if overrun and not any(f is None for f in known_forecasts):
        assert "at least" not in overrun[0].message or any(i.forecast is None for i in lines)
