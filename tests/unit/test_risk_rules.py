"""Each risk rule at, just below and just above its thresholds, plus `assess` and the thresholds."""

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.domain.flags import Flag, Severity, Subject
from tracker.domain.rating import Rating
from tracker.domain.risk import assess
from tracker.domain.risk_rules import RULE_LABELS, RULE_NAMES, RULES
from tracker.domain.rules_benefits import (
    benefits_behind_trajectory,
    no_benefits,
    planned_value_at,
    realisation_pct,
)
from tracker.domain.rules_delivery import (
    forecast_slip,
    overdue_milestone,
    repeated_rebaselining,
    stale,
    unmitigated_high_risks,
)
from tracker.domain.rules_gates import gate_overdue
from tracker.domain.rules_money import burn_ahead_of_progress, cost_overrun, investment_gap, technology_only
from tracker.domain.snapshot import (
    STAGES,
    ActionSnap,
    BenefitSnap,
    DependencySnap,
    InvestmentSnap,
    MilestoneSnap,
    ProgrammeSnapshot,
    RegisterSnap,
    Sharer,
    TeamLoadSnap,
)
from tracker.domain.thresholds import THRESHOLD_FIELDS, ThresholdError, Thresholds

TODAY = date(2026, 11, 27)
T = Thresholds()
D = Decimal


def programme(**changes: object) -> ProgrammeSnapshot:
    """An empty programme in delivery, updated today; tests add what they need."""
    return replace(
        ProgrammeSnapshot(7, "DIG-007", "Digital front door", "delivery", last_update_on=TODAY), **changes
    )


def milestone(
    baseline: date | None,
    *,
    id: int = 1,
    title: str = "Go-live",
    kind: str = "it_delivery",
    **changes: object,
) -> MilestoneSnap:
    return replace(MilestoneSnap(id, title, kind, False, baseline), **changes)  # type: ignore[arg-type]


def spend(
    requested: str = "0", approved: str = "0", forecast: str = "0", actual: str = "0", **changes: object
) -> InvestmentSnap:
    return replace(
        InvestmentSnap(1, "CRM licences", D(requested), D(approved), D(forecast), D(actual)), **changes
    )


def benefit(**changes: object) -> BenefitSnap:
    return replace(BenefitSnap(3, "Cashable saving", "cashable", "Head of Revenues"), **changes)


def entry(likelihood: int, impact: int, **changes: object) -> RegisterSnap:
    return replace(
        RegisterSnap(5, "Supplier goes bust", "risk", likelihood, impact, "Jo", "Escrow"), **changes
    )


def only(flags: list[Flag]) -> Flag:
    assert len(flags) == 1, flags
    return flags[0]


# overdue_milestone


@pytest.mark.parametrize(("days_late", "flagged"), [(-1, False), (0, False), (1, True), (2, True)])
def test_overdue_starts_the_day_after_the_baseline(days_late: int, flagged: bool) -> None:
    snapshot = programme(milestones=(milestone(TODAY - timedelta(days=days_late)),))
    assert bool(overdue_milestone(snapshot, TODAY, T)) is flagged


def test_overdue_message_and_subject() -> None:
    flag = only(overdue_milestone(programme(milestones=(milestone(date(2026, 11, 4), id=9),)), TODAY, T))
    assert flag.message == "Go-live milestone is 23 days overdue (baseline 4 November 2026)"
    assert (flag.rule, flag.severity, flag.subject) == (
        "overdue_milestone",
        Severity.AMBER,
        Subject("milestone", 9),
    )
    assert flag.evidence["days_overdue"] == 23


def test_overdue_says_one_day_and_does_not_repeat_milestone() -> None:
    late = milestone(TODAY - timedelta(days=1), title="Design authority milestone")
    assert only(overdue_milestone(programme(milestones=(late,)), TODAY, T)).message == (
        "Design authority milestone is 1 day overdue (baseline 26 November 2026)"
    )


def test_overdue_critical_milestone_is_red() -> None:
    late = milestone(date(2026, 11, 4), critical=True)
    assert only(overdue_milestone(programme(milestones=(late,)), TODAY, T)).severity is Severity.RED


@pytest.mark.parametrize(
    "done", [{"complete": True}, {"actual_date": date(2026, 11, 20)}, {"baseline_date": None}]
)
def test_done_or_unbaselined_milestones_are_not_overdue(done: dict[str, object]) -> None:
    assert overdue_milestone(programme(milestones=(milestone(date(2026, 11, 4), **done),)), TODAY, T) == []


# forecast_slip


