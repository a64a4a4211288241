"""Flag evidence in words: every rule's figures read as labelled plain English, never as raw keys."""

import re
from datetime import date
from decimal import Decimal

import pytest

from tracker.domain.evidence import describe
from tracker.domain.risk import assess
from tracker.domain.risk_rules import RULE_LABELS
from tracker.domain.snapshot import (
    ActionSnap,
    BenefitSnap,
    DependencySnap,
    InvestmentSnap,
    MilestoneSnap,
    ProgrammeSnapshot,
    RegisterSnap,
    TeamLoadSnap,
)
from tracker.domain.thresholds import Thresholds

TODAY = date(2026, 11, 27)
SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")


def troubled() -> ProgrammeSnapshot:
    """A programme that trips every rule, so each rule's real evidence can be put into words."""
    return ProgrammeSnapshot(
        7,
        "DIG-007",
        "Digital front door",
        "delivery",
        confidence="green",
        last_update_on=date(2026, 10, 1),
        milestones=(
            MilestoneSnap(
                1, "Go-live", "it_delivery", True, date(2026, 11, 4), forecast_date=date(2027, 1, 20)
            ),
            MilestoneSnap(2, "Data migration", "it_delivery", False, date(2027, 3, 1), date(2027, 5, 1)),
        ),
        investments=(
            InvestmentSnap(1, "CRM", Decimal(2000000), Decimal(1200000), Decimal(1380000), Decimal(1000000)),
            InvestmentSnap(2, "Backfill", approved=Decimal(50000)),
        ),
        benefits=(
            BenefitSnap(
                3,
                "Cashable saving",
                "cashable",
                None,
                trajectory=((date(2026, 4, 1), Decimal(0)), (date(2026, 9, 30), Decimal(200000))),
                measurements=((date(2026, 9, 30), Decimal(120000)),),
            ),
        ),
        register=(RegisterSnap(5, "Supplier goes bust", "risk", 5, 5, "Jo", None),),
        actions=(ActionSnap(4, "Sign the data sharing agreement", "Jo", date(2026, 11, 2)),),
        rebaseline_dates=(date(2026, 6, 1), date(2026, 9, 1)),
        whole_life_baseline=Decimal(1300000),
        whole_life_forecast=Decimal(1500000),
        first_whole_life_baseline=Decimal(1200000),
        forecast_end_date=date(2027, 9, 30),
        previous_return_end_date=date(2027, 3, 31),
        planned_gate_date=date(2026, 9, 30),
        team_loads=(
            TeamLoadSnap(1, "Revenues and benefits", date(2027, 3, 1), Decimal(48), Decimal(30), Decimal(12)),
        ),
        dependencies=(
            DependencySnap(
                9,
                2,
                "Data migration",
                date(2027, 4, 1),
                "HSG-012",
                "Housing repairs scheduling",
                MilestoneSnap(
                    30, "Repairs data cleansed", "it_delivery", False, date(2027, 3, 1), date(2027, 5, 10)
                ),
            ),
        ),
    )


def test_every_rule_is_tripped_and_each_flag_reads_in_words() -> None:
    flags = assess(troubled(), TODAY, Thresholds()).flags
    assert {flag.rule for flag in flags} == set(RULE_LABELS)
    for flag in flags:
        lines = describe(flag.rule, flag.evidence)
        assert lines, flag.rule
        for label, value in lines:
            assert label[0].isupper() and "_" not in label, (flag.rule, label)
            assert not SNAKE.search(value), (flag.rule, value)
            assert not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value), (flag.rule, value)


