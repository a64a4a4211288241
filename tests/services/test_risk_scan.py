"""The risk scan rates every open programme, keeps history with a trend, and reads in fixed queries."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import event, func, select

from tracker.domain.flags import Flag
from tracker.extensions import db
from tracker.models import (
    Benefit,
    BenefitType,
    ChangeKind,
    CostType,
    Direction,
    EntryKind,
    Investment,
    Measurement,
    Milestone,
    MilestoneChange,
    MilestoneDependency,
    MilestoneKind,
    MilestoneStatus,
    Programme,
    ProgrammeAction,
    Rag,
    Recurrence,
    RegisterEntry,
    RiskAssessment,
    Stage,
    TrajectoryPoint,
    Trend,
)
from tracker.services.ratings.scan import ScanResult, scan_portfolio
from tracker.services.settings import update_thresholds

TODAY = date(2027, 3, 10)
NOW = datetime(2027, 3, 10, 6, 0, tzinfo=UTC)
_codes = iter(range(1, 10_000))


def add_programme(*, stage: Stage = Stage.DELIVERY, updated_days_ago: int = 3, **values: object) -> Programme:
    """A programme in delivery that reported recently, with a benefit its service owns."""
    programme = Programme(
        code=values.pop("code", f"DIG-{next(_codes):03d}"),
        name=values.pop("name", "Digital front door"),
        directorate="Customer and Digital",
        focus="both",
        stage=stage,
        last_update_at=values.pop("last_update_at", NOW - timedelta(days=updated_days_ago)),
        **values,
    )
    db.session.add(programme)
    db.session.flush()
    db.session.add(
        Benefit(
            programme_id=programme.id,
            title="More transactions completed online",
            benefit_type=BenefitType.SERVICE_IMPROVEMENT,
            direction=Direction.HIGHER,
            unit="%",
            owner="Head of Customer Services",
            adoption_measure=True,
        )
    )
    return programme


def add_milestone(
    programme: Programme, title: str, baseline: date, *, critical: bool = False, **values: object
) -> Milestone:
    milestone = Milestone(
        programme_id=programme.id,
        title=title,
        kind=values.pop("kind", MilestoneKind.IT_DELIVERY),
        critical=critical,
        original_baseline_date=baseline,
        baseline_date=baseline,
        **values,
    )
    db.session.add(milestone)
    db.session.flush()
    return milestone


def complete(milestone: Milestone, on: date) -> None:
    milestone.status = MilestoneStatus.COMPLETE
    milestone.actual_date = on


def add_investment(programme: Programme, *, approved: int, forecast: int, actual: int = 0) -> None:
    db.session.add(
        Investment(
            programme_id=programme.id,
            title="Case management licences",
            cost_type=CostType.REVENUE,
            recurrence=Recurrence.RECURRING,
            financial_year=2026,
            requested=Decimal(approved),
            approved=Decimal(approved),
            forecast=Decimal(forecast),
            actual=Decimal(actual),
        )
    )


def scan(*, hours_later: int = 0) -> str:
    return scan_portfolio(today=TODAY, now=NOW + timedelta(hours=hours_later)).summary()


def latest(programme: Programme) -> RiskAssessment:
    return db.session.scalars(
        select(RiskAssessment).where(RiskAssessment.programme_id == programme.id, RiskAssessment.is_latest)
    ).one()


def messages(assessment: RiskAssessment) -> list[str]:
    return [Flag.from_dict(flag).message for flag in assessment.flags]


def test_ratings_and_flags_read_as_a_cio_would_want(app) -> None:
    healthy = add_programme(name="Online payments")
    design = add_milestone(
        healthy, "Service design agreed", date(2027, 1, 10), kind=MilestoneKind.BUSINESS_CHANGE
    )
    complete(design, date(2027, 1, 8))
    add_milestone(healthy, "Payments go-live", date(2027, 5, 1))
    add_investment(healthy, approved=100_000, forecast=100_000, actual=40_000)

    troubled = add_programme(name="Social care case management", confidence=Rag.GREEN, updated_days_ago=45)
    go_live = add_milestone(troubled, "Go-live", date(2027, 1, 29), critical=True)
    add_milestone(troubled, "Social workers trained", date(2027, 9, 1), kind=MilestoneKind.BUSINESS_CHANGE)
    add_investment(troubled, approved=100_000, forecast=130_000)

    risky = add_programme(name="Waste routing")
    add_milestone(risky, "Crews using routes", date(2027, 6, 1), kind=MilestoneKind.BUSINESS_CHANGE)
    entry = RegisterEntry(
        programme_id=risky.id,
        kind=EntryKind.RISK,
        title="Supplier may leave the market",
        likelihood=4,
        impact=5,
        owner="Head of Waste",
    )
    db.session.add(entry)
    db.session.commit()

    assert scan() == "Scanned 3 programmes: 1 Red, 1 Amber, 1 Green."

    assert (latest(healthy).rating, latest(healthy).flags, latest(healthy).trend) == (
        Rag.GREEN,
        [],
        Trend.NEW,
    )
    red = latest(troubled)
    assert red.rating == Rag.RED and red.trend == Trend.NEW
    assert messages(red) == [
        "Go-live milestone is 40 days overdue (baseline 29 January 2027)",
        "Forecast spend is £130,000, £30,000 (30%) over approved £100,000",
        "No update for 45 days",
        "Reported confidence is Green, but 3 flags make the computed rating Red",
    ]
    assert red.flags[0]["subject"] == {"kind": "milestone", "id": go_live.id}
    assert red.score > latest(risky).score > latest(healthy).score == 0
    amber = latest(risky)
    assert amber.rating == Rag.AMBER
    assert messages(amber) == [
        "No mitigation recorded for a risk scored 20 (likelihood 4, impact 5): Supplier may leave the market"
    ]
    assert amber.flags[0]["subject"] == {"kind": "register_entry", "id": entry.id}


def test_snapshot_carries_benefits_money_register_and_rebaselines(app) -> None:
    programme = add_programme()
    benefit = db.session.scalars(select(Benefit).filter_by(programme_id=programme.id)).one()
    benefit.baseline_value = Decimal(20)
    db.session.add_all(
        [
            TrajectoryPoint(benefit_id=benefit.id, on_date=date(2026, 9, 1), value=Decimal(20)),
            TrajectoryPoint(benefit_id=benefit.id, on_date=date(2027, 3, 1), value=Decimal(60)),
            Measurement(benefit_id=benefit.id, on_date=date(2027, 1, 1), value=Decimal(25)),
            Measurement(benefit_id=benefit.id, on_date=date(2027, 3, 1), value=Decimal(30)),
        ]
    )
    milestone = add_milestone(
        programme, "Adoption review", date(2027, 5, 1), kind=MilestoneKind.BUSINESS_CHANGE
    )
    for days_ago in (20, 90):
        db.session.add(
            MilestoneChange(
                milestone_id=milestone.id,
                kind=ChangeKind.REBASELINE_APPROVED,
                changed_at=NOW - timedelta(days=days_ago),
            )
        )
    db.session.commit()

    scan()

    assert messages(latest(programme)) == [
        "More transactions completed online is 30% against a planned 60% by 1 March 2027 (25%)",
        "Re-baselined 2 times in the last 180 days (latest 18 February 2027)",
    ]
    assert latest(programme).rating == Rag.RED  # realised below half of plan


def test_trend_follows_each_programme_across_scans(app) -> None:
    programme = add_programme()
    add_milestone(programme, "Change plan signed off", date(2027, 1, 5), kind=MilestoneKind.BUSINESS_CHANGE)
    minor = add_milestone(programme, "Data migrated", date(2027, 2, 20))
    db.session.commit()

    scan(hours_later=0)  # minor milestone overdue: Amber
    scan(hours_later=24)  # nothing changed
    critical = add_milestone(programme, "Go-live", date(2027, 3, 1), critical=True)
    db.session.commit()
    scan(hours_later=48)
    complete(critical, date(2027, 3, 9))
    db.session.commit()
    scan(hours_later=72)
    complete(minor, date(2027, 3, 9))
    for milestone in db.session.scalars(select(Milestone).filter_by(programme_id=programme.id)):
        if milestone.status != MilestoneStatus.COMPLETE:
            complete(milestone, date(2027, 1, 5))
    db.session.commit()
    scan(hours_later=96)

    history = db.session.scalars(
        select(RiskAssessment)
        .where(RiskAssessment.programme_id == programme.id)
        .order_by(RiskAssessment.assessed_at)
    ).all()
    assert [(row.rating, row.trend) for row in history] == [
        (Rag.AMBER, Trend.NEW),
        (Rag.AMBER, Trend.SAME),
        (Rag.RED, Trend.WORSE),
        (Rag.AMBER, Trend.BETTER),
        (Rag.GREEN, Trend.RESOLVED),
    ]
    assert [row.is_latest for row in history] == [False, False, False, False, True]


def test_closed_programmes_are_not_assessed(app) -> None:
    closed = add_programme(stage=Stage.CLOSED, updated_days_ago=400)
    add_milestone(closed, "Never finished", date(2026, 1, 1), critical=True)
    db.session.commit()

    assert scan() == "Scanned 0 programmes."
    assert db.session.scalar(select(func.count(RiskAssessment.id))) == 0


def test_today_defaults_to_the_london_date(app) -> None:
    programme = add_programme(last_update_at=datetime(2027, 6, 29, 12, 0, tzinfo=UTC))
    add_milestone(programme, "Pilot", date(2027, 6, 30), kind=MilestoneKind.BUSINESS_CHANGE)
    db.session.commit()

    # 23:30 UTC on 30 June is already 1 July in London (BST): the pilot is a day overdue.
    scan_portfolio(now=datetime(2027, 6, 30, 23, 30, tzinfo=UTC))

    assert messages(latest(programme)) == ["Pilot milestone is 1 day overdue (baseline 30 June 2027)"]


def test_admin_thresholds_apply(app, make_user) -> None:
    admin = make_user("admin")
    programme = add_programme(updated_days_ago=40)
    add_milestone(programme, "Discovery", date(2027, 9, 1), kind=MilestoneKind.BUSINESS_CHANGE)
    db.session.commit()
    scan()
    assert messages(latest(programme)) == ["No update for 40 days"]

    update_thresholds({"stale_days": 42}, user_id=admin.id)
    scan(hours_later=1)

    assert latest(programme).rating == Rag.GREEN
    assert latest(programme).trend == Trend.RESOLVED


@contextmanager
def counting_queries() -> Iterator[list[str]]:
    """Every statement sent to the database while the block runs."""
    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def add_full_programmes(count: int) -> None:
    """Programmes with one of everything the scan reads, each go-live waiting for the one added before."""
    previous = db.session.scalar(select(func.max(Milestone.id)))
    for _ in range(count):
        programme = add_programme(confidence=Rag.AMBER)
        milestone = add_milestone(programme, "Go-live", date(2027, 2, 1), critical=True)
        if previous is not None:
            db.session.add(
                MilestoneDependency(
                    milestone_id=milestone.id, depends_on_id=previous, needed_by=date(2027, 1, 1)
                )
            )
        previous = milestone.id
        db.session.add(
            MilestoneChange(milestone_id=milestone.id, kind=ChangeKind.REBASELINE_APPROVED, changed_at=NOW)
        )
        add_investment(programme, approved=50_000, forecast=70_000, actual=45_000)
        benefit = db.session.scalars(select(Benefit).filter_by(programme_id=programme.id)).one()
        db.session.add(TrajectoryPoint(benefit_id=benefit.id, on_date=date(2027, 1, 1), value=Decimal(50)))
        db.session.add(Measurement(benefit_id=benefit.id, on_date=date(2027, 3, 1), value=Decimal(10)))
        db.session.add(RegisterEntry(programme_id=programme.id, title="Staff", likelihood=5, impact=5))
        db.session.add(ProgrammeAction(programme_id=programme.id, title="Hire", due_date=date(2027, 1, 1)))
    db.session.commit()


def queries_in_second_scan(hours_later: int) -> list[str]:
    scan(hours_later=hours_later)
    with counting_queries() as statements:
        scan(hours_later=hours_later + 1)
    return statements


def test_query_count_does_not_grow_with_the_portfolio(app) -> None:
    add_full_programmes(5)
    with_five = queries_in_second_scan(0)
    add_full_programmes(45)
    with_fifty = queries_in_second_scan(10)

    # Settings, twelve reads (one per table), the landings on service teams (none here, so no more),
    # one UPDATE and one INSERT, whatever the size.
    assert len(with_five) == len(with_fifty) == 16
    assert [s.split()[0] for s in with_fifty[-2:]] == ["UPDATE", "INSERT"]
    assert latest(db.session.scalars(select(Programme)).first()).rating == Rag.RED


def test_summary_wording() -> None:
    assert ScanResult(1, 0, 1, 0, 0.1).summary() == "Scanned 1 programme: 0 Red, 1 Amber, 0 Green."
    assert ScanResult(12, 3, 5, 4, 0.1).summary() == "Scanned 12 programmes: 3 Red, 5 Amber, 4 Green."