@pytest.mark.parametrize(
    ("slip", "severity"),
    [(29, None), (30, None), (31, Severity.AMBER), (90, Severity.AMBER), (91, Severity.RED)],
)
def test_forecast_slip_thresholds(slip: int, severity: Severity | None) -> None:
    baseline = date(2027, 3, 1)
    snapshot = programme(milestones=(milestone(baseline, forecast_date=baseline + timedelta(days=slip)),))
    flags = forecast_slip(snapshot, TODAY, T)
    assert [f.severity for f in flags] == ([severity] if severity else [])


def test_forecast_slip_message_and_custom_threshold() -> None:
    late = milestone(date(2027, 3, 1), forecast_date=date(2027, 3, 8), title="Data migration")
    assert forecast_slip(programme(milestones=(late,)), TODAY, T) == []
    flag = only(forecast_slip(programme(milestones=(late,)), TODAY, replace(T, forecast_slip_days=6)))
    assert flag.message == (
        "Data migration milestone is forecast 7 days late (8 March 2027 against a baseline of 1 March 2027)"
    )


def test_an_overdue_milestone_that_has_slipped_is_one_flag_saying_both() -> None:
    late = milestone(date(2026, 11, 4), forecast_date=date(2027, 3, 1), title="Data migration")
    snapshot = programme(milestones=(late,))
    assert forecast_slip(snapshot, TODAY, T) == []
    flag = only(overdue_milestone(snapshot, TODAY, T))
    assert flag.message == (
        "Data migration milestone is 23 days overdue (baseline 4 November 2026) "
        "and now forecast for 1 March 2027, 117 days late"
    )
    # Not critical, but a slip past the red threshold: the flag takes the worse severity.
    assert flag.severity is Severity.RED
    assert flag.evidence["slip_days"] == 117
    milestone_rules = [f.rule for f in assess(snapshot, TODAY, T).flags if f.subject == flag.subject]
    assert milestone_rules == ["overdue_milestone"]


def test_an_overdue_milestone_with_a_small_slip_keeps_its_own_severity() -> None:
    late = milestone(date(2026, 11, 4), forecast_date=date(2026, 12, 1))
    flag = only(overdue_milestone(programme(milestones=(late,)), TODAY, T))
    assert (flag.severity, "slip_days" in flag.evidence) == (Severity.AMBER, False)
    assert "forecast" not in flag.message


def test_forecast_slip_ignores_done_milestones_and_missing_forecasts() -> None:
    far = date(2027, 12, 1)
    milestones = (
        milestone(date(2027, 1, 1), forecast_date=far, complete=True),
        milestone(date(2027, 1, 1), forecast_date=None),
        milestone(date(2027, 1, 1), forecast_date=date(2026, 10, 1)),
    )
    assert forecast_slip(programme(milestones=milestones), TODAY, T) == []


# repeated_rebaselining


def test_rebaselining_needs_two_within_the_window() -> None:
    one = programme(rebaseline_dates=(date(2026, 10, 1),))
    assert repeated_rebaselining(one, TODAY, T) == []
    two = programme(rebaseline_dates=(date(2026, 10, 1), date(2026, 6, 1)))
    flag = only(repeated_rebaselining(two, TODAY, T))
    assert flag.message == "Re-baselined 2 times in the last 180 days (latest 1 October 2026)"
    assert (flag.severity, flag.subject) == (Severity.AMBER, Subject("programme", 7))


@pytest.mark.parametrize(("days_ago", "flagged"), [(179, True), (180, True), (181, False), (-1, False)])
def test_rebaselining_window_edge(days_ago: int, flagged: bool) -> None:
    snapshot = programme(rebaseline_dates=(TODAY - timedelta(days=3), TODAY - timedelta(days=days_ago)))
    assert bool(repeated_rebaselining(snapshot, TODAY, T)) is flagged


def test_rebaselining_once_with_a_threshold_of_one() -> None:
    snapshot = programme(rebaseline_dates=(date(2026, 10, 1),))
    flag = only(repeated_rebaselining(snapshot, TODAY, replace(T, rebaseline_count=1)))
    assert flag.message == "Re-baselined once in the last 180 days (latest 1 October 2026)"


# cost_overrun


@pytest.mark.parametrize(
    ("forecast", "severity"),
    [
        ("1100000", None),
        ("1099999", None),
        ("1100001", Severity.AMBER),
        ("1250000", Severity.AMBER),
        ("1250001", Severity.RED),
    ],
)
def test_cost_overrun_thresholds(forecast: str, severity: Severity | None) -> None:
    flags = cost_overrun(programme(investments=(spend(approved="1000000", forecast=forecast),)), TODAY, T)
    assert [f.severity for f in flags] == ([severity] if severity else [])


def test_cost_overrun_message_sums_lines() -> None:
    lines = (spend(approved="700000", forecast="800000"), spend(approved="500000", forecast="580000"))
    flag = only(cost_overrun(programme(investments=lines), TODAY, T))
    assert flag.message == "Forecast spend is £1,380,000, £180,000 (15%) over approved £1,200,000"
    assert flag.evidence["over_pct"] == "15.0"


