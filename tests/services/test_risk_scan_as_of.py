"""A scan as of a past day rates the portfolio as it stood then and slots into the history."""

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
    Confidence,
    Direction,
    Measurement,
    Milestone,
    MilestoneChange,
    MilestoneDependency,
    MilestoneKind,
    MilestoneStatus,
    Programme,
    ProgrammeAction,
    ProgrammeReturn,
    Rag,
    RegisterEntry,
    RiskAssessment,
    Stage,
    StatusUpdate,
    TrajectoryPoint,
    Trend,
)
from tracker.services.ratings.scan import scan_portfolio
from tracker.services.ratings.snapshots import load_portfolio

TODAY = date(2027, 3, 10)
NOW = datetime(2027, 3, 10, 6, 0, tzinfo=UTC)
AS_OF = date(2027, 2, 1)
LONG_AGO = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
_codes = iter(range(1, 10_000))


def add_programme(**values: object) -> Programme:
    """A programme in delivery, on the books since December, that reported yesterday and in January."""
    programme = Programme(
        code=f"ASOF-{next(_codes):03d}",
        name=values.pop("name", "Digital front door"),
        directorate="Customer and Digital",
        focus="both",
        stage=Stage.DELIVERY,
        last_update_at=values.pop("last_update_at", NOW - timedelta(days=1)),
        created_at=values.pop("created_at", LONG_AGO),
        **values,
    )
    db.session.add(programme)
    db.session.flush()
    submitted = datetime(2027, 1, 28, 12, 0, tzinfo=UTC)
    db.session.add(
        StatusUpdate(
            programme_id=programme.id,
            period_start=date(2027, 1, 1),
            period_end=date(2027, 1, 28),
            overall=Rag.GREEN,
            schedule=Rag.GREEN,
            cost=Rag.GREEN,
            benefits=Rag.GREEN,
            resources=Rag.GREEN,
            submitted_at=submitted,
            created_at=submitted,
        )
    )
    db.session.add(
        Benefit(
            programme_id=programme.id,
            title="More transactions completed online",
            benefit_type=BenefitType.SERVICE_IMPROVEMENT,
            direction=Direction.HIGHER,
            unit="%",
            owner="Head of Customer Services",
            adoption_measure=True,
            created_at=LONG_AGO,
        )
    )
    return programme


def add_milestone(programme: Programme, title: str, baseline: date, **values: object) -> Milestone:
    milestone = Milestone(
        programme_id=programme.id,
        title=title,
        kind=values.pop("kind", MilestoneKind.BUSINESS_CHANGE),
        critical=values.pop("critical", False),
        original_baseline_date=baseline,
        baseline_date=baseline,
        created_at=values.pop("created_at", LONG_AGO),
        **values,
    )
    db.session.add(milestone)
    db.session.flush()
    return milestone


def messages(programme: Programme, *, latest: bool = True) -> list[str]:
    """The flag messages of the programme's latest assessment, or of its oldest one."""
    order = RiskAssessment.assessed_at.desc() if latest else RiskAssessment.assessed_at
    row = db.session.scalars(
        select(RiskAssessment).where(RiskAssessment.programme_id == programme.id).order_by(order)
    ).first()
    return [Flag.from_dict(flag).message for flag in row.flags]


def history(programme: Programme) -> list[tuple[datetime, Rag, Trend, bool]]:
    rows = db.session.scalars(
        select(RiskAssessment)
        .where(RiskAssessment.programme_id == programme.id)
        .order_by(RiskAssessment.assessed_at)
    )
    return [(row.assessed_at, row.rating, row.trend, row.is_latest) for row in rows]


def test_a_milestone_not_yet_due_on_the_day_is_not_overdue(app) -> None:
    programme = add_programme()
    add_milestone(programme, "Staff trained", date(2027, 2, 20))
    db.session.commit()

    assert scan_portfolio(as_of=AS_OF, now=NOW).summary() == (
        "Scanned 1 programme as of 1 February 2027: 0 Red, 0 Amber, 1 Green."
    )
    assert messages(programme) == []
    scan_portfolio(today=TODAY, now=NOW)
    assert messages(programme) == ["Staff trained milestone is 18 days overdue (baseline 20 February 2027)"]


