"""One programme as a board pack shows it on a day: rating and its flags in words, key milestones, money,
benefits, and a submitted highlight report. Built from the scan's snapshot of that day (see the ratings
service's `load_portfolio`), so a past day shows the dates and figures known then."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from tracker.domain.snapshot import BenefitSnap, InvestmentSnap, MilestoneSnap, ProgrammeSnapshot
from tracker.domain.vocabulary import (
    BENEFIT_TYPE_LABELS,
    CONFIDENCE_LABELS,
    DIMENSION_LABELS,
    MILESTONE_KIND_LABELS,
    RAG_LABELS,
    STAGE_LABELS,
)
from tracker.models import BenefitType, Confidence, Direction, MilestoneKind, Rag, Stage, StatusUpdate
from tracker.services.packs.reads import RatedProgramme
from tracker.services.programmes.overview import FlagView, flag_view

KEY_MILESTONES = 6
"""Milestones a programme's page lists: critical ones first, then the open ones due soonest."""
NOT_RATED = "Not yet rated"


@dataclass(frozen=True)
class MilestoneLine:
    title: str
    kind: MilestoneKind
    kind_label: str
    critical: bool
    baseline_date: date | None
    """The latest approved baseline."""
    forecast_date: date | None
    actual_date: date | None
    status: str
    """"Done", "Cancelled", "Overdue" (open and past its baseline) or "Open"."""
    variance_days: int | None
    """Actual (or forecast) date minus the baseline: positive is late; None when either is not known."""


@dataclass(frozen=True)
class ProgrammeMoney:
    """Whole-life cost as reported, and the sums of the cost lines; None where nothing is known."""

    whole_life_baseline: Decimal | None
    whole_life_forecast: Decimal | None
    requested: Decimal | None
    approved: Decimal | None
    forecast: Decimal | None
    actual: Decimal | None


@dataclass(frozen=True)
class BenefitLine:
    title: str
    type: BenefitType
    type_label: str
    owner: str | None
    unit: str
    direction: Direction
    baseline: Decimal | None
    planned_to_date: Decimal | None
    """The trajectory's latest point on or before the day."""
    target: Decimal | None
    """The trajectory's last point."""
    target_date: date | None
    measured: Decimal | None
    measured_on: date | None


@dataclass(frozen=True)
class SubmittedUpdate:
    """A submitted (frozen) highlight report: its period, self-ratings and narrative."""

    id: int
    period_start: date
    period_end: date
    submitted_at: datetime
    author: str | None
    overall: Rag
    schedule: Rag
    cost: Rag
    benefits: Rag
    resources: Rag
    narrative: str

    @property
    def dimensions(self) -> tuple[tuple[str, Rag], ...]:
        """Schedule, cost, benefits and resources with their labels, in the form's order."""
        return tuple((label, getattr(self, name)) for name, label in DIMENSION_LABELS.items())


@dataclass(frozen=True)
class ProgrammeStatus:
    """A programme as it stood at the end of `as_of`."""

    code: str
    name: str
    directorate: str
    stage: Stage
    stage_label: str
    sro: str
    manager: str | None
    as_of: date
    rating: Rag | None
    rating_label: str
    rating_last_month: Rag | None
    score: int | None
    assessed_at: datetime | None
    confidence: Confidence | None
    confidence_label: str
    """"Not assessed" when there is none."""
    start_date: date | None
    baseline_end_date: date | None
    forecast_end_date: date | None
    flags: tuple[FlagView, ...]
    """Red flags first; each with its message and the figures behind it in words."""
    milestones: tuple[MilestoneLine, ...]
    milestones_total: int
    money: ProgrammeMoney
    benefits: tuple[BenefitLine, ...]


@dataclass(frozen=True)
class ProgrammePage:
    """A Red or Amber programme's page in the portfolio pack."""

    status: ProgrammeStatus
    update: SubmittedUpdate | None
    """The newest highlight report submitted by the end of the pack's day."""


