"""Benefits: plans replaced whole, measurements judged against the plan of their day."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import event, select

from tracker.domain import realisation
from tracker.domain.thresholds import Thresholds
from tracker.extensions import db
from tracker.models import (
    AuditAction,
    AuditEvent,
    Benefit,
    BenefitType,
    Direction,
    Focus,
    Measurement,
    Programme,
    Role,
    Stage,
    TrajectoryPoint,
    User,
)
from tracker.services import benefits
from tracker.services.benefits import BenefitValues
from tracker.services.errors import Conflict, Invalid, NotFound

D0 = date(2026, 1, 1)
D5 = date(2026, 1, 6)
D10 = date(2026, 1, 11)


@pytest.fixture
def user(app, make_user) -> User:
    return make_user(Role.PROGRAMME_MANAGER, name="Priya Shah")


@pytest.fixture
def programme(app, user: User) -> Programme:
    programme = Programme(
        code="DIG-001", name="Digital front door", directorate="Customer", focus=Focus.BOTH,
        stage=Stage.DELIVERY, manager_id=user.id,
    )  # fmt: skip
    db.session.add(programme)
    db.session.commit()
    return programme


def values(**changes: object) -> BenefitValues:
    base: dict[str, object] = {
        "title": "More contacts completed online",
        "benefit_type": BenefitType.SERVICE_IMPROVEMENT,
        "measure": "Share of contacts done online",
        "unit": "%",
        "direction": Direction.HIGHER,
        "adoption_measure": True,
        "baseline_value": Decimal("0"),
        "baseline_date": D0,
        "target_value": Decimal("100"),
        "target_date": D10,
        "owner": "Joanne Reid, Head of Customer Services",
    }
    return BenefitValues(**{**base, **changes})  # type: ignore[arg-type]


def planned(programme: Programme, points: list[tuple[date, str]], **changes: object) -> Benefit:
    benefit = Benefit(programme_id=programme.id, **asdict(values(**changes)))
    benefit.trajectory = [TrajectoryPoint(on_date=d, value=Decimal(v)) for d, v in points]
    db.session.add(benefit)
    db.session.commit()
    return benefit


def test_creating_a_benefit_is_audited_and_counts_as_programme_activity(programme, user) -> None:
    benefit = benefits.create_benefit(programme, values=values(), user=user)

    assert benefit.id and benefit.owner.startswith("Joanne")
    event_ = db.session.scalars(select(AuditEvent).where(AuditEvent.programme_id == programme.id)).one()
    assert (event_.action, event_.entity_type, event_.programme_id) == (
        AuditAction.CREATE,
        "benefit",
        programme.id,
    )
    assert event_.changes["title"] == [None, "More contacts completed online"]
    db.session.refresh(programme)
    assert programme.last_update_at is not None


def test_target_date_must_follow_the_baseline(programme, user) -> None:
    with pytest.raises(Invalid) as refused:
        benefits.create_benefit(programme, values=values(target_date=D0), user=user)
    assert refused.value.field == "target_date"


def test_a_value_too_large_for_the_database_is_refused(programme, user) -> None:
    with pytest.raises(Invalid) as refused:
        benefits.create_benefit(programme, values=values(target_value=Decimal("1e15")), user=user)
    assert refused.value.field == "target_value"


def test_a_save_from_a_stale_copy_says_who_changed_it(programme, user, make_user) -> None:
    benefit = benefits.create_benefit(programme, values=values(), user=user)
    seen = benefit.version
    other = make_user(Role.CIO, name="Chris Orr")
    benefits.update_benefit(
        programme,
        benefit_id=benefit.id,
        values=values(owner="Dan Price"),
        expected_version=seen,
        user=other,
    )

    with pytest.raises(Conflict) as conflict:
        benefits.update_benefit(
            programme,
            benefit_id=benefit.id,
            values=values(unit="per cent"),
            expected_version=seen,
            user=user,
        )
    assert "changed by Chris Orr" in conflict.value.message
    db.session.expire_all()
    assert db.session.get(Benefit, benefit.id).unit == "%"


def test_an_unchanged_save_writes_nothing(programme, user) -> None:
    benefit = benefits.create_benefit(programme, values=values(), user=user)
    version = benefit.version
    benefits.update_benefit(
        programme, benefit_id=benefit.id, values=values(), expected_version=version, user=user
    )
    assert benefit.version == version
    assert (
        len(db.session.scalars(select(AuditEvent).where(AuditEvent.programme_id == programme.id)).all()) == 1
    )


def test_a_benefit_of_another_programme_is_not_found(programme, user) -> None:
    other = Programme(code="OTH-001", name="Other", directorate="X", focus=Focus.BOTH)
    db.session.add(other)
    db.session.commit()
    benefit = planned(other, [])
    with pytest.raises(NotFound):
        benefits.get_benefit(programme, benefit.id)


# Realisation: actual against the plan at the date measured.


@pytest.mark.parametrize(
    ("actual", "status", "colour"),
    [
        ("30", "Behind plan (60%)", "orange"),  # planned 50 on D5: 30 is 60% of the way
        ("45", "Behind plan (90%)", "yellow"),
        ("20", "Behind plan (40%)", "red"),
        ("50", "On track", "green"),
        ("70", "On track", "green"),
    ],
)
def test_higher_is_better_realisation(programme, actual: str, status: str, colour: str) -> None:
    benefit = planned(programme, [(D0, "0"), (D10, "100")])
    judged = realisation.judge(benefit, D5, Decimal(actual), Thresholds())
    assert judged.planned == Decimal(50)
    assert (judged.status, judged.colour) == (status, colour)


@pytest.mark.parametrize(
    ("actual", "status"),
    [
        ("25", "Behind plan (60%)"),  # baseline 28, planned 23 on D5: 3 of the 5 days saved
        ("23", "On track"),
        ("20", "On track"),  # below plan is ahead when lower is better
        ("30", "Behind plan (-40%)"),  # moved the wrong way
    ],
)
def test_lower_is_better_realisation(programme, actual: str, status: str) -> None:
    benefit = planned(
        programme,
        [(D0, "28"), (D10, "18")],
        direction=Direction.LOWER,
        baseline_value=Decimal(28),
        unit="days",
    )
    assert realisation.judge(benefit, D5, Decimal(actual), Thresholds()).status == status


def test_lower_is_better_without_a_baseline_compares_plan_to_actual(programme) -> None:
    benefit = planned(programme, [(D0, "40"), (D10, "20")], direction=Direction.LOWER, baseline_value=None)
    judged = realisation.judge(benefit, D10, Decimal(25), Thresholds())
    assert judged.status == "Behind plan (80%)"


def test_the_plan_holds_after_its_last_point_and_is_silent_before_its_first(programme) -> None:
    benefit = planned(programme, [(D5, "50"), (D10, "100")])
    later = realisation.judge(benefit, date(2027, 6, 1), Decimal(100), Thresholds())
    assert later.planned == Decimal(100) and later.status == "On track"
    earlier = realisation.judge(benefit, D0, Decimal(5), Thresholds())
    assert earlier.planned is None and earlier.status == "No plan yet for this date"


def test_a_dis_benefit_larger_than_planned_is_worse_than_plan(programme) -> None:
    benefit = planned(
        programme,
        [(D0, "350"), (D10, "450")],
        benefit_type=BenefitType.DIS_BENEFIT,
        direction=Direction.LOWER,
        baseline_value=Decimal(350),
    )
    assert (
        realisation.judge(benefit, D10, Decimal(500), Thresholds()).status == "Worse than plan (50% larger)"
    )
    assert realisation.judge(benefit, D10, Decimal(420), Thresholds()).status == "On track"


def test_values_show_in_their_unit(programme) -> None:
    cash = planned(programme, [], benefit_type=BenefitType.CASHABLE, unit="£")
    days = planned(programme, [], unit="days")
    assert benefits.format_measure(cash, Decimal("120000")) == "£120,000"
    assert benefits.format_measure(days, Decimal("8.50")) == "8.5 days"


# Measurements.


def test_recording_a_measurement_keeps_who_and_judges_it(programme, user) -> None:
    benefit = planned(programme, [(D0, "0"), (D10, "100")])
    judged = benefits.record_measurement(
        programme, benefit_id=benefit.id, on_date=D5, value=Decimal(30), note="From the CRM", user=user,
        today=D10,
    )  # fmt: skip

    assert judged.status == "Behind plan (60%)"
    measurement = db.session.scalars(select(Measurement)).one()
    assert (measurement.recorded_by_id, measurement.value, measurement.note) == (
        user.id,
        Decimal(30),
        "From the CRM",
    )
    audit_event = db.session.scalars(select(AuditEvent).where(AuditEvent.programme_id == programme.id)).one()
    assert audit_event.entity_type == "measurement" and audit_event.programme_id == programme.id
    assert "Recorded 30%" in audit_event.summary
    db.session.refresh(programme)
    assert programme.last_update_at is not None


def test_a_measurement_cannot_be_dated_in_the_future(programme, user) -> None:
    benefit = planned(programme, [])
    with pytest.raises(Invalid) as refused:
        benefits.record_measurement(
            programme,
            benefit_id=benefit.id,
            on_date=D10,
            value=Decimal(1),
            note="",
            user=user,
            today=D5,
        )
    assert refused.value.field == "on_date"
    assert db.session.scalars(select(Measurement)).all() == []


def test_the_detail_lists_measurements_newest_first_each_judged_on_its_date(programme, user) -> None:
    benefit = planned(programme, [(D0, "0"), (D10, "100")])
    for day, value in ((D0, "0"), (D10, "100"), (D5, "20")):
        benefits.record_measurement(
            programme,
            benefit_id=benefit.id,
            on_date=day,
            value=Decimal(value),
            note="",
            user=user,
            today=D10,
        )
    detail = benefits.benefit_detail(programme, benefit.id)
    assert [m.on_date for m, _ in detail.measurements] == [D10, D5, D0]
    assert [judged.status for _, judged in detail.measurements] == [
        "On track",
        "Behind plan (40%)",
        "On track",
    ]
    assert detail.latest is not None and detail.latest.measured_on == D10


# The planned trajectory.


def test_replacing_the_trajectory_moves_the_version_and_is_audited(programme, user) -> None:
    benefit = planned(programme, [(D0, "0"), (D10, "100")])
    version = benefit.version
    benefits.replace_trajectory(
        programme,
        benefit_id=benefit.id,
        points=[(D10, Decimal(80)), (D0, Decimal(0)), (D5, Decimal(30))],
        expected_version=version,
        user=user,
    )
    db.session.expire_all()
    saved = db.session.get(Benefit, benefit.id)
    assert [(p.on_date, p.value) for p in saved.trajectory] == [(D0, 0), (D5, 30), (D10, 80)]
    assert saved.version == version + 1
    audit_event = db.session.scalars(select(AuditEvent).where(AuditEvent.programme_id == programme.id)).one()
    assert audit_event.changes["trajectory"][0] == "1 January 2026: 0%; 11 January 2026: 100%"

    with pytest.raises(Conflict):
        benefits.replace_trajectory(
            programme, benefit_id=benefit.id, points=[], expected_version=version, user=user
        )


def test_two_planned_values_on_one_date_are_refused(programme, user) -> None:
    benefit = planned(programme, [])
    with pytest.raises(Invalid, match="Two planned values are dated 1 January 2026"):
        benefits.replace_trajectory(
            programme,
            benefit_id=benefit.id,
            points=[(D0, Decimal(1)), (D0, Decimal(2))],
            expected_version=benefit.version,
            user=user,
        )


def test_deleting_a_benefit_takes_its_plan_and_measurements_and_is_recorded(programme, user) -> None:
    benefit = planned(programme, [(D0, "0")])
    benefits.record_measurement(
        programme, benefit_id=benefit.id, on_date=D0, value=Decimal(1), note="", user=user, today=D0
    )
    title = benefits.delete_benefit(programme, benefit_id=benefit.id, expected_version=None, user=user)

    assert title == "More contacts completed online"
    assert db.session.scalars(select(Benefit)).all() == []
    assert db.session.scalars(select(Measurement)).all() == []
    deleted = db.session.scalars(select(AuditEvent).where(AuditEvent.action == AuditAction.DELETE)).one()
    assert deleted.changes == {"title": ["More contacts completed online", None]}


@contextmanager
def counting_queries() -> Iterator[list[str]]:
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def test_listing_benefits_takes_the_same_queries_however_many_there_are(programme, user) -> None:
    def count_for(how_many: int) -> int:
        for _ in range(how_many):
            benefit = planned(programme, [(D0, "0"), (D10, "100")])
            db.session.add(Measurement(benefit_id=benefit.id, on_date=D5, value=Decimal(40)))
        db.session.commit()
        db.session.expire_all()
        with counting_queries() as statements:
            rows = benefits.list_benefits(programme)
        assert all(row.latest and row.latest.status.startswith("Behind plan") for row in rows)
        return len(statements)

    assert count_for(2) == count_for(10)