def test_milestones_stand_as_their_history_says_they_stood(app) -> None:
    programme = add_programme()
    # Due in January, finished on 5 March: late on 1 February, though complete today.
    late = add_milestone(
        programme,
        "Data migrated",
        date(2027, 1, 20),
        actual_date=date(2027, 3, 5),
        status=MilestoneStatus.COMPLETE,
    )
    # Re-baselined on 20 February from 25 January to April: overdue on 1 February, not today.
    moved = add_milestone(programme, "Pilot live", date(2027, 4, 30))
    db.session.add(
        MilestoneChange(
            milestone_id=moved.id,
            kind=ChangeKind.REBASELINE_APPROVED,
            from_value="2027-01-25",
            to_value="2027-04-30",
            changed_at=datetime(2027, 2, 20, 10, 0, tzinfo=UTC),
        )
    )
    # Added in February: not there on 1 February.
    add_milestone(
        programme, "Old forms switched off", date(2027, 1, 2), created_at=datetime(2027, 2, 10, tzinfo=UTC)
    )
    db.session.commit()

    (snapshot,) = load_portfolio(as_of=AS_OF).snapshots

    assert [(m.title, m.baseline_date, m.actual_date, m.done) for m in snapshot.milestones] == [
        ("Data migrated", date(2027, 1, 20), None, False),
        ("Pilot live", date(2027, 1, 25), None, False),
    ]
    assert snapshot.rebaseline_dates == ()
    assert late.status is MilestoneStatus.COMPLETE  # today's facts are untouched


def test_a_measurement_after_the_day_is_ignored(app) -> None:
    programme = add_programme()
    benefit = db.session.scalars(select(Benefit).filter_by(programme_id=programme.id)).one()
    benefit.baseline_value = Decimal(20)
    db.session.add_all(
        [
            TrajectoryPoint(benefit_id=benefit.id, on_date=date(2027, 1, 1), value=Decimal(40)),
            Measurement(benefit_id=benefit.id, on_date=date(2027, 1, 10), value=Decimal(41)),
            Measurement(benefit_id=benefit.id, on_date=date(2027, 3, 1), value=Decimal(21)),
        ]
    )
    db.session.commit()

    scan_portfolio(as_of=AS_OF, now=NOW)
    assert messages(programme) == []
    scan_portfolio(today=TODAY, now=NOW)
    assert [message.split(" is ")[0] for message in messages(programme)] == [
        "More transactions completed online"
    ]


def test_register_and_updates_as_they_stood(app) -> None:
    programme = add_programme()  # last reported yesterday, after the day
    late_risk = RegisterEntry(
        programme_id=programme.id, title="Supplier may fold", likelihood=5, impact=5, created_at=NOW
    )
    db.session.add(late_risk)
    db.session.commit()

    (then,) = load_portfolio(as_of=AS_OF).snapshots
    (now,) = load_portfolio().snapshots

    assert then.register == () and len(now.register) == 1
    assert then.last_update_on == date(2027, 1, 28)  # the January report, submitted by then


def test_an_end_date_is_judged_against_the_return_not_today(app) -> None:
    # Imported today from a 2017 return: finishing in 2021, which is long past now but not then.
    programme = add_programme(
        created_at=NOW,
        last_update_at=NOW,
        forecast_end_date=date(2021, 3, 31),
        confidence=Confidence.RED,
    )
    add_milestone(programme, "Service live", date(2021, 3, 31), created_at=NOW)
    db.session.add(
        ProgrammeReturn(
            programme_id=programme.id,
            as_at=date(2017, 6, 30),
            source="import",
            confidence=Confidence.AMBER_GREEN,
            whole_life_baseline=Decimal("1200000"),
            end_date=date(2021, 3, 31),
        )
    )
    db.session.commit()

    (snapshot,) = load_portfolio(as_of=date(2017, 6, 30)).snapshots
    assert (snapshot.confidence, snapshot.forecast_end_date, snapshot.last_update_on) == (
        "amber_green",
        date(2021, 3, 31),
        date(2017, 6, 30),
    )
    assert snapshot.whole_life_baseline == snapshot.first_whole_life_baseline == Decimal("1200000")

    scan_portfolio(as_of=date(2017, 6, 30), now=NOW)
    assert not any("overdue" in message for message in messages(programme))
    scan_portfolio(today=TODAY, now=NOW)
    assert any("overdue" in message for message in messages(programme))
    assert load_portfolio(as_of=date(2017, 6, 29)).snapshots == []  # nothing known before its return