def programme_status(
    rated: RatedProgramme, snapshot: ProgrammeSnapshot | None, *, as_of: date, last_month: Rag | None = None
) -> ProgrammeStatus:
    """The programme as its snapshot of the day and its rating by then show it."""
    empty = ProgrammeSnapshot(id=rated.id, code=rated.code, name=rated.name, stage=rated.stage.value)
    snap = snapshot or empty
    confidence = Confidence(snap.confidence) if snap.confidence else None
    flags = sorted((flag_view(flag) for flag in rated.flags), key=lambda flag: flag.severity != "red")
    return ProgrammeStatus(
        code=rated.code,
        name=rated.name,
        directorate=rated.directorate,
        stage=rated.stage,
        stage_label=STAGE_LABELS[rated.stage],
        sro=rated.sro,
        manager=rated.manager,
        as_of=as_of,
        rating=rated.rating,
        rating_label=RAG_LABELS[rated.rating] if rated.rating else NOT_RATED,
        rating_last_month=last_month,
        score=rated.score,
        assessed_at=rated.assessed_at,
        confidence=confidence,
        confidence_label=CONFIDENCE_LABELS[confidence] if confidence else "Not assessed",
        start_date=snap.start_date,
        baseline_end_date=snap.baseline_end_date,
        forecast_end_date=snap.forecast_end_date,
        flags=tuple(flags),
        milestones=key_milestones(snap.milestones, as_of),
        milestones_total=sum(1 for milestone in snap.milestones if milestone.in_plan),
        money=programme_money(snap),
        benefits=tuple(benefit_line(benefit, as_of) for benefit in snap.benefits),
    )


def key_milestones(milestones: tuple[MilestoneSnap, ...], as_of: date) -> tuple[MilestoneLine, ...]:
    """Critical milestones, then open ones by baseline, then the rest: the first KEY_MILESTONES."""
    far = date.max

    def order(milestone: MilestoneSnap) -> tuple[bool, bool, date, str]:
        due = milestone.forecast_date or milestone.baseline_date or far
        return (not milestone.critical, not milestone.open, due, milestone.title)

    return tuple(
        _milestone_line(milestone, as_of) for milestone in sorted(milestones, key=order)[:KEY_MILESTONES]
    )


def _milestone_line(milestone: MilestoneSnap, as_of: date) -> MilestoneLine:
    baseline = milestone.baseline_date
    when = milestone.actual_date or milestone.forecast_date
    if milestone.done:
        status = "Done"
    elif milestone.cancelled:
        status = "Cancelled"
    elif baseline is not None and baseline < as_of:
        status = "Overdue"
    else:
        status = "Open"
    kind = MilestoneKind(milestone.kind)
    return MilestoneLine(
        title=milestone.title,
        kind=kind,
        kind_label=MILESTONE_KIND_LABELS[kind],
        critical=milestone.critical,
        baseline_date=baseline,
        forecast_date=milestone.forecast_date,
        actual_date=milestone.actual_date,
        status=status,
        variance_days=None if baseline is None or when is None else (when - baseline).days,
    )


def programme_money(snapshot: ProgrammeSnapshot) -> ProgrammeMoney:
    """Whole-life figures as reported and the cost lines summed, leaving unknown amounts out."""

    def total(amounts: list[Decimal | None]) -> Decimal | None:
        known = [amount for amount in amounts if amount is not None]
        return sum(known, Decimal(0)) if known else None

    lines: tuple[InvestmentSnap, ...] = snapshot.investments
    return ProgrammeMoney(
        whole_life_baseline=snapshot.whole_life_baseline,
        whole_life_forecast=snapshot.whole_life_forecast,
        requested=total([line.requested for line in lines]),
        approved=total([line.approved for line in lines]),
        forecast=total([line.forecast for line in lines]),
        actual=total([line.actual for line in lines]),
    )


def benefit_line(benefit: BenefitSnap, as_of: date) -> BenefitLine:
    """A benefit's baseline, plan by the day, final target and latest measurement by the day."""
    planned = [value for day, value in sorted(benefit.trajectory) if day <= as_of]
    measured = [(day, value) for day, value in sorted(benefit.measurements) if day <= as_of]
    target = max(benefit.trajectory, default=None)
    kind = BenefitType(benefit.type)
    return BenefitLine(
        title=benefit.title,
        type=kind,
        type_label=BENEFIT_TYPE_LABELS[kind],
        owner=benefit.owner,
        unit=benefit.unit,
        direction=Direction(benefit.direction),
        baseline=benefit.baseline_value,
        planned_to_date=planned[-1] if planned else None,
        target=target[1] if target else None,
        target_date=target[0] if target else None,
        measured=measured[-1][1] if measured else None,
        measured_on=measured[-1][0] if measured else None,
    )


def submitted_update(update: StatusUpdate, author: str | None) -> SubmittedUpdate:
    """A submitted status update as plain values."""
    if update.submitted_at is None:
        raise ValueError("Only a submitted update is a highlight report")
    return SubmittedUpdate(
        id=update.id,
        period_start=update.period_start,
        period_end=update.period_end,
        submitted_at=update.submitted_at,
        author=author,
        overall=update.overall,
        schedule=update.schedule,
        cost=update.cost,
        benefits=update.benefits,
        resources=update.resources,
        narrative=update.narrative,
    )
