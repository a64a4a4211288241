"""Benefits: profiles, their planned trajectory and measurements, each measurement judged against the plan."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.domain.calendar import format_date, london_today
from tracker.domain.realisation import Realisation, judge
from tracker.domain.vocabulary import label
from tracker.domain.wording import MONEY_UNITS, format_quantity
from tracker.extensions import db
from tracker.models import (
    AuditAction,
    Benefit,
    BenefitStatus,
    BenefitType,
    Direction,
    Measurement,
    Programme,
    TrajectoryPoint,
    User,
)
from tracker.models.types import utcnow
from tracker.services import audit
from tracker.services.editing import check_version, commit_or_conflict, mark_programme_updated
from tracker.services.errors import Invalid, NotFound, Problem
from tracker.services.ratings.rerating import Trigger
from tracker.services.settings import current_thresholds

MAX_MEASURE = Decimal("99999999999999")
"""Largest size of a measured value: `Numeric(18, 4)` keeps 14 digits before the point."""
MAX_POINTS = 60


@dataclass(frozen=True)
class BenefitValues:
    """What a person enters for a benefit profile."""

    title: str
    benefit_type: BenefitType
    measure: str
    unit: str
    direction: Direction
    adoption_measure: bool
    baseline_value: Decimal | None
    baseline_date: date | None
    target_value: Decimal | None
    target_date: date | None
    owner: str
    notes: str = ""


@dataclass(frozen=True)
class StatusValues:
    """Whether a benefit is still being measured, realised or written off, why, and when the programme
    handed it to its owner in the service."""

    status: BenefitStatus
    status_reason: str = ""
    handed_over_on: date | None = None


@dataclass(frozen=True)
class BenefitRow:
    """A benefit with its latest measurement judged, for the list page."""

    benefit: Benefit
    latest: Realisation | None


@dataclass(frozen=True)
class BenefitDetail:
    """A benefit with each of its measurements judged, newest first."""

    benefit: Benefit
    measurements: list[tuple[Measurement, Realisation]]

    @property
    def latest(self) -> Realisation | None:
        return self.measurements[0][1] if self.measurements else None


def format_measure(benefit: Benefit, value: Decimal | None) -> str:
    """A value in the benefit's unit, money the UK way: '£120,000', '45%', '8 days'."""
    if value is None:
        return ""
    money = benefit.benefit_type is BenefitType.CASHABLE or benefit.unit.strip().lower() in MONEY_UNITS
    return format_quantity(value, benefit.unit, money=money)


def list_benefits(programme: Programme) -> list[BenefitRow]:
    """Every benefit of a programme with its latest measurement judged, in three queries."""
    benefits = db.session.scalars(
        select(Benefit)
        .where(Benefit.programme_id == programme.id)
        .options(selectinload(Benefit.trajectory), selectinload(Benefit.measurements))
        .order_by(Benefit.id)
    ).all()
    thresholds = current_thresholds()
    rows = []
    for benefit in benefits:
        latest = max(benefit.measurements, key=lambda m: (m.on_date, m.id), default=None)
        judged = judge(benefit, latest.on_date, latest.value, thresholds) if latest else None
        rows.append(BenefitRow(benefit, judged))
    return rows


def get_benefit(programme: Programme, benefit_id: int) -> Benefit:
    """A benefit of this programme with its plan and measurements, or NotFound."""
    benefit = db.session.scalar(
        select(Benefit)
        .where(Benefit.id == benefit_id, Benefit.programme_id == programme.id)
        .options(
            selectinload(Benefit.trajectory),
            selectinload(Benefit.measurements).joinedload(Measurement.recorded_by),
        )
    )
    if benefit is None:
        raise NotFound("There is no such benefit in this programme")
    return benefit


def benefit_detail(programme: Programme, benefit_id: int) -> BenefitDetail:
    """A benefit with every measurement judged against the plan on its own date."""
    benefit = get_benefit(programme, benefit_id)
    thresholds = current_thresholds()
    newest_first = sorted(benefit.measurements, key=lambda m: (m.on_date, m.id), reverse=True)
    return BenefitDetail(benefit, [(m, judge(benefit, m.on_date, m.value, thresholds)) for m in newest_first])