def test_cost_overrun_needs_an_approved_budget() -> None:
    assert cost_overrun(programme(investments=(spend(forecast="500000"),)), TODAY, T) == []
    assert cost_overrun(programme(), TODAY, T) == []


# burn_ahead_of_progress


def four_milestones(done: int) -> tuple[MilestoneSnap, ...]:
    return tuple(milestone(date(2027, 6, 1), id=i, complete=i < done) for i in range(4))


@pytest.mark.parametrize(("actual", "flagged"), [("49.99", False), ("50", False), ("50.01", True)])
def test_burn_ahead_threshold_in_percentage_points(actual: str, flagged: bool) -> None:
    snapshot = programme(investments=(spend(approved="100", actual=actual),), milestones=four_milestones(1))
    assert bool(burn_ahead_of_progress(snapshot, TODAY, T)) is flagged


def test_burn_ahead_message() -> None:
    snapshot = programme(
        investments=(spend(approved="1200000", actual="900000"),), milestones=four_milestones(1)
    )
    assert only(burn_ahead_of_progress(snapshot, TODAY, T)).message == (
        "75% of the approved budget is spent (£900,000 of £1,200,000) "
        "but only 1 of 4 milestones is complete (25%)"
    )


def test_burn_ahead_needs_budget_and_milestones() -> None:
    assert (
        burn_ahead_of_progress(programme(investments=(spend(approved="100", actual="90"),)), TODAY, T) == []
    )
    assert burn_ahead_of_progress(programme(milestones=four_milestones(0)), TODAY, T) == []


# benefits_behind_trajectory

PLAN = ((date(2026, 4, 1), D(0)), (date(2026, 9, 30), D(200000)))


@pytest.mark.parametrize(
    ("actual", "severity"),
    [("160000", None), ("159999", Severity.AMBER), ("100000", Severity.AMBER), ("99999", Severity.RED)],
)
def test_benefit_behind_thresholds(actual: str, severity: Severity | None) -> None:
    saving = benefit(trajectory=PLAN, measurements=((date(2026, 9, 30), D(actual)),))
    flags = benefits_behind_trajectory(programme(benefits=(saving,)), TODAY, T)
    assert [f.severity for f in flags] == ([severity] if severity else [])


def test_benefit_behind_message() -> None:
    saving = benefit(trajectory=PLAN, measurements=((date(2026, 9, 30), D(120000)),), id=4)
    flag = only(benefits_behind_trajectory(programme(benefits=(saving,)), TODAY, T))
    assert flag.message == "Cashable saving is £120,000 against a planned £200,000 by 30 September 2026 (60%)"
    assert (flag.subject, flag.evidence["pct"]) == (Subject("benefit", 4), "60.0")


def test_benefit_uses_the_latest_measurement_and_the_interpolated_plan() -> None:
    measurements = ((date(2026, 9, 30), D(10)), (date(2026, 6, 30), D(90000)))
    saving = benefit(trajectory=PLAN, measurements=measurements)
    flag = only(benefits_behind_trajectory(programme(benefits=(saving,)), TODAY, T))
    assert flag.message.endswith("by 30 September 2026 (0%)")
    on_track = benefit(trajectory=PLAN, measurements=((date(2026, 6, 30), D(90000)),))
    assert benefits_behind_trajectory(programme(benefits=(on_track,)), TODAY, T) == []


def test_planned_value_interpolates_and_holds() -> None:
    assert planned_value_at(PLAN, date(2026, 3, 31)) is None
    assert planned_value_at(PLAN, date(2026, 4, 1)) == 0
    assert planned_value_at(PLAN, date(2026, 6, 30)) == D(200000) * 90 / 182
    assert planned_value_at(PLAN, date(2026, 9, 30)) == 200000
    assert planned_value_at(PLAN, date(2027, 9, 30)) == 200000
    assert planned_value_at(tuple(reversed(PLAN)), date(2026, 9, 30)) == 200000
    assert planned_value_at((), TODAY) is None


def test_no_judgement_before_the_plan_starts_or_without_measurements() -> None:
    early = benefit(trajectory=PLAN, measurements=((date(2026, 3, 1), D(0)),))
    unmeasured = benefit(trajectory=PLAN)
    assert benefits_behind_trajectory(programme(benefits=(early, unmeasured)), TODAY, T) == []


def lower_is_better(actual: str, baseline: str | None = "10") -> BenefitSnap:
    return benefit(
        title="Average call wait",
        type="service_improvement",
        direction="lower",
        unit="minutes",
        baseline_value=None if baseline is None else D(baseline),
        trajectory=((date(2026, 4, 1), D(6)),),
        measurements=((date(2026, 10, 1), D(actual)),),
    )