def test_a_past_scan_goes_into_history_behind_the_latest(app) -> None:
    programme = add_programme()
    add_milestone(programme, "Go-live", date(2027, 2, 15), critical=True)
    db.session.commit()
    scan_portfolio(today=TODAY, now=NOW)  # Red: the critical go-live is overdue

    scan_portfolio(as_of=date(2027, 2, 16), now=NOW)  # a day overdue: Red
    scan_portfolio(as_of=date(2027, 2, 28), now=NOW)  # later still: compared with 16 February
    scan_portfolio(as_of=date(2027, 2, 1), now=NOW)  # not yet due: Green, with nothing before it

    # Stamped at the last second of each London day; the newest scan stays the latest.
    assert history(programme) == [
        (datetime(2027, 2, 1, 23, 59, 59, tzinfo=UTC), Rag.GREEN, Trend.NEW, False),
        (datetime(2027, 2, 16, 23, 59, 59, tzinfo=UTC), Rag.RED, Trend.NEW, False),
        (datetime(2027, 2, 28, 23, 59, 59, tzinfo=UTC), Rag.RED, Trend.WORSE, False),
        (NOW, Rag.RED, Trend.NEW, True),
    ]


def test_an_as_of_scan_of_today_is_stamped_now_and_becomes_the_latest(app) -> None:
    programme = add_programme()
    db.session.commit()
    scan_portfolio(as_of=date(2027, 3, 1), now=NOW)
    scan_portfolio(as_of=TODAY, now=NOW)

    assert [(at, latest) for at, _, _, latest in history(programme)] == [
        (datetime(2027, 3, 1, 23, 59, 59, tzinfo=UTC), False),
        (NOW, True),
    ]


@contextmanager
def counting_queries() -> Iterator[list[str]]:
    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def add_full_programmes(count: int) -> None:
    """Programmes with history in every table the as-of scan reads, each go-live waiting for the one
    added before."""
    previous = db.session.scalar(select(func.max(Milestone.id)))
    for _ in range(count):
        programme = add_programme(confidence=Confidence.AMBER)
        milestone = add_milestone(programme, "Go-live", date(2027, 2, 1), critical=True)
        if previous is not None:
            db.session.add(
                MilestoneDependency(
                    milestone_id=milestone.id,
                    depends_on_id=previous,
                    needed_by=date(2027, 1, 1),
                    created_at=LONG_AGO,
                )
            )
        previous = milestone.id
        for kind, at in ((ChangeKind.REBASELINE_APPROVED, LONG_AGO), (ChangeKind.FORECAST_MOVED, NOW)):
            db.session.add(
                MilestoneChange(milestone_id=milestone.id, kind=kind, from_value="2027-01-01", changed_at=at)
            )
        benefit = db.session.scalars(select(Benefit).filter_by(programme_id=programme.id)).one()
        db.session.add(TrajectoryPoint(benefit_id=benefit.id, on_date=date(2027, 1, 1), value=Decimal(50)))
        db.session.add(Measurement(benefit_id=benefit.id, on_date=date(2027, 1, 2), value=Decimal(10)))
        db.session.add(
            RegisterEntry(
                programme_id=programme.id, title="Staff", likelihood=5, impact=5, created_at=LONG_AGO
            )
        )
        db.session.add(
            ProgrammeAction(
                programme_id=programme.id, title="Hire", due_date=date(2027, 1, 1), created_at=LONG_AGO
            )
        )
        db.session.add(
            ProgrammeReturn(programme_id=programme.id, as_at=date(2027, 1, 1), whole_life_baseline=Decimal(9))
        )
    db.session.commit()


def queries_in_as_of_scan(day: date) -> list[str]:
    scan_portfolio(as_of=day - timedelta(days=7), now=NOW)
    with counting_queries() as statements:
        scan_portfolio(as_of=day, now=NOW)
    return statements


def test_an_as_of_scan_reads_in_a_fixed_number_of_queries(app) -> None:
    add_full_programmes(5)
    with_five = queries_in_as_of_scan(date(2027, 2, 8))
    add_full_programmes(45)
    with_fifty = queries_in_as_of_scan(date(2027, 2, 22))

    # Settings, twelve reads as in today's scan, one more for the predecessors' history, one UPDATE and
    # one INSERT.
    assert len(with_five) == len(with_fifty) == 16
    assert [s.split()[0] for s in with_fifty[-2:]] == ["UPDATE", "INSERT"]
    latest = db.session.scalars(select(RiskAssessment).where(RiskAssessment.is_latest)).all()
    assert len(latest) == 50 and {row.rating for row in latest} == {Rag.RED}