@pytest.mark.parametrize(
    ("rule", "evidence", "expected"),
    [
        (
            "overdue_milestone",
            {"days_overdue": 23, "baseline_date": "2026-11-04", "forecast_date": None, "critical": True},
            [
                ("Approved baseline", "4 November 2026"),
                ("Overdue by", "23 days"),
                ("Forecast", "Not recorded"),
                ("Critical milestone", "Yes"),
            ],
        ),
        (
            "forecast_slip",
            {
                "slip_days": 61,
                "baseline_date": "2027-03-01",
                "forecast_date": "2027-05-01",
                "threshold_days": 30,
            },
            [
                ("Approved baseline", "1 March 2027"),
                ("Forecast", "1 May 2027"),
                ("Forecast later than baseline by", "61 days"),
                ("Flagged when later by more than", "30 days"),
            ],
        ),
        (
            "repeated_rebaselining",
            {"count": 2, "window_days": 180, "latest": "2026-09-01"},
            [
                ("Re-baselines approved", "2"),
                ("Counted over the last", "180 days"),
                ("Latest re-baseline", "1 September 2026"),
            ],
        ),
        (
            "cost_overrun",
            {"forecast": "1380000.00", "approved": "1200000", "over_pct": "15.0"},
            [("Forecast spend", "£1,380,000"), ("Approved budget", "£1,200,000"), ("Over budget by", "15%")],
        ),
        (
            "burn_ahead_of_progress",
            {"spent_pct": "83.3", "done_pct": "0.0", "milestones_done": 0, "milestones": 2},
            [
                ("Share of budget spent", "83.3%"),
                ("Share of milestones done", "0%"),
                ("Milestones done", "0"),
                ("Milestones in the plan", "2"),
            ],
        ),
        (
            "benefits_behind_trajectory",
            {"measured_on": "2026-09-30", "actual": "120000", "planned": "200000.00", "pct": "60.0"},
            [
                ("Measured on", "30 September 2026"),
                ("Measured value", "120,000"),
                ("Planned value by then", "200,000"),
                ("Against plan", "60%"),
            ],
        ),
        ("no_benefits", {"benefits": 0}, [("Benefits defined", "0")]),
        ("stale", {"days_since_update": None}, [("Last update", "None submitted yet")]),
        (
            "stale",
            {"days_since_update": 57, "last_update_on": "2026-10-01"},
            [("Days since the last update", "57 days"), ("Last update", "1 October 2026")],
        ),
        ("technology_only", {"it_investment": "1200000"}, [("Technology investment", "£1,200,000")]),
        (
            "investment_gap",
            {"requested": "2000000", "approved": "1200000", "gap_pct": "40.0"},
            [("Requested", "£2,000,000"), ("Approved", "£1,200,000"), ("Shortfall", "40%")],
        ),
        (
            "unmitigated_high_risks",
            {"score": 16, "likelihood": 4, "impact": 4, "kind": "risk", "missing": "mitigation, owner"},
            [
                ("Register entry", "Risk"),
                ("Score", "16"),
                ("Likelihood (1 to 5)", "4"),
                ("Impact (1 to 5)", "4"),
                ("Not recorded", "Mitigation, owner"),
            ],
        ),
        (
            "overdue_action",
            {"due_date": "2026-11-02", "days_overdue": 25, "owner": "Jo Bloggs", "overdue_actions": 1},
            [
                ("Due", "2 November 2026"),
                ("Overdue by", "25 days"),
                ("Owner", "Jo Bloggs"),
                ("Open actions overdue", "1"),
            ],
        ),
        (
            "optimism",
            {"confidence": "green", "rating": "red", "flags": 3},
            [("Reported confidence", "Green"), ("Computed rating", "Red"), ("Other flags", "3")],
        ),
    ],
)
def test_each_rule_has_its_own_words(rule: str, evidence: dict, expected: list[tuple[str, str]]) -> None:
    assert describe(rule, evidence) == expected


def test_a_rule_added_later_reads_decently_without_a_table() -> None:
    lines = describe(
        "whole_life_cost_growth",
        {
            "whole_life_forecast": "5250000.00",
            "growth_pct": "31.25",
            "first_baselined_on": "2025-04-01",
            "threshold_days": 30,
            "headroom_amount": "not money",
            "returns_counted": 4,
            "subject_id": 9,
        },
    )
    assert lines == [
        ("Whole-life cost forecast", "£5,250,000"),
        ("Growth", "31.3%"),
        ("First baselined", "1 April 2025"),
        ("Flagged beyond", "30 days"),
        ("Headroom", "Not money"),
        ("Returns counted", "4"),
    ]
    assert "threshold_days" not in str(lines) and "Threshold days" not in str(lines)


def test_unknown_values_are_said_not_hidden_where_they_matter() -> None:
    assert describe("cost_overrun", {"forecast": None, "approved": "100"}) == [
        ("Forecast spend", "Not recorded"),
        ("Approved budget", "£100"),
    ]