@pytest.mark.parametrize(
    ("actual", "severity"),
    [
        ("6", None),
        ("6.8", None),
        ("6.81", Severity.AMBER),
        ("8", Severity.AMBER),
        ("8.01", Severity.RED),
        ("11", Severity.RED),
    ],
)
def test_lower_is_better_with_a_baseline(actual: str, severity: Severity | None) -> None:
    flags = benefits_behind_trajectory(programme(benefits=(lower_is_better(actual),)), TODAY, T)
    assert [f.severity for f in flags] == ([severity] if severity else [])


def test_lower_is_better_message_uses_the_unit() -> None:
    flag = only(benefits_behind_trajectory(programme(benefits=(lower_is_better("8"),)), TODAY, T))
    assert (
        flag.message == "Average call wait is 8 minutes against a planned 6 minutes by 1 October 2026 (50%)"
    )


@pytest.mark.parametrize(("actual", "flagged"), [("7.5", False), ("7.51", True), ("5", False)])
def test_lower_is_better_without_a_baseline(actual: str, flagged: bool) -> None:
    snapshot = programme(benefits=(lower_is_better(actual, baseline=None),))
    assert bool(benefits_behind_trajectory(snapshot, TODAY, T)) is flagged


def test_realisation_pct_cases() -> None:
    assert realisation_pct(D(120), D(200), None, "higher") == 60
    assert realisation_pct(D(150), D(200), D(100), "higher") == 50
    assert realisation_pct(D(8), D(6), D(10), "lower") == 50
    assert realisation_pct(D(8), D(6), None, "lower") == 75
    assert realisation_pct(D(5), D(10), D(10), "higher") is None
    assert realisation_pct(D(5), D(0), None, "higher") is None
    assert realisation_pct(D(0), D(6), None, "lower") is None


def percentage_measure(actual: str) -> BenefitSnap:
    return benefit(
        title="Online applications",
        type="non_cashable",
        unit="%",
        baseline_value=D(20),
        trajectory=((date(2026, 4, 1), D(60)),),
        measurements=((date(2026, 10, 1), D(actual)),),
    )


def test_percentage_units_and_pounds_units() -> None:
    flag = only(benefits_behind_trajectory(programme(benefits=(percentage_measure("40"),)), TODAY, T))
    assert flag.message == "Online applications is 40% against a planned 60% by 1 October 2026 (50%)"
    cost = replace(percentage_measure("40"), title="Postage spend avoided", unit="GBP")
    assert only(benefits_behind_trajectory(programme(benefits=(cost,)), TODAY, T)).message.startswith(
        "Postage spend avoided is £40 against a planned £60"
    )


def dis_benefit(actual: str) -> BenefitSnap:
    return benefit(
        title="Extra staff training",
        type="dis_benefit",
        direction="lower",
        unit="hours",
        baseline_value=D(0),
        trajectory=((date(2026, 4, 1), D(100)),),
        measurements=((date(2026, 10, 1), D(actual)),),
    )


@pytest.mark.parametrize(
    ("actual", "severity"),
    [
        ("60", None),
        ("120", None),
        ("120.01", Severity.AMBER),
        ("150", Severity.AMBER),
        ("150.5", Severity.RED),
    ],
)
def test_dis_benefit_is_behind_when_larger_than_planned(actual: str, severity: Severity | None) -> None:
    flags = benefits_behind_trajectory(programme(benefits=(dis_benefit(actual),)), TODAY, T)
    assert [f.severity for f in flags] == ([severity] if severity else [])


def test_dis_benefit_message() -> None:
    flag = only(benefits_behind_trajectory(programme(benefits=(dis_benefit("130"),)), TODAY, T))
    assert flag.message == (
        "Extra staff training is 130 hours against a planned 100 hours by 1 October 2026: "
        "a dis-benefit 30% larger than planned"
    )


# no_benefits


def test_no_benefits_in_delivery() -> None:
    flag = only(no_benefits(programme(), TODAY, T))
    assert flag.message == "No benefits are defined, but the programme is in delivery"
    assert flag.subject == Subject("programme", 7)


@pytest.mark.parametrize("stage", ["idea", "business_case", "closing"])
def test_no_benefits_only_required_in_delivery(stage: str) -> None:
    assert no_benefits(programme(stage=stage), TODAY, T) == []


@pytest.mark.parametrize("owner", [None, "", "   "])
def test_benefit_without_owner(owner: str | None) -> None:
    snapshot = programme(stage="business_case", benefits=(benefit(owner=owner, id=11),))
    flag = only(no_benefits(snapshot, TODAY, T))
    assert (flag.message, flag.subject) == (
        "Cashable saving has no owner in the service",
        Subject("benefit", 11),
    )


def test_owned_benefit_in_delivery_is_fine() -> None:
    assert no_benefits(programme(benefits=(benefit(),)), TODAY, T) == []