def create_benefit(programme: Programme, *, values: BenefitValues, user: User) -> Benefit:
    """Add a benefit profile to a programme."""
    user_id = user.id
    _check(values)
    benefit = Benefit(programme_id=programme.id, updated_by_id=user_id, **asdict(values))
    db.session.add(benefit)
    db.session.flush()
    audit.record(
        AuditAction.CREATE,
        benefit,
        user_id=user_id,
        programme_id=programme.id,
        summary=f"Added benefit '{values.title}'",
        changes={name: (None, value) for name, value in asdict(values).items() if value not in (None, "")},
    )
    mark_programme_updated(programme.id, trigger=Trigger.BENEFIT, user_id=user_id)
    db.session.commit()
    return benefit


def update_benefit(
    programme: Programme,
    *,
    benefit_id: int,
    values: BenefitValues,
    expected_version: int | None,
    user: User,
) -> Benefit:
    """Change a benefit profile, refusing a save made from a stale copy."""
    user_id = user.id
    benefit = get_benefit(programme, benefit_id)
    check_version(benefit, expected_version, what="benefit")
    _check(values)
    return _save_changes(programme, benefit, asdict(values), user_id, f"Changed benefit '{values.title}'")


def delete_benefit(programme: Programme, *, benefit_id: int, expected_version: int | None, user: User) -> str:
    """Remove a benefit with its plan and measurements; the audit trail keeps its title."""
    user_id = user.id
    benefit = get_benefit(programme, benefit_id)
    check_version(benefit, expected_version, what="benefit")
    title = benefit.title
    audit.record(
        AuditAction.DELETE,
        benefit,
        user_id=user_id,
        programme_id=programme.id,
        summary=f"Deleted benefit '{title}' with {len(benefit.measurements)} measurement(s)",
        changes={"title": (title, None)},
    )
    db.session.delete(benefit)
    mark_programme_updated(programme.id, trigger=Trigger.BENEFIT, user_id=user_id)
    commit_or_conflict(what="benefit")
    return title


def change_status(
    programme: Programme,
    *,
    benefit_id: int,
    values: StatusValues,
    expected_version: int | None,
    user: User,
    today: date | None = None,
) -> Benefit:
    """Mark a benefit realised, written off (with the reason) or back to being measured, and record its
    handover; allowed on a closed programme too, where the benefits live on."""
    user_id = user.id
    benefit = get_benefit(programme, benefit_id)
    check_version(benefit, expected_version, what="benefit")
    _raise_any(status_problems(**asdict(values), today=today))
    summary = f"Changed the status of '{benefit.title}' to {label(values.status).lower()}"
    return _save_changes(programme, benefit, asdict(values), user_id, summary)


def _save_changes(
    programme: Programme, benefit: Benefit, values: dict[str, object], user_id: int, summary: str
) -> Benefit:
    """Set the values that changed, audit them, re-rate the programme and commit; nothing changed is
    nothing saved."""
    changes = audit.apply_changes(benefit, values)
    if not changes:
        return benefit
    benefit.updated_by_id = user_id
    audit.record(
        AuditAction.UPDATE,
        benefit,
        user_id=user_id,
        programme_id=programme.id,
        summary=summary,
        changes=changes,
    )
    mark_programme_updated(programme.id, trigger=Trigger.BENEFIT, user_id=user_id)
    commit_or_conflict(what="benefit")
    return benefit


def status_problems(
    *,
    status: BenefitStatus | str | None,
    status_reason: str | None,
    handed_over_on: date | None,
    today: date | None = None,
) -> list[Problem]:
    """Every reason a status cannot be saved: writing off needs the reason, a handover is in the past
    (None: not given or refused by the form)."""
    problems: list[Problem] = []
    if status == BenefitStatus.WRITTEN_OFF and status_reason is not None and not status_reason.strip():
        problems.append(("status_reason", "Enter why the benefit is written off"))
    if handed_over_on is not None and handed_over_on > (today or london_today(utcnow())):
        problems.append(("handed_over_on", "The handover date must be today or in the past"))
    return problems


def replace_trajectory(
    programme: Programme,
    *,
    benefit_id: int,
    points: list[tuple[date, Decimal]],
    expected_version: int | None,
    user: User,
) -> Benefit:
    """Replace the planned values of a benefit with the dated values given."""
    user_id = user.id
    benefit = get_benefit(programme, benefit_id)
    check_version(benefit, expected_version, what="benefit")
    _raise_any(trajectory_problems(points))
    new = sorted(points)
    old = [(point.on_date, point.value) for point in benefit.trajectory]
    if new == old:
        return benefit
    benefit.trajectory.clear()
    db.session.flush()  # old rows go first: a new point may reuse an old point's date
    benefit.trajectory.extend(TrajectoryPoint(on_date=on_date, value=value) for on_date, value in new)
    benefit.updated_by_id = user_id
    benefit.updated_at = utcnow()  # a real change to the row, so the version moves on
    audit.record(
        AuditAction.UPDATE,
        benefit,
        user_id=user_id,
        programme_id=programme.id,
        summary=f"Changed the planned trajectory of '{benefit.title}'",
        changes={"trajectory": (_describe(benefit, old), _describe(benefit, new))},
    )
    mark_programme_updated(programme.id, trigger=Trigger.BENEFIT, user_id=user_id)
    commit_or_conflict(what="benefit")
    return benefit


