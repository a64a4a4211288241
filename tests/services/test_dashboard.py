"""The dashboard's figures against a small portfolio worked out by hand, and its filters."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from tracker.extensions import db
from tracker.models import (
    Benefit,
    BenefitStatus,
    BenefitType,
    CostType,
    Direction,
    Focus,
    Investment,
    Measurement,
    Milestone,
    MilestoneKind,
    MilestoneStatus,
    Programme,
    ProgrammeMember,
    Rag,
    RebaselineRequest,
    Recurrence,
    RequestStatus,
    RiskAssessment,
    Role,
    Stage,
    TrajectoryPoint,
    Trend,
    User,
)
from tracker.services.dashboard.page import Dashboard, portfolio_dashboard
from tracker.services.portfolio.scope import NO_MANAGER, NOT_RATED, ProgrammeFilter

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
TODAY = date(2026, 11, 20)


def programme(code: str, directorate: str, focus: Focus, **values: object) -> Programme:
    row = Programme(code=code, name=f"Programme {code}", directorate=directorate, focus=focus, **values)
    db.session.add(row)
    db.session.flush()
    return row


def money(owner: Programme, year: int, approved: int, forecast: int = 0, actual: int = 0) -> None:
    db.session.add(
        Investment(
            programme_id=owner.id,
            title=f"Line {year}",
            cost_type=CostType.CAPITAL,
            recurrence=Recurrence.ONE_OFF,
            financial_year=year,
            approved=Decimal(approved),
            forecast=Decimal(forecast),
            actual=Decimal(actual),
        )
    )


def milestone(owner: Programme, baseline: date, status: MilestoneStatus, **values: object) -> Milestone:
    row = Milestone(
        programme_id=owner.id,
        title=f"Milestone {baseline}",
        kind=MilestoneKind.IT_DELIVERY,
        original_baseline_date=baseline,
        baseline_date=baseline,
        status=status,
        **values,
    )
    db.session.add(row)
    db.session.flush()
    return row


def benefit(
    owner: Programme,
    kind: BenefitType,
    direction: Direction,
    baseline: int | None,
    planned: list[tuple[date, int]],
    measured: list[tuple[date, int]] = (),
) -> Benefit:
    row = Benefit(
        programme_id=owner.id,
        title=f"Benefit {kind} {direction}",
        benefit_type=kind,
        direction=direction,
        unit="£",
        baseline_value=None if baseline is None else Decimal(baseline),
        trajectory=[TrajectoryPoint(on_date=day, value=Decimal(value)) for day, value in planned],
        measurements=[Measurement(on_date=day, value=Decimal(value)) for day, value in measured],
    )
    db.session.add(row)
    db.session.flush()
    return row


def assess(owner: Programme, rating: Rag, score: int, days_ago: float, *, latest: bool, flags=()) -> None:
    db.session.add(
        RiskAssessment(
            programme_id=owner.id,
            rating=rating,
            score=score,
            trend=Trend.WORSE,
            assessed_at=NOW - timedelta(days=days_ago),
            is_latest=latest,
            flags=list(flags),
        )
    )


def flag(rule: str, severity: str, message: str, subject: dict | None = None, weight: int = 0) -> dict:
    return {"rule": rule, "severity": severity, "message": message, "evidence": {}, "subject": subject,
            "weight": weight}  # fmt: skip


@pytest.fixture
def people(make_user) -> dict[str, User]:
    return {"pm": make_user(Role.PROGRAMME_MANAGER), "other": make_user(Role.PROGRAMME_MANAGER)}


@pytest.fixture
def portfolio(app, people) -> dict[str, int]:
    """Four open programmes and a closed one; the expected figures are worked out in the tests."""
    pm, other = people["pm"], people["other"]
    res1 = programme("RES-001", "Resources", Focus.COST_REDUCTION, stage=Stage.DELIVERY, manager_id=pm.id)
    res2 = programme("RES-002", "Resources", Focus.SERVICE_IMPROVEMENT, stage=Stage.BUSINESS_CASE,
                     manager_id=other.id)  # fmt: skip
    adu1 = programme("ADU-001", "Adults' Social Care", Focus.BOTH, stage=Stage.IDEA)
    adu3 = programme("ADU-003", "Adults' Social Care", Focus.BOTH, stage=Stage.DELIVERY, manager_id=other.id)
    closed = programme("ADU-002", "Adults' Social Care", Focus.BOTH, stage=Stage.CLOSED, manager_id=pm.id)
    db.session.add(ProgrammeMember(programme_id=res2.id, user_id=pm.id))

    money(res1, 2026, 1_000_000, 1_200_000, 400_000)
    money(res1, 2025, 500_000, 500_000, 500_000)
    money(res2, 2026, 300_000, 300_000, 100_000)
    money(adu1, 2026, 200_000)
    money(closed, 2026, 9_000_000, 9_000_000, 9_000_000)

    overdue = milestone(res1, date(2026, 10, 1), MilestoneStatus.IN_PROGRESS)
    milestone(res1, date(2026, 9, 1), MilestoneStatus.COMPLETE, actual_date=date(2026, 9, 20))
    milestone(res1, date(2026, 8, 1), MilestoneStatus.CANCELLED)
    future = milestone(res1, date(2027, 1, 1), MilestoneStatus.NOT_STARTED)
    milestone(closed, date(2026, 1, 1), MilestoneStatus.IN_PROGRESS)
    db.session.add_all(
        [
            RebaselineRequest(milestone_id=future.id, proposed_date=date(2027, 2, 1), reason="Supplier"),
            RebaselineRequest(milestone_id=overdue.id, proposed_date=date(2026, 12, 1), reason="Late",
                              status=RequestStatus.APPROVED),
        ]
    )  # fmt: skip

    cash, lower = BenefitType.CASHABLE, Direction.LOWER
    higher, service = Direction.HIGHER, BenefitType.SERVICE_IMPROVEMENT
    benefit(res1, cash, higher, None,
            [(date(2026, 3, 1), 10_000), (date(2026, 6, 30), 50_000), (date(2026, 12, 31), 120_000),
             (date(2027, 6, 30), 200_000)],
            [(date(2026, 5, 31), 30_000), (date(2026, 9, 30), 60_000)])  # fmt: skip
    benefit(res1, cash, lower, 100_000, [(date(2026, 4, 30), 90_000), (date(2027, 3, 31), 60_000)],
            [(date(2026, 10, 31), 85_000), (date(2027, 1, 31), 70_000)])  # fmt: skip
    benefit(res1, cash, lower, None, [(date(2026, 5, 1), 5_000)], [(date(2026, 6, 1), 4_000)])
    realised = benefit(
        closed, cash, higher, 0, [(date(2026, 5, 1), 1_000_000)], [(date(2026, 6, 1), 1_000_000)]
    )
    realised.status = BenefitStatus.REALISED
    behind = benefit(res1, service, lower, 20, [(date(2026, 6, 1), 10)], [(date(2026, 9, 1), 18)])
    benefit(res1, service, lower, 20, [(date(2026, 6, 1), 10)], [(date(2026, 9, 1), 9)])
    benefit(res2, service, higher, 0, [(date(2026, 6, 1), 10)])

    assess(res1, Rag.AMBER, 20, 10, latest=False)
    assess(res1, Rag.RED, 150, 1, latest=True, flags=[
        flag("stale", "amber", "No update for 45 days", weight=2),
        flag("overdue_milestone", "red", "Milestone 2026-10-01 is 50 days overdue",
             {"kind": "milestone", "id": overdue.id}, weight=5),
        flag("benefits_behind_trajectory", "amber", "Behind plan", {"kind": "benefit", "id": behind.id}, 9),
    ])  # fmt: skip
    assess(res2, Rag.GREEN, 0, 8, latest=False)
    assess(res2, Rag.AMBER, 20, 1, latest=True, flags=[flag("technology_only", "amber", "Technology only")])
    assess(adu3, Rag.GREEN, 0, 21, latest=False)
    assess(adu3, Rag.GREEN, 0, 2, latest=True)
    assess(closed, Rag.RED, 500, 1, latest=True, flags=[flag("stale", "amber", "Closed and stale")])
    db.session.commit()
    return {"pm": pm.id, "other": other.id, "closed": closed.id}


def dashboard(user_id: int, **filters: object) -> Dashboard:
    return portfolio_dashboard(db.session.get(User, user_id), ProgrammeFilter(**filters), now=NOW)


def ratings(found: Dashboard) -> dict[str, tuple[int, int]]:
    return {row.key: (row.count, row.change) for row in found.ratings}


def test_headline_figures_for_the_open_portfolio(portfolio) -> None:
    found = dashboard(portfolio["pm"])
    assert found.financial_year == 2026
    assert found.programmes == 4
    assert ratings(found) == {"red": (1, 1), "amber": (1, 0), "green": (1, -1), NOT_RATED: (1, 0)}
    counts = found.counts
    assert (counts.approved, counts.forecast, counts.actual) == (
        Decimal("1500000.00"), Decimal("1500000.00"), Decimal("500000.00"),
    )  # fmt: skip
    assert (counts.overdue_milestones, counts.stale_programmes, counts.pending_rebaselines) == (1, 1, 1)


def test_cashable_savings_count_the_move_from_baseline_in_the_better_direction(portfolio) -> None:
    found = dashboard(portfolio["pm"])
    # Higher from nothing: 50,000 planned by today, 120,000 by 31 March, 60,000 measured.
    # Lower from 100,000: 10,000 planned, 40,000 by 31 March, 15,000 measured (January's is ahead).
    # Lower with no baseline cannot be counted; the closed programme's benefit, realised, is left out.
    assert found.cashable_planned_to_date == Decimal("60000.00")
    assert found.cashable_target_year_end == Decimal("160000.00")
    assert found.cashable_realised_to_date == Decimal("75000.00")


def test_a_closed_programmes_benefit_counts_until_it_is_realised_or_written_off(portfolio) -> None:
    closed = db.session.get(Programme, portfolio["closed"])
    # Planned 40,000 by today from nothing; 10,000 measured in June, behind plan then (20,000 planned).
    plan, measured = [(date(2026, 4, 1), 0), (date(2026, 8, 1), 40_000)], [(date(2026, 6, 1), 10_000)]
    still = benefit(closed, BenefitType.CASHABLE, Direction.HIGHER, 0, plan, measured)
    still.title, still.owner = "Lower agency spend", "Head of Care"
    db.session.commit()
    found = dashboard(portfolio["pm"])
    assert found.cashable_planned_to_date == Decimal("100000.00")
    assert found.cashable_realised_to_date == Decimal("85000.00")
    after = found.after_closure
    assert (after.planned_to_date, after.realised_to_date, after.programmes) == (40_000, 10_000, 1)
    [listed] = after.benefits
    assert (listed.programme_code, listed.title, listed.owner) == (
        "ADU-002",
        "Lower agency spend",
        "Head of Care",
    )
    assert listed.flag is not None and listed.flag.rule == "benefits_behind_trajectory"
    assert dashboard(portfolio["pm"], directorate="Resources").after_closure.benefits == []
    assert dashboard(portfolio["pm"], rating="amber").after_closure.benefits == []

    still.status = BenefitStatus.WRITTEN_OFF
    db.session.commit()
    gone = dashboard(portfolio["pm"])
    assert (gone.cashable_planned_to_date, gone.after_closure.benefits) == (Decimal("60000.00"), [])


def test_service_improvements_on_and_off_track_follow_the_latest_flags(portfolio) -> None:
    benefits = dashboard(portfolio["pm"]).service_benefits
    assert (benefits.total, benefits.off_track, benefits.on_track, benefits.not_measured) == (3, 1, 1, 1)


def test_focus_split_weighs_programmes_and_whole_life_investment(portfolio) -> None:
    split = {row.focus: row for row in dashboard(portfolio["pm"]).focus}
    assert [(row.programmes, row.programme_share) for row in split.values()] == [(1, 25), (1, 25), (2, 50)]
    assert split[Focus.COST_REDUCTION].investment == Decimal("1500000.00")
    assert [row.investment_share for row in split.values()] == [15, 75, 10]


def test_technology_only_programmes_with_their_investment(portfolio) -> None:
    technology = dashboard(portfolio["pm"]).technology_only
    assert technology.programmes == 1
    assert technology.investment == Decimal("300000.00")
    assert technology.largest == [("RES-002", "Programme RES-002", Decimal("300000.00"))]


def test_heatmap_counts_directorates_by_rating(portfolio) -> None:
    rows = {
        row.directorate: {cell.rating: cell.count for cell in row.cells}
        for row in dashboard(portfolio["pm"]).heatmap
    }
    assert rows == {
        "Adults' Social Care": {"red": 0, "amber": 0, "green": 1, NOT_RATED: 1},
        "Resources": {"red": 1, "amber": 1, "green": 0, NOT_RATED: 0},
    }


def test_attention_lists_the_worst_first_with_the_most_serious_flag(portfolio) -> None:
    items = dashboard(portfolio["pm"]).attention
    assert [(item.code, item.score) for item in items] == [("RES-001", 150), ("RES-002", 20)]
    assert items[0].message == "Milestone 2026-10-01 is 50 days overdue"
    assert items[0].rating is Rag.RED and items[0].trend is Trend.WORSE


def test_ratings_history_reads_each_programmes_newest_assessment_at_each_week(portfolio) -> None:
    chart = dashboard(portfolio["pm"]).charts[2]
    rows = {row[0]: row[1:] for row in chart.table.rows}
    assert chart.table.headers == ("Week to", "Red", "Amber", "Green", "Rated programmes")
    assert rows["20 November 2026"] == ("1", "1", "1", "3")
    assert rows["13 November 2026"] == ("0", "1", "2", "3")
    assert rows["6 November 2026"] == ("0", "0", "1", "1")
    assert rows["30 October 2026"] == ("0", "0", "1", "1")  # at or before: exactly three weeks ago counts
    assert rows["23 October 2026"] == ("0", "0", "0", "0")
    assert len(rows) == 12


def test_burn_up_spreads_the_approved_budget_evenly_and_ends_actual_today(portfolio) -> None:
    chart = dashboard(portfolio["pm"]).charts[0]
    profile, actual = chart.lines
    assert [point.value for point in actual.points] == [Decimal("0.00"), Decimal("500000.00")]
    # 1,500,000 over 365 days: 234 days to the end of 20 November.
    today = next(point for point in profile.points if point.label == "20 November 2026 (today)")
    assert today.value == Decimal(961644)
    assert profile.points[-1].label == "31 March 2027" and profile.points[-1].value == Decimal(1500000)


def test_cashable_chart_steps_with_the_plan_and_the_measurements(portfolio) -> None:
    planned, realised = dashboard(portfolio["pm"]).charts[1].lines
    values = {point.label: point.value for point in planned.points}
    assert values["1 April 2026 (start of year)"] == 10_000
    assert values["30 April 2026"] == 20_000
    assert values["31 December 2026"] == 130_000
    assert values["31 March 2027"] == 160_000
    assert [(point.label, point.value) for point in realised.points] == [
        ("1 April 2026 (start of year)", 0),
        ("30 April 2026", 0),
        ("31 May 2026", 30_000),
        ("30 June 2026", 30_000),
        ("31 July 2026", 30_000),
        ("31 August 2026", 30_000),
        ("30 September 2026", 60_000),
        ("31 October 2026", 75_000),
        ("20 November 2026 (today)", 75_000),
    ]


@pytest.mark.parametrize(
    ("filters", "codes"),
    [
        ({"mine": True}, {"RES-001", "RES-002"}),
        ({"rating": NOT_RATED}, {"ADU-001"}),
        ({"rating": "amber"}, {"RES-002"}),
        ({"manager_id": NO_MANAGER}, {"ADU-001"}),
        ({"directorate": "Adults' Social Care"}, {"ADU-001", "ADU-003"}),
        ({"stage": Stage.DELIVERY}, {"RES-001", "ADU-003"}),
        ({"focus": Focus.BOTH}, {"ADU-001", "ADU-003"}),
    ],
)
def test_filters_narrow_every_figure(portfolio, filters: dict, codes: set[str]) -> None:
    found = dashboard(portfolio["pm"], **filters)
    assert found.programmes == len(codes)
    listed = {item.code for item in found.attention}
    assert listed == codes & {"RES-001", "RES-002"}
    expected_actual = {"RES-001": 400_000, "RES-002": 100_000}
    assert found.counts.actual == sum(expected_actual.get(code, 0) for code in codes)
    assert found.technology_only.programmes == int("RES-002" in codes)
    assert found.counts.overdue_milestones == int("RES-001" in codes)


def test_a_manager_filter_keeps_only_their_programmes(portfolio) -> None:
    found = dashboard(portfolio["pm"], manager_id=portfolio["other"])
    assert found.programmes == 2
    assert {item.code for item in found.attention} == {"RES-002"}


def test_an_empty_portfolio_shows_zeros(app, people) -> None:
    found = dashboard(people["pm"].id)
    assert found.programmes == 0
    assert found.counts.approved == 0 and found.cashable_target_year_end == 0
    assert found.heatmap == [] and found.attention == []
    assert all(row.programme_share == 0 for row in found.focus)
    assert [len(chart.table.rows) for chart in found.charts] == [14, 14, 12]


def test_the_dashboard_lists_benefits_behind_plan_first_and_ten_at_most() -> None:
    from tracker.domain.flags import Flag, Severity
    from tracker.services.portfolio.after_closure import AfterClosure, ClosedBenefit

    behind = Flag("benefits_behind_trajectory", Severity.AMBER, "Behind plan")
    benefits = [
        ClosedBenefit(
            "ASC-013", "Telecare", None, n, f"Benefit {n}", "", None, True, behind if n in (7, 11) else None
        )
        for n in range(12)
    ]
    shown = AfterClosure(benefits).shown
    assert [benefit.benefit_id for benefit in shown] == [7, 11, 0, 1, 2, 3, 4, 5, 6, 8]