# stale


@pytest.mark.parametrize(
    ("days", "severity"),
    [(0, None), (29, None), (30, None), (31, Severity.AMBER), (60, Severity.AMBER), (61, Severity.RED)],
)
def test_stale_thresholds(days: int, severity: Severity | None) -> None:
    flags = stale(programme(last_update_on=TODAY - timedelta(days=days)), TODAY, T)
    assert [f.severity for f in flags] == ([severity] if severity else [])


def test_stale_message() -> None:
    assert (
        only(stale(programme(last_update_on=TODAY - timedelta(days=41)), TODAY, T)).message
        == "No update for 41 days"
    )


@pytest.mark.parametrize("changes", [{"stage": "closed"}, {"stage": "idea"}, {"paused": True}])
def test_closed_paused_and_ideas_are_never_stale(changes: dict[str, object]) -> None:
    for last in (date(2020, 1, 1), None):
        assert stale(programme(last_update_on=last, **changes), TODAY, T) == []


def test_never_updated_is_amber() -> None:
    flag = only(stale(programme(last_update_on=None), TODAY, T))
    assert (flag.severity, flag.message) == (Severity.AMBER, "No update has been submitted yet")


# technology_only

IT = spend(requested="900000", approved="850000")


def test_technology_only() -> None:
    flag = only(technology_only(programme(investments=(IT,)), TODAY, T))
    assert flag.message == (
        "IT investment of £850,000 has no business change milestone and no service adoption measure"
    )


def test_technology_only_shows_requested_while_nothing_is_approved() -> None:
    snapshot = programme(stage="business_case", investments=(spend(requested="400000"),))
    assert only(technology_only(snapshot, TODAY, T)).message.startswith("IT investment of £400,000 has")


@pytest.mark.parametrize(
    "changes",
    [
        {"milestones": (milestone(date(2027, 1, 1), kind="business_change"),)},
        {"benefits": (benefit(is_adoption_measure=True),)},
        {"investments": (replace(IT, category="other"),)},
        {"investments": (spend(),)},
        {"stage": "idea"},
    ],
)
def test_technology_only_is_cleared_by_business_change(changes: dict[str, object]) -> None:
    snapshot = replace(programme(investments=(IT,)), **changes)
    assert technology_only(snapshot, TODAY, T) == []


def test_other_milestone_kinds_do_not_count_as_business_change() -> None:
    kinds = ("it_delivery", "governance", "benefit")
    snapshot = programme(investments=(IT,), milestones=tuple(milestone(TODAY, kind=kind) for kind in kinds))
    assert len(technology_only(snapshot, TODAY, T)) == 1


# investment_gap


@pytest.mark.parametrize(("approved", "flagged"), [("800000", False), ("800001", False), ("799999", True)])
def test_investment_gap_threshold(approved: str, flagged: bool) -> None:
    snapshot = programme(investments=(spend(requested="1000000", approved=approved),))
    assert bool(investment_gap(snapshot, TODAY, T)) is flagged


def test_investment_gap_message() -> None:
    snapshot = programme(investments=(spend(requested="1500000", approved="1000000"),))
    assert only(investment_gap(snapshot, TODAY, T)).message == (
        "Approved funding £1,000,000 is £500,000 (33.3%) short of the £1,500,000 requested"
    )


def test_investment_gap_waits_for_a_funding_decision_before_delivery() -> None:
    unfunded = (spend(requested="500000"),)
    assert investment_gap(programme(stage="business_case", investments=unfunded), TODAY, T) == []
    flag = only(investment_gap(programme(investments=unfunded), TODAY, T))
    assert flag.message == "Approved funding £0 is £500,000 (100%) short of the £500,000 requested"


def test_investment_gap_none_when_fully_funded() -> None:
    assert investment_gap(programme(investments=(spend(requested="5", approved="6"),)), TODAY, T) == []


# unmitigated_high_risks


@pytest.mark.parametrize(
    ("likelihood", "impact", "flagged"),
    [(3, 4, False), (2, 5, False), (3, 5, True), (4, 4, True), (5, 5, True)],
)
def test_high_risk_score_threshold(likelihood: int, impact: int, flagged: bool) -> None:
    snapshot = programme(register=(entry(likelihood, impact, mitigation=None),))
    assert bool(unmitigated_high_risks(snapshot, TODAY, T)) is flagged


def test_high_risk_threshold_is_inclusive() -> None:
    at, below = entry(4, 4, mitigation=" "), entry(3, 5, mitigation=" ")
    limits = replace(T, high_risk_score=16)
    assert unmitigated_high_risks(programme(register=(at,)), TODAY, limits) != []
    assert unmitigated_high_risks(programme(register=(below,)), TODAY, limits) == []