def record_measurement(
    programme: Programme,
    *,
    benefit_id: int,
    on_date: date,
    value: Decimal,
    note: str,
    user: User,
    today: date | None = None,
) -> Realisation:
    """Record what the benefit measured on a date, and say how that compares with the plan."""
    user_id = user.id
    benefit = get_benefit(programme, benefit_id)
    _raise_any(measurement_problems(on_date=on_date, value=value, today=today))
    measurement = Measurement(
        benefit=benefit, on_date=on_date, value=value, note=note, recorded_by_id=user_id
    )
    db.session.add(measurement)
    db.session.flush()
    audit.record(
        AuditAction.CREATE,
        measurement,
        user_id=user_id,
        programme_id=programme.id,
        summary=f"Recorded {format_measure(benefit, value)} for '{benefit.title}' on {format_date(on_date)}",
        changes={"benefit": (None, benefit.title), "on_date": (None, on_date), "value": (None, value)}
        | ({"note": (None, note)} if note else {}),
    )
    mark_programme_updated(programme.id, trigger=Trigger.BENEFIT, user_id=user_id)
    db.session.commit()
    return judge(benefit, on_date, value, current_thresholds())


def benefit_problems(
    *,
    title: str | None,
    baseline_value: Decimal | None,
    baseline_date: date | None,
    target_value: Decimal | None,
    target_date: date | None,
) -> list[Problem]:
    """Rules a form cannot see on its own (date order, the size the database keeps), every one broken.
    None means not given, or refused by the form: nothing to check."""
    problems: list[Problem] = []
    if title is not None and not title.strip():
        problems.append(("title", "Enter the title of the benefit"))
    problems += _size_problems(baseline_value, "baseline_value", "The baseline value")
    problems += _size_problems(target_value, "target_value", "The target value")
    if baseline_date and target_date and target_date <= baseline_date:
        problems.append(("target_date", "The target date must be after the baseline date"))
    return problems


def measurement_problems(
    *, on_date: date | None, value: Decimal | None, today: date | None = None
) -> list[Problem]:
    """Every reason a measurement cannot be recorded (None: not given or refused by the form)."""
    problems: list[Problem] = []
    if on_date is not None and on_date > (today or london_today(utcnow())):
        problems.append(("on_date", "The date of the measurement must be today or in the past"))
    return problems + _size_problems(value, "value", "The value")


def trajectory_problems(points: list[tuple[date, Decimal]]) -> list[Problem]:
    """Every reason a plan cannot be saved: too many values, dates given twice, values too large."""
    problems: list[Problem] = []
    if len(points) > MAX_POINTS:
        problems.append((None, f"Enter no more than {MAX_POINTS} planned values"))
    seen: set[date] = set()
    for on_date, value in points:
        message = f"Two planned values are dated {format_date(on_date)}: keep one"
        if on_date in seen and (None, message) not in problems:
            problems.append((None, message))
        seen.add(on_date)
        for problem in _size_problems(value, None, "A planned value"):
            if problem not in problems:
                problems.append(problem)
    return problems


def _check(values: BenefitValues) -> None:
    _raise_any(
        benefit_problems(
            title=values.title,
            baseline_value=values.baseline_value,
            baseline_date=values.baseline_date,
            target_value=values.target_value,
            target_date=values.target_date,
        )
    )


def _raise_any(problems: list[Problem]) -> None:
    if problems:
        raise Invalid.every(problems)


def _size_problems(value: Decimal | None, field: str | None, what: str) -> list[Problem]:
    if value is not None and abs(value) > MAX_MEASURE:
        return [(field, f"{what} must be less than 100,000,000,000,000")]
    return []


def _describe(benefit: Benefit, points: list[tuple[date, Decimal]]) -> str:
    """A plan as one line for the audit trail."""
    return "; ".join(f"{format_date(d)}: {format_measure(benefit, v)}" for d, v in points) or "none"