def test_unmitigated_messages() -> None:
    both = entry(4, 5, mitigation=None, owner=None, id=8)
    flag = only(unmitigated_high_risks(programme(register=(both,)), TODAY, T))
    assert flag.message == (
        "No mitigation or owner recorded for a risk scored 20 (likelihood 4, impact 5): Supplier goes bust"
    )
    assert flag.subject == Subject("register_entry", 8)
    issue = entry(5, 3, kind="issue", owner="")
    assert only(unmitigated_high_risks(programme(register=(issue,)), TODAY, T)).message == (
        "No owner recorded for an issue scored 15 (likelihood 5, impact 3): Supplier goes bust"
    )


def test_closed_or_managed_risks_are_fine() -> None:
    register = (entry(5, 5, mitigation=None, open=False), entry(5, 5))
    assert unmitigated_high_risks(programme(register=register), TODAY, T) == []


def test_a_benefit_realised_or_written_off_leaves_the_benefits_rules() -> None:
    behind = benefit(owner=" ", trajectory=PLAN, measurements=((date(2026, 9, 30), D(60000)),))
    measured = programme(benefits=(behind,))
    assert {
        flag.rule for flag in benefits_behind_trajectory(measured, TODAY, T) + no_benefits(measured, TODAY, T)
    }
    done = programme(benefits=(replace(behind, still_measured=False),))
    assert benefits_behind_trajectory(done, TODAY, T) == []
    assert no_benefits(done, TODAY, T) == []


# gate_overdue


@pytest.mark.parametrize(
    ("planned", "severity", "message"),
    [
        (TODAY, None, None),
        (
            TODAY - timedelta(days=1),
            Severity.AMBER,
            "Gate planned for 26 November 2026 not passed: 1 day late",
        ),
        (
            TODAY - timedelta(days=90),
            Severity.AMBER,
            "Gate planned for 29 August 2026 not passed: 90 days late",
        ),
        (
            TODAY - timedelta(days=91),
            Severity.RED,
            "Gate planned for 28 August 2026 not passed: 91 days late",
        ),
    ],
)
def test_gate_overdue_from_the_day_after_the_planned_date(
    planned: date, severity: Severity | None, message: str | None
) -> None:
    flags = gate_overdue(programme(planned_gate_date=planned), TODAY, T)
    if severity is None:
        assert flags == []
        return
    flag = only(flags)
    assert (flag.severity, flag.message) == (severity, message)
    assert flag.evidence["days_past"] == (TODAY - planned).days


def test_no_gate_flag_without_a_plan_or_when_paused() -> None:
    late = TODAY - timedelta(days=30)
    assert gate_overdue(programme(), TODAY, T) == []
    assert gate_overdue(programme(planned_gate_date=late, paused=True), TODAY, T) == []


@given(days=st.integers(min_value=-400, max_value=400), red=st.integers(min_value=1, max_value=730))
def test_gate_flag_severity_follows_the_days_past(days: int, red: int) -> None:
    planned = TODAY - timedelta(days=days)
    flags = gate_overdue(programme(planned_gate_date=planned), TODAY, replace(T, gate_overdue_red_days=red))
    if days <= 0:
        assert flags == []
    else:
        assert only(flags).severity is (Severity.RED if days > red else Severity.AMBER)


# the table and assess


def test_rule_table_names_match_the_flags_each_rule_makes() -> None:
    busy = busy_programme()
    for name, rule in RULES:
        made = rule(busy, TODAY, T)
        assert made, f"{name} made no flag for the busy programme"
        assert {flag.rule for flag in made} == {name}
    assert (*(name for name, _ in RULES), "optimism") == RULE_NAMES
    assert set(RULE_LABELS) == set(RULE_NAMES)


def busy_programme() -> ProgrammeSnapshot:
    """Something wrong in every area."""
    return programme(
        confidence="green",
        last_update_on=date(2026, 10, 17),
        milestones=(
            milestone(date(2026, 11, 4), critical=True, forecast_date=date(2027, 1, 20)),
            milestone(date(2027, 3, 1), id=2, forecast_date=date(2027, 5, 1)),
        ),
        investments=(
            spend(requested="2000000", approved="1200000", forecast="1380000", actual="1000000"),
            InvestmentSnap(2, "Data migration", approved=D(100000), actual=D(100000)),
        ),
        benefits=(benefit(owner=None, trajectory=PLAN, measurements=((date(2026, 9, 30), D(120000)),)),),
        register=(entry(5, 5, mitigation=None),),
        actions=(ActionSnap(1, "Sign the data sharing agreement", "Jo", date(2026, 11, 20)),),
        rebaseline_dates=(date(2026, 6, 1), date(2026, 9, 1)),
        whole_life_baseline=D(1200000),
        whole_life_forecast=D(1380000),
        first_whole_life_baseline=D(1200000),
        forecast_end_date=date(2027, 7, 31),
        previous_return_end_date=date(2027, 3, 31),
        planned_gate_date=date(2026, 11, 1),
        team_loads=(
            TeamLoadSnap(
                1, "Revenues and benefits", date(2027, 3, 1), D(33), D(30), D(12), (Sharer("FIN-002", "ERP"),)
            ),
        ),
        dependencies=(
            DependencySnap(
                1,
                2,
                "Data migration",
                date(2027, 4, 1),
                "HSG-012",
                "Housing repairs scheduling",
                milestone(
                    date(2027, 4, 1), id=30, title="Repairs data cleansed", forecast_date=date(2027, 4, 20)
                ),
            ),
        ),
    )


def test_assess_busy_programme() -> None:
    result = assess(busy_programme(), TODAY, T)
    assert result.rating is Rating.RED
    assert [flag.severity for flag in result.flags[:1]] == [Severity.RED]
    assert all(flag.severity is Severity.AMBER for flag in result.flags[1:])
    assert result.rules[-1] == "optimism"
    assert (
        result.flags[-1].message == "Reported confidence is Green, but 18 flags make the computed rating Red"
    )
    assert result.score == 100 + 18 * 10 + max(flag.weight for flag in result.flags)


def test_optimism_adds_to_the_score_but_not_the_rating() -> None:
    realistic = assess(replace(busy_programme(), confidence="red"), TODAY, T)
    optimistic = assess(busy_programme(), TODAY, T)
    assert "optimism" not in realistic.rules
    assert (optimistic.rating, optimistic.score) == (realistic.rating, realistic.score + 10)


def test_no_optimism_when_the_rating_is_only_amber() -> None:
    result = assess(programme(confidence="green"), TODAY, T)
    assert (result.rating, result.rules) == (Rating.AMBER, ("no_benefits",))


def test_closed_programmes_are_green_with_no_flags() -> None:
    result = assess(replace(busy_programme(), stage="closed"), TODAY, T)
    assert (result.rating, result.score, result.flags) == (Rating.GREEN, 0, ())


@pytest.mark.parametrize(("stage", "last_update_on"), [("idea", None), ("business_case", TODAY)])
def test_empty_programmes_are_green(stage: str, last_update_on: date | None) -> None:
    result = assess(programme(stage=stage, last_update_on=last_update_on), TODAY)
    assert (result.rating, result.score, result.flags) == (Rating.GREEN, 0, ())


def test_empty_programme_in_delivery_only_lacks_benefits() -> None:
    assert assess(programme(), TODAY, T).rules == ("no_benefits",)


def test_paused_programme_is_assessed_but_not_stale() -> None:
    paused = replace(busy_programme(), paused=True, last_update_on=date(2025, 1, 1))
    assert "stale" not in assess(paused, TODAY, T).rules
    assert "overdue_milestone" in assess(paused, TODAY, T).rules


def test_three_amber_rules_make_red() -> None:
    snapshot = programme(
        benefits=(benefit(owner=None),),
        last_update_on=date(2026, 10, 17),
        investments=(IT,),
    )
    assert assess(snapshot, TODAY, T).rating is Rating.RED
    assert assess(replace(snapshot, last_update_on=TODAY), TODAY, T).rating is Rating.AMBER


# property tests

days = st.integers(min_value=-400, max_value=400).map(lambda n: TODAY + timedelta(days=n))
amounts = st.integers(min_value=0, max_value=3_000_000).map(Decimal)
milestones = st.builds(
    MilestoneSnap,
    id=st.integers(1, 99),
    title=st.sampled_from(["Go-live", "Training", "Decommission"]),
    kind=st.sampled_from(["it_delivery", "business_change", "governance", "benefit"]),
    critical=st.booleans(),
    baseline_date=st.none() | days,
    forecast_date=st.none() | days,
    actual_date=st.none() | days,
    complete=st.booleans(),
    cancelled=st.booleans(),
)
investments = st.builds(
    InvestmentSnap,
    id=st.integers(1, 99),
    title=st.just("Line"),
    requested=st.none() | amounts,
    approved=st.none() | amounts,
    forecast=st.none() | amounts,
    actual=st.none() | amounts,
    category=st.sampled_from(("technology", "business_change", "other")),
)
points = st.lists(st.tuples(days, amounts), max_size=3).map(tuple)
benefits = st.builds(
    BenefitSnap,
    id=st.integers(1, 99),
    title=st.just("Benefit"),
    type=st.sampled_from(["cashable", "non_cashable", "service_improvement", "dis_benefit"]),
    owner=st.none() | st.just("Owner"),
    direction=st.sampled_from(["higher", "lower"]),
    unit=st.sampled_from(["", "£", "hours"]),
    baseline_value=st.none() | amounts,
    trajectory=points,
    measurements=points,
    is_adoption_measure=st.booleans(),
)
register = st.builds(
    RegisterSnap,
    id=st.integers(1, 99),
    title=st.just("Risk"),
    kind=st.sampled_from(["risk", "issue"]),
    likelihood=st.integers(1, 5),
    impact=st.integers(1, 5),
    owner=st.none() | st.just("Jo"),
    mitigation=st.none() | st.just("Plan"),
    open=st.booleans(),
)
actions = st.builds(
    ActionSnap,
    id=st.integers(1, 99),
    title=st.just("Action"),
    owner=st.none() | st.just("Jo"),
    due_date=st.none() | days,
    open=st.booleans(),
)
snapshots = st.builds(
    ProgrammeSnapshot,
    id=st.just(1),
    code=st.just("DIG-001"),
    name=st.just("P"),
    stage=st.sampled_from(STAGES),
    paused=st.booleans(),
    confidence=st.sampled_from([None, "green", "amber", "red"]),
    last_update_on=st.none() | days,
    milestones=st.lists(milestones, max_size=4).map(tuple),
    investments=st.lists(investments, max_size=3).map(tuple),
    benefits=st.lists(benefits, max_size=2).map(tuple),
    register=st.lists(register, max_size=3).map(tuple),
    actions=st.lists(actions, max_size=3).map(tuple),
    rebaseline_dates=st.lists(days, max_size=3).map(tuple),
)


@settings(max_examples=200)
@given(snapshots, st.integers(min_value=1, max_value=400))
def test_adding_an_overdue_critical_milestone_never_improves_the_rating(
    snapshot: ProgrammeSnapshot, days_late: int
) -> None:
    late = MilestoneSnap(100, "Go-live", "it_delivery", True, TODAY - timedelta(days=days_late))
    before = assess(snapshot, TODAY, T)
    after = assess(replace(snapshot, milestones=(*snapshot.milestones, late)), TODAY, T)
    assert after.rating.rank >= before.rating.rank
    assert after.score >= before.score
    if snapshot.stage != "closed":
        assert after.rating is Rating.RED


@settings(max_examples=200)
@given(snapshots)
def test_a_programme_is_green_exactly_when_it_has_no_flags(snapshot: ProgrammeSnapshot) -> None:
    result = assess(snapshot, TODAY, T)
    assert (result.rating is Rating.GREEN) == (result.flags == ())
    assert (result.score == 0) == (result.flags == ())


# thresholds and snapshots


def test_threshold_fields_describe_every_threshold_and_defaults_fit() -> None:
    assert [spec.name for spec in THRESHOLD_FIELDS] == list(T.as_dict())
    for spec in THRESHOLD_FIELDS:
        assert spec.minimum <= getattr(T, spec.name) <= spec.maximum, spec.name


def test_thresholds_from_mapping() -> None:
    limits = Thresholds.from_mapping({"stale_days": "14", "high_risk_score": 20})
    assert (limits.stale_days, limits.high_risk_score, limits.cost_overrun_pct) == (14, 20, 10)
    assert Thresholds.from_mapping(T.as_dict()) == T
    assert Thresholds.from_mapping({}) == T


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"stale_dayz": 3}, "stale_dayz", "stale_dayz: is not a risk threshold"),
        ({"stale_days": "ten"}, "stale_days", "stale_days: No update, amber (days) must be a whole number"),
        ({"stale_days": 1.5}, "stale_days", "stale_days: No update, amber (days) must be a whole number"),
        ({"stale_days": True}, "stale_days", "stale_days: No update, amber (days) must be a whole number"),
        ({"stale_days": 0}, "stale_days", "stale_days: No update, amber (days) must be between 1 and 365"),
        (
            {"high_risk_score": "26"},
            "high_risk_score",
            "high_risk_score: High risk score (1 to 25) must be between 1 and 25",
        ),
        (
            {"stale_days": 60},
            "stale_red_days",
            "stale_red_days: No update, red (days) must be more than no update, amber (days)",
        ),
    ],
)
def test_thresholds_from_mapping_names_the_bad_field(
    values: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(ThresholdError) as caught:
        Thresholds.from_mapping(values)
    assert (caught.value.field, str(caught.value)) == (field, message)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    "make",
    [
        lambda: programme(stage="delivered"),
        lambda: programme(confidence="blue"),
        lambda: milestone(TODAY, kind="it"),
        lambda: benefit(type="cash"),
        lambda: benefit(direction="up"),
        lambda: entry(6, 1),
        lambda: entry(1, 0),
        lambda: entry(1, 1, kind="opportunity"),
        lambda: Subject("user", 1),  # type: ignore[arg-type]
    ],
)
def test_snapshots_reject_unknown_values(make: Callable[[], object]) -> None:
    with pytest.raises(ValueError):
        make()
